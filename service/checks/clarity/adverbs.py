"""Adverbs: the manner adverbs and -ly intensifiers Hemingway asks writers to cut.

A word ending in -ly is counted unless ``wordlists/adverbs.txt`` lists it: adjectives and
nouns ("family", "early", "likely"), and adverbs that do other work than describing how
something is done (time, frequency, focus, viewpoint, linking: "recently", "only",
"reportedly", "consequently"). A capitalised -ly word inside a sentence is a name ("Kelly",
"Italy"); at the start of one it counts only when a comma follows ("Slowly, ..."), since
"Emily said" starts sentences too. Hyphenated compounds ("newly-built") are adjectives.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...text.segments import Span
from .tokens import Token, tokens
from .wordlists import words

NOT_COUNTED = words("adverbs")
MIN_LENGTH = 5  # "only", "ugly", "holy": no four-letter word in -ly is a manner adverb


def adverbs(text: str, sentence: Span, toks: Sequence[Token] | None = None) -> list[Span]:
    """The counted adverbs of ``text[sentence]``, as spans of ``text``. ``toks`` are
    the sentence's tokens, when the caller has them already."""
    toks = tokens(text, sentence) if toks is None else toks
    found = []
    for i, token in enumerate(toks):
        word = token.lower
        if len(word) < MIN_LENGTH or not word.endswith("ly") or not word.isalpha() or word in NOT_COUNTED:
            continue
        if token.capitalised and (i > 0 or i + 1 >= len(toks) or text[token.end : toks[i + 1].start].strip() != ","):
            continue
        found.append(Span(token.start, token.end))
    return found
