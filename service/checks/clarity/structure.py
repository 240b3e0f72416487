"""The measures of a text's shape: paragraphs, subheadings, sentence openings and lengths.

Each takes spans from ``service.text.segments`` (sentences, paragraphs, words) and returns
the spans a finding points at; none of them reads the text in another way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...text import segments
from ...text.segments import Span
from .tokens import Token
from .wordlists import words

LOOK_PAST = words("sentence_starts")


def opening(toks: Sequence[Token]) -> str | None:
    """How a sentence starts, for comparing openings: its first word, lower case, or its first
    two when the first is an article, demonstrative or numeral ("the mayor"). None when one of
    them is inline code or an address (``segments.MASKED_WORD``): what it says is not read, so
    "`make run` starts it. `make test` tests it." do not start alike."""
    if not toks:
        return None
    first = toks[0].lower
    key = f"{first} {toks[1].lower}" if first in LOOK_PAST and len(toks) > 1 else first
    return None if segments.MASKED_WORD in key else key


def runs(keys: Sequence[object | None], minimum: int, divisions: Sequence[int] = ()) -> list[tuple[int, int]]:
    """``(first, last)`` indexes of every maximal run of at least ``minimum`` equal, non-None keys,
    each within one division of the text (``divisions``: per key, the division it stands in,
    a code block dividing the prose; none given, one division)."""
    found = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] is None or keys[i] != keys[start] or _crosses(divisions, start, i):
            if keys[start] is not None and i - start >= minimum:
                found.append((start, i - 1))
            start = i
    return found


def same_length_runs(
    lengths: Sequence[int | None], minimum: int, tolerance: int, divisions: Sequence[int] = ()
) -> list[tuple[int, int]]:
    """``(first, last)`` indexes of runs of at least ``minimum`` consecutive lengths that differ
    from each other by at most ``tolerance``, each within one division (as for :func:`runs`);
    ``None`` (a heading) breaks a run. Greedy from the left, so runs never overlap; each start is
    tried at most ``minimum`` times, which keeps it linear for a bounded ``minimum``."""
    found = []
    start = 0
    n = len(lengths)
    while start < n:
        first = lengths[start]
        if first is None:
            start += 1
            continue
        low = high = first
        end = start + 1
        while (
            end < n
            and (length := lengths[end]) is not None
            and max(high, length) - min(low, length) <= tolerance
            and not _crosses(divisions, start, end)
        ):
            low, high = min(low, length), max(high, length)
            end += 1
        if end - start >= minimum:
            found.append((start, end - 1))
            start = end
        else:
            start += 1
    return found


def _crosses(divisions: Sequence[int], first: int, i: int) -> bool:
    return bool(divisions) and divisions[i] != divisions[first]


def stretches(text: str, headings: Sequence[Span]) -> list[tuple[Span, int]]:
    """The text between headings (and before the first, after the last), each as the span from
    its first to its last word and its word count; stretches without words are left out."""
    found = []
    bounds = [0]
    for heading in sorted(headings):
        bounds += [heading.start, heading.end]
    bounds.append(len(text))
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        inner = segments.words(text[start:end])
        if inner:
            found.append((Span(start + inner[0].start, start + inner[-1].end), len(inner)))
    return found


def paragraph_lengths(text: str, paragraphs: Sequence[Span]) -> list[tuple[Span, int]]:
    """Every paragraph (``Document.paragraphs``: in Markdown and HTML the markup's blocks, so a
    table or a list is many blocks, not one paragraph) and its word count."""
    return [(p, segments.word_count(p.of(text))) for p in paragraphs]
