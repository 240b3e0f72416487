"""A prose view of Markdown and HTML: what a reader reads, at the offsets where the writer wrote it.

Checks find problems in prose, but newsrooms keep copy in Markdown and HTML, and a report
(or a CI annotation) has to point into the file as written. So we never extract the prose
into a new string: :func:`prose_view` returns a string of **exactly the source's length**
in which everything that is not prose is replaced by spaces. Line breaks (``\\n``, ``\\r``)
are kept as they are, so every offset, line and column into the view is also an offset,
line and column into the source, and the checks need to know nothing about markup.

What is blanked:

* front matter (a YAML ``---`` block or a TOML ``+++`` block at the very top);
* fenced and indented code blocks, inline code, ``<pre>``/``<code>``/``<kbd>``/``<samp>``,
  ``<script>``/``<style>``/``<template>``/``<svg>``/``<math>`` contents, and ``<title>``
  (it repeats the headline with the site name; the first heading is the title);
* URLs: link destinations and titles, autolinks, images (alt text included) and bare URLs
  and e-mail addresses found by linkify-it in the prose. A bare domain without a scheme
  is blanked only when written in lower case ("newsydron.com"), so a missing space in
  "the war.It was" stays visible to the grammar check;
* HTML tags, attributes and comments; Markdown reference definitions and thematic breaks;
* Markdown syntax: heading ``#``\\ s and setext underlines, emphasis and strikethrough
  markers, list markers, blockquote ``>``, table pipes and delimiter rows, link brackets
  (the link *text* is prose) and the backslash of an escape (the escaped character is kept).

**Entities** (``&amp;``, ``&#8212;``) are decoded in place: the character they stand for is
written at the entity's first position and the rest of it is blanked, so "Tom &amp; Jerry"
reads "Tom &     Jerry". An unknown entity is left as written.

**Block boundaries.** Newlines are kept, so blank lines still separate paragraphs, and a
heading or list item ends at its line break. A single line break is a sentence boundary
for copydesk's own sentence splitter unless the next line starts in lower case, but not
for LanguageTool, which only breaks paragraphs at blank lines. ``ProseView.blocks`` lists
each block's prose span so that a consumer can split on them (LanguageTool's annotated-text
``data`` parameter, with the markup between blocks ``interpretAs`` a paragraph break).

**Suppression comments**, as in Vale, in Markdown and HTML alike::

    <!-- copydesk-disable -->                  everything, to the next copydesk-enable
    <!-- copydesk-disable style grammar -->    only these selectors
    <!-- copydesk-enable -->                   ends every open range
    <!-- copydesk-enable style -->             ends the ranges opened for these selectors
    <!-- copydesk-disable-file translationese.till -->   the whole file

A selector is a check name ("grammar"), a pack ("style"), a rule id, or a dotted prefix of
one ("translationese.till" covers "translationese.till.place"; a LanguageTool id such as
``UPPERCASE_SENTENCE_START`` also covers its sub-rules ``UPPERCASE_SENTENCE_START[2]``).
Selectors are separated by spaces or commas. A range without an enable runs to the end of
the file. A comment shown inside a code block is code, not a directive.

Parsing is done by maintained parsers: markdown-it-py (CommonMark, plus GFM tables and
strikethrough) and the standard library's :class:`html.parser.HTMLParser`, which reports
the position of every tag, text run, entity and comment. markdown-it gives block tokens
line ranges but no positions for inline tokens, so inline tokens are located in order
within their block's lines; link destinations are skipped with markdown-it's own link
helpers. A token that cannot be located is left blank: markup is never mistaken for prose.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")


@dataclass(frozen=True)
class Suppression:
    """Findings starting in ``[start, end)`` (code points of the source) are switched off.

    ``selectors`` names what is switched off (checks, packs, rule ids or dotted prefixes);
    an empty tuple switches off everything.
    """

    start: int
    end: int
    selectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProseView:
    """The source with everything but prose blanked; see the module docstring."""

    text: str
    title: str | None = None
    title_offset: int | None = None
    suppressions: tuple[Suppression, ...] = ()
    # (start, end) of each block's prose (a paragraph, heading, list item's paragraph, table
    # cell, HTML block element), in order; empty for "text".
    blocks: tuple[tuple[int, int], ...] = field(default=())


def prose_view(source: str, fmt: str) -> ProseView:
    """The prose view of ``source`` read as ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        return ProseView(text=source)
    if fmt == "markdown":
        return _MarkdownReader(source).read()
    if fmt == "html":
        return _read_html(source)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def is_suppressed(rule_id: str, check: str, offset: int, suppressions: Iterable[Suppression]) -> bool:
    """Whether a finding of ``rule_id`` (from ``check``) at ``offset`` is switched off."""
    for s in suppressions:
        if s.start <= offset < s.end and (not s.selectors or any(selects(sel, rule_id, check) for sel in s.selectors)):
            return True
    return False


def selects(selector: str, rule_id: str, check: str) -> bool:
    """Whether ``selector`` names this check, this rule, or a dotted prefix (pack) of it."""
    return (
        selector == check
        or selector == rule_id
        or rule_id.startswith(selector + ".")
        or rule_id.startswith(selector + "[")
    )


def next_to_markup(source: str, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a prose view of ``source``) contains blanked markup, or
    touches it across nothing but whitespace.

    Checks that judge context cannot be trusted there: the view removed a word or a mark
    they would have seen. "`api` waits" reads as a sentence starting with "waits", "a
    `title` is" as "a" before "is", and "`make`." as a space before a full stop. A grammar
    check can drop such context findings (and keep spelling findings, which judge a word
    on its own). For a text that is not a view (``text == source``) this is always false.
    """

    def blanked(i: int) -> bool:
        return text[i] == " " and not source[i].isspace()

    if any(blanked(i) for i in range(start, end)):
        return True
    i = start - 1
    while i >= 0 and text[i].isspace():
        if blanked(i):
            return True
        i -= 1
    i = end
    while i < len(text) and text[i].isspace():
        if blanked(i):
            return True
        i += 1
    return False


# ---------------------------------------------------------------------------------------------
# The canvas: a blank copy of the source that prose is copied back into
# ---------------------------------------------------------------------------------------------


class _Canvas:
    """Starts as the source with every character but line breaks turned into a space."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.chars = [ch if ch in "\r\n" else " " for ch in source]

    def keep(self, start: int, end: int) -> None:
        """Copy ``source[start:end]`` into the view (line breaks are there already)."""
        self.chars[start:end] = self.source[start:end]

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.chars[i] not in "\r\n":
                self.chars[i] = " "

    def put(self, start: int, end: int, text: str) -> None:
        """Write ``text`` (not longer than the span) at ``start`` and blank the rest of the span."""
        self.blank(start, end)
        self.chars[start : start + len(text)] = text

    def text(self) -> str:
        return "".join(self.chars)


def _prose_span(view: str, start: int, end: int) -> tuple[int, int] | None:
    """The span from the first to the last non-blank character of ``view[start:end]``."""
    segment = view[start:end]
    stripped = segment.strip()
    if not stripped:
        return None
    first = start + len(segment) - len(segment.lstrip())
    return first, first + len(stripped)


# ---------------------------------------------------------------------------------------------
# Suppression comments
# ---------------------------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"\A\s*copydesk-(disable-file|disable|enable)(?:\s+(.*?))?\s*\Z", re.DOTALL)
_SELECTOR_SEPARATOR = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class _Directive:
    offset: int
    kind: str
    selectors: tuple[str, ...]


def _directive(comment: str, offset: int) -> _Directive | None:
    """A ``copydesk-...`` directive from the inside of an HTML comment, if it is one."""
    match = _DIRECTIVE.match(comment)
    if match is None:
        return None
    selectors = tuple(s for s in _SELECTOR_SEPARATOR.split(match.group(2) or "") if s)
    return _Directive(offset, match.group(1), selectors)


def _suppressions(directives: Sequence[_Directive], length: int) -> tuple[Suppression, ...]:
    """Turn disable/enable comments, in document order, into ranges."""
    ranges: list[Suppression] = []
    open_ranges: list[tuple[int, tuple[str, ...]]] = []
    for d in sorted(directives, key=lambda d: d.offset):
        if d.kind == "disable-file":
            ranges.append(Suppression(0, length, d.selectors))
        elif d.kind == "disable":
            open_ranges.append((d.offset, d.selectors))
        elif not d.selectors:  # a plain enable ends everything
            ranges.extend(Suppression(start, d.offset, sel) for start, sel in open_ranges)
            open_ranges = []
        else:
            # A named enable ends the named part of the ranges opened for selectors; a blanket
            # disable cannot be narrowed by naming rules, so it stays open.
            still_open: list[tuple[int, tuple[str, ...]]] = []
            for start, sel in open_ranges:
                remaining = tuple(s for s in sel if s not in d.selectors)
                if not sel or remaining == sel:
                    still_open.append((start, sel))
                    continue
                ranges.append(Suppression(start, d.offset, sel))
                if remaining:
                    still_open.append((d.offset, remaining))
            open_ranges = still_open
    ranges.extend(Suppression(start, length, sel) for start, sel in open_ranges)
    return tuple(sorted(ranges, key=lambda s: (s.start, s.end)))


# ---------------------------------------------------------------------------------------------
# Bare URLs and e-mail addresses in prose
# ---------------------------------------------------------------------------------------------

_linkify = LinkifyIt()


def _blank_bare_links(canvas: _Canvas) -> None:
    view = canvas.text()
    if not _linkify.test(view):
        return
    for match in _linkify.match(view) or []:
        raw = view[match.index : match.last_index]
        # A fuzzy match (no scheme, not an address) in mixed case is more likely a missing
        # space between sentences ("war.It") than a domain: leave it to the checks.
        if not match.schema and "@" not in raw and raw != raw.lower():
            continue
        canvas.blank(match.index, match.last_index)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

# Elements whose content is code or machinery, never prose.
_NOT_PROSE = frozenset({"script", "style", "template", "pre", "code", "kbd", "samp", "svg", "math", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start a new block of text (what a browser would lay out on its own line).
_BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul br".split()
)
_VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _ProseHTMLParser(HTMLParser):
    """Copies the text of an HTML fragment into the canvas; collects headings, blocks, comments.

    ``base`` is where the fragment starts in the canvas's source; ``to_source`` maps a
    position in the (possibly normalised) string that the Markdown reader fed us back to
    the source (the identity for a whole HTML document).
    """

    def __init__(self, canvas: _Canvas, fragment: str, base: int, to_source: Callable[[int], int]) -> None:
        super().__init__(convert_charrefs=False)
        self.canvas = canvas
        self.fragment = fragment
        self.base = base
        self.to_source = to_source
        # HTMLParser counts lines by "\n" and columns in characters from the last "\n".
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
        self.skip: list[str] = []  # open non-prose elements
        self.heading: str | None = None
        self.headings: list[tuple[int, int]] = []  # (start, end) in the fragment
        self.heading_start: int | None = None
        self.block_marks: list[int] = [0]  # fragment positions where blocks start or end
        self.directives: list[_Directive] = []

    # -- positions ------------------------------------------------------------------------
    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _keep(self, start: int, end: int) -> None:
        for i in range(start, end):
            j = self.to_source(self.base + i)
            self.canvas.keep(j, j + 1)

    def _put(self, start: int, end: int, text: str) -> None:
        first = self.to_source(self.base + start)
        last = self.to_source(self.base + end - 1) + 1
        self.canvas.put(first, last, text)

    # -- events ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_ELEMENTS:
            self.block_marks.append(self._here())

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, opening=False)

    def _tag(self, tag: str, opening: bool) -> None:
        here = self._here()
        if tag in _BLOCK_ELEMENTS:
            self.block_marks.append(here)
        if tag in _VOID_ELEMENTS:
            return
        if tag in _NOT_PROSE:
            if opening:
                self.skip.append(tag)
            elif tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag) :]
        elif tag in _HEADINGS:
            if opening and self.heading is None:
                self.heading, self.heading_start = tag, here
            elif not opening and self.heading == tag and self.heading_start is not None:
                self.headings.append((self.heading_start, here))
                self.heading = self.heading_start = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            start = self._here()
            self._keep(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    def _reference(self, written: str) -> None:
        """An entity or character reference as written (``&amp``, ``&#8212``), plus its ``;``."""
        start = self._here()
        end = start + len(written)
        if self.fragment.startswith(";", end):
            end += 1
        self._entity(start, end)

    def _entity(self, start: int, end: int) -> None:
        if self.skip:
            return
        raw = self.fragment[start:end]
        decoded = html.unescape(raw)
        if decoded == raw or len(decoded) > len(raw):
            self._keep(start, end)
        else:
            self._put(start, end, decoded)

    def handle_comment(self, data: str) -> None:
        start = self._here()
        directive = _directive(data, self.to_source(self.base + start))
        if directive is not None:
            self.directives.append(directive)

    def close(self) -> None:
        super().close()
        self.block_marks.append(len(self.fragment))

    # -- results in source positions --------------------------------------------------------
    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            position = self.to_source(self.base + start)
            return position, position
        return self.to_source(self.base + start), self.to_source(self.base + end - 1) + 1


def _html_fragment(canvas: _Canvas, fragment: str, base: int, to_source: Callable[[int], int]) -> _ProseHTMLParser:
    parser = _ProseHTMLParser(canvas, fragment, base, to_source)
    parser.feed(fragment)
    parser.close()
    return parser


def _finish(
    canvas: _Canvas,
    headings: Iterable[tuple[int, int]],
    block_marks: Iterable[tuple[int, int]],
    directives: Sequence[_Directive],
) -> ProseView:
    """The prose view both readers end with: bare links blanked, the first heading with prose as
    the title, the blocks trimmed to their prose, and the suppression directives resolved."""
    _blank_bare_links(canvas)
    view = canvas.text()
    title = title_offset = None
    for start, end in headings:
        span = _prose_span(view, start, end)
        if span:
            title_offset, title = span[0], view[span[0] : span[1]]
            break
    blocks = _blocks_between(view, block_marks)
    return ProseView(view, title, title_offset, _suppressions(directives, len(canvas.source)), tuple(blocks))


def _blocks_between(view: str, marks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    blocks = []
    for start, end in marks:
        span = _prose_span(view, start, end)
        if span:
            blocks.append(span)
    return blocks


def _read_html(source: str) -> ProseView:
    canvas = _Canvas(source)
    parser = _html_fragment(canvas, source, 0, lambda i: i)
    marks = sorted(set(parser.block_marks))
    return _finish(canvas, parser.headings, zip(marks, marks[1:], strict=False), parser.directives)


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

# Front matter: a line of exactly --- (YAML) or +++ (TOML) on the first line, closed by the
# same line (YAML also allows ...). Hugo, Jekyll, Eleventy, Astro and Docusaurus use these.
_FRONT_MATTER_OPEN = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")

_markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
_BACKTICKS = re.compile(r"`+")
_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _front_matter_end(source: str) -> int:
    """Where the front matter ends (after its closing line), or 0 if there is none."""
    opening = _FRONT_MATTER_OPEN.match(source)
    if opening is None:
        return 0
    closers = ("---", "...") if opening.group(1) == "---" else ("+++",)
    for line in _LINE.finditer(source, opening.end()):
        if not line.group():
            break
        if line.group().rstrip() in closers:
            return line.end()
    return 0


class _MarkdownReader:
    """Walks markdown-it's tokens and copies their prose into the canvas."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.canvas = _Canvas(source)
        front_matter = _front_matter_end(source)
        # markdown-it turns \r\n and \r into \n; we work on the same normalised string and map
        # positions back to the source.
        normal: list[str] = []
        self.to_source_index: list[int] = []
        i = 0
        while i < len(source):
            ch = source[i]
            self.to_source_index.append(i)
            if ch == "\r":
                normal.append("\n")
                i += 2 if source.startswith("\n", i + 1) else 1
                continue
            # The front matter stays in place as blank lines, so line numbers do not move.
            normal.append(" " if i < front_matter and ch != "\n" else ch)
            i += 1
        self.to_source_index.append(len(source))
        self.normal = "".join(normal)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.normal)] + [len(self.normal)]
        self.cursor = 0
        self.directives: list[_Directive] = []
        self.blocks: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int]] = []

    def to_source(self, i: int) -> int:
        return self.to_source_index[i]

    def keep(self, start: int, end: int) -> None:
        for i in range(start, end):
            j = self.to_source(i)
            self.canvas.keep(j, j + 1)

    def put(self, start: int, end: int, text: str) -> None:
        self.canvas.put(self.to_source(start), self.to_source(end - 1) + 1, text)

    def region(self, line_map: list[int] | None) -> tuple[int, int]:
        if not line_map:
            return self.cursor, len(self.normal)
        last = min(line_map[1], len(self.line_starts) - 1)
        return self.line_starts[line_map[0]], self.line_starts[last]

    # -- block level ----------------------------------------------------------------------
    def read(self) -> ProseView:
        tokens = _markdown.parse(self.normal)
        in_heading = False
        for token in tokens:
            if token.type == "heading_open":
                in_heading = True
            elif token.type == "heading_close":
                in_heading = False
            elif token.type == "inline":
                self.inline(token, heading=in_heading)
            elif token.type == "html_block":
                self.html_block(token)
        return _finish(self.canvas, self.headings, self.blocks, self.directives)

    def html_block(self, token: Token) -> None:
        start, end = self.region(token.map)
        parser = _html_fragment(self.canvas, self.normal[start:end], start, self.to_source)
        self.directives.extend(parser.directives)
        self.headings.extend(parser.source_span(a, b) for a, b in parser.headings)
        marks = sorted(set(parser.block_marks))
        self.blocks.extend(parser.source_span(a, b) for a, b in zip(marks, marks[1:], strict=False))
        self.cursor = max(self.cursor, end)

    # -- inline level ---------------------------------------------------------------------
    def inline(self, token: Token, heading: bool) -> None:
        start, end = self.region(token.map)
        # Table cells share a line: the cursor carries on from the previous cell.
        self.cursor = max(self.cursor, start)
        first_kept = self.cursor
        self.children(token.children or [], end, keep=True)
        span = (self.to_source(first_kept), self.to_source(min(self.cursor, len(self.normal))))
        self.blocks.append(span)
        if heading:
            self.headings.append(span)

    def children(self, tokens: list[Token], end: int, keep: bool) -> None:
        skipping_autolink = False
        hidden: list[str] = []  # open inline HTML elements whose content is not prose (<kbd>, <code>)
        for child in tokens:
            kind = child.type
            if skipping_autolink:
                skipping_autolink = kind != "link_close"
                continue
            if kind == "text":
                self.find(child.content, end, keep=keep and not hidden)
            elif kind == "text_special":
                self.text_special(child, end, keep and not hidden)
            elif kind == "code_inline":
                self.code_inline(child, end)
            elif kind == "html_inline":
                self.html_inline(child, end, hidden)
            elif kind == "link_open" and child.markup == "autolink":
                self.autolink(end)
                skipping_autolink = True
            elif kind == "link_open":
                self.find("[", end, keep=False)
            elif kind == "link_close":
                self.link_tail(end)
            elif kind == "image":
                self.find("![", end, keep=False)
                self.children(child.children or [], end, keep=False)
                self.link_tail(end)
            # Emphasis, strikethrough and line breaks are markers (or newlines) only.

    def html_inline(self, token: Token, end: int, hidden: list[str]) -> None:
        at = self.find(token.content, end, keep=False)
        if at is None:
            return
        if token.content.startswith("<!--"):
            directive = _directive(token.content[4:].removesuffix("-->"), self.to_source(at))
            if directive is not None:
                self.directives.append(directive)
            return
        tag = _INLINE_TAG.match(token.content)
        if tag is None or tag.group(2).lower() not in _NOT_PROSE:
            return
        name = tag.group(2).lower()
        if not tag.group(1):
            if not token.content.endswith("/>"):
                hidden.append(name)
        elif name in hidden:
            del hidden[len(hidden) - 1 - hidden[::-1].index(name) :]

    def find(self, needle: str, end: int, keep: bool) -> int | None:
        """Locate ``needle`` at or after the cursor within the block; move the cursor past it."""
        if not needle:
            return None
        at = self.normal.find(needle, self.cursor, end)
        if at < 0:
            return None
        if keep:
            self.keep(at, at + len(needle))
        self.cursor = at + len(needle)
        return at

    def text_special(self, token: Token, end: int, keep: bool) -> None:
        at = self.find(token.markup, end, keep=False)
        if at is None or not keep:
            return
        if token.info == "escape":  # \* : the backslash is syntax, the character is prose
            self.keep(at + 1, at + len(token.markup))
        elif len(token.content) <= len(token.markup):  # an entity, decoded in place
            self.put(at, at + len(token.markup), token.content)
        else:
            self.keep(at, at + len(token.markup))

    def code_inline(self, token: Token, end: int) -> None:
        opening = self.find(token.markup, end, keep=False)
        if opening is None:
            return
        for run in _BACKTICKS.finditer(self.normal, self.cursor, end):
            if len(run.group()) == len(token.markup):
                self.cursor = run.end()
                return

    def autolink(self, end: int) -> None:
        if self.find("<", end, keep=False) is not None:
            self.find(">", end, keep=False)

    def link_tail(self, end: int) -> None:
        """Skip ``](destination "title")``, ``][label]`` or ``]`` after a link's text."""
        if self.find("]", end, keep=False) is None:
            return
        src, pos = self.normal, self.cursor
        if src.startswith("(", pos):
            pos = self._skip_space(pos + 1, end)
            destination = parseLinkDestination(src, pos, end)
            if destination.ok:
                pos = self._skip_space(destination.pos, end)
                title = parseLinkTitle(src, pos, end)
                if title.ok:
                    pos = self._skip_space(title.pos, end)
            if src.startswith(")", pos):
                self.cursor = pos + 1
        elif src.startswith("[", pos):
            close = src.find("]", pos, end)
            if close >= 0:
                self.cursor = close + 1

    def _skip_space(self, pos: int, end: int) -> int:
        while pos < end and self.normal[pos] in " \t\n":
            pos += 1
        return pos
