"""Markdown that Sphinx's MyST, Jupyter Book, Pandoc and Quarto read beyond CommonMark, as
markdown-it rules for the Markdown reader: what is markup there, and where the prose is.

* Display math: a ``$$`` line up to the line that ends with ``$$`` (GitHub, MyST, Pandoc,
  Quarto and MkDocs' arithmatex all write it so), or a ``\\begin{align}`` line up to its
  ``\\end{align}`` (MyST's amsmath), is a formula, read as code; one never closed before a
  blank line is text, as a formula cannot hold a blank line.
* Inline math, ``$x^2$`` (or ``$$x^2$$`` inside a sentence), by Pandoc's rule, which GitHub's
  is close to: no space after the opening ``$``, none before the closing one, no digit after
  it (nor before the opening one). Dollar amounts stay prose, as they do there: "$5 and $10",
  "$5-$10", "US$5bn and HK$3bn" pair no two signs; so do runs of three or more ("$$$").
* MyST's roles, ``{ref}`setup```: the role's name is markup; the backtick span after it reads as
  inline code does, one word, or as the title it gives a link (``{ref}`the guide <setup>```).
* MyST's directives written as code fences, ````` ```{note} `````: those whose body is prose
  (admonitions, version notes, cards, tabs, a domain's object) are read as blocks of Markdown,
  their options (``:class: tip`` lines, or a ``---`` block of YAML) as markup, and the title
  of those that take one (``{admonition} Title``) as a block of prose. Any other (``{code-cell}``,
  ``{toctree}``, Quarto's ``{python}`` chunks, a directive of a project's own) stays code.
* MyST's comments (a line that opens with ``%``), targets (``(setup)=``) and block breaks
  (``+++``) are markup.

The directives' names come from the reStructuredText reader's (:mod:`~service.markup.rst`),
as MyST runs Sphinx's directives.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath.index import math_inline_dollar

from .rst import DOMAINS, OBJECTS, PROSE_DIRECTIVES, TITLED_DIRECTIVES

# docutils' admonitions and the other directives whose body is prose: MyST's "margin", a
# figure's caption, a table's cells, sphinx-exercise's exercises and solutions.
_ADMONITIONS = ("attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning")
PROSE = frozenset(
    {*_ADMONITIONS, "admonition", "topic", "sidebar", "margin", "epigraph", "pull-quote", "highlights", "compound",
     "container", "div", "aside", "figure", "table", "list-table", "exercise", "solution", *PROSE_DIRECTIVES,
     *OBJECTS, *(f"{d}:{o}" for d in DOMAINS for o in OBJECTS)}
)  # fmt: skip
# Those whose argument is a title shown over the body (Jupyter Book's engine, mystmd, takes one
# for every admonition: ":::{note} Click to see the output").
TITLED = frozenset(
    {*_ADMONITIONS, "admonition", "topic", "sidebar", "margin", "table", "list-table", "exercise", *TITLED_DIRECTIVES}
)

_BOX = re.compile(r"(?P<fence>:{3,})[ \t]*\{(?P<name>[A-Za-z][\w:.+-]*)\}[ \t]*(?P<argument>[^\n]*)")
_DIRECTIVE_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})[ \t]*\{(?P<name>[A-Za-z][\w:.+-]*)\}[ \t]*(?P<argument>[^\n]*)")
_OPTION = re.compile(r"[ \t]*:[\w-]+:(?:[ \t][^\n]*)?$")
_ROLE = re.compile(r"\{[A-Za-z][\w:+.-]*\}(?=`)")
_MARKUP_LINE = re.compile(r"%|\([^()\s]+\)=[ \t]*$|\+\+\+[ \t]*$")
_MATH_CLOSE = re.compile(r"\$\$[ \t]*(?:\([^()\n]*\)[ \t]*)?$", re.MULTILINE)  # MyST labels one: "$$ (eq:sum)"
# A LaTeX environment at the top of a block, as MyST's amsmath extension reads one.
_BEGIN = re.compile(r"\\begin\{(?P<name>[^{}\n]+)\}")
_END = re.compile(r"\\end\{(?P<name>[^{}\n]+)\}[ \t]*$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\r?\n|$)")
# Inline math by Pandoc's rule (its tex_math_dollars; markdown-it's own plugin for MyST's dollarmath).
_dollar_math = math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)


def _math_inline(state: StateInline, silent: bool) -> bool:
    """Inline math, but never from a run of three or more dollar signs ("make $$$ fast"), which
    Pandoc would open a formula with: the run is money, not markup."""
    at = state.pos
    if any(state.src.startswith("$$$", start) for start in range(max(0, at - 2), at + 1)):
        return False
    return _dollar_math(state, silent)


def _found_once(state: StateBlock, key: str, find: Callable[[str], object]) -> Any:
    """What ``find`` finds in the whole source, once per parse: each opener then looks its closer
    up by bisection, so a run of openers that never close stays linear."""
    if key not in state.env:
        state.env[key] = find(state.src)
    return state.env[key]


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start):
        return False
    if state.src.startswith("$$", first):
        closes = _found_once(state, "math_closes", lambda src: [m.end() for m in _MATH_CLOSE.finditer(src)])
        at = bisect.bisect_right(closes, first + 2)  # a close after the opening "$$"
    elif (begin := _BEGIN.match(state.src, first, state.eMarks[start])) is not None:
        ends = _found_once(state, "math_ends", _environment_ends).get(begin.group("name"), [])
        closes, at = ends, bisect.bisect_right(ends, begin.end())
    else:
        return False
    if at == len(closes):
        return False
    # A formula holds no blank line: one closed only after a blank line is text.
    blanks = _found_once(state, "blank_lines", lambda src: [m.start() for m in _BLANK_LINE.finditer(src)])
    blank = bisect.bisect_right(blanks, first)
    if blank < len(blanks) and blanks[blank] < closes[at]:
        return False
    last = bisect.bisect_right(state.bMarks, closes[at], start, end) - 1
    if closes[at] > state.eMarks[last]:
        return False  # it closes past the block it stands in
    if not silent:
        state.push("math_block", "math", 0).map = [start, last + 1]
    state.line = last + 1
    return True


def _environment_ends(src: str) -> dict[str, list[int]]:
    ends: dict[str, list[int]] = {}
    for found in _END.finditer(src):
        ends.setdefault(found.group("name"), []).append(found.end())
    return ends


def options_end(state: StateBlock, line: int, end: int) -> int:
    """The first line after the options that open a directive's body at ``line`` (a fence's, or
    a ``:::{name}`` box's): ``:key: value`` lines, or a block of YAML between ``---`` lines."""
    if line < end and _line_text(state, line) == "---":
        for n in range(line + 1, end):
            if _line_text(state, n) == "---":
                return n + 1
        return line
    while line < end and _OPTION.match(state.src, state.bMarks[line], state.eMarks[line]):
        line += 1
    return line


def _directive_fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    first = state.bMarks[start] + state.tShift[start]
    found = _DIRECTIVE_FENCE.match(state.src, first, state.eMarks[start])
    if found is None or found.group("name").lower() not in PROSE:
        return False
    close = _closing_line(state, start, end, found.group("fence"))
    if close is None:
        return False  # never closed: CommonMark's fence, code to the end
    if silent:
        return True
    body = options_end(state, start + 1, close)
    opening = state.push("directive_open", "div", 1)
    opening.map, opening.info = [start, body], found.group("name")
    if found.group("name").lower() in TITLED and found.group("argument").strip():
        opening.meta = {"title": found.span("argument")}
    outer = state.lineMax
    state.lineMax = close
    state.md.block.tokenize(state, body, close)
    state.lineMax = outer
    state.push("directive_close", "div", -1).map = [close, close + 1]
    state.line = close + 1
    return True


def _box(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A directive written as a box, ":::{note}" (MyST's colon fence). One whose body is prose
    gives the Markdown reader a marker line (with its options, and its title if it takes one),
    and the lines after it are read as blocks up to the ":::" that ends it, a marker line too, as
    every ":::" box is read; one that holds code or a formula (":::{math}") is code up to the
    ":::" that closes it, or to the end, as an unclosed code fence is."""
    if state.is_code_block(start):
        return False
    first = state.bMarks[start] + state.tShift[start]
    found = _BOX.match(state.src, first, state.eMarks[start])
    if found is None:
        return False
    if silent:
        return True
    name = found.group("name").lower()
    if name in PROSE:
        token = state.push("container_marker", "", 0)
        token.map = [start, options_end(state, start + 1, end)]
        if name in TITLED and found.group("argument").strip():
            token.meta = {"title": found.span("argument")}
        state.line = token.map[1]
        return True
    close = _closing_line(state, start, end, found.group("fence"))
    last = end if close is None else close + 1
    state.push("directive_code", "", 0).map = [start, last]
    state.line = last
    return True


def _line_text(state: StateBlock, line: int) -> str:
    """``line``'s text inside the block it stands in, without its indentation and trailing spaces."""
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].rstrip()


def _closing_line(state: StateBlock, start: int, end: int, fence: str) -> int | None:
    """The first line after ``start`` (and before ``end``) that closes a directive opened with
    ``fence``: only that fence's character, at least as many, then white space (as CommonMark
    closes a code fence)."""
    for line in range(start + 1, end):
        text = _line_text(state, line)
        if len(text) >= len(fence) and not text.strip(fence[0]) and state.sCount[line] - state.blkIndent < 4:
            return line
    return None


def _markup_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A comment, a target or a block break: a "myst_comment" token holds the comment's text
    (a ``copydesk-disable`` directive may be in it), a "myst_markup" token the others."""
    first = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not _MARKUP_LINE.match(state.src, first, state.eMarks[start]):
        return False
    if not silent:
        comment = state.src.startswith("%", first)
        token = state.push("myst_comment" if comment else "myst_markup", "", 0)
        token.map = [start, start + 1]
        token.content = state.src[first + 1 : state.eMarks[start]] if comment else ""
    state.line = start + 1
    return True


def _role(state: StateInline, silent: bool) -> bool:
    found = _ROLE.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        state.push("myst_role", "", 0).content = found.group()
    state.pos = found.end()
    return True


# The blocks a fence may interrupt, and so may a formula, a directive and a ":::" line.
INTERRUPTS = {"alt": ["paragraph", "reference", "blockquote", "list"]}


def math(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "math_block", _math_block, INTERRUPTS)
    md.inline.ruler.before("escape", "math_inline", _math_inline)


def myst(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "directive_fence", _directive_fence, INTERRUPTS)
    md.block.ruler.before("container_marker", "myst_box", _box, INTERRUPTS)
    md.block.ruler.before("fence", "myst_markup", _markup_line, INTERRUPTS)
    md.inline.ruler.before("backticks", "myst_role", _role)
