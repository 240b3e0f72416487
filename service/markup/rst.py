"""The reStructuredText reader: docutils parses, and the text of each node is looked for in the
source where it stands and copied into the canvas, as the Markdown reader places markdown-it's
inline tokens.

docutils gives a block (a paragraph, a title) the line it starts on and an inline node its
source (``rawsource``) but no position, and it takes the indentation off the lines of an indented
block. So each block's text is looked for from its line on, a word at a time, and an inline
node's source the same way within the block; what cannot be found stays blank: markup is never
taken for prose. The parse runs no transforms (nothing is moved or made up: no section numbers,
no table of contents) and reads no file (``include``, ``raw`` and ``csv-table``'s files are off).

Sphinx's roles (``:func:`name```, ``:ref:`the guide <guide>```) read as one word, or as the
title they give a link; its directives that hold prose (``versionadded``, ``seealso``, a domain's
``function`` and ``class``, sphinx-design's ``tab-item`` and ``card``) read as their content,
their titles as titles; one this reader does not know (``toctree``, ``autoclass``,
``literalinclude``) is nothing, as is a comment.

Hostile input: docutils looks for the end of each inline start-string ("*", "`", "|") in the
rest of its paragraph, so a paragraph of openers that never close took time in the square of
its length (40,000 characters of "`a " took 13 s); :class:`_Inliner` remembers that a search
failed, so each fails once (the same trees as docutils' own on 20,000 random texts of markup
characters), and :class:`_Reporter` makes one message for all its warnings. A paragraph over
:data:`INLINE_CHUNK` characters is read in pieces, and nesting deeper than :data:`MAX_DEPTH`
is refused (:class:`Unreadable`): docutils recurses once a level and ran out of stack.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst.states import Inliner
from docutils.utils import Reporter, new_document

from .directives import Directive as Suppression
from .directives import read_directive
from .view import BYTE_ORDER_MARK, Canvas, ProseView, Unreadable, finish, in_document

log = logging.getLogger(__name__)

# Deeper nesting than this (a block quote in a list in a block quote ...) is refused: docutils
# recurses once a level, and no document nests a tenth as deep.
MAX_DEPTH = 60
# A table wider than this many columns is refused: docutils lays out each cell of a row against
# the whole row, in time that grows with the square of the columns, and no
# table of the docs probed came near it.
MAX_TABLE_COLUMNS = 100
# A table's border line: a grid table's ("+---+---+", "+===+") or a simple table's ("=== ===").
_TABLE_BORDER = re.compile(r"^[ \t]*(?:\+(?:[-=]+\+)+|=+(?:[ \t]+=+)+)[ \t]*$", re.MULTILINE)
# A paragraph longer than this is read in pieces of up to twice this, cut at a line break, else
# a space (an inline construct that spans a cut is then read as written): docutils copies the
# rest of the paragraph for each inline construct. No paragraph of the docs probed came near it.
INLINE_CHUNK = 5_000
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"[ \t]+|\r\n|\r|\n")
_WORD_CHARACTER = re.compile(r"\w")
_LINE_BREAK = re.compile(r"[\r\n]")
_INDENT = re.compile(r"^([ \t]*)\S", re.MULTILINE)
# Roles whose text is the link's title when it has one ("Install guide <install>"), else a name.
LINKING_ROLES = frozenset({"ref", "doc", "term", "any", "download", "numref", "std:ref", "std:doc", "std:term"})


# -- Sphinx's directives that hold prose -------------------------------------------------------
class _AnyOptions(dict[str, Any]):
    """Takes every option a directive is given (Sphinx's have many); none of them is prose."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class _Prose(Directive):
    """A Sphinx directive whose content is prose, read as blocks in place; text on its first line
    is content too (``.. seealso:: The guide.``), as for docutils' admonitions."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        box = nodes.container()
        box += self.titles()
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]

    def titles(self) -> list[nodes.Node]:
        return []

    def line_of_text(self, text: str, kind: type[nodes.TextElement]) -> list[nodes.Node]:
        words, messages = self.state.inline_text(text, self.lineno)
        node = kind(text, "", *words)
        node.line = self.lineno
        return [node, *messages]


class _Marked(_Prose):
    """Its arguments are markup: a signature (``.. py:function:: load(path)``), a condition, a
    number of columns."""

    optional_arguments = 99


class _Titled(_Prose):
    """Its argument is a title: a tab's label, a card's or a drop-down's title."""

    optional_arguments = 1
    final_argument_whitespace = True

    def titles(self) -> list[nodes.Node]:
        return self.line_of_text(self.arguments[0], nodes.rubric) if self.arguments else []


_VERSIONED = "copydesk-versioned"  # the class of a version note's container


class _Versioned(_Prose):
    """``.. versionadded:: 2.0 What changed.``: a version, then prose (Sphinx's arguments)."""

    required_arguments = 1
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        (box,) = super().run()
        box["classes"].append(_VERSIONED)  # Sphinx shows its first block after "Changed in version 2.0:"
        return [box]

    def titles(self) -> list[nodes.Node]:
        return self.line_of_text(self.arguments[1], nodes.paragraph) if len(self.arguments) > 1 else []


# Directives whose argument is a title: a tab's label, a card's or a drop-down's title.
TITLED_DIRECTIVES = ("centered", "tab", "tab-item", "card", "grid-item-card", "dropdown")
PROSE_DIRECTIVES = {
    **dict.fromkeys(("seealso", "todo", "hlist", "glossary", "tabs", "tab-set"), _Prose),
    **dict.fromkeys(("only", "grid", "grid-item"), _Marked),
    **dict.fromkeys(TITLED_DIRECTIVES, _Titled),
    **dict.fromkeys(("versionadded", "versionchanged", "deprecated", "versionremoved"), _Versioned),
}
# A domain's descriptions of objects: the argument is a signature, the content prose.
OBJECTS = (
    "function", "class", "method", "attribute", "data", "exception", "decorator", "property",
    "classmethod", "staticmethod", "describe", "object", "envvar", "option", "confval", "macro",
    "member", "type", "struct", "enum", "var", "module",
)
DOMAINS = ("py", "c", "cpp", "js", "rst", "std")


def _register() -> None:
    for name, directive in PROSE_DIRECTIVES.items():
        directives.register_directive(name, directive)
    for name in OBJECTS:
        directives.register_directive(name, _Marked)
        for domain in DOMAINS:
            directives.register_directive(f"{domain}:{name}", _Marked)


_register()


# -- the parse ---------------------------------------------------------------------------------
class _OnceFailed:
    """An end-string pattern that remembers its failures. The inliner searches the rest of the
    paragraph (always a suffix of it) for the end of each start-string; one that found nothing
    in a suffix finds nothing in a shorter one (a lookbehind at the cut sees less, and docutils
    refuses a match at the cut), so it is not searched again."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.failed_within = -1  # the longest suffix in which a search failed

    def search(self, text: str) -> re.Match[str] | None:
        if len(text) <= self.failed_within:
            return None
        found = self.pattern.search(text)
        if found is None:
            self.failed_within = len(text)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


class _Inliner(Inliner):
    """docutils' inliner, with failed searches remembered, long paragraphs read in pieces and an
    unknown role (Sphinx's) read as an ``inline`` node that carries its name."""

    _END_PATTERNS = ("emphasis", "strong", "interpreted_or_phrase_ref", "literal", "target", "substitution_ref")

    def parse(self, text: str, lineno: int, memo: Any, parent: nodes.Element) -> tuple[list[Any], list[Any]]:
        self.forget_failures()
        if len(text) <= INLINE_CHUNK:
            return super().parse(text, lineno, memo, parent)
        found: list[Any] = []
        messages: list[Any] = []
        for piece in _pieces(text):
            self.forget_failures()
            more, more_messages = super().parse(piece, lineno, memo, parent)
            found += more
            messages += more_messages
        return found, messages

    def problematic(self, text: str, rawsource: str, message: nodes.system_message) -> nodes.problematic:
        """What docutils could not read as markup ("*" that nothing closes), which the page shows
        as written: without the ids that tie it to its message (a third of the time a text of
        such start-strings took)."""
        return nodes.problematic(rawsource, text)

    def forget_failures(self) -> None:
        """Start a text: its end-string patterns remember nothing yet."""
        for name in self._END_PATTERNS:
            pattern = getattr(self.patterns, name)
            setattr(self.patterns, name, _OnceFailed(pattern.pattern if isinstance(pattern, _OnceFailed) else pattern))

    def interpreted(self, rawsource: str, text: str, role: str, lineno: int) -> tuple[list[Any], list[Any]]:
        known, _ = roles.role(role, self.language, lineno, self.reporter)
        if known is None:
            node = nodes.inline(rawsource, text)
            node["role"] = role.lower()
            return [node], []
        return super().interpreted(rawsource, text, role, lineno)


# docutils builds the inliner's patterns from the strings of its class's own namespace
# (``vars(self.__class__)``), which a subclass's does not hold.
for _name, _value in vars(Inliner).items():
    if isinstance(_value, str) and not _name.startswith("__"):
        setattr(_Inliner, _name, _value)


class _Reporter(Reporter):
    """docutils' reporter, but below an error (a start-string that nothing ends, a title's
    underline too short) it makes one message for all: nothing is reported, the reader passes
    over messages, and one made for each took a third of the time such a text took."""

    def system_message(self, level: int, message: str, *children: nodes.Node, **kwargs: Any) -> nodes.system_message:
        if level < self.ERROR_LEVEL:
            if not hasattr(self, "_note"):
                self._note = nodes.system_message("", level=level, type=self.levels[level])
            return self._note
        return super().system_message(level, message, *children, **kwargs)


def _pieces(text: str) -> Iterable[str]:
    """``text`` cut into pieces of :data:`INLINE_CHUNK` to twice that many characters: after a
    line break, else after a space, else anywhere."""
    start = 0
    while len(text) - start > 2 * INLINE_CHUNK:
        low, high = start + INLINE_CHUNK, start + 2 * INLINE_CHUNK
        cut = text.find("\n", low, high)
        cut = text.find(" ", low, high) if cut < 0 else cut
        end = high if cut < 0 else cut + 1
        yield text[start:end]
        start = end
    yield text[start:]


def _depth(source: str) -> int:
    """How deep the indentation of ``source``'s lines nests (each deeper indent one level)."""
    levels: list[int] = []
    deepest = 0
    for line in _INDENT.finditer(source):
        width = len(line.group(1).expandtabs(8))
        while levels and levels[-1] >= width:
            levels.pop()
        levels.append(width)
        deepest = max(deepest, len(levels))
    return deepest


def _widest_table(source: str) -> int:
    """How many columns the widest table border of ``source`` marks out."""
    return max((len(re.findall(r"[-=]+", line.group())) for line in _TABLE_BORDER.finditer(source)), default=0)


def _parse(source: str) -> nodes.document:
    if _depth(source) > MAX_DEPTH:
        raise Unreadable(f"the reStructuredText nests deeper than {MAX_DEPTH} levels")
    if _widest_table(source) > MAX_TABLE_COLUMNS:
        raise Unreadable(f"a reStructuredText table is wider than {MAX_TABLE_COLUMNS} columns")
    settings = get_default_settings(Parser)
    settings.report_level = settings.halt_level = 5  # nothing reported, nothing stops the parse
    settings.warning_stream = False
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.line_length_limit = max(len(source), 10_000) + 1  # long lines are this reader's to bound
    settings.syntax_highlight = "none"
    settings.pep_references = settings.rfc_references = False
    document = new_document("<copydesk>", settings)
    document.reporter = _Reporter("<copydesk>", settings.report_level, settings.halt_level, stream=False)
    try:
        Parser(inliner=_Inliner()).parse(source, document)
    except RecursionError as exc:
        raise Unreadable("the reStructuredText nests too deep to read") from exc
    except Exception as exc:  # docutils failed on this text: say so, never a 500
        log.warning("docutils failed on a text: %r", exc)
        raise Unreadable("docutils could not read this reStructuredText") from exc
    return document


# -- the walk ----------------------------------------------------------------------------------
# Block elements whose text is one block of prose.
_BLOCKS = (nodes.paragraph, nodes.title, nodes.subtitle, nodes.rubric, nodes.term, nodes.attribution, nodes.line,
           nodes.caption)
# Nothing of these is prose.
_SKIPPED = (nodes.system_message, nodes.comment, nodes.substitution_definition, nodes.target, nodes.raw,
            nodes.image, nodes.pending, nodes.option_string, nodes.label, nodes.field_name,
            nodes.decoration)  # a "header" or "footer" (page furniture), which docutils puts first
# Note references ("[#]_", "[Knuth]_") read as nothing, as in Markdown and HTML.
_NOTES = (nodes.footnote_reference, nodes.citation_reference)
_CODE = (nodes.literal_block, nodes.doctest_block, nodes.math_block)
# Inline nodes read as one word: code, a substitution, a formula, interpreted text (`name`).
_WORDS = (nodes.literal, nodes.substitution_reference, nodes.math, nodes.title_reference)


class RstReader:
    """Walks the doctree in order and copies each text into the canvas where the source has it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.canvas = Canvas(source)
        # docutils numbers lines as str.splitlines cuts them.
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.cursor = 0  # where the next block is looked for from
        self.blocks: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int]] = []
        self.links: list[tuple[int, int]] = []
        self.in_document_links: list[tuple[int, int]] = []
        self.cells: list[tuple[int, int]] = []
        self.items: list[tuple[int, int]] = []
        self.captions: list[tuple[int, int]] = []
        self.code_blocks: list[tuple[int, int]] = []
        self.directives: list[Suppression] = []
        self.labelled: list[tuple[int, int]] = []
        self.label_next = False  # the next block read is the first of a version note
        self.at = 0  # where the next text of the block being read is looked for from
        self.fresh = False  # reading a table's cell: skip text another cell took
        self.first: int | None = None  # where the block's prose starts and ends, once found
        self.last: int | None = None
        self.pieces: list[tuple[int, int]] = []  # the block's words (and what reads as one), in order

    def line_of(self, offset: int) -> int:
        """The line (1-based, as docutils counts) that ``offset`` stands on."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_start(self, line: int) -> int:
        """The offset at which docutils' ``line`` (1-based) starts."""
        return self.line_starts[max(0, min(line - 1, len(self.line_starts) - 1))]

    def read(self) -> ProseView:
        # A byte order mark says how the file was encoded; docutils would read it as text.
        document = _parse(self.source.removeprefix(BYTE_ORDER_MARK))
        self.walk(document, cell=False, item=False)
        return finish(
            self.canvas, self.headings, self.blocks, self.directives, self.in_document_links, self.cells, self.items,
            self.code_blocks, captions=self.captions, links=self.links, labelled=self.labelled,
        )

    def walk(self, node: nodes.Element, cell: bool, item: bool) -> None:
        for child in node.children:
            if isinstance(child, nodes.comment):
                self.comment(child)
            elif isinstance(child, _SKIPPED) or (isinstance(child, nodes.topic) and "contents" in child["classes"]):
                continue  # a table of contents: its title and what transforms would fill in
            elif isinstance(child, _CODE):
                self.code(child)
            elif isinstance(child, _BLOCKS):
                self.block(child, cell=cell, item=item)
            elif isinstance(child, nodes.Element):
                versioned = _VERSIONED in child["classes"]
                self.label_next = self.label_next or versioned
                self.walk(
                    child,
                    cell=cell or isinstance(child, nodes.entry),
                    item=item or isinstance(child, nodes.list_item),
                )
                if versioned:  # a note of no prose, or of code first: no block after it is
                    self.label_next = False

    # -- blocks
    def block(self, node: nodes.Element, cell: bool, item: bool) -> None:
        # Look from the block's line (else its nearest ancestor's) to a few lines past its text,
        # no further: a text docutils wrote that the source does not hold (a "Contents" title)
        # must not be found pages later. A title's line is its underline's: look from the line
        # above an overline on; other blocks from the line above theirs (a directive's content
        # can be a line off), never before the end of the block before. A grid table's cells
        # are looked for from their own line: a cell that runs over lines ends below the start
        # of the next cell of its row. A line before an ancestor's and before the block read
        # last is counted from the start of a directive's content (a "csv-table"'s cells): look
        # on from the block before.
        lines = [n.line for n in _lineage(node) if n.line]
        if not lines:
            return
        line = lines[0]
        # A nested line block's line is its end's, after its own lines: outside a table, a line
        # before an ancestor's is the block's own still where the reading has not passed it.
        not_passed = not cell and line >= self.line_of(self.cursor) - 1
        own = node.line is not None and (line >= max(lines) or not_passed)
        if not own:
            line = max(max(lines), self.line_of(self.cursor))
        back = 2 if isinstance(node, nodes.title) else 0 if cell and own else 1
        start = self.line_start(line - back)
        start = start if cell and own else max(self.cursor, start)
        text_lines = (node.rawsource or node.astext()).count("\n") + (3 if own else 20)
        end = max(start, self.line_start(line + text_lines))
        self.at, self.fresh, self.pieces = start, cell, []
        self.first = self.last = None
        self.inline(node, end)
        if self.first is None or self.last is None:
            return
        self.cursor = max(self.cursor, self.last)
        if cell:  # a grid table's cell that runs over lines: each line's part, between other cells'
            self.blocks += _by_line(self.source, self.pieces)
            self.cells += _by_line(self.source, self.pieces)
            return
        span = (self.first, self.last)
        self.blocks.append(span)
        if self.label_next:
            self.labelled.append(span)
            self.label_next = False
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            self.headings.append(span)
        if isinstance(node, nodes.term):  # a definition list's term labels its definition, as a cell does
            self.cells.append(span)
        if item:
            self.items.append(span)
        if isinstance(node, nodes.caption):
            self.captions.append(span)

    def code(self, node: nodes.Element) -> None:
        self.label_next = False  # a version note that opens with code: no label before its prose
        lines = node.rawsource.splitlines() or [""]
        first = next((line.strip() for line in lines if line.strip()), "")
        last = next((line.strip() for line in reversed(lines) if line.strip()), "")
        line = next((n.line for n in _lineage(node) if n.line), None)
        if line is None:
            return
        # docutils gives a "code-block" directive's listing the line after its end, a "::"
        # listing its first line: look within its length on either side of that.
        window = self.line_start(line + len(lines) + (3 if node.line else 20))
        start = self.find(first, max(self.cursor, self.line_start(line - len(lines) - 3)), window)
        if start is None:
            return
        end = self.find(last, start, window)
        stop = self.source.find("\n", start if end is None else end)
        stop = len(self.source) if stop < 0 else stop
        self.code_blocks.append((self.source.rfind("\n", 0, start) + 1, stop))
        self.cursor = stop

    def comment(self, node: nodes.comment) -> None:
        text = node.astext()
        if "copydesk-" not in text:
            return
        at = self.source.find(text.strip().split()[0], self.cursor)
        if at >= 0:
            found = read_directive(text, at)
            if found is not None:
                self.directives.append(found)

    # -- inline
    def inline(self, node: nodes.Node, end: int) -> None:
        for child in node.children:
            if isinstance(child, nodes.Text):
                self.text(str(child), end)
            elif isinstance(child, nodes.target) and child.children:  # an inline target: _`its text`
                self.inline(child, end)
            elif isinstance(child, _NOTES):
                self.note(child, end)
            elif isinstance(child, _SKIPPED):
                continue
            elif isinstance(child, _WORDS):
                self.word(child, end)
            elif isinstance(child, nodes.inline) and child.get("role"):
                self.role(child, end)
            elif isinstance(child, nodes.reference):
                self.reference(child, end)
            elif isinstance(child, nodes.Element):
                self.inline(child, end)

    def text(self, text: str, end: int) -> None:
        """Copy ``text`` where the source has it, word by word: docutils took the indentation off
        an indented block's lines and wrote a backslash escape as a NUL before its character
        ("\\x00*"). The white space around and between the words found is prose too: markup
        inside a block reads as nothing, and "*a* *b*" must not read "ab"."""
        previous = None
        if text[:1].isspace():
            self.keep_space(end)
        for word in _WORD.finditer(text.replace("\x00", "\\")):
            at = self.find(word.group(), self.at, end)
            if at is None:
                continue
            if previous is not None and not self.source[previous:at].strip():
                self.canvas.keep(previous, at)
            self.keep_word(at, at + len(word.group()))
            previous = self.at
        if text[-1:].isspace() and (previous is not None or not text.strip()):
            self.keep_space(end)

    def keep_space(self, end: int) -> None:
        """Keep the run of spaces (or the line break) next in the source after ``self.at``, if only
        markup without words stands before it ("*a*" before the space of "*a* *b*")."""
        space = _SPACE.search(self.source, self.at, end)
        if space is not None and not _WORD_CHARACTER.search(self.source, self.at, space.start()):
            self.canvas.keep(space.start(), space.end())
            self.at = space.end()

    def keep_word(self, start: int, end: int) -> None:
        """Keep ``source[start:end]`` as prose but for the backslashes of escapes ("\\*")."""
        at = start
        while at < end:
            if self.source[at] == "\\" and at + 1 < end:
                at += 1  # the backslash is markup; the escaped character is prose
            self.canvas.keep(at, at + 1)
            at += 1
        self.first = start if self.first is None else self.first
        self.last = end
        self.at = end
        self.pieces.append((start, end))

    def word(self, node: nodes.Element, end: int) -> None:
        span = self.raw(node, end)
        if span is not None:
            self.read_as_word(span)

    def read_as_word(self, span: tuple[int, int]) -> None:
        """``source[span]`` reads as one word (code, a role's name, a substitution)."""
        self.canvas.word(*span)
        self.first = span[0] if self.first is None else self.first
        self.last = self.at = span[1]
        self.pieces.append(span)

    def link(self, found_before: int, end: int) -> tuple[int, int] | None:
        """The link whose text the words found since ``found_before`` are, recorded; what follows
        the text up to ``end`` ("\\n   <https://...>`_") is markup, its line break too."""
        if len(self.pieces) <= found_before or self.last is None:
            return None
        link = (self.pieces[found_before][0], self.last)
        self.canvas.hide_line_breaks(self.last, end)
        self.links.append(link)
        return link

    def note(self, node: nodes.Element, end: int) -> None:
        """A note reference ("[#]_") is nothing, and so may be the space before it (``Canvas.drop_note``)."""
        span = self.raw(node, end)
        if span is not None:
            self.canvas.drop_note(*span)

    def role(self, node: nodes.Element, end: int) -> None:
        title = link_title(node.astext()) if node["role"] in LINKING_ROLES else None
        if title is None:
            self.word(node, end)
            return
        span = self.raw(node, end)
        if span is None:
            return
        found_before = len(self.pieces)
        self.at = span[0]
        self.text(title, span[1])
        self.link(found_before, span[1])
        self.at = span[1]

    def reference(self, node: nodes.Element, end: int) -> None:
        span = self.raw(node, end)
        if span is None:
            return
        found_before = len(self.pieces)
        self.at = span[0]
        if self.holds(node.astext(), *span):
            self.inline(node, span[1])
        link = self.link(found_before, span[1])
        if link is None:  # what it shows is not in the source as written (":pep:`8`"): one word
            self.read_as_word(span)
        elif node.get("refid") is not None or ("refuri" in node and in_document(node["refuri"])):
            self.in_document_links.append(link)
        self.at = span[1]

    def holds(self, text: str, start: int, end: int) -> bool:
        """Whether every word of ``text`` stands in ``source[start:end]``, in order: a link's text
        as written, not one a role made up (":pep:`8`" shows "PEP 8")."""
        for word in _WORD.finditer(text.replace("\x00", "\\")):
            start = self.source.find(word.group(), start, end)
            if start < 0:
                return False
            start += len(word.group())
        return True

    def raw(self, node: nodes.Element, end: int) -> tuple[int, int] | None:
        """Where ``node``'s source stands from ``self.at`` on, word by word: (start, end)."""
        words = [m.group() for m in _WORD.finditer(node.rawsource or node.astext())]
        if not words:
            return None
        start = self.find(words[0], self.at, end)
        if start is None:
            return None
        at = start + len(words[0])
        for word in words[1:]:
            found = self.find(word, at, end)
            if found is None:
                return None
            at = found + len(word)
        self.at = at
        return start, at

    def find(self, needle: str, start: int, end: int) -> int | None:
        """Where ``needle`` stands in ``source[start:end]``; in a table's cell, the first place
        no other cell of the row has taken (as prose, or as a word: the inner "`x`" of another
        cell's "``x``")."""
        if not needle:
            return None
        at = self.source.find(needle, start, end)
        while at >= 0 and self.fresh and self.taken(at, at + len(needle)):
            at = self.source.find(needle, at + 1, end)
        return None if at < 0 else at

    def taken(self, start: int, end: int) -> bool:
        """Whether a block read already took a character of ``source[start:end]``."""
        markup, source = self.canvas.markup, self.source
        return any(not markup[i] and source[i] not in "\r\n" for i in range(start, end))


def link_title(text: str) -> str | None:
    """The explicit title of a role's link, ":ref:`the guide <guide>`": the text before the last
    "<" when the text ends with ">" (found without a pattern that could backtrack)."""
    text = text.strip()
    opening = text.rfind("<")
    if not text.endswith(">") or opening <= 0 or ">" in text[opening + 1 : -1]:
        return None
    return text[:opening].rstrip() or None


def _by_line(source: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``pieces`` (in order) joined into one span a line."""
    spans: list[tuple[int, int]] = []
    for start, end in pieces:
        if spans and not _LINE_BREAK.search(source, spans[-1][1], start):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _lineage(node: nodes.Node) -> Iterable[nodes.Node]:
    """``node`` and its ancestors, nearest first."""
    while node is not None:
        yield node
        node = node.parent


def read_rst(source: str) -> ProseView:
    return RstReader(source).read()
