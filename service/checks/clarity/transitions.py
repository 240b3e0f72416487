"""Transition words: does a sentence say how it follows from the one before?

The words and phrases are ``wordlists/transitions.txt``. At each word only the phrases that
start with it are tried (longest first, at most a few words each), so a sentence is matched in
time linear in its length.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...text.segments import Span
from .tokens import Token, tokens
from .wordlists import phrases

PHRASES = phrases("transitions")


def transitions(text: str, sentence: Span, toks: Sequence[Token] | None = None) -> list[Span]:
    """The transition words and phrases of ``text[sentence]``, as spans of ``text``, in order. ``toks`` are
    the sentence's tokens, when the caller has them already."""
    toks = tokens(text, sentence) if toks is None else toks
    lowered = [t.lower for t in toks]
    found: list[Span] = []
    i = 0
    while i < len(toks):
        for phrase in PHRASES.get(lowered[i], ()):
            end = i + len(phrase)
            if tuple(lowered[i:end]) == phrase and not any(t.after_break for t in toks[i + 1 : end]):
                found.append(Span(toks[i].start, toks[end - 1].end))
                i = end - 1
                break
        i += 1
    return found
