"""The HTML reader: the standard library's :class:`html.parser.HTMLParser` reports the position of
every tag, text run, entity and comment, so prose is copied into the canvas where it stands.

Also used by the Markdown reader for raw HTML blocks (``base`` and ``to_source`` place a
fragment in the source).
"""

from __future__ import annotations

import bisect
import html
import html.entities
import re
from collections.abc import Callable
from html.parser import HTMLParser, locatestarttagend_tolerant  # type: ignore[attr-defined]

from .directives import Directive, read_directive
from .view import Canvas, ProseView, finish, in_document, place_line_breaks, read_as_words

# Elements whose content is code or machinery, never prose.
NOT_PROSE = frozenset({"script", "style", "template", "pre", "code", "kbd", "samp", "tt", "svg", "math", "title"})
# Elements whose content only shows where the page cannot run or embed something: an embed's
# fallback ("Your browser does not support the video tag.", "Please enable JavaScript to view
# the comments"), the page's machinery and no part of the article.
NOT_PROSE |= frozenset({"noscript", "iframe", "video", "audio", "object", "canvas"})
# Non-prose elements that sit inside a sentence: a reader reads each as one word. (``<tt>``,
# HTML 4's teletype text, is what older docs still mark code with: "<tt>.Service.ID</tt>"; a
# formula in MathML, "for every <math>k</math> heads", as MathJax and Wikipedia write one.)
INLINE_CODE = frozenset({"code", "kbd", "samp", "tt", "math"})
# The non-prose element that stands as a block of code of its own.
_CODE_BLOCK = "pre"
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start a new block of text (what a browser would lay out on its own line).
_BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main menu nav ol optgroup option "
    "p pre search section summary table tbody td tfoot th thead tr ul".split()
)
# Blocks of prose: a table cell that holds a heading, or two of these, is a page's layout (an
# article in a table, as older CMS pages and newsletters set one), not a cell of data; a cell
# that is one paragraph (as word processors export every cell) stays one.
_PROSE_BLOCKS = frozenset("p div blockquote ul ol section article".split())
_LAYOUT_CELL_BLOCKS = 2
# What a heading's permalink shows (Sphinx's and MkDocs' "¶", a "#", a "§", an anchor or a link
# symbol): an in-document link with only that for text is a place to click, read as nothing, as a
# note reference is, else a question heading ends with "¶" and no longer asks.
_PERMALINK_MARKS = frozenset("\u00b6\u00a7#\U0001f517\u2693")
# A line break: it ends a block where a line break ends a sentence, else it is the white space
# between two words of a sentence that goes on (``view.place_line_breaks``).
_LINE_BREAK = "br"
# An image: one inside a sentence reads as a word (view.read_as_words), else as nothing.
_IMAGE = "img"
_VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# The elements whose contents the parser records (``cells``, ``items``, ``captions``, ``terms``):
# the tags that open one, and those that end one left open. HTML lets a writer leave out
# ``</td>``, ``</li>`` and ``</dt>``, so the next cell, row or the table's end closes a cell, the
# next item, a nested list or the list's end an item, and the next term, its description or the
# list's end a term, as a browser's parser does; a caption (a figure's or a table's) left open
# ends with its figure or where the table's rows start. A description list's term (``<dt>``) is
# read as a table's cell (``_read_terms_as_cells``).
_RECORDED = {
    "cells": (frozenset({"td", "th"}), frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "table", "caption"})),
    "terms": (frozenset({"dt"}), frozenset({"dt", "dd", "dl"})),
    "items": (frozenset({"li"}), frozenset({"li", "ul", "ol", "menu"})),
    "captions": (
        frozenset({"figcaption", "caption"}),
        frozenset({"figcaption", "caption", "figure", "table", "colgroup", "thead", "tbody", "tfoot", "tr"}),
    ),
}


class ProseHTMLParser(HTMLParser):
    """Copies the text of an HTML fragment into the canvas; collects headings, blocks, table cells,
    list items, captions, links, images and comments.

    ``base`` is where the fragment starts in the canvas's source; ``to_source`` maps a
    position in the (possibly normalised) string that the Markdown reader fed us back to
    the source (the identity for a whole HTML document).
    """

    def __init__(self, canvas: Canvas, fragment: str, base: int, to_source: Callable[[int], int]) -> None:
        super().__init__(convert_charrefs=False)
        self.canvas = canvas
        self.fragment = fragment
        self.base = base
        self.to_source = to_source
        # HTMLParser counts lines by "\n" and columns in characters from the last "\n".
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
        self.skip: list[str] = []  # open non-prose elements
        self.word_start: int | None = None  # where an inline code element opened (read as one word)
        self.code_start: int | None = None  # where a <pre> outside other non-prose opened
        self.code_blocks: list[tuple[int, int]] = []  # (start, end) of each such <pre>, tags included
        self.inline_code: list[tuple[int, int]] = []  # (start, end) of each inline code element read as a word
        self.heading: str | None = None
        self.headings: list[tuple[int, int]] = []  # (start, end) in the fragment
        self.heading_start: int | None = None
        # Fragment positions where blocks start or end; in order, each once, when the parser closes.
        self.block_marks: list[int] = [0]
        self.line_breaks: list[tuple[int, int]] = []  # (start, end) of each <br> outside non-prose
        self.images: list[tuple[int, int]] = []  # (start, end) of each <img> outside non-prose (view.read_as_words)
        self.in_document_links: list[tuple[int, int]] = []  # (start, end) of in-document links' contents
        self.links: list[tuple[int, int]] = []  # (start, end) of every link's contents (an <a href>)
        self.any_link_start: int | None = None  # where the content of an open <a href> starts
        # (start, end) of the contents of table cells, list items and captions (see _RECORDED)
        self.recorded: dict[str, list[tuple[int, int]]] = {kind: [] for kind in _RECORDED}
        self.cells, self.items, self.captions = (self.recorded[kind] for kind in ("cells", "items", "captions"))
        self.recording: dict[str, int] = {}  # kind -> where the content of an open one starts
        self.cell_blocks = 0  # blocks of prose opened in the cell being recorded (_PROSE_BLOCKS)
        self.cdata_open = False  # a "<![CDATA[" was read as markup, its "]]>" still to come
        self.link_start: int | None = None  # where the content of an open in-document <a> starts
        # A note reference ("[13]", "24") is a <sup> that holds an in-document link, or an
        # in-document link that holds a <sup>: read as nothing once it closes. Where each opened:
        self.link_tag: int | None = None
        self.sup_tag: int | None = None
        self.note_in_link = self.note_in_sup = False
        self.directives: list[Directive] = []
        self._last_of: str | None = None  # the data whose last ">", "]]>" ... _last_at holds
        self._last_at: dict[str, int] = {}

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
        self._image(tag)
        if tag == "a":
            self._open_link(dict(attrs).get("href"))
        if tag == "a" and not self.skip and in_document(dict(attrs).get("href")):
            self.link_tag = self._here()
            self.link_start = self.link_tag + len(self.get_starttag_text() or "")
            self.note_in_link, self.note_in_sup = False, self.sup_tag is not None
        elif tag == "sup" and not self.skip and self.sup_tag is None:
            self.sup_tag = self._here()
            self.note_in_sup, self.note_in_link = False, self.link_tag is not None
        for kind, (opening, _) in _RECORDED.items():
            if tag in opening and not self.skip:
                self.recording[kind] = self._here() + len(self.get_starttag_text() or "")
                if kind == "cells":
                    self.cell_blocks = 0
        if "cells" in self.recording and (tag in _HEADINGS or tag in _PROSE_BLOCKS):
            self.cell_blocks += _LAYOUT_CELL_BLOCKS if tag in _HEADINGS else 1
            if self.cell_blocks >= _LAYOUT_CELL_BLOCKS:
                del self.recording["cells"]  # layout: its prose is read as any other

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._image(tag)
        if tag in _BLOCK_ELEMENTS:
            self.block_marks.append(self._here())
        elif tag == _LINE_BREAK:
            self._line_break()

    def _close_code(self, closed: int) -> None:
        """The outermost non-prose element has closed at ``closed`` (after its end tag): an inline
        code element is read as one word, a ``<pre>`` recorded as a code block."""
        if self.word_start is not None:
            self.canvas.word(*self.source_span(self.word_start, closed))
            self.inline_code.append((self.word_start, closed))
            self.word_start = None
        if self.code_start is not None:
            self.code_blocks.append((self.code_start, closed))
            self.code_start = None

    def _image(self, tag: str) -> None:
        if tag == _IMAGE and not self.skip:
            here = self._here()
            self.images.append((here, here + len(self.get_starttag_text() or "")))

    def _line_break(self) -> None:
        if not self.skip:
            here = self._here()
            self.line_breaks.append((here, here + len(self.get_starttag_text() or "")))

    def _open_link(self, href: str | None) -> None:
        """An ``<a>`` opens: one still open ends here (links do not nest; a browser ends the
        first where the second starts), and one with an ``href`` outside non-prose starts."""
        self._close_link()
        if href is not None and not self.skip:
            self.any_link_start = self._here() + len(self.get_starttag_text() or "")

    def _close_link(self) -> None:
        if self.any_link_start is not None:
            self.links.append((self.any_link_start, self._here()))
            self.any_link_start = None

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, opening=False)
        if tag == "a":
            self._close_link()
        if tag == "a" and self.link_start is not None and self.link_tag is not None:
            self.in_document_links.append((self.link_start, self._here()))
            if self.note_in_link or self._shows_a_mark(self.link_start, self._here()):
                self._drop(self.link_tag)
            self.link_start = self.link_tag = None
        elif tag == "sup" and self.sup_tag is not None:
            if self.note_in_sup:
                self._drop(self.sup_tag)
            self.sup_tag = None

    def _shows_a_mark(self, start: int, end: int) -> bool:
        """Whether the prose from ``start`` to ``end`` is one permalink mark (``_PERMALINK_MARKS``;
        an emoji's variation selector after it too)."""
        first, last = self.source_span(start, end)
        shown = "".join(self.canvas.chars[first:last]).strip().rstrip("\ufe0e\ufe0f")
        return shown in _PERMALINK_MARKS

    def _drop(self, start: int) -> None:
        """Read from ``start`` to the end of the tag that closes here as nothing (a note reference,
        or a heading's permalink mark), and maybe the space before it (``Canvas.drop_note``)."""
        closed = self.fragment.find(">", self._here()) + 1 or len(self.fragment)
        self.canvas.drop_note(*self.source_span(start, closed))

    def _tag(self, tag: str, opening: bool) -> None:
        here = self._here()
        if tag in _BLOCK_ELEMENTS:
            self.block_marks.append(here)
            # A note reference sits inside a line of text: a <sup> or link left open is none.
            self.sup_tag = None
            self.note_in_link = self.note_in_sup = False
        for kind, (_, ending) in _RECORDED.items():
            if tag in ending and kind in self.recording:
                self.recorded[kind].append((self.recording.pop(kind), here))
        if tag == _LINE_BREAK and opening:
            self._line_break()
        if tag in _VOID_ELEMENTS:
            return
        if tag in NOT_PROSE:
            if opening:
                if not self.skip and tag in INLINE_CODE:
                    self.word_start = here
                elif not self.skip and tag == _CODE_BLOCK:
                    self.code_start = here
                self.skip.append(tag)
            elif tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag) :]
                if not self.skip:
                    self._close_code(self.fragment.find(">", here) + 1 or len(self.fragment))
        elif tag in _HEADINGS:
            if opening and self.heading is None:
                self.heading, self.heading_start = tag, here
            elif not opening and self.heading == tag and self.heading_start is not None:
                self.headings.append((self.heading_start, here))
                self.heading = self.heading_start = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            start = self._here()
            end = data.find("]]>") if self.cdata_open else -1
            if end >= 0:  # the end of a CDATA section read as markup (parse_html_declaration)
                self.cdata_open = False
                self._keep(start, start + end)
                start += end + 3
                data = data[end + 3 :]
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
        length, decoded = _reference(raw)
        if not length:
            self._keep(start, end)
            return
        self._put(start, start + length, decoded)
        self._keep(start + length, end)  # "&notyou": "&not" is "¬", "you" is prose

    def handle_comment(self, data: str) -> None:
        start = self._here()
        found = read_directive(data, self.to_source(self.base + start))
        if found is not None:
            self.directives.append(found)

    def close(self) -> None:
        super().close()
        self._place_line_breaks()
        self.block_marks = sorted({*self.block_marks, len(self.fragment)})
        self._find_displayed_code()
        for kind, start in self.recording.items():
            self.recorded[kind].append((start, len(self.fragment)))
        self.recording.clear()
        self._read_terms_as_cells()
        if self.any_link_start is not None:  # a link left open goes on to the end, as in a browser
            self.links.append((self.any_link_start, len(self.fragment)))

    def _read_terms_as_cells(self) -> None:
        """A description list's term is the label of the description beside it, as a table's
        header cell is the label of its column (git's "core.packedRefsTimeout", "optional:"):
        no sentence, no headline, no copy pasted twice. It is recorded with the cells, unless it
        stands in one (a cell's contents are that cell's)."""
        cells = sorted(self.cells)
        starts = [start for start, _ in cells]
        for start, end in self.recorded["terms"]:
            n = bisect.bisect_left(starts, end) - 1
            if n < 0 or cells[n][1] <= start:
                self.cells.append((start, end))
        self.cells.sort()

    # -- constructs that do not end --------------------------------------------------------
    # html.parser (Python 3.11 before 3.11.13, CVE-2025-6069) scans from a construct that does
    # not end to the end of the data, then reads its "<" as text and scans again from the next
    # one: "<!--" * 50,000 took 84 s. Here a construct that nothing ends is markup to the end of
    # the fragment, as browsers read it; a malformed start tag that a later ">" could end is
    # markup as far as the scan took it. So no character is scanned twice. "<![" before a
    # non-name raised AssertionError (a 500).
    def parse_starttag(self, i: int) -> int:
        end = super().parse_starttag(i)
        if end >= 0:
            self._hide_line_breaks(i, end)
            return end
        if self._last(">") < i:
            return len(self.rawdata)
        scanned = locatestarttagend_tolerant.match(self.rawdata, i)
        return max(scanned.end() if scanned else 0, i + 1)

    def _last(self, needle: str) -> int:
        """Where the last ``needle`` (">", "]]>") of the data being parsed is (-1: none), found
        once per data."""
        if self._last_of is not self.rawdata:
            self._last_of, self._last_at = self.rawdata, {}
        if needle not in self._last_at:
            self._last_at[needle] = self.rawdata.rfind(needle)
        return self._last_at[needle]

    def parse_endtag(self, i: int) -> int:
        end = super().parse_endtag(i)
        if end >= 0:
            self._hide_line_breaks(i, end)
        return end if end >= 0 else len(self.rawdata)

    def _hide_line_breaks(self, start: int, end: int) -> None:
        """A tag written over lines ('<a\\nhref="...">') is markup with its line breaks: the
        annotated text must not read one as a space in the sentence around the tag."""
        if end > start:
            self.canvas.hide_line_breaks(self.to_source(self.base + start), self.to_source(self.base + end - 1) + 1)

    def parse_comment(self, i: int, report: int = 1) -> int:
        """A comment ends as HTML ends one: at "-->" or "--!>", or at once in "<!-->" and
        "<!--->" (html.parser before Python 3.11.13 took only "--" and ">", so the article
        after "<!-- ad --!>" was a comment); one that nothing ends runs to the end."""
        rawdata = self.rawdata
        abrupt = _COMMENT_ABRUPT_END.match(rawdata, i + 4)
        if abrupt:
            body, end = "", abrupt.end()
        else:
            match = _COMMENT_END.search(rawdata, i + 4)
            if match is None:
                return len(rawdata)
            body, end = rawdata[i + 4 : match.start()], match.end()
        if report:
            self.handle_comment(body)
        return end

    def parse_pi(self, i: int) -> int:
        end = super().parse_pi(i)
        return end if end >= 0 else len(self.rawdata)

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith(_CDATA, i) and not self.skip and self._last("]]>") > i:
            # An article in a CDATA section (WordPress's WXR export writes each post so): its
            # HTML is read, its "<![CDATA[" and "]]>" are markup. (HTML would read "<![CDATA[<p>"
            # as a comment and show the rest; html.parser hid all of it.) One that nothing ends
            # is markup to the end, as other constructs are.
            self.cdata_open = True
            return i + len(_CDATA)
        try:
            end = super().parse_html_declaration(i)
        except AssertionError:  # "<![" and no name, or a name no marked section has: a bogus comment
            return self.rawdata.find(">", i + 2) + 1 or len(self.rawdata)
        return end if end >= 0 else len(self.rawdata)

    # -- results in source positions --------------------------------------------------------
    def _find_displayed_code(self) -> None:
        """An inline code element that stands alone between blocks (``<p>...</p><code>$ make
        </code><p>...``, as extractors write a ``<pre>``) is laid out as a block of code of its
        own: it is recorded with the ``<pre>`` elements."""
        chars = self.canvas.chars
        marks = self.block_marks

        def blank(start: int, end: int) -> bool:
            first, last = self.source_span(start, end)
            return all(chars[i].isspace() for i in range(first, last))

        for start, end in self.inline_code:
            n = bisect.bisect_right(marks, start) - 1
            if n >= 0 and n + 1 < len(marks) and blank(marks[n], start) and blank(end, marks[n + 1]):
                self.code_blocks.append((start, end))
        self.code_blocks.sort()

    def _place_line_breaks(self) -> None:
        """Each ``<br>`` that ends a block marks one (``view.place_line_breaks``)."""
        spans = [self.source_span(start, end) for start, end in self.line_breaks]
        self.block_marks += [self.line_breaks[n][0] for n in place_line_breaks(self.canvas, spans)]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            position = self.to_source(self.base + start)
            return position, position
        return self.to_source(self.base + start), self.to_source(self.base + end - 1) + 1


_COMMENT_END = re.compile(r"--!?>")
_COMMENT_ABRUPT_END = re.compile(r"-?>")
_CDATA = "<![CDATA["


# "&" and the longest name the decoder knows ("CounterClockwiseContourIntegral;"): no name it reads is longer.
_LONGEST_REFERENCE = 1 + max(map(len, html.entities.html5))


def _reference(raw: str) -> tuple[int, str]:
    """How many characters at the start of ``raw`` (``&name``, maybe with ``;``) the decoder
    reads as a reference, and what it reads them as; (0, "") if none it can write in their place.

    Without a ``;`` the decoder reads the longest known name and leaves the rest as text, as
    browsers do ("&notyou" is "¬you"), so the shortest start that decodes to the same thing,
    with the rest unchanged, is what it consumed.
    """
    decoded = html.unescape(raw)
    if decoded == raw:
        return 0, ""
    if raw.startswith("&#"):  # a number is read to its last digit
        return (len(raw), decoded) if len(decoded) <= len(raw) else (0, "")
    for length in range(2, min(len(raw), _LONGEST_REFERENCE) + 1):
        rest = raw[length:]
        if decoded.endswith(rest) and html.unescape(raw[:length]) == decoded[: len(decoded) - len(rest)]:
            reference = decoded[: len(decoded) - len(rest)]
            return (length, reference) if len(reference) <= length else (0, "")
    return 0, ""


# A decimal character reference this long: Python's int() refuses more than 4,300 digits (a
# guard against slow conversions), so html.unescape, ours and html.parser's for attribute values,
# raised on one (a 500). It is read as the same reference written in as many hex digits, which
# int() converts at any length: the same character (U+FFFD past U+10FFFF), the same length.
_LONG_DECIMAL = re.compile(r"&#([0-9]{17,})")


def _as_hex(match: re.Match[str]) -> str:
    digits = match.group(1)
    significant = digits.lstrip("0")
    value = int(significant or "0") if len(significant) <= 8 else 0x110000
    return "&#x" + format(value, "x").rjust(len(digits) - 1, "0")


class _StartTag(HTMLParser):
    """Reads one start tag's attributes, as the reader reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = dict(attrs)


def link_target(tag: str) -> str | None:
    """The ``href`` of an ``<a>`` start tag written as ``tag`` (inline HTML in Markdown), else None."""
    if not re.match(r"<a[\s>/]", tag, re.IGNORECASE):
        return None
    parser = _StartTag()
    parser.feed(tag)
    parser.close()
    return parser.attrs.get("href")


def read_fragment(canvas: Canvas, fragment: str, base: int, to_source: Callable[[int], int]) -> ProseHTMLParser:
    fragment = _LONG_DECIMAL.sub(_as_hex, fragment)
    parser = ProseHTMLParser(canvas, fragment, base, to_source)
    parser.feed(fragment)
    parser.close()
    return parser


def read_html(source: str) -> ProseView:
    canvas = Canvas(source)
    parser = read_fragment(canvas, source, 0, lambda i: i)
    marks = parser.block_marks
    blocks = list(zip(marks, marks[1:], strict=False))
    read_as_words(canvas, blocks, parser.images)  # before the spaces around them collapse
    canvas.collapse_blanks()
    return finish(
        canvas, parser.headings, blocks, parser.directives, parser.in_document_links,
        parser.cells, parser.items, parser.code_blocks, captions=parser.captions, links=parser.links,
    )


