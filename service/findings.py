"""The vocabulary every check shares: a document in, a section of findings out.

Each analyzer in ``service.checks`` implements :class:`Check`. Keeping this one small
interface is what lets the scorer run the checks concurrently and merge their results
without knowing anything about LanguageTool, textstat or rule packs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from dataclasses import field as dataclass_field  # Finding has a data field called "field"
from typing import Any, ClassVar, Literal, Protocol

from .text import segments
from .text.segments import Span

CheckName = Literal["grammar", "readability", "phrasing", "clickbait"]
CHECK_NAMES: tuple[CheckName, ...] = ("grammar", "readability", "phrasing", "clickbait")

Severity = Literal["error", "warning", "suggestion"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "suggestion")

# Which string of a request a finding's offsets point into.
Field = Literal["text", "title"]

# Replacements a finding offers, at most (LanguageTool lists every word its speller finds near a
# short unknown one: 1,305 for "div").
MAX_REPLACEMENTS = 5
# Penalty points per finding, used by every density-based section score.
SEVERITY_WEIGHT: dict[str, float] = {"error": 1.0, "warning": 0.5, "suggestion": 0.2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the text, located in code points of the string it was found in.

    ``field`` says which string that is: the request's ``text`` or its ``title``.
    Line, column, context and the flagged span are derived later, in one place
    (``service.text.offsets``), so analyzers only have to get ``offset`` and ``length`` right.
    """

    check: CheckName
    rule_id: str
    description: str
    category: str
    source: str
    severity: Severity
    message: str
    offset: int
    length: int
    replacements: tuple[str, ...] = ()
    field: Field = "text"
    link: str | None = None
    extra: dict[str, Any] | None = None
    # LanguageTool's rules that report the same problem in these words, for a finding of
    # copydesk's own: a report lists it once (``checks.grammar.without_twins``).
    same_as_languagetool: tuple[str, ...] = ()
    # The finding as its backend wrote it (LanguageTool's match JSON), so the
    # LanguageTool-compatible API can answer with every field LanguageTool sent; kept for that
    # API's checks only (``GrammarCheck._finding``).
    native: Mapping[str, Any] | None = dataclass_field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Suppression:
    """Findings starting in ``[start, end)`` (code points of the text) are switched off.

    ``selectors`` names what is switched off (checks, packs, rule ids or dotted prefixes);
    an empty tuple switches off everything. Markup's ``copydesk-disable`` comments make them.
    """

    start: int
    end: int
    selectors: tuple[str, ...] = ()


_PLACEHOLDER = re.compile(r"Dummy[0-9]+")


def placeholder(n: int) -> str:
    """The word LanguageTool reads in place of the ``n``-th masked run of a text (inline code, a
    bare URL, a token too long for prose): a word it does not judge (LTeX does the same),
    numbered so two in a row are not a repeated word."""
    return f"Dummy{n}"


def is_placeholder(word: str) -> bool:
    """Whether ``word`` is a :func:`placeholder` (LTeX writes the same for the code it masks)."""
    return _PLACEHOLDER.fullmatch(word) is not None


def renumbered(parts: Sequence[Annotated]) -> tuple[Annotated, ...]:
    """``parts`` with their placeholder words numbered from 0 in their order: what LanguageTool
    reads is the same but for numbers that only keep neighbours apart, so a paragraph keys the
    paragraph cache alike wherever its text stands (markup added above it renumbers it)."""
    numbered: list[Annotated] = []
    words = 0
    for part in parts:
        if part.markup and is_placeholder(part.interpret_as):
            part, words = replace(part, interpret_as=placeholder(words)), words + 1
        numbered.append(part)
    return tuple(numbered)


@dataclass(frozen=True)
class Annotated:
    """One part of a markup document as LanguageTool's annotated text sees it: prose
    (``markup`` false) or markup that reads as ``interpret_as`` (often nothing, a space or a
    paragraph break). The parts, in order, concatenate to the source as sent."""

    text: str
    markup: bool = False
    interpret_as: str = ""


@dataclass(frozen=True)
class CheckOptions:
    """What a request asks of the checks beyond the text itself."""

    # Rule selectors (packs, rule ids, dotted prefixes): turn on rules that are off by
    # default / turn off rules (wins over everything).
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    # Words the spelling check accepts (case-folded): a house dictionary.
    accept: frozenset[str] = frozenset()
    # LanguageTool parameters as (name, value) pairs, from a client of the LanguageTool-compatible
    # API (language, motherTongue, enabledRules, level, ...). When there are any, LanguageTool gets
    # exactly these besides the text, in place of copydesk's own choices (the level setting, the
    # whitespace rule off for markup), so it answers what it would answer that client directly.
    languagetool: tuple[tuple[str, str], ...] = ()
    # Readability thresholds this request sets for itself, by name (``ReadabilityThresholds``).
    readability: tuple[tuple[str, float], ...] = ()
    # The headline model's threshold for this request; None: the service's (COPYDESK_CLICKBAIT_THRESHOLD).
    clickbait_threshold: float | None = None


@dataclass(frozen=True)
class Headline:
    """The headline a check judges: where it stands and where it came from."""

    text: str
    offset: int
    field: Field
    source: Literal["title", "first_line", "first_sentence", "body_line"]
    # The code points it covers in its field, when that is not len(text): a headline read from a
    # prose view is shown as a reader sees it (``Document.as_shown``).
    length: int | None = None

    @property
    def covers(self) -> int:
        return len(self.text) if self.length is None else self.length


@dataclass(frozen=True)
class Document:
    """What the client asked us to score.

    For Markdown or HTML, ``text`` is the prose view (``service.markup``): the source with
    everything that is not prose blanked out, so it has the source's length and every offset
    into it is also an offset into ``source``, the markup as sent; ``annotation`` is the same
    source cut into prose and markup for LanguageTool. ``title_offset`` says where the title
    stands in ``text`` when it stands there (the heading a Markdown reader took it from, or
    the text's first line repeating it); findings in the title are then findings in the text.
    ``title_from_markup`` says the title is the markup's first heading, not one the client sent.
    ``suppressions`` come from the source's ``copydesk-disable`` comments.
    """

    text: str
    title: str | None = None
    title_offset: int | None = None
    title_from_markup: bool = False
    language: str = "en-US"
    options: CheckOptions = CheckOptions()
    format: Literal["text", "markdown", "mdx", "html", "rst"] = "text"
    source: str | None = None
    annotation: tuple[Annotated, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    # Where the markup's headings and blocks (paragraphs, list items, table cells) stand in
    # ``text`` (empty for plain text).
    headings: tuple[Span, ...] = ()
    blocks: tuple[Span, ...] = ()
    # Where the text of each link to a place in the same document stands in ``text`` (a table of
    # contents' entries, a "back to top"; ``href="#..."``), in order (empty for plain text).
    in_document_links: tuple[Span, ...] = ()
    # Where the text of each table cell stands in ``text`` (header and data cells), in order (in
    # plain text, between the pipes of its lines that open and close with one).
    table_cells: tuple[Span, ...] = ()
    # Where the text of each list item stands in ``text``, in order (in plain text, its lines
    # that open with a bullet or a number).
    list_items: tuple[Span, ...] = ()
    # Where each code block stands (a Markdown fence, an HTML <pre>), in order (empty for plain text).
    code_blocks: tuple[Span, ...] = ()
    # Where the text of each caption stands (HTML's <figcaption> and table <caption>), in order
    # (empty for plain text).
    captions: tuple[Span, ...] = ()
    # Where the text of each link stands in ``text`` (in-document ones too), in order (empty for
    # plain text).
    links: tuple[Span, ...] = ()
    # Where each block stands that the page shows after a label the source does not hold as text
    # (``ProseView.labelled``: a version note's text in reStructuredText), in order.
    labelled: tuple[Span, ...] = ()

    @property
    def is_markup(self) -> bool:
        """Whether the text came as markup (a format's, or LanguageTool's annotated text), whose
        reader found its headings; plain text's are found in its lines (a plain text may have a
        ``source`` too: its view blanks a byte order mark)."""
        return self.format != "text" or bool(self.annotation)

    @property
    def original(self) -> str:
        """The text as the client sent it, which offsets and issue spans refer to."""
        return self.text if self.source is None else self.source

    @property
    def separate_title(self) -> str | None:
        """The title when it is not part of the text, so checks must read it on its own."""
        return self.title if self.title is not None and self.title_offset is None else None

    @functools.cached_property
    def lined(self) -> str:
        """``text`` with a line break in the blank just outside each edge of a block, where the
        markup left one on the block's line: what the rule packs' regexes search, so that ``^``
        and ``$`` match at a block's edges and a match stays inside its block (a page of HTML is
        often one line of source, "<p>Related: ...</p><h2>Most read</h2>"). The same length and
        offsets as ``text``; plain text (no blocks) is ``text`` itself."""
        if not self.blocks:
            return self.text
        chars = list(self.text)
        for block in self.blocks:
            for at in (block.start - 1, block.end):
                if 0 <= at < len(chars) and chars[at] in " \t":
                    chars[at] = "\n"
        return "".join(chars)

    @functools.cached_property
    def part_starts(self) -> list[int]:
        """Where each part of ``annotation`` starts in the source, then where the source ends."""
        return list(itertools.accumulate((len(part.text) for part in self.annotation), initial=0))

    def on_markup_edges(self, start: int, end: int) -> tuple[int, int]:
        """``start`` and ``end`` moved off the inside of a markup part of the source, where a
        check of the prose view (or LanguageTool's mapping of annotated text) may leave them: out
        to an entity's edges ("&#128512;" whole, not "&" of it), back to a tag's ("&quot;", not
        "&quot;</p><p"). A span inside one tag stays as it is."""
        starts, parts = self.part_starts, self.annotation
        moved = [start, end]
        for n, (position, outward) in enumerate(((start, 0), (end, 1))):
            k = bisect.bisect_right(starts, position) - 1
            if 0 <= k < len(parts) and parts[k].markup and starts[k] < position < starts[k + 1]:
                # An entity (a part that reads as something a reader sees) widens the span over
                # it; a tag (one that reads as nothing or white space) is left out of it.
                shown = bool(parts[k].interpret_as.strip())
                moved[n] = (starts[k], starts[k + 1])[outward if shown else 1 - outward]
        return (moved[0], moved[1]) if moved[0] < moved[1] else (start, end)

    @functools.cached_property
    def word_count(self) -> int:
        """The words the checks read: the text's, and the title's when it stands apart (a title
        that stands in the text is counted there, once)."""
        return segments.word_count(self.text) + segments.word_count(self.separate_title or "")

    @functools.cached_property
    def headline(self) -> Headline | None:
        """The one headline of the document: the title if one is sent (in the text, when it
        stands there), else the text's lead (``segments.lead``: its first line, or first
        sentence if that is long; none when that ends as prose does, breaks off, only greets or
        holds code or an address), in Markdown and HTML that of the first block."""
        if self.title and self.title.strip():
            stripped = self.title.strip()
            if self.title_offset is not None:
                covers = self._title_covers(stripped)
                return Headline(self.as_shown(stripped), self.title_offset, "text", "title", covers)
            return Headline(stripped, self.title.index(stripped), "title", "title")
        return self.lead_after(0)

    def lead_after(self, start: int) -> Headline | None:
        """The lead of the text from ``start`` on (see ``headline``): the text's own from 0, the
        one after a line of page furniture that stands first ("Advertisement" above a scraped
        story) from that line's end."""
        start = len(self.text) - len(self.text[start:].lstrip()) if start else 0
        # In Markdown and HTML, the first line of its block: a page of HTML is often one line of
        # source, whose first "line" ran over every block.
        block = next((b for b in self.blocks if b.end > start), None) if self.blocks else None
        head = self.text[start : block.end if block is not None else len(self.text)]
        found = segments.lead(head)
        if found is None:
            return None
        lead = Span(found.start + start, found.end + start)
        if not self._stands_alone(lead) or _names_code_or_address(lead.of(self.text)):
            return None
        source = "first_line" if found == segments.first_line(head) else "first_sentence"
        return Headline(self.as_shown(lead.of(self.text)), lead.start, "text", source, lead.end - lead.start)

    def as_shown(self, prose: str) -> str:
        """``prose`` of this document (a headline, say) as a reader sees it: in Markdown and HTML,
        ``segments.as_shown`` (the view's blanks for markup and an entity's rest are no spaces on
        the page); plain text as written."""
        return segments.as_shown(prose) if self.format != "text" else segments.unmasked(prose)

    def _title_covers(self, stripped: str) -> int:
        """The code points of the text the title stands on (``title_offset``): the heading or first
        line that says it, which an entity or a tag may make longer than the title as sent."""
        first = segments.first_line(self.text)
        for span in (*self.headings, first):
            if span is not None and span.start == self.title_offset:
                return span.end - span.start
        return len(stripped)

    @functools.cached_property
    def headline_spans(self) -> tuple[Span, ...]:
        """Where in ``text`` headlines stand: the headline, when it is in the text, every
        standalone headline line (``segments.headline_lines``) and, in Markdown and HTML, every
        heading that looks like a headline (``segments.looks_like_headline``), in order, each
        once. A heading is a line of its own in Markdown, but not in HTML, where a ``<h2>`` and
        the ``<p>`` after it often share a paragraph of the source. A body line or heading that
        asks a question the next paragraph answers is none (``_answered_below``), nor is one
        that holds code or an address (``_names_code_or_address``), nor a body line that leads
        into a block of code (``_leads_into_code``)."""
        main = self.headline
        spans = [Span(main.offset, main.offset + main.covers)] if main and main.field == "text" else []
        lines = [
            line for line in segments.headline_lines(self.text)
            if self._stands_alone(line) and not self._leads_into_code(line)
        ]  # fmt: skip
        headings = [h for h in self.headings if segments.looks_like_headline(h.of(self.text))]
        by_start = {
            span.start: span for span in (*lines, *headings)
            if not self._answered_below(span) and not _names_code_or_address(span.of(self.text))
        }  # fmt: skip
        if spans:
            by_start.pop(spans[0].start, None)
        return tuple(sorted([*spans, *by_start.values()]))

    def _answered_below(self, span: Span) -> bool:
        """Whether ``span`` is a heading of the markup or a paragraph of its own (blank lines
        around it) that asks a question the next paragraph answers in prose, as a FAQ's or an
        interview's subheading does ("When is the final?", then "The final is on Sunday."): the
        reader has the answer without a click, so the line teases nothing. A heading's answer may
        come under subheadings of its own ("How does it work?", then "How the model reads a
        headline", then prose), and it is prose when it ends as prose or is longer than a
        headline can be (one that ends with "!" or an "etc."). A question among other lines (a
        "Read Also" block's headlines, each a ``<p>`` of its own in HTML) is an item of a list,
        whatever follows the list."""
        if not span.of(self.text).rstrip().endswith("?"):
            return False
        heading = _is_one_of(self.headings, span)
        if not (heading or (span,) in segments.line_runs(self.text)):
            return False
        paragraphs = self.paragraphs
        n = bisect.bisect_left(paragraphs, span.end, key=_START)
        while heading and n < len(paragraphs) and _is_one_of(self.headings, paragraphs[n]):
            n += 1
        if n == len(paragraphs):
            return False
        answer = paragraphs[n].of(self.text)
        return segments.ends_as_prose(answer) or segments.word_count(answer) > segments.MAX_HEADLINE_WORDS

    def _leads_into_code(self, span: Span) -> bool:
        """Whether a block of code follows ``span`` with nothing but white space and markup
        between: a line that introduces code ("Import this library in your project", "If that
        version is broken, type", as READMEs and git's manual write them) says what the code
        does or breaks off into it, like a line ending with a colon."""
        n = bisect.bisect_left(self.code_blocks, span.end, key=_START)
        return n < len(self.code_blocks) and not self.text[span.end : self.code_blocks[n].start].strip()

    def _stands_alone(self, span: Span) -> bool:
        """Whether ``span`` stands in one block of the markup (plain text has none to cross), not
        in a table, not in a caption and not in a list item but as the text of a link to another
        page: the cells of a row are blocks side by side on one line (in plain text a line
        between pipes), and a cell on a line of its own (HTML's usual layout, a one-column
        Markdown table) is a value or a label of the grid, neither of which is a headline; a
        caption on a line of its own says what a picture or a table shows ("Can you spot the
        anomaly?"), or who took it; an item says one of several things in parallel (a feature, a
        step, a key point), while a list of links to other pages ("Read also", "Most read") lists
        their headlines, and a table of contents (links to the page's own headings) the
        headings, which are judged where they stand."""
        return (
            (not self.blocks or _inside_one(self.blocks, span))
            and not self.meets_table_cell(span)
            and not self.in_caption(span)
            and (not self.in_list_item(span) or (_inside_one(self.links, span) and not self.in_document_link(span)))
        )

    def meets_table_cell(self, span: Span) -> bool:
        """Whether ``span`` and a table cell share a character: it lies in a cell, or holds one (a
        row of a table written with pipes in plain text). Cells neither overlap nor nest, so the
        last to start before ``span`` ends is the one that reaches furthest."""
        n = bisect.bisect_left(self.table_cells, span.end, key=_START) - 1
        return n >= 0 and self.table_cells[n].end > span.start

    def in_document_link(self, span: Span) -> bool:
        """Whether ``span`` lies in the text of one in-document link: a table of contents' entry
        is navigation, the words of the heading it names, not copy."""
        return _inside_one(self.in_document_links, span)

    def in_table_cell(self, span: Span) -> bool:
        """Whether ``span`` lies in one table cell: a cell holds a value or a label of a grid the
        reader scans, not a sentence of the prose read in a row with the next."""
        return _inside_one(self.table_cells, span)

    def starts_table_cell(self, offset: int) -> bool:
        """Whether a table cell's first word starts at ``offset``, past the opening quotation marks
        and brackets before it ('"none"')."""
        n = bisect.bisect_right(self.table_cells, offset, key=_START) - 1
        if n < 0 or offset >= self.table_cells[n].end:
            return False
        return not self.text[self.table_cells[n].start : offset].strip(segments.OPENING_MARKS)

    def pads_table_cell(self, span: Span) -> bool:
        """Whether ``span`` is a run of blanks beside a pipe on a line that holds table cells: the
        padding a table written with pipes in plain text lines its columns up with
        ("| Name    | Age |"), or an empty cell's ("|  |")."""
        text = self.text
        beside_pipe = "|" in (text[span.start - 1 : span.start], text[span.end : span.end + 1])
        if span.of(text).strip(" \t") or not beside_pipe:
            return False
        line = bisect.bisect_right(segments.line_starts(text), span.start) - 1
        return self.meets_table_cell(segments.lines(text)[line])

    def starts_labelled(self, offset: int) -> bool:
        """Whether the first word of a block the page shows after a label of its own starts at
        ``offset`` ("Changed in version 2.0: the option is gone.")."""
        n = bisect.bisect_right(self.labelled, offset, key=_START) - 1
        return n >= 0 and self.labelled[n].start == offset

    def in_caption(self, span: Span) -> bool:
        """Whether ``span`` lies in one caption of a figure or a table."""
        return _inside_one(self.captions, span)

    def in_list_item(self, span: Span) -> bool:
        """Whether ``span`` lies in one list item's text: a list's items are parallel by design."""
        return _inside_one(self.list_items, span)

    @functools.cached_property
    def quoted_sentences(self) -> tuple[Span, ...]:
        """The sentences that are quoted speech (``segments.quoted``)."""
        quoted = segments.quoted(self.text, self.sentences, self.paragraphs)
        return tuple(s for s, speech in zip(self.sentences, quoted, strict=True) if speech)

    @functools.cached_property
    def quotations(self) -> tuple[Span, ...]:
        """Where the quotations of ``text`` stand (``segments.quotations``), in order."""
        return segments.quotations(self.text, self.paragraphs)

    def in_quotation(self, span: Span) -> bool:
        """Whether ``span`` lies inside one quotation: the speaker's words, not the writer's."""
        return _inside_one(self.quotations, span)

    def in_quoted_sentence(self, span: Span) -> bool:
        """Whether ``span`` lies in a sentence of quoted speech: the speaker's words, not the writer's."""
        return _inside_one(self.quoted_sentences, span)

    @functools.cached_property
    def sentences(self) -> tuple[Span, ...]:
        """The sentences of ``text`` (``segments.sentences``), none across two blocks of the markup
        nor, in plain text (which has no blocks), across two paragraphs or two cells of a table."""
        if self.blocks or not self.table_cells:
            return segments.sentences(self.text, self.blocks)
        return segments.sentences(self.text, (*self.paragraphs, *self.table_cells), plain=True)

    @functools.cached_property
    def paragraphs(self) -> tuple[Span, ...]:
        """The paragraphs of ``text`` (``segments.paragraphs``); in Markdown and HTML the blocks of
        the markup (a paragraph, a heading, a list item, a table cell), so a table or a page of
        HTML on one line is not one paragraph. A markup document without blocks (LanguageTool's
        annotated text, which copydesk does not read for blocks) is cut at its blank lines, as
        plain text is: a document with prose has paragraphs."""
        return self.blocks if self.blocks else segments.paragraphs(self.text)


_START = operator.attrgetter("start")


def _names_code_or_address(line: str) -> bool:
    """Whether ``line`` holds inline code or a web or e-mail address (a ``segments.MASKED_WORD``
    where the reader blanked one, or an address as written in plain text): a README's "Add to
    your `Cargo.toml`" or "Here's the example as code: https://...". No headline of the 43,000
    of the clickbait corpora and the out-of-domain sets does but a spam title (and one name
    written with backticks for its glottal stops, "Halema`uma`u")."""
    return segments.MASKED_WORD in line or segments.ADDRESS.search(line) is not None


def _is_one_of(spans: Sequence[Span], span: Span) -> bool:
    """Whether ``span`` is one of ``spans`` (in order)."""
    n = bisect.bisect_left(spans, span.start, key=_START)
    return n < len(spans) and spans[n] == span


def _inside_one(spans: Sequence[Span], span: Span) -> bool:
    """Whether ``span`` lies inside one of ``spans`` (in order, not overlapping)."""
    n = bisect.bisect_right(spans, span.start, key=_START) - 1
    return n >= 0 and spans[n].end >= span.end


@dataclass
class SectionResult:
    """A check's answer: its findings, its 0-100 score and whatever else it reports."""

    findings: list[Finding]
    score: float
    details: dict[str, Any] = field(default_factory=dict)
    # The backend's answer besides its findings (LanguageTool's software, warnings and language
    # sections), for the LanguageTool-compatible API; not part of the /v1 report.
    native: dict[str, Any] | None = None


class BackendUnavailable(Exception):
    """Raised by a check whose backend (LanguageTool) cannot answer right now: the request
    may succeed later, so it becomes a 503 or a section marked unavailable. ``timed_out``
    tells a backend too slow from one that refused or failed (the metrics count both)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class LanguageToolRefused(Exception):
    """Raised when LanguageTool refuses a LanguageTool-API client's request as sent (400 for a
    parameter it does not take, 413 for a text longer than its ``maxTextLength``): unlike
    BackendUnavailable, asking again will not help, so the client gets LanguageTool's refusal,
    its ``status`` and its ``text`` as it sent them."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class Check(Protocol):
    name: ClassVar[CheckName]

    def run(self, document: Document) -> SectionResult: ...


def density_score(findings: list[Finding], words: int, scale: float) -> float:
    """A bounded, monotone, length-normalised score.

    ``points`` is the severity-weighted number of findings; per 100 words (a text is
    counted as at least 50 words so a one-liner is not judged on a single slip) it
    decays the score exponentially: ``100 * exp(-density / scale)``. More or worse
    findings can only lower it; the same findings in a longer text weigh less.
    """
    points = sum(SEVERITY_WEIGHT[f.severity] for f in findings)
    density = points * 100.0 / max(words, 50)
    return round(100.0 * math.exp(-density / scale), 1)
