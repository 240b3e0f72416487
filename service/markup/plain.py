"""The plain-text reader: plain text has no markup, and its prose view is the text itself, but
one convention of it is as plain to a reader as a ``<ul>``: a line that opens with a bullet
("- ", "* ", "• ") or a number ("1. ", "2) ") is a list item. Scrapers (trafilatura's text
output) and newsrooms' systems write lists so, and the clarity measures leave a list's items
out of their runs (a list of nominees is parallel on purpose, not monotonous prose).
"""

from __future__ import annotations

import re

from ..text import segments
from .view import ProseView

# A bullet or a number of up to three digits (no year: "2020. That was..."), then white space
# and a word; a dash glued to a number ("-5C") is no bullet.
_MARKER = r"[ \t]*(?:[-*\u2022\u25e6\u25aa\u2023]|\d{1,3}[.)])[ \t]+(?=\S)"
# An item: its line from the marker on, and the indented lines with words after it that open
# no item themselves. Each repeat starts at a line break, so the scan is linear.
_ITEM = re.compile(
    rf"{segments.LINE_START}{_MARKER}[^\r\n]*(?:(?:\r\n|\r|\n)(?!{_MARKER})[ \t]+\S[^\r\n]*)*"
)


def read_plain(source: str) -> ProseView:
    """The prose view of plain text: the text as sent, and where its list items stand."""
    return ProseView(text=source, list_items=list_items(source))


def list_items(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each list item: from its marker (a sentence of plain text starts there) to
    the end of its line, and of the lines after it that are indented and hold words (an item
    wrapped by hand), up to the next item or a blank line."""
    found = []
    for match in _ITEM.finditer(text):
        item = match.group()
        found.append((match.start() + len(item) - len(item.lstrip()), match.start() + len(item.rstrip())))
    return tuple(found)
