"""The Markdown reader: markdown-it-py (CommonMark, plus GFM tables and strikethrough, and from
mdit-py-plugins GitHub's footnotes and MkDocs' admonitions; and rules of our own for the
``:::`` boxes of Docusaurus, VitePress and Pandoc, MkDocs' content tabs and Obsidian's callouts)
walks the document; prose is copied into the canvas where it stands.

markdown-it gives block tokens line ranges but no positions for inline tokens, so inline
tokens are located in order within their block's lines; link destinations are skipped with
markdown-it's own link helpers. Text that markdown-it rewrote (a table cell's ``\\|``) is
located a word at a time; what cannot be located is left blank: markup is never mistaken
for prose. Raw HTML blocks go to the HTML reader. MDX is read by the same walk over a parser
with MDX's syntax added (``_mdx``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .directives import Directive, read_directive
from .html import INLINE_CODE, NOT_PROSE, link_target, read_fragment
from .myst import INTERRUPTS, math, myst
from .rst import LINKING_ROLES, link_title
from .templates import find_template_tags
from .view import (
    BYTE_ORDER_MARK,
    Canvas,
    ProseView,
    Unreadable,
    finish,
    in_document,
    place_line_breaks,
    prose_span,
    read_as_words,
)

# Front matter: a line of exactly --- (YAML) or +++ (TOML) on the first line, closed by the
# same line (YAML also allows ...). Hugo, Jekyll, Eleventy, Astro and Docusaurus use these.
# Hugo reads it after blank lines too (its lexer skips white space before it: Docsy's own
# "Get started" page opens with one), so blank lines may stand before it.
_FRONT_MATTER_OPEN = re.compile(r"\A\ufeff?(?:[ \t]*(?:\r\n|\r|\n))*(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
# The page's title in its front matter, on one line at the top level: YAML's "title: Text",
# "title: 'Text'" or 'title: "Text"', TOML's 'title = "Text"' or "title = 'Text'"
# (_front_matter_title reads the value).
_FRONT_MATTER_TITLE = re.compile(r"(?<=[\r\n])title[ \t]*(?P<sign>:[ \t]+|=[ \t]*)(?P<value>[^\r\n]*)")
# A TOML table's header: the keys below it are the table's.
_TOML_TABLE = re.compile(r"(?<=[\r\n])[ \t]*\[")
# What a plain YAML value cannot open with and stay a line of text: a quotation mark, a flow
# list or map, a block scalar, an anchor, an alias, a tag, a directive, a comment.
_YAML_INDICATORS = "'\"[]{}>|&*!%@`#,"

# A content tab of MkDocs' pymdownx.tabbed: '=== "Python"' (or "===+", "===!") and its label.
_CONTENT_TAB = re.compile(r'===[+!]? +"[^"\n]*"[ \t]*$')


def _content_tab(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A content tab (MkDocs' pymdownx.tabbed): '=== "Python"' over a body indented by four
    spaces, read as blocks: a code fence in it is code (CommonMark read the marker line and the
    indented fence as one paragraph, the code its text), and the label is markup, a control."""
    if state.is_code_block(start):
        return False
    first = state.bMarks[start] + state.tShift[start]
    if not _CONTENT_TAB.match(state.src, first, state.eMarks[start]):
        return False
    if silent:
        return True
    body_indent = state.blkIndent + 4
    last = start + 1
    while last < end and (state.isEmpty(last) or state.sCount[last] >= body_indent):
        last += 1
    while last > start + 1 and state.isEmpty(last - 1):  # blank lines after the body are not its
        last -= 1
    state.push("content_tab_open", "div", 1).map = [start, last]
    outer_indent, outer_parent = state.blkIndent, state.parentType
    state.blkIndent, state.parentType = body_indent, "content_tab"
    state.md.block.tokenize(state, start + 1, last)
    state.blkIndent, state.parentType = outer_indent, outer_parent
    state.push("content_tab_close", "div", -1)
    state.line = last
    return True


def _content_tabs(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "content_tab", _content_tab, {"alt": ["paragraph", "blockquote", "list"]})


# An Obsidian callout: a quotation whose first line opens with "[!type]" (any type, folded with
# "+" or "-"), then the callout's title: "> [!tip] Use the shortcut".
_CALLOUT_MARKER = re.compile(r"\[![A-Za-z][\w-]*\][+-]?[ \t]*")


def _callout(state: StateCore) -> None:
    """Read an Obsidian callout's first line as its marker (markup) and its title (a block of
    its own), as Obsidian shows them; the body is the quotation's next lines. CommonMark read
    "[!tip] Use the shortcut" and the body as one sentence. GitHub's alerts (markdown-it's own
    "alerts" option: "[!NOTE]" alone on the line, five types) are converted before this runs."""
    tokens, out = state.tokens, []  # built anew: an insertion per callout would be quadratic
    for n, token in enumerate(tokens):
        opens_quotation = token.type == "paragraph_open" and n and tokens[n - 1].type == "blockquote_open"
        inline = tokens[n + 1] if opens_quotation else None  # a paragraph's inline follows it
        marker = _CALLOUT_MARKER.match(inline.content) if inline is not None and inline.map else None
        if inline is None or inline.map is None or marker is None:
            out.append(token)
            continue
        title, _, body = inline.content[marker.end() :].partition("\n")
        first, last = inline.map
        if title.strip():
            title_tokens = [Token("paragraph_open", "p", 1), Token("inline", "", 0), Token("paragraph_close", "p", -1)]
            for part in title_tokens:
                part.map, part.level, part.block = [first, first + 1], token.level, True
            title_tokens[1].content, title_tokens[1].children = title, []
            out += title_tokens
        inline.content, inline.map, token.map = body, [first + 1, last], [first + 1, last]
        out.append(token)
    state.tokens = out


# The title on a ":::" container's marker line: ":::tip Pro tip" (Docusaurus 2, VitePress's
# "::: tip Pro tip") or ":::tip[Pro tip]" (Docusaurus 3), or in a Pandoc div's attributes
# ('::: {.callout-tip title="Pro tip"}', Quarto's call-outs). mkdocstrings' "::: package.module"
# has none. A title attribute's value runs to the next quotation mark, so the search is linear.
_CONTAINER_TITLE = re.compile(
    r"[ \t]*:{3,}[ \t]*"
    r"(?:[\w-]+(?:\[(?P<bracketed>[^\]\n]*)\][ \t]*$|[ \t]+(?P<plain>.*))|(?P<attributes>\{[^}\n]*\}))",
    re.M,
)
_TITLE_ATTRIBUTE = re.compile(r"(?<![\w-])title=\"(?P<quoted>[^\"\n]*)\"")

def _callouts(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "callout", _callout)


def _container_marker(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line that opens or closes a ":::" box: Docusaurus' and VitePress' call-outs (":::tip
    Pro tip", ":::note[Title]", ":::" to close), Pandoc's divs ("::: {.callout-note}", Quarto's
    and R Markdown's), mkdocstrings' "::: package.module". Each is a marker line of its own, and
    the lines between are read as the blocks they are, so boxes need no pairing: Pandoc nests
    divs with fences of one length (a container closed at the inner box's end, and left the
    outer one's ":::" as prose), and a code fence in a box that shows ":::" stays a fence (the
    container closed inside it, and the rest of the page became code)."""
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not state.src.startswith(":::", first):
        return False
    if not silent:
        token = state.push("container_marker", "", 0)
        token.map = [start, start + 1]
    state.line = start + 1
    return True


def _containers(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "container_marker", _container_marker, INTERRUPTS)


# markdown-it stops reading blocks nested this deep (a quote in a list in a quote ...) and drops
# what is inside them; the commonmark preset's 20 is reached by ten nested lists (a list and its
# item are two levels). Text that reaches it is refused as nesting too deep, not read without it.
MAX_NESTING = 100
# Inline markup keeps the preset's 20 (past it, brackets are read as text): each level is one
# more scan of a link's label, and at 100 a run of "[a][b.c] [d" took three times as long.
MAX_INLINE_NESTING = 20


# Footnotes as GitHub writes them: a reference "[^1]" is markup (read as nothing, as a note
# reference in HTML is); a definition "[^1]: text" is its text, a paragraph in place (not moved
# to the end, as the reader walks the source in order). No Pandoc-style inline notes ("^[...]").
# A call-out box's marker lines are markup and its contents prose: MkDocs' admonition
# ('!!! note "Heads up"', "??? tip", its title a line of prose, its body indented, which
# CommonMark took for code after a blank line) and a ":::" box's marker lines (_container_marker);
# a content tab's body too (_content_tab). So is GitHub's alert, a quotation whose first line is
# "[!NOTE]" (or TIP, IMPORTANT, WARNING, CAUTION: markdown-it's own "alerts" option): the
# marker line is markup, and the title markdown-it writes in its place ("Note") is no text of
# the source.
def _parser(plugin: Callable[[MarkdownIt], None]) -> MarkdownIt:
    """The parser, with ``plugin``: its blocks nest to MAX_NESTING, and a twin of it, nesting to
    MAX_INLINE_NESTING, reads the inline markup of each block."""
    blocks, inline = (_configured(nesting).use(plugin) for nesting in (MAX_NESTING, MAX_INLINE_NESTING))

    def read_inline(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline":
                token.children = token.children if token.children is not None else []
                inline.inline.parse(token.content, inline, state.env, token.children)

    blocks.core.ruler.at("inline", read_inline)
    return blocks


def _configured(nesting: int) -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"alerts": True, "maxNesting": nesting})
        .enable(["table", "strikethrough"])
        .disable("text_join")
        .use(footnote_plugin, inline=False, move_to_end=False)
        .use(admon_plugin)
        .use(_containers)
        .use(_content_tabs)
        .use(_callouts)
        .use(math)
    )


_markdown = _parser(myst)


# MDX (the pages of Docusaurus, Astro and Storybook): Markdown with JavaScript in it, parsed as
# MDX does. An "import" or "export" line at the top level opens ESM that runs to a blank line;
# "{...}" is an expression ("{/* ... */}" a comment, which carries copydesk-disable); a tag is
# JSX, its attributes may hold expressions ("<Tabs values={[...]}>"), and its children are
# Markdown. No HTML blocks (an element on its lines is JSX whose children are Markdown) and no
# indented code; but HTML comments, as Docusaurus reads them. ESM and tags are markup; an
# expression reads as one word (it shows a value) in a block that holds other prose, and as
# nothing alone (view.read_as_words).
_ESM = re.compile(r"(?:import|export)(?=[ \t{*])")
_JSX_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_JSX_ATTRIBUTE = re.compile(r"[^\s=/>{}<\"']+")
_MDX_COMMENT = re.compile(r"\{\s*/\*(.*)\*/\s*\}", re.DOTALL)
# Docusaurus' heading id ("## Install {#install}"): no JavaScript, no value shown.
_HEADING_ID = re.compile(r"\{#[^\s{}]+\}")


def _mdx_esm(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    first = state.bMarks[start] + state.tShift[start]
    # At the top level only: no token is open around it (markdown-it leaves ``parentType`` as
    # "paragraph" after a failed setext heading, so the level tells).
    if state.level != 0 or state.sCount[start] != 0 or not _ESM.match(state.src, first):
        return False
    if silent:
        return True
    last = start + 1
    while last < end and not state.isEmpty(last):
        last += 1
    state.push("mdx_esm", "", 0).map = [start, last]
    state.line = last
    return True


def _line_at(state: StateBlock, position: int, start: int, end: int) -> int:
    """The line, from ``start`` and before ``end``, that ``position`` of the source stands on
    (the last one, for a position past them): a block that runs over lines ends after it."""
    return bisect.bisect_right(state.bMarks, position, start, end) - 1


def _mdx_comment(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML comment over lines (Docusaurus reads them in MDX too: "<!-- truncate -->"), read
    as CommonMark's HTML block of a comment is, up to the line that closes it, so it may hold
    blank lines and carry copydesk-disable. An unclosed one is text, as in CommonMark."""
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not state.src.startswith("<!--", first):
        return False
    # Past the last "-->" no comment closes: remembered, so a run of openers is read once.
    if first >= state.env.get("mdx_no_comment_close_from", len(state.src)):
        return False
    close = state.src.find("-->", first + 4)
    if close < 0:
        state.env["mdx_no_comment_close_from"] = first
        return False
    if silent:
        return True
    last = _line_at(state, close, start, end) + 1
    token = state.push("html_block", "", 0)
    token.map = [start, last]
    token.content = state.getLines(start, last, state.blkIndent, True)
    state.line = last
    return True


def _closing_braces(state: StateBlock | StateInline) -> dict[int, int]:
    """Where each "{" of the source (the document's, or a block's inline source) closes: one
    pass with a stack, kept for the parse, so an expression is found in linear time however
    many braces it holds."""
    found = state.env.setdefault("mdx_braces", {})
    pairs = found.get(state.src)
    if pairs is None:
        pairs, opened = {}, []
        for brace in re.finditer("[{}]", state.src):
            if brace.group() == "{":
                opened.append(brace.start())
            elif opened:
                pairs[opened.pop()] = brace.start()
        found[state.src] = pairs
    return pairs


def _mdx_flow_expression(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An expression that opens a line and ends one, over blank lines too: a component's code
    given as a template literal ("<ParamCodeBlock>" then "{`#!/bin/bash ...`}"), a comment. One
    that text follows on its last line opens a paragraph instead (read inline)."""
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not state.src.startswith("{", first):
        return False
    close = _closing_braces(state).get(first)
    if close is None:
        return False
    last = _line_at(state, close, start, end)
    if close >= state.eMarks[last] or state.src[close + 1 : state.eMarks[last]].strip():
        return False  # it closes past the block it stands in (a quotation's end), or text follows
    if silent:
        return True
    token = state.push("mdx_flow_expression", "", 0)
    token.map, token.content = [start, last + 1], state.src[first : close + 1]
    state.line = last + 1
    return True


def _mdx_expression(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    close = _closing_braces(state).get(state.pos)
    if close is None or close >= state.posMax:
        return False
    if not silent:
        state.push("mdx_expression", "", 0).content = state.src[state.pos : close + 1]
    state.pos = close + 1
    return True


def _jsx_tag_end(src: str, at: int, end: int, braces: dict[int, int]) -> int | None:
    """Where the JSX tag that opens at ``at`` ends (after its ">"), or None: "<Name", "</Name",
    "<>" or "</>", then attributes (a name, a name="value", a name={expression}, a {...spread}),
    then ">" or "/>". Each try stops at the first character no tag can hold there."""
    pos = at + 1
    if src.startswith("/", pos):
        pos += 1
    name = _JSX_NAME.match(src, pos, end)
    if name is None:  # a fragment
        return pos + 1 if src.startswith(">", pos) else None
    pos = name.end()
    while True:
        while pos < end and src[pos].isspace():
            pos += 1
        if src.startswith(">", pos):
            return pos + 1
        if src.startswith("/>", pos):
            return pos + 2
        if pos >= end:
            return None
        if src[pos] == "{":
            if (pos := braces.get(pos, end)) >= end:
                return None
            pos += 1
            continue
        attribute = _JSX_ATTRIBUTE.match(src, pos, end)
        if attribute is None:
            return None
        pos = attribute.end()
        while pos < end and src[pos].isspace():
            pos += 1
        if not src.startswith("=", pos):
            continue
        pos += 1
        while pos < end and src[pos].isspace():
            pos += 1
        if pos < end and src[pos] in "\"'":
            close = src.find(src[pos], pos + 1, end)
        elif pos < end and src[pos] == "{":
            close = braces.get(pos, end)
        else:
            return None
        if close < 0 or close >= end:
            return None
        pos = close + 1


def _jsx_tag(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "<":
        return False
    end = _jsx_tag_end(state.src, state.pos, state.posMax, _closing_braces(state))
    if end is None:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = state.src[state.pos : end]
    state.pos = end
    return True


def _mdx_jsx_flow(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines that hold only JSX tags ("<Tabs>", "</TabItem>", a tag whose attributes run over
    lines): a block of markup of their own, as in MDX, so the line after them opens a block
    (an expression, a list), not a paragraph's next line."""
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not state.src.startswith("<", first):
        return False
    src, limit, braces = state.src, state.eMarks[end - 1], _closing_braces(state)
    pos = first
    while True:
        tag_end = _jsx_tag_end(src, pos, limit, braces)
        if tag_end is None:
            return False
        pos = tag_end
        while pos < limit and src[pos] in " \t":
            pos += 1
        if pos >= limit or src[pos] == "\n":
            break
        if src[pos] != "<":
            return False
    if silent:
        return True
    last = _line_at(state, pos - 1, start, end)  # the line the last tag ends on
    token = state.push("mdx_jsx_flow", "", 0)
    token.map, token.content = [start, last + 1], src[first:pos]
    state.line = last + 1
    return True


def _mdx(md: MarkdownIt) -> None:
    md.disable(["code", "html_block"])
    # Before setext headings: markdown-it's rule looks for the underline down to the end of a
    # paragraph, and a line these took would have been looked at again from every line above.
    md.block.ruler.before("lheading", "mdx_esm", _mdx_esm)
    md.block.ruler.before("lheading", "mdx_flow_expression", _mdx_flow_expression)
    md.block.ruler.before("lheading", "mdx_jsx_flow", _mdx_jsx_flow)
    md.block.ruler.before("table", "mdx_comment", _mdx_comment, {"alt": ["paragraph", "blockquote", "list"]})
    md.inline.ruler.before("autolink", "mdx_jsx", _jsx_tag)
    md.inline.ruler.before("autolink", "mdx_expression", _mdx_expression)


_mdx_markdown = _parser(_mdx)


_BACKTICKS = re.compile(r"`+")  # a run of backticks: inline code's opening or closing


def _escaped(text: str, at: int) -> bool:
    """Whether an odd number of backslashes stands right before ``at``."""
    start = at
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


# What a text token is located by when it is not in the source as it stands.
_PIECE = re.compile(r"\w+|\s+|[^\w\s]")
_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# What writes a hard line break at the end of a line: a backslash, or two spaces or more.
_HARD_BREAK = re.compile(r"(?:\\|[ \t]+)(?=\n)")
# A reference link whose label this file does not define ("[`Unpack`][typing.Unpack]"), which a
# docs site resolves when it builds (mkdocs-autorefs, rustdoc's intra-doc links): a label of no
# white space. Each "[" starts one try, which ends at the next bracket or line break.
_UNDEFINED_REFERENCE = re.compile(r"\[([^\[\]\n]+)\](\[[^\[\]\s]*\])")


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


def _front_matter_title(source: str, end: int) -> tuple[int, int] | None:
    """Where the front matter's title (``_FRONT_MATTER_TITLE``) stands in ``source[:end]``: a
    quoted value that holds no escape, or a plain YAML one up to a comment (" #"), so the text
    stands in the source as a reader sees it. Anything else (a block scalar, a list) is no title."""
    found = _FRONT_MATTER_TITLE.search(source, 0, end)
    if found is None:
        return None
    if found.group("sign").startswith("=") and _TOML_TABLE.search(source, 0, found.start()):
        return None  # a table's title ("[params]"), not the page's
    value, at = found.group("value"), found.start("value")
    if value[:1] in ("'", '"'):
        close = value.find(value[0], 1)
        after = value[close + 1 :]
        comment_only = not after.strip() or (after[:1] in " \t" and after.lstrip().startswith("#"))
        escaped = value[0] == '"' and "\\" in value[1:close]
        if close <= 1 or escaped or not comment_only:
            return None  # unclosed or empty, an escape, or more than a comment after it
        start, stop = at + 1, at + close
    elif found.group("sign").startswith("=") or not value or value[0] in _YAML_INDICATORS:
        return None  # TOML's title is a string; a YAML value that is no line of text
    else:
        comment = min((n for n in (value.find(" #"), value.find("\t#")) if n >= 0), default=len(value))
        start, stop = at, at + len(value[:comment].rstrip())
    return (start, stop) if source[start:stop].strip() else None


class MarkdownReader:
    """Walks markdown-it's tokens and copies their prose into the canvas."""

    def __init__(self, source: str, mdx: bool = False) -> None:
        self.source = source
        self.mdx = mdx
        self.parser = _mdx_markdown if mdx else _markdown
        self.canvas = Canvas(source)
        front_matter = _front_matter_end(source)
        self.front_matter_title = _front_matter_title(source, front_matter)
        # markdown-it turns \r\n and \r into \n, and NUL into U+FFFD; we work on the same
        # normalised string and map positions back to the source.
        normal: list[str] = []
        self.to_source_index: list[int] = []
        # A byte order mark says how the file was encoded; it is not text, and markdown-it would
        # read it as the first line's prose ("\ufeff# Title" is no heading). It stays markup.
        i = 1 if source.startswith(BYTE_ORDER_MARK) else 0
        while i < len(source):
            ch = source[i]
            self.to_source_index.append(i)
            if ch == "\r":
                normal.append("\n")
                i += 2 if source.startswith("\n", i + 1) else 1
                continue
            # The front matter stays in place as blank lines, so line numbers do not move.
            if i < front_matter and ch != "\n":
                ch = " "
            normal.append("\ufffd" if ch == "\0" else ch)
            i += 1
        self.to_source_index.append(len(source))
        self.normal = "".join(normal)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.normal)] + [len(self.normal)]
        self.cursor = 0
        self.directives: list[Directive] = []
        self.blocks: list[tuple[int, int]] = []
        self.images: list[tuple[int, int]] = []  # (start, end) in the source of each image (view.read_as_words)
        # Links with no text, "[](`~pkg.Class`)": Quarto's interlinks show the object's name there.
        self.empty_links: list[tuple[int, int]] = []
        self.expressions: list[tuple[int, int]] = []  # the same of each MDX expression (values=)
        self.components: list[tuple[int, int]] = []  # the same of each MDX component with no children
        self.line_breaks: list[tuple[int, int]] = []  # the inline <br>s of the paragraph being read
        self.headings: list[tuple[int, int]] = []
        self.in_document_links: list[tuple[int, int]] = []  # in-document links' text, in the source
        self.links: list[tuple[int, int]] = []  # every link's text, in the source
        self.cells: list[tuple[int, int]] = []  # table cells' text, in the source
        self.items: list[tuple[int, int]] = []  # list items' text (each of their blocks), in the source
        self.captions: list[tuple[int, int]] = []  # the text of raw HTML's figure and table captions, in the source
        self.code_blocks: list[tuple[int, int]] = []  # fenced and indented code, and HTML <pre>, in the source
        self.inline_link_start: int | None = None  # after an inline <a href="#..."> not yet closed
        self.inline_any_link_start: int | None = None  # after an inline <a href> not yet closed
        self.inline_code_start: int | None = None  # at an inline <code>, <kbd> or <samp> not yet closed

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
        tokens = self.parser.parse(self.normal)
        if any(token.level >= MAX_NESTING - 1 for token in tokens):
            raise Unreadable(f"the Markdown nests deeper than {MAX_NESTING} levels (a quote is one, a list two)")
        in_heading = in_cell = in_alert_title = False
        in_items = 0  # list items open around the token (a nested list's item is in two)
        for token in tokens:
            if token.type in ("alert_title_open", "alert_title_close"):
                in_alert_title = token.type == "alert_title_open"
            elif in_alert_title:
                continue
            elif token.type == "heading_open":
                in_heading = True
            elif token.type == "heading_close":
                in_heading = False
            elif token.type in ("th_open", "td_open"):
                in_cell = True
            elif token.type in ("th_close", "td_close"):
                in_cell = False
            elif token.type == "list_item_open":
                in_items += 1
            elif token.type == "list_item_close":
                in_items -= 1
            elif token.type == "inline":
                self.inline(token, heading=in_heading, cell=in_cell, item=in_items > 0)
            elif token.type == "html_block":
                self.html_block(token)
            elif token.type in ("container_marker", "directive_open") and token.meta.get("title"):
                self.title_block(*token.meta["title"])  # MyST's: ":::{admonition} Title"
            elif token.type == "container_marker":
                self.container_title(token)
            elif token.type == "myst_comment":  # "% copydesk-disable style"
                start, _ = self.region(token.map)
                found = read_directive(token.content, self.to_source(self.normal.index("%", start)))
                if found is not None:
                    self.directives.append(found)
            elif token.type == "mdx_flow_expression":
                start, _ = self.region(token.map)
                self.comment_directive(token.content, self.to_source(self.normal.index("{", start)))
            elif token.type in ("fence", "code_block", "math_block", "directive_code"):
                start, end = self.region(token.map)
                self.code_blocks.append((self.to_source(start), self.to_source(end)))
        self.read_front_matter_title()
        self.undefined_references()
        tags = self.template_tags()
        shown = self.images + self.empty_links + self.components + tags
        read_as_words(self.canvas, self.blocks, shown, values=self.expressions)
        return finish(
            self.canvas, self.headings, self.blocks, self.directives, self.in_document_links, self.cells, self.items,
            self.code_blocks, captions=self.captions, links=self.links,
        )

    def container_title(self, token: Token) -> None:
        """Read the title on a ":::" container's marker line as a block of prose, as MkDocs'
        admonition's: the docs site shows it over the box (``_CONTAINER_TITLE``)."""
        if not token.map:
            return
        start, end = self.region([token.map[0], token.map[0] + 1])
        found = _CONTAINER_TITLE.match(self.normal, start, end)
        if found is not None and found.group("attributes") is not None:
            found = _TITLE_ATTRIBUTE.search(self.normal, *found.span("attributes"))
        if found is None:
            return
        group = next(name for name in ("bracketed", "plain", "quoted") if found.groupdict().get(name) is not None)
        self.title_block(*found.span(group))

    def title_block(self, start: int, end: int) -> None:
        """Read a box's title, from ``start`` to ``end`` of the normalized source (trimmed to its
        prose), as a block of prose: the site shows it over the box. The title is Markdown on
        the marker line, which the block rule leaves unparsed: it is parsed as inline Markdown
        and read as a paragraph's text is, from where it starts ("`ctx.parse` is **new**")."""
        title = prose_span(self.normal, start, end)
        if title is None:
            return
        (parsed,) = self.parser.parseInline(self.normal[title[0] : title[1]])
        line = bisect.bisect_right(self.line_starts, title[0]) - 1
        parsed.map = [line, line + 1]
        self.cursor = max(self.cursor, title[0])
        self.inline(parsed, heading=False, cell=False, item=False)

    def read_front_matter_title(self) -> None:
        """Read the front matter's title as the page's first heading: Hugo, Jekyll, Docusaurus
        and MkDocs show it as the page's headline, and their pages most often have no heading
        of their own above the prose (the first line was then the headline: a button's "Learn
        More"). A first heading in the body that says the same words is that headline already,
        written twice in the file but shown once: then the front matter stays markup."""
        if self.front_matter_title is None:
            return
        start, end = self.front_matter_title
        title = " ".join(self.source[start:end].split()).casefold()
        if self.headings:
            first = "".join(self.canvas.chars[self.headings[0][0] : self.headings[0][1]])
            if " ".join(first.split()).casefold() == title:
                return
        self.canvas.keep(start, end)
        self.blocks.insert(0, self.front_matter_title)
        self.headings.insert(0, self.front_matter_title)

    def kept(self, at: int) -> bool:
        """Whether the reader kept the source's character at ``at`` as prose (not in code, a
        link's destination or front matter, which the view shows blank)."""
        return self.canvas.chars[at] == self.canvas.source[at]

    def undefined_references(self) -> None:
        """Read a reference link whose label this file does not define as the link a docs site
        makes of it: its text is prose, its brackets and label markup. CommonMark leaves it as
        written, and LanguageTool read "typing.Unpack" as two sentences with no space between
        (most of the 336 such findings on griffe's docs). A link markdown-it made has its
        brackets read as markup already; one in code is blank."""
        for found in _UNDEFINED_REFERENCE.finditer(self.canvas.source):
            # Numbers in brackets are a scraped page's note references ("class.[3][4]"), no link.
            if self.kept(found.start()) and self.kept(found.end() - 1) and not found.group(1).isdigit():
                self.canvas.drop(found.start(), found.start() + 1)
                self.canvas.drop(found.start(2) - 1, found.end())

    def template_tags(self) -> list[tuple[int, int]]:
        """Read what a static site generator adds to Markdown (``templates``: its tags, code
        listings, comments, attribute lists and snippet lines) as markup, a listing as a code
        block; return the lone tags, which read as a word inside a sentence. One the reader did
        not keep as prose (in code, a link's destination, front matter) stays as it was read."""
        found = find_template_tags(self.canvas.source)
        kept = {span for span in (*found.tags, *found.code, *found.unseen) if self.kept(span[0])}
        for start, end in kept:
            self.canvas.drop(start, end)
        self.code_blocks.extend(span for span in found.code if span in kept)
        return [span for span in found.tags if span in kept]

    def html_block(self, token: Token) -> None:
        start, end = self.region(token.map)
        parser = read_fragment(self.canvas, self.normal[start:end], start, self.to_source)
        self.directives.extend(parser.directives)
        self.headings.extend(parser.source_span(a, b) for a, b in parser.headings)
        self.in_document_links.extend(parser.source_span(a, b) for a, b in parser.in_document_links)
        self.links.extend(parser.source_span(a, b) for a, b in parser.links)
        self.cells.extend(parser.source_span(a, b) for a, b in parser.cells)
        self.items.extend(parser.source_span(a, b) for a, b in parser.items)
        self.captions.extend(parser.source_span(a, b) for a, b in parser.captions)
        self.images.extend(parser.source_span(a, b) for a, b in parser.images)
        self.code_blocks.extend(parser.source_span(a, b) for a, b in parser.code_blocks)
        marks = parser.block_marks
        self.blocks.extend(parser.source_span(a, b) for a, b in zip(marks, marks[1:], strict=False))
        self.cursor = max(self.cursor, end)

    # -- inline level ---------------------------------------------------------------------
    def inline(self, token: Token, heading: bool, cell: bool, item: bool) -> None:
        start, end = self.region(token.map)
        # Table cells share a line: the cursor carries on from the previous cell.
        self.cursor = max(self.cursor, start)
        first_kept = self.cursor
        self.inline_link_start = self.inline_any_link_start = self.inline_code_start = None
        self.line_breaks = []
        self.children(token.children or [], end, keep=True)
        span = (self.to_source(first_kept), self.to_source(min(self.cursor, len(self.normal))))
        # A <br> that ends a block cuts the paragraph (or the cell) into blocks there.
        cuts = [self.line_breaks[n] for n in place_line_breaks(self.canvas, self.line_breaks)]
        edges = [span[0], *(edge for cut in cuts for edge in cut), span[1]]
        self.blocks += list(zip(edges[::2], edges[1::2], strict=True))
        if heading:
            self.headings.append(span)
        if cell:
            self.cells.append(span)
        if item:
            self.items.append(span)

    def children(self, tokens: list[Token], end: int, keep: bool) -> None:
        skipping_autolink = False
        link_start: int | None = None  # where the text of an open link starts
        link_open: int | None = None  # where its "[" stands
        in_document_link = False
        hidden: list[str] = []  # open inline HTML elements whose content is not prose (<kbd>, <code>)
        role: str | None = None  # a MyST role just before: "{ref}" of "{ref}`the guide <setup>`"
        for child in tokens:
            kind = child.type
            role, before = None, role
            if skipping_autolink:
                skipping_autolink = kind != "link_close"
                continue
            if kind == "text":
                self.text(child.content, end, keep=keep and not hidden)
            elif kind == "text_special":
                self.text_special(child, end, keep and not hidden)
            elif kind == "code_inline":
                self.code_inline(child, end, linking_role=before in LINKING_ROLES)
            elif kind in ("math_inline", "math_inline_double"):
                self.math_inline(child, end)
            elif kind == "myst_role":
                role = child.content[1:-1].lower()
            elif kind == "html_inline":
                self.html_inline(child, end, hidden)
            elif kind == "mdx_expression":
                self.expression(child, end, keep and not hidden)
            elif kind == "footnote_ref":
                self.note_reference(child, end)
            elif kind == "hardbreak" and keep and not hidden:
                self.hard_break(end)
            elif kind == "link_open" and child.markup == "autolink":
                self.autolink(end)
                skipping_autolink = True
            elif kind == "link_open":
                link_open = self.find("[", end, keep=False)
                link_start = self.cursor if keep else None
                in_document_link = in_document(child.attrGet("href"))
            elif kind == "link_close":
                empty_at = link_open if link_start is not None and link_start == self.cursor else None
                if link_start is not None:
                    span = (self.to_source(link_start), self.to_source(self.cursor))
                    self.links.append(span)
                    if in_document_link:
                        self.in_document_links.append(span)
                    link_start = None
                self.link_tail(end)
                if empty_at is not None:  # "[](...)": no text
                    self.empty_links.append((self.to_source(empty_at), self.to_source(self.cursor - 1) + 1))
            elif kind == "image":
                at = self.find("![", end, keep=False)
                self.children(child.children or [], end, keep=False)
                self.link_tail(end)
                if at is not None and keep:
                    self.images.append((self.to_source(at), self.to_source(self.cursor - 1) + 1))
            # Emphasis, strikethrough and soft line breaks are markers (or newlines) only.

    def hard_break(self, end: int) -> None:
        """A hard line break ("  " or "\\" at a line's end) is read as an inline <br> is (CommonMark
        renders one so), once the paragraph is: where the sentence goes on, as a space, else as
        the edge of a block (view.place_line_breaks). Its newline stays the view's."""
        found = _HARD_BREAK.match(self.normal, self.cursor, end)
        if found is not None:
            self.line_breaks.append((self.to_source(found.start()), self.to_source(found.end() - 1) + 1))
            self.cursor = found.end()

    def note_reference(self, token: Token, end: int) -> None:
        """A footnote reference ("[^1]") is nothing, and so may be the space before it
        (``Canvas.drop_note``)."""
        at = self.find(f"[^{token.meta['label']}]", end, keep=False)
        if at is not None:
            self.canvas.drop_note(self.to_source(at), self.to_source(self.cursor - 1) + 1)

    def expression(self, token: Token, end: int, keep: bool) -> None:
        """An MDX expression: a comment may be a directive; any other reads as one word."""
        at = self.find_lines(token.content, end)
        if at is None:
            return
        span = (self.to_source(at), self.to_source(self.cursor - 1) + 1)
        self.canvas.hide_line_breaks(*span)
        if not self.comment_directive(token.content, span[0]) and keep and not _HEADING_ID.fullmatch(token.content):
            self.expressions.append(span)

    def comment_directive(self, expression: str, offset: int) -> bool:
        """Whether ``expression`` is an MDX comment ("{/* ... */}"); a directive in it is read."""
        comment = _MDX_COMMENT.fullmatch(expression)
        if comment is not None and (found := read_directive(comment.group(1), offset)) is not None:
            self.directives.append(found)
        return comment is not None

    def html_inline(self, token: Token, end: int, hidden: list[str]) -> None:
        at = self.find_lines(token.content, end)
        if at is None:
            return
        self.canvas.hide_line_breaks(self.to_source(at), self.to_source(self.cursor - 1) + 1)
        target = link_target(token.content)
        if target is not None:
            self.inline_any_link_start = self.cursor
            if in_document(target):
                self.inline_link_start = self.cursor
        elif re.match(r"</a\s*>", token.content, re.IGNORECASE):
            opened = ((self.inline_any_link_start, self.links), (self.inline_link_start, self.in_document_links))
            for start, spans in opened:
                if start is not None:
                    spans.append((self.to_source(start), self.to_source(at)))
            self.inline_link_start = self.inline_any_link_start = None
        if token.content.startswith("<!--"):
            found = read_directive(token.content[4:].removesuffix("-->"), self.to_source(at))
            if found is not None:
                self.directives.append(found)
            return
        tag = _INLINE_TAG.match(token.content)
        if self.mdx and tag is not None and tag.group(2)[0].isupper() and token.content.endswith("/>") and not hidden:
            # A component with no children shows something in the sentence ("OPA version:
            # <InlineEditable paramKey="version"/>, e.g. 1.2"): one word, as an expression; one
            # on a line of its own, between two sentences, is laid out as a block: nothing.
            line_start = self.normal.rfind("\n", 0, at) + 1
            line_end = self.normal.find("\n", self.cursor)
            line_end = len(self.normal) if line_end < 0 else line_end
            if self.normal[line_start:at].strip() or self.normal[self.cursor : line_end].strip():
                self.components.append((self.to_source(at), self.to_source(self.cursor - 1) + 1))
            return
        if tag is not None and not tag.group(1) and tag.group(2).lower() == "img" and not hidden:
            self.images.append((self.to_source(at), self.to_source(self.cursor - 1) + 1))
            return
        if tag is not None and not tag.group(1) and tag.group(2).lower() == "br" and not hidden:
            # A line break inside a paragraph (a table cell's only way to break a line): read
            # once the paragraph is, as the HTML reader reads one (view.place_line_breaks).
            self.line_breaks.append((self.to_source(at), self.to_source(self.cursor - 1) + 1))
            return
        if tag is None or tag.group(2).lower() not in NOT_PROSE:
            return
        name = tag.group(2).lower()
        if not tag.group(1):
            if not token.content.endswith("/>"):
                if not hidden and name in INLINE_CODE:
                    self.inline_code_start = at
                hidden.append(name)
        elif name in hidden:
            del hidden[len(hidden) - 1 - hidden[::-1].index(name) :]
            if not hidden and self.inline_code_start is not None:
                # Read as one word, as a backtick span and the HTML reader's <code> are.
                self.canvas.word(self.to_source(self.inline_code_start), self.to_source(self.cursor - 1) + 1)
                self.inline_code_start = None

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

    def find_lines(self, needle: str, end: int) -> int | None:
        """Locate markup that may run over lines (a tag, an MDX expression) as ``find`` does; in
        a list or a quotation markdown-it took each line's indentation off, so the source has
        more white space than ``needle``: then each line of it is located in turn."""
        at = self.find(needle, end, keep=False)
        if at is not None or "\n" not in needle:
            return at
        lines = needle.split("\n")
        at = self.find(lines[0], end, keep=False)
        if at is None:
            return None
        for line in lines[1:]:
            if line.strip() and self.find(line.strip(), end, keep=False) is None:
                return None
        return at

    def text(self, content: str, end: int, keep: bool) -> None:
        """Locate a text token. Where markdown-it rewrote it (a table cell's ``\\|`` is ``|``), it
        is not in the source as it stands: then its words and marks are located one by one,
        so what lies between them (the backslash) stays markup and the rest is still checked."""
        if self.find(content, end, keep) is None:
            for piece in _PIECE.findall(content):
                self.find(piece, end, keep)

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

    def code_inline(self, token: Token, end: int, linking_role: bool = False) -> None:
        """Inline code reads as one word; after a MyST role that links (``linking_role``), a
        title the link is given reads as its words, as in reStructuredText ("{ref}`the setup
        guide <setup>`")."""
        opening = self.find(token.markup, end, keep=False)
        if opening is None:
            return
        for run in _BACKTICKS.finditer(self.normal, self.cursor, end):
            if len(run.group()) == len(token.markup):
                self.cursor = run.end()
                content = opening + len(token.markup)
                title = link_title(self.normal[content : run.start()]) if linking_role else None
                if title is None:
                    self.canvas.word(self.to_source(opening), self.to_source(run.end() - 1) + 1)
                    return
                start = self.normal.index(title, content)
                self.keep(start, start + len(title))
                self.links.append((self.to_source(start), self.to_source(start + len(title))))
                return

    def math_inline(self, token: Token, end: int) -> None:
        """Inline math (``$x^2$``) reads as one word, as inline code does: up to the first ``$``
        (``$$``) after the opening one that no backslash escapes, where markdown-it closed it."""
        opening = self.find(token.markup, end, keep=False)
        if opening is None:
            return
        close = self.normal.find(token.markup, self.cursor, end)
        while close >= 0 and _escaped(self.normal, close):
            close = self.normal.find(token.markup, close + 1, end)
        if close < 0:
            return
        self.cursor = close + len(token.markup)
        self.canvas.word(self.to_source(opening), self.to_source(self.cursor - 1) + 1)

    def autolink(self, end: int) -> None:
        """``<https://...>`` shows its address, which a reader reads as one word, as a bare one."""
        opening = self.find("<", end, keep=False)
        if opening is not None and self.find(">", end, keep=False) is not None:
            self.canvas.word(self.to_source(opening), self.to_source(self.cursor - 1) + 1)

    def link_tail(self, end: int) -> None:
        """Skip ``](destination "title")``, ``][label]`` or ``]`` after a link's text; a line break
        in it is markup too (``Canvas.hide_line_breaks``)."""
        opening = self.find("]", end, keep=False)
        if opening is None:
            return
        self._link_tail(end)
        self.canvas.hide_line_breaks(self.to_source(opening), self.to_source(self.cursor))

    def _link_tail(self, end: int) -> None:
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


# An import at the start of a paragraph ("import Tabs from '@theme/Tabs';"): ESM, no prose.
_IMPORT = re.compile(r"import [\w{}*, $]+ from ['\"]")


def holds_mdx(source: str) -> bool:
    """Whether Markdown ``source`` is MDX in a .md file: a paragraph at the top level opens with
    an import, as on the Docusaurus pages that pull in a component (Docusaurus reads .md pages
    as MDX). No one writes such a line as prose; one in a code block is no paragraph."""
    if "import " not in source:
        return False  # most Markdown: no parse
    tokens = _markdown.parse(source)
    return any(
        token.type == "inline" and tokens[n - 1].level == 0 and _IMPORT.match(token.content)
        for n, token in enumerate(tokens)
        if n and tokens[n - 1].type == "paragraph_open"
    )


def read_markdown(source: str) -> ProseView:
    return MarkdownReader(source).read()


def read_mdx(source: str) -> ProseView:
    return MarkdownReader(source, mdx=True).read()
