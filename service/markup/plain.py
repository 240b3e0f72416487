"""The plain-text reader: plain text has no markup, and its prose view is the text itself, but
two conventions of it are as plain to a reader as a ``<ul>`` and a ``<table>``: a line that
opens with a bullet ("- ", "* ", "• ") or a number ("1. ", "2) ") is a list item, and a line
that opens and closes with a pipe ("| Ashfield | Lee Anderson |") is a table's row, its cells
between the pipes. Scrapers (trafilatura's text output) and newsrooms' systems write lists and
tables so, and the clarity measures leave a list's items out of their runs (a list of nominees
is parallel on purpose, not monotonous prose) and a table's cells out of the prose.
"""

from __future__ import annotations

import re

from ..text import segments
from .view import BYTE_ORDER_MARK, ProseView

# A bullet or a number of up to three digits (no year: "2020. That was..."), then white space
# and a word; a dash glued to a number ("-5C") is no bullet.
_MARKER = r"[ \t]*(?:[-*\u2022\u25e6\u25aa\u2023]|\d{1,3}[.)])[ \t]+(?=\S)"
# An item: its line from the marker on, and the indented lines with words after it that open
# no item themselves. Each repeat starts at a line break, so the scan is linear.
_ITEM = re.compile(
    rf"{segments.LINE_START}{_MARKER}[^\r\n]*(?:(?:\r\n|\r|\n)(?!{_MARKER})[ \t]+\S[^\r\n]*)*"
)
# A table's row: a line that opens and closes with a pipe, white space around them (a tree
# drawn with pipes, "|   |-- bin/", closes with none). The repeat stops at the line's end.
_ROW = re.compile(rf"{segments.LINE_START}[ \t]*\|[^\r\n]*\|[ \t]*{segments.LINE_END}")
# A cell's text between two pipes; a pipe escaped with a backslash is a character of it.
_CELL = re.compile(r"(?:\\.|[^|])+")


def read_plain(source: str) -> ProseView:
    """The prose view of plain text: the text as sent, and where its list items and table cells
    stand. A byte order mark at the start says how the text was encoded, not what it says: the
    view has a space there, as the markup readers' views have (with it, the first line was not
    the title it repeats, and a rule for a line's start missed the first)."""
    text = " " + source[1:] if source.startswith(BYTE_ORDER_MARK) else source
    return ProseView(text=text, list_items=list_items(text), table_cells=table_cells(text))


def list_items(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each list item: from its marker (a sentence of plain text starts there) to
    the end of its line, and of the lines after it that are indented and hold words (an item
    wrapped by hand), up to the next item or a blank line."""
    found = []
    for match in _ITEM.finditer(text):
        item = match.group()
        found.append((match.start() + len(item) - len(item.lstrip()), match.start() + len(item.rstrip())))
    return tuple(found)


def table_cells(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the text of each cell of a table written with pipes, in order: between two
    pipes of a row, stripped of the spaces that pad it. An empty cell has none, nor has a
    delimiter row's ("|---|:--:|"), which only lines the table out."""
    found = []
    for row in _ROW.finditer(text):
        first, last = text.index("|", row.start()) + 1, text.rindex("|", 0, row.end())
        for cell in _CELL.finditer(text, first, last):
            value = cell.group()
            if value.strip(" \t-:"):
                start = cell.start() + len(value) - len(value.lstrip())
                found.append((start, start + len(value.strip())))
    return tuple(found)
