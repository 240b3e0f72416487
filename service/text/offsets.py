"""Positions in text: the one place where offsets change units.

Clients and every report count in Unicode code points (Python ``str`` indices).
LanguageTool is Java and counts UTF-16 code units, so a character outside the Basic
Multilingual Plane (most emoji) is two units there and one here. All conversions,
and the line/column/context derived from an offset, live in this module.
"""

from __future__ import annotations

import bisect
import re

from .segments import line_starts

CONTEXT_RADIUS = 40
# A character outside the Basic Multilingual Plane: two UTF-16 code units. Found by the regex
# engine rather than a Python loop over every character (most texts have none).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for _ in _ASTRAL.finditer(text))


class Utf16Index:
    """Maps UTF-16 code-unit offsets of ``text`` to code-point offsets, and back."""

    def __init__(self, text: str) -> None:
        # Code-point positions of astral characters, each of which takes two UTF-16 units.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 offset at which each astral character starts.
        self._astral_utf16 = [pos + n for n, pos in enumerate(self._astral)]

    def to_codepoint(self, utf16_offset: int) -> int:
        """Code-point index of the character starting at ``utf16_offset``.

        An offset that falls in the middle of a surrogate pair maps to that character.
        """
        before = bisect.bisect_left(self._astral_utf16, utf16_offset)
        if before and self._astral_utf16[before - 1] + 1 == utf16_offset:
            # Points at the low surrogate: belongs to the astral character before it.
            return self._astral[before - 1]
        return utf16_offset - before

    def span(self, utf16_offset: int, utf16_length: int) -> tuple[int, int]:
        """Convert a UTF-16 (offset, length) span to a code-point (offset, length)."""
        start = self.to_codepoint(utf16_offset)
        end = self.to_codepoint(utf16_offset + utf16_length)
        return start, max(0, end - start)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of the character at code-point ``offset`` (for answers in LanguageTool's units)."""
        return offset + bisect.bisect_left(self._astral, offset)

    def utf16_span(self, offset: int, length: int) -> tuple[int, int]:
        """Convert a code-point (offset, length) span to a UTF-16 (offset, length)."""
        start = self.to_utf16(offset)
        return start, self.to_utf16(offset + length) - start


class LineIndex:
    """Turns code-point offsets into 1-based line and column numbers.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as editors and CI annotators count them.
    """

    def __init__(self, text: str) -> None:
        self._starts = line_starts(text)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    @property
    def line_count(self) -> int:
        return len(self._starts)


def context(text: str, offset: int, length: int, radius: int = CONTEXT_RADIUS) -> dict:
    """LanguageTool-style context: a window around the span, on one line, and where the span is in it."""
    start = max(0, offset - radius)
    end = min(len(text), offset + length + radius)
    window = text[start:end]
    # Keep the window to the span's own line(s) so the context reads naturally.
    left_break = max(window.rfind("\n", 0, offset - start), window.rfind("\r", 0, offset - start))
    if left_break != -1:
        window = window[left_break + 1 :]
        start += left_break + 1
    span_end = offset - start + length
    right_breaks = [i for i in (window.find("\n", span_end), window.find("\r", span_end)) if i != -1]
    if right_breaks:
        window = window[: min(right_breaks)]
    return {"text": window, "offset": offset - start, "length": length}


def languagetool_context(text: str, offset: int, length: int, radius: int = CONTEXT_RADIUS) -> dict:
    """The context LanguageTool's own answers carry for a span given in code points of ``text``,
    counted as LanguageTool (Java) counts, in UTF-16 units: ``radius`` units each side, "..."
    where the window stops short of the text's start or end or stops right at it (``radius``
    units in: LanguageTool's own off-by-one), ``\\n`` read as a space, half an astral character
    cut off at an edge written "?" (as LanguageTool's answers write it), and the span's offset
    and length in the window counted in UTF-16 units, as LanguageTool's clients count."""
    # Every code point is one or two units, so ``radius`` code points hold at least ``radius`` units.
    before = _units(text[max(0, offset - radius) : offset])
    after = _units(text[offset + length : offset + length + radius])
    prefix = "..." if len(before) >= 2 * radius else ""
    suffix = "..." if len(after) >= 2 * radius else ""
    before = before[len(before) - 2 * radius :] if prefix else before
    after = after[: 2 * radius]
    span = text[offset : offset + length]
    window = prefix + _text(before) + span + _text(after) + suffix
    return {
        "text": window.replace("\n", " "),
        "offset": len(prefix) + len(before) // 2,
        "length": utf16_length(span),
    }


def _units(text: str) -> bytes:
    return text.encode("utf-16-le")


_HALF = re.compile(r"[\ud800-\udfff]")


def _text(units: bytes) -> str:
    """UTF-16 units as text, a surrogate without its other half as "?"."""
    return _HALF.sub("?", units.decode("utf-16-le", "surrogatepass"))
