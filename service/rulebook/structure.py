"""Structure checks: the closed allow-list of text-level checks a rule may name.

A rule of kind ``structure`` names one of these functions; YAML never carries code. Each
function takes the string checked (a whole text, or one headline) and yields
``(start, end, replacements)`` spans in code points.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from ..text import segments

Hit = tuple[int, int, tuple[str, ...]]  # where a rule matched (start, end) and the replacements it offers

# --------------------------------------------------------------------------------------------
# Structure checks: the allow-list of text-level checks a rule may name
# --------------------------------------------------------------------------------------------

_GLUED = re.compile(
    r"(?<=\w[:|])(?P<domain>[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,4}"
    r"\.(?:com|net|org|in|co|info|news|io|biz|online|site|xyz|uk|us|me|tv))\b"
)
# A whole line (whatever its line break: segments.LINE_BREAK) holding only the label.
_LINK_FARM_LABEL = re.compile(
    r"(?<![^\r\n])[ \t]*(?:read also|also read|read more|related(?: posts| stories| news)?|more stories|must read)"
    r"[ \t]*(?::[ \t]*)?(?![^\r\n])",
    re.IGNORECASE,
)
_ACRONYMS = {"NASA", "NATO", "FIFA", "COVID", "UEFA", "OPEC", "AIDS", "UNICEF", "UNESCO", "ASEAN", "NAFTA"}
_CAPS_WORD = re.compile(r"\b[A-Z]{4,}\b")
# A kicker: one word in capitals and a colon opening the headline ("VIDEO:", "WATCH:"), a
# newsroom's label for what follows rather than a shout.
_KICKER = re.compile(r"\s*[A-Z]{2,}:(?=\s)")


def _glued_domain(text: str) -> Iterator[Hit]:
    """A bare domain glued to the word before it by a colon ("updates:newsydron.com")."""
    for match in _GLUED.finditer(text):
        start, end = match.span("domain")
        yield start, end, ()


def _link_farm_block(text: str) -> Iterator[Hit]:
    """A "Read Also:" label line followed by one or more headline lines, up to a line that
    is blank or reads as prose."""
    all_lines: tuple[segments.Span, ...] = ()
    starts: list[int] = []
    for label in _LINK_FARM_LABEL.finditer(text):
        if not all_lines:
            all_lines = segments.lines(text)
            starts = [line.start for line in all_lines]
        end = label.end()
        following = bisect.bisect_right(starts, label.start())  # the line after the label's
        while following < len(all_lines):
            line = all_lines[following].of(text)
            if not line.strip() or not segments.looks_like_headline(line.rstrip(".")):
                break
            end = all_lines[following].end
            following += 1
        if end > label.end():
            yield label.start() + (len(label.group()) - len(label.group().lstrip())), end, ()


def _question_headline(text: str) -> Iterator[Hit]:
    """A headline that only asks: the reader must click for the answer."""
    stripped = text.strip()
    if stripped.endswith("?") and segments.word_count(stripped) >= 3:
        start = text.index(stripped)
        yield start, start + len(stripped), ()


def _shouting_headline(text: str) -> Iterator[Hit]:
    """Two or more words in capitals (not acronyms, nor a kicker) in a headline."""
    kicker = _KICKER.match(text)
    after = kicker.end() if kicker else 0
    shouted = [m for m in _CAPS_WORD.finditer(text, after) if m.group() not in _ACRONYMS]
    if len(shouted) >= 2:
        yield shouted[0].start(), shouted[-1].end(), ()


STRUCTURE_CHECKS: dict[str, Callable[[str], Iterator[Hit]]] = {
    "glued-domain": _glued_domain,
    "link-farm-block": _link_farm_block,
    "question-headline": _question_headline,
    "shouting-headline": _shouting_headline,
}
