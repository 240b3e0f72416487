"""The words of a sentence as the clarity measures read them.

Words are ``service.text.segments.words``; nothing here splits text another way. Two things
are added on top, because the measures need them: a word joined to the next by a hyphen is one
token ("re-elected", "well-known": its parts decide whether it is a participle), and each token
knows whether punctuation stands between it and the token before (a comma ends a verb group).

Four measures read the same sentences; ``service.checks.clarity`` makes each sentence's tokens
once and hands them to every measure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...text import segments
from ...text.segments import Span

_HYPHENS = frozenset("-‐‑")
_APOSTROPHES = "'’"
# Punctuation that ends a verb group or a phrase when it stands between two words (not the
# JOINER a prose view writes over the rest of an entity: '"&quot;trapped' is '"trapped').
_BREAK = re.compile(r"[^\s\"'“”‘’«»()\[\]*_" + segments.JOINER + "]")


class Token(NamedTuple):
    text: str
    # Lower case, with typographic apostrophes made straight ("it’s" -> "it's") and without the
    # markup inside the word ("21<sup>st</sup>" -> "21st").
    lower: str
    start: int
    end: int
    # Punctuation (other than quotes and brackets) stands between this token and the one before.
    after_break: bool

    @property
    def parts(self) -> tuple[str, ...]:
        """The hyphen-separated parts, lower case ("re-elected" -> ("re", "elected"))."""
        return tuple(re.split("[-‐‑]", self.lower))

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    def apostrophe(self) -> int | None:
        """Where a contracted ending ('s, 're, n't) starts in the text, if the token has one."""
        for i in range(len(self.text) - 1, 0, -1):
            if self.text[i] in _APOSTROPHES:
                return self.start + i
        return None


def _token(text: str, start: int, end: int, after_break: bool) -> Token:
    word = text[start:end]
    return Token(word, word.lower().replace("’", "'").replace(segments.JOINER, ""), start, end, after_break)


def tokens(text: str, span: Span) -> tuple[Token, ...]:
    """The tokens of ``text[span.start:span.end]``, with offsets into ``text``."""
    found: list[Token] = []
    previous_end = -1
    base = span.start
    for word in segments.words(span.of(text)):
        start, end = base + word.start, base + word.end
        if previous_end < 0:
            found.append(_token(text, start, end, False))
        elif start == previous_end + 1 and text[previous_end] in _HYPHENS:
            last = found.pop()
            found.append(_token(text, last.start, end, last.after_break))
        else:
            punctuated = start > previous_end and _BREAK.search(text, previous_end, start) is not None
            found.append(_token(text, start, end, punctuated))
        previous_end = end
    return tuple(found)
