"""The prose view both readers build, and what they end with: bare links, title, blocks,
suppressions and LanguageTool's annotated text.

A reader starts from a :class:`Canvas`, a blank copy of the source (line breaks kept), and
copies prose back into it as it walks the markup; :func:`finish` turns the canvas into a
:class:`ProseView`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from linkify_it import LinkifyIt

from ..findings import Annotated, Suppression, placeholder
from ..text import segments
from ..text.segments import JOINER, LINE_BREAK, MASKED_WORD
from .directives import Directive, suppressions


class Unreadable(ValueError):
    """The text cannot be read in its format (it nests deeper than its reader goes, or the
    parser failed on it): a 422 that says why, never a 500 or prose silently lost."""


Format = Literal["text", "markdown", "mdx", "html", "rst"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "mdx", "html", "rst")

# What it reads instead of markup between blocks (a heading, a list marker, a code block).
BLOCK_BREAK = "\n\n"
# Apostrophes, which stand inside a word ("it's").
_APOSTROPHES = "'\u2019"
# Spaces and tabs, which a browser shows as one space however many there are.
_BLANKS = re.compile("[ \t]+")
_LINE_BREAK_CHARACTER = re.compile("[\r\n]")
# May start a file (it says how the file was encoded): never prose, never structure.
BYTE_ORDER_MARK = "\ufeff"
# What may follow a note reference for the space before it to go with it (Canvas.drop_note).
_AFTER_NOTE = frozenset(",.;:!?) \t")


@dataclass(frozen=True)
class ProseView:
    """The source with everything but prose blanked; see the package docstring."""

    text: str
    title: str | None = None
    title_offset: int | None = None
    suppressions: tuple[Suppression, ...] = ()
    # (start, end) of each block's prose (a paragraph, heading, list item's paragraph, table
    # cell, HTML block element), in order; empty for "text".
    blocks: tuple[tuple[int, int], ...] = field(default=())
    # The source as prose and markup parts, for LanguageTool; empty for "text".
    annotation: tuple[Annotated, ...] = ()
    # (start, end) of each heading's prose, in order; empty for "text".
    headings: tuple[tuple[int, int], ...] = ()
    # (start, end) of the prose of each in-document link (``in_document``: a table of contents'
    # entries, a "back to top"; or with a heading's words, ``_links_in_document``), in order;
    # empty for "text".
    in_document_links: tuple[tuple[int, int], ...] = ()
    # (start, end) of each table cell's prose (a header or data cell; in HTML a description
    # list's term too), in order; for "text", the text between the pipes of a line that opens
    # and closes with one (``plain``).
    table_cells: tuple[tuple[int, int], ...] = ()
    # (start, end) of the prose of each list item (its own, not a nested list's), in order; for
    # "text", each line opening with a bullet or a number, marker included (``plain``).
    list_items: tuple[tuple[int, int], ...] = ()
    # (start, end) of each code block in the source (a Markdown fence or indented block, an HTML
    # <pre>), in order; empty for "text". None of it is prose.
    code_blocks: tuple[tuple[int, int], ...] = ()
    # (start, end) of the prose of each caption (HTML's <figcaption> and a table's <caption>, in
    # Markdown's raw HTML too), in order; empty for "text".
    captions: tuple[tuple[int, int], ...] = ()
    # (start, end) of the prose of each link (an ``<a href>``, a Markdown link; in-document ones
    # too), in order; empty for "text".
    links: tuple[tuple[int, int], ...] = ()
    # (start, end) of the prose of each block that the page shows after a label of its own, which
    # the source does not hold as text, so its first words go on a sentence rather than open one
    # (Sphinx's "Changed in version 2.0:" before a version note's text), in order.
    labelled: tuple[tuple[int, int], ...] = ()


def in_document(href: str | None) -> bool:
    """Whether a link's destination is a place in the same document (``#how``, ``#``, or the
    empty reference, the document itself: a docs site's breadcrumb names the page so): a table
    of contents' entry or a "back to top", whose text names a part of the document rather than
    being copy. Both readers ask this, so a Markdown and an HTML link are read alike."""
    return href is not None and (not href.strip() or href.strip().startswith("#"))


class Canvas:
    """Starts as the source with every character but line breaks turned into a space.

    Besides the characters it records what the annotated text needs: where a reader wrote
    something other than the source (a decoded entity), where it blanked a thing a reader
    reads as a word (inline code, a bare URL), and which characters are markup. A blank in
    the view cannot tell: a space the reader kept is prose, a space inside a tag or a link's
    title is markup.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.chars = [ch if ch in "\r\n" else " " for ch in source]
        self.replaced: dict[int, tuple[int, str]] = {}  # start -> (end, what it reads as)
        # 1 where the source is markup: neither kept as prose, nor replaced, nor a line break.
        self.markup = bytearray(ch not in "\r\n" for ch in source)

    def keep(self, start: int, end: int) -> None:
        """Copy ``source[start:end]`` into the view (line breaks are there already).

        A byte order mark at the start is never copied: it says how the file was encoded, it
        is not text (an HTML reader hands it over as the first text run).
        """
        if start == 0 and self.source.startswith(BYTE_ORDER_MARK):
            start = 1
        self.chars[start:end] = self.source[start:end]
        self.markup[start:end] = bytes(end - start)

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.chars[i] not in "\r\n":
                self.chars[i] = " "

    def put(self, start: int, end: int, text: str) -> None:
        """Write ``text`` (not longer than the span) at ``start`` and blank the rest of the span.

        A decoded line break (``&#10;``, ``&NewLine;``) is written as a space: the view's line
        breaks are the source's own, which lines and columns count, and in the flow of a
        paragraph a line break is white space, so the sentence around it goes on.
        """
        text = LINE_BREAK.sub(" ", text)
        self.blank(start, end)
        self.chars[start : start + len(text)] = text
        self.replaced[start] = (end, text)
        self.markup[start:end] = bytes(end - start)

    def word(self, start: int, end: int) -> None:
        """Blank ``source[start:end]``, which a reader reads as one word (inline code, a URL), but
        for a ``MASKED_WORD`` at its start. What was read over inside it (an entity in an
        address, inline code it runs into: "docsy@v`1.0`") becomes part of the word: the two
        overlapped, and the annotated text repeated a character, which moved every later
        finding of LanguageTool's by one."""
        at = start + 1
        while at < end:
            inside = self.replaced.pop(at, None)
            if inside is not None:
                end = max(end, inside[0])
            at += 1
        self.blank(start, end)
        if end > start:
            self.chars[start] = MASKED_WORD
            self.replaced[start] = (end, "")
            self.markup[start:end] = bytes(end - start)

    def hide_line_breaks(self, start: int, end: int) -> None:
        """Make the line breaks in ``source[start:end]`` markup: the span is markup no reader sees
        (a link's destination, a tag's attributes), so LanguageTool must not read a line break in
        it as the space between two words ("[here](\\nhttps://...), or" read "here , or"). The
        view keeps them, as it keeps every line break."""
        for line_break in _LINE_BREAK_CHARACTER.finditer(self.source, start, end):
            self.markup[line_break.start()] = 1

    def drop(self, start: int, end: int) -> None:
        """Read ``source[start:end]``, which a reader had kept, as markup after all: a note
        reference, known to be one only when its element closes."""
        self.blank(start, end)
        for i in range(start, end):
            if self.chars[i] not in "\r\n":
                self.markup[i] = 1
            self.replaced.pop(i, None)

    def drop_note(self, start: int, end: int) -> None:
        """Read a note reference, ``source[start:end]``, as nothing (``drop``), and the space
        before it where punctuation or a space follows ("the protocol [#]_, providing"): the page
        shows the note's mark there, and no reader sees a space before a comma, nor two spaces.
        LanguageTool's "no space before the comma" would have the reference deleted."""
        self.drop(start, end)
        spaced = start > 0 and self.source[start - 1] == self.chars[start - 1] == " "
        if spaced and self.source[end : end + 1] in _AFTER_NOTE:
            self.drop(start - 1, start)

    def collapse_blanks(self) -> None:
        """Mark as markup every space or tab of the prose that follows another, across markup read
        as nothing: a browser shows such a run as one space ("asked him <a href=...> how many"
        shows one), so LanguageTool must not flag spaces no reader sees. The indentation after a
        line break stays prose: LanguageTool does not count it as extra spaces. For HTML only: in
        Markdown the writer reads and edits the spaces of the source."""
        covered = bytearray(len(self.source))  # 1 inside a span a reader wrote over (an entity, inline code)
        for start, (end, _) in self.replaced.items():
            covered[start:end] = b"\x01" * (end - start)
        for run in _BLANKS.finditer(self.source):
            start, end = run.span()
            if self.markup[start] or covered[start]:  # inside a tag, or in what a reader wrote over
                continue
            before = self.markup.rfind(0, 0, start)  # the prose (or line break) before the run
            if before >= 0 and self.source[before] in "\r\n":
                continue
            joined = before >= 0 and self.source[before] in " \t" and not covered[before]
            first = start if joined else start + 1
            self.markup[first:end] = b"\x01" * (end - first)

    def text(self) -> str:
        return "".join(self.chars)


def place_line_breaks(canvas: Canvas, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Read each ``<br>`` (``spans``: where each stands in the source, in order) as a line break
    is read in plain text (``segments.sentence_goes_on``): where the sentence goes on ("write up<br>the
    equivalent", a line of hard-wrapped prose), as the space between two words, written into the
    canvas; else as the edge of a block, as between the lines of an address or of a list written
    with ``<br>``, and always where two follow each other with nothing but white space between
    them (a paragraph break). Returns the indexes of those that end a block. Both readers ask
    this, so HTML and a Markdown paragraph's inline HTML read a ``<br>`` alike."""
    chars = canvas.chars
    ends_block = []
    for n, (start, end) in enumerate(spans):
        # Look no further than the <br> before and after, so each stretch is read once.
        low = spans[n - 1][1] if n else 0
        high = spans[n + 1][0] if n + 1 < len(spans) else len(chars)
        line = "".join(chars[low:start]).rstrip()
        first = next((i for i in range(end, high) if not chars[i].isspace()), None)
        if line and first is not None and segments.sentence_goes_on(line, "".join(chars[first : first + 40])):
            canvas.put(start, end, " ")
        else:
            ends_block.append(n)
    return ends_block


def prose_span(view: str, start: int, end: int) -> tuple[int, int] | None:
    """The span from the first to the last non-blank character of ``view[start:end]``."""
    segment = view[start:end]
    stripped = segment.strip()
    if not stripped:
        return None
    first = start + len(segment) - len(segment.lstrip())
    return first, first + len(stripped)


def prose_spans(view: str, spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Each of ``spans`` trimmed to its prose (``prose_span``); those with none left out."""
    return tuple(span for start, end in spans if (span := prose_span(view, start, end)))


def read_as_words(
    canvas: Canvas,
    block_marks: Iterable[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    values: Sequence[tuple[int, int]] = (),
) -> None:
    """Read each of ``spans`` (an image, a template tag) that stands inside a block's prose as one
    word, as its reader sees what it shows (a formula, an icon, a version: "a matrix <img alt="A">
    is", "the ![gear](gear.png) icon"); one alone in its block or at an edge (a figure, a badge, a
    photo before its caption) stays nothing. Read as nothing, such a span left LanguageTool two
    spaces ("the  icon") or a space before a comma ("denoted by , then") that no reader sees.
    Each of ``values`` (an MDX expression) shows a value, a word wherever it stands in a block
    that holds other prose, at an edge too ("{count} items were found"): alone it is nothing."""
    if not spans and not values:
        return  # most copy has none: no view to build
    view = canvas.text()
    marks = sorted(block_marks)
    blocks = prose_spans(view, marks)
    starts = [start for start, _ in blocks]
    for start, end in spans:
        if _inside(blocks, starts, start, end):
            canvas.word(start, end)
    mark_starts = [start for start, _ in marks]
    for start, end in values:
        n = bisect.bisect_right(mark_starts, start) - 1
        if n >= 0 and end <= marks[n][1] and (view[marks[n][0] : start].strip() or view[end : marks[n][1]].strip()):
            canvas.word(start, end)


_linkify = LinkifyIt()


def _blank_bare_links(canvas: Canvas) -> None:
    view = canvas.text()
    if not _linkify.test(view):
        return
    # An address reads on across an entity ("?x=1&amp;y=2" shows "?x=1&y=2"): linkify-it reads
    # the view without the blanked rest of each one; ``pieces`` (where each kept run starts in
    # what it reads, and in the view) map its positions back.
    rests = sorted((start + len(text), end) for start, (end, text) in canvas.replaced.items() if text)
    pieces: list[tuple[int, int]] = [(0, 0)]
    shown: list[str] = []
    kept_from = 0
    for rest_start, rest_end in rests:
        shown.append(view[kept_from:rest_start])
        kept_from = rest_end
        pieces.append((pieces[-1][0] + len(shown[-1]), rest_end))
    shown.append(view[kept_from:])
    read = "".join(shown)
    starts = [piece[0] for piece in pieces]

    def in_view(position: int) -> int:
        shown_start, view_start = pieces[bisect.bisect_right(starts, position) - 1]
        return view_start + position - shown_start

    for match in _linkify.match(read) or []:
        raw = read[match.index : match.last_index]
        # A fuzzy match (no scheme, not an address) in mixed case is more likely a missing
        # space between sentences ("war.It") than a domain: leave it to the checks.
        if not match.schema and "@" not in raw and raw != raw.lower():
            continue
        canvas.word(in_view(match.index), in_view(match.last_index - 1) + 1)


def finish(
    canvas: Canvas,
    headings: Iterable[tuple[int, int]],
    block_marks: Iterable[tuple[int, int]],
    directives: Sequence[Directive],
    in_document_links: Iterable[tuple[int, int]] = (),
    table_cells: Iterable[tuple[int, int]] = (),
    list_items: Iterable[tuple[int, int]] = (),
    code_blocks: Iterable[tuple[int, int]] = (),
    captions: Iterable[tuple[int, int]] = (),
    links: Iterable[tuple[int, int]] = (),
    labelled: Iterable[tuple[int, int]] = (),
) -> ProseView:
    """The prose view both readers end with: bare links blanked, the first heading with prose as
    the title, the blocks, links, table cells, list items and captions trimmed to their prose,
    the suppression directives resolved and the annotated text for LanguageTool."""
    _blank_bare_links(canvas)
    view = canvas.text()
    blocks = prose_spans(view, block_marks)
    _join_words(canvas, blocks)
    view = canvas.text()
    heading_spans = prose_spans(view, headings)
    link_spans = prose_spans(view, links)
    in_document_spans = _links_in_document(view, heading_spans, link_spans, prose_spans(view, in_document_links))
    title = title_offset = None
    if heading_spans:
        title_offset, title = heading_spans[0][0], view[heading_spans[0][0] : heading_spans[0][1]]
    return ProseView(
        view,
        title,
        title_offset,
        suppressions(directives, len(canvas.source)),
        blocks,
        annotate(canvas, blocks),
        heading_spans,
        in_document_spans,
        tuple(sorted(prose_spans(view, table_cells))),
        tuple(sorted(prose_spans(view, list_items))),
        tuple(sorted(code_blocks)),
        tuple(sorted(prose_spans(view, captions))),
        tuple(sorted(link_spans)),
        tuple(sorted(prose_spans(view, labelled))),
    )


def _links_in_document(
    view: str,
    headings: Sequence[tuple[int, int]],
    links: Sequence[tuple[int, int]],
    in_document_links: Sequence[tuple[int, int]],
) -> tuple[tuple[int, int], ...]:
    """The in-document links: those whose ``href`` says so, and those outside the headings whose
    words are a heading's, as a table of contents' entries and a breadcrumb's are where the
    ``href`` names the page's own file (DocBook's "ch06.en.html#_basics_of_ssh"), which a
    reader of one page cannot tell from another page's."""
    def words(start: int, end: int) -> str:
        return segments.as_shown(view[start:end]).casefold()

    named = {words(*heading) for heading in headings}
    starts = [start for start, _ in headings]
    found = set(in_document_links)
    for link in links:
        n = bisect.bisect_right(starts, link[0]) - 1
        inside_heading = n >= 0 and headings[n][1] >= link[1]
        if not inside_heading and words(*link) in named:
            found.add(link)
    return tuple(sorted(found))


_MARKUP_RUN = re.compile(b"\x01+")


def _inside(blocks: Sequence[tuple[int, int]], starts: Sequence[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies strictly inside one of ``blocks`` (``starts``: their starts)."""
    n = bisect.bisect_right(starts, start) - 1
    return n >= 0 and blocks[n][0] < start and end < blocks[n][1]


def _join_words(canvas: Canvas, blocks: Sequence[tuple[int, int]]) -> None:
    """Write ``JOINER`` over markup that stands inside a block between two word characters of
    the prose (``segments.is_word_character``: "_" too, as in Markdown's "name\\_of\\_file"),
    as in a drop capital ("<span>Z</span>imbabwe"), an ordinal ("21<sup>st</sup>") or
    emphasis inside a word ("foo**bar**baz"), and over the rest of an entity that something other
    than white space follows, unless it reads as white space itself: a reader sees one word in
    "r&eacute;sum&eacute;", "it&rsquo;s" or "AT&amp;T", and a quotation mark on its word in
    "&quot;Hello&quot;" (blanked, the rest read "\"    Hello", which no quotation rule nor the
    headline model takes for a quoted word)."""
    chars = canvas.chars
    for start, (end, text) in canvas.replaced.items():
        rest = start + len(text)
        if text and rest < end < len(chars) and not text[-1].isspace() and not chars[end].isspace():
            chars[rest:end] = JOINER * (end - rest)
    starts = [start for start, _ in blocks]
    # A replacement that ends where a run of markup starts ("caf&eacute;<b>s</b>"): the run
    # follows the character it reads as, and its blanked rest joins with the run.
    replaced_before = {end: (start, text) for start, (end, text) in canvas.replaced.items()}
    for run in _MARKUP_RUN.finditer(canvas.markup):
        start, end = run.span()
        first, before = start, chars[start - 1] if start > 0 else ""  # "" is no word character
        if start in replaced_before:
            at, text = replaced_before[start]
            first, before = at + len(text), text[-1:]
            if before in _APOSTROPHES and at > 0 and segments.is_word_character(chars[at - 1]):
                before = chars[at - 1]  # "it&rsquo;<b>s</b>": an apostrophe inside a word
        in_word = end < len(chars) and segments.is_word_character(before) and segments.is_word_character(chars[end])
        within_line = "\n" not in chars[first:end] and "\r" not in chars[first:end]  # the view keeps line breaks
        if in_word and within_line and _inside(blocks, starts, start, end):
            chars[first:end] = JOINER * (end - first)


def annotate(canvas: Canvas, blocks: Sequence[tuple[int, int]]) -> tuple[Annotated, ...]:
    """The source cut into prose and markup, as LanguageTool's ``data`` parameter takes it.

    Prose is what the readers kept. Markup is every other run on a line, its spaces included
    (a link's title, a tag's attributes), so LanguageTool never takes a space of the markup
    for the writer's: a decoded entity reads as its character, inline code and bare URLs as
    a placeholder word, markup inside a block (emphasis, a link's destination) as nothing,
    and markup between blocks as a paragraph break, so LanguageTool never joins a heading to
    the paragraph after it.
    """
    source = canvas.source
    starts = [start for start, _ in blocks]
    runs: list[tuple[int, int, str | None]] = [(start, end, text) for start, (end, text) in canvas.replaced.items()]
    runs += [(run.start(), run.end(), None) for run in _MARKUP_RUN.finditer(canvas.markup)]
    runs.sort()

    parts: list[Annotated] = []
    words = 0
    position = 0
    for start, end, reads_as in runs:
        if reads_as is None:
            reads_as = "" if _inside(blocks, starts, start, end) else BLOCK_BREAK
        elif not reads_as:
            reads_as, words = placeholder(words), words + 1
        if position < start:
            parts.append(Annotated(source[position:start]))
        parts.append(Annotated(source[start:end], markup=True, interpret_as=reads_as))
        position = end
    if position < len(source):
        parts.append(Annotated(source[position:]))
    return tuple(parts)
