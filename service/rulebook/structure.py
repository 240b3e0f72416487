"""Structure checks: the closed allow-list of text-level checks a rule may name.

A rule of kind ``structure`` names one of these functions; YAML never carries code. Each
function takes the string checked (a whole text, or one headline) and whether it is a Markdown
or HTML document's text with its blocks on lines of their own (``Document.lined``), and yields
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
# The labels of a cross-link to another story ("Read also: ...").
_READ_LABELS = "read also|also read|read more|must read"
# A whole line (whatever its line break: segments.LINE_BREAK) holding only the label.
_LINK_FARM_LABEL = re.compile(
    rf"(?<![^\r\n])[ \t]*(?:{_READ_LABELS}|related(?: posts| stories| news)?|more stories)"
    r"[ \t]*(?::[ \t]*)?(?![^\r\n])",
    re.IGNORECASE,
)
_ACRONYMS = {"NASA", "NATO", "FIFA", "COVID", "UEFA", "OPEC", "AIDS", "UNICEF", "UNESCO", "ASEAN", "NAFTA"}
_CAPS_WORD = re.compile(r"\b[A-Z]{4,}\b")
# No word of English shouted in a headline is without a vowel; an abbreviation often is
# ("NDMC ties up with MTNL", "NEET results, MBBS graduate").
_VOWEL = re.compile(r"[AEIOUY]")
# A kicker: one or two words in capitals and a colon opening the headline ("VIDEO:", "LIVE
# UPDATES:", "BREAKING NEWS:"), a newsroom's label for what follows rather than a shout; or a
# cross-link's label ("READ MORE:", "MUST READ |"), which boilerplate.inline-read-also flags as
# furniture: the linked headline after it is judged, the label is no shout of its own.
_KICKER = re.compile(rf"\s*(?:[A-Z]{{2,}}(?:[ \t][A-Z]{{2,}})?:|(?:{_READ_LABELS.upper()})[ \t]*[:|])(?=\s)")


def _glued_domain(text: str, in_blocks: bool) -> Iterator[Hit]:
    """A bare domain glued to the word before it by a colon ("updates:newsydron.com")."""
    for match in _GLUED.finditer(text):
        start, end = match.span("domain")
        yield start, end, ()


def _link_farm_block(text: str, in_blocks: bool) -> Iterator[Hit]:
    """A "Read Also:" label line followed by one or more headline lines, up to a line that
    reads as prose, goes on into the next (``segments.goes_on``: hard-wrapped prose) or, in
    plain text, is blank. Blank lines may stand between the label and its first headline (a
    paragraph and its list), and in Markdown or HTML (``in_blocks``: ``text`` has each block on
    lines of its own, ``Document.lined``) between the headlines too, which are blocks apart."""
    lines: tuple[segments.Span, ...] = ()
    starts: list[int] = []
    for label in _LINK_FARM_LABEL.finditer(text):
        if not lines:
            lines = segments.lines(text)
            starts = [line.start for line in lines]
        end = label.end()
        n = _with_words(text, lines, bisect.bisect_right(starts, label.start()))  # after the label's line
        while n < len(lines):
            line = lines[n]
            after = _with_words(text, lines, n + 1)
            if not segments.looks_like_headline(line.of(text)):
                break
            if after < len(lines) and segments.goes_on(text, line, lines[after]):
                break
            end = line.end
            if not in_blocks and after > n + 1:
                break  # a blank line ends a plain text's list
            n = after
        if end > label.end():
            yield label.start() + (len(label.group()) - len(label.group().lstrip())), end, ()


def _with_words(text: str, lines: tuple[segments.Span, ...], n: int) -> int:
    """The index of the first line from ``lines[n]`` on that holds words (``len(lines)`` if none)."""
    while n < len(lines) and not lines[n].of(text).strip():
        n += 1
    return n


def _question_headline(text: str, in_blocks: bool) -> Iterator[Hit]:
    """A headline that only asks: the reader must click for the answer."""
    stripped = text.strip()
    if stripped.endswith("?") and segments.word_count(stripped) >= 3:
        start = text.index(stripped)
        yield start, start + len(stripped), ()


def _shouting_headline(text: str, in_blocks: bool) -> Iterator[Hit]:
    """Two or more different words in capitals (not acronyms, nor a kicker) in a headline. One
    word in capitals twice ("ISIS claims ... as ISIS fighters ...") is a name used twice."""
    kicker = _KICKER.match(text)
    after = kicker.end() if kicker else 0
    shouted = [
        m for m in _CAPS_WORD.finditer(text, after) if m.group() not in _ACRONYMS and _VOWEL.search(m.group())
    ]
    if len({m.group() for m in shouted}) >= 2:
        yield shouted[0].start(), shouted[-1].end(), ()


STRUCTURE_CHECKS: dict[str, Callable[[str, bool], Iterator[Hit]]] = {
    "glued-domain": _glued_domain,
    "link-farm-block": _link_farm_block,
    "question-headline": _question_headline,
    "shouting-headline": _shouting_headline,
}
