"""What copydesk sends LanguageTool: a document cut into bounded pieces of annotated text.

LanguageTool's time per check grows with the text and, much faster, with some kinds of
text: a single 200-character "word" of letters, accents and emoji takes its speller 18 s,
a run of 1,000 emoji 12 s (measured on LanguageTool 6.8, 2 cores). So before anything goes
to the server:

* **non-prose is masked**: a token longer than :data:`MAX_TOKEN` characters, a run of
  tokens without a single letter or digit longer than :data:`MAX_SYMBOL_RUN` characters, and
  a run of spaces or tabs longer than :data:`MAX_BLANK_RUN` become markup of the annotated
  text (read as a placeholder word, or a space): offsets still point into the text as sent;
* **long texts are cut** into pieces of at most ``max_chars`` code points, at a paragraph
  start if the piece holds one, else at a sentence start, else (a sentence longer than a
  piece) at a space within :data:`MAX_SENTENCE_CHARS`, so each check is short and pieces
  can run side by side; a stretch that LanguageTool reads as one sentence (no full stop, no
  paragraph break) is cut so too, however short the text. A piece with no prose in it is not
  sent, and no cut leaves one before the first prose of a piece (the white space that opens a
  text is LanguageTool's to judge, with the text after it).

A LanguageTool-API client's text goes as it was sent (:func:`as_sent`), not masked, cut only
where it is longer than a piece or has a stretch LanguageTool would read as one sentence
longer than :data:`MAX_SENTENCE_CHARS`.

A paragraph start here is one LanguageTool itself makes (:data:`PARAGRAPH_BREAK`), not any
blank line of ``service.text.segments``: a line of no-break spaces, U+2028 or U+2029, or lone
carriage returns ends no paragraph for LanguageTool, often not even a sentence, and a cut
there would make it read the sentences on either side apart.

Pieces are annotated text (:class:`~service.findings.Annotated` parts, in order) with
their offset into the source, so the caller adds that offset to what LanguageTool says.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import Annotated, placeholder
from ..text import segments

# LanguageTool's time grows faster than the length of a sentence (a 4,000-character sentence
# takes it 6 s, a 1,000-character one under 1 s): a piece that has to cut through a sentence
# is at most this long.
MAX_SENTENCE_CHARS = 1500
MAX_TOKEN = 48
MAX_SYMBOL_RUN = 32
MAX_BLANK_RUN = 64

_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN + 1},}}")
# Tokens without a letter, digit or underscore, with the spaces or tabs between them.
_SYMBOL_RUN = re.compile(r"[^\w\s]+(?:[ \t]+[^\w\s]+)*")
_BLANK_RUN = re.compile(rf"[ \t]{{{MAX_BLANK_RUN + 1},}}")
# Where LanguageTool starts a paragraph: its sentence splitter breaks after a line break, white
# space, a line break and tabs (the "ByTwoLineBreaks" rule of languagetool-core's segment.srx;
# Java's \s is ASCII only), and its text-level rules take such a break for a paragraph's end
# (Tools.isParagraphEnd). The tabs open no sentence: they end the one before.
PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\n\x0b\x0c\r]*\r?\n\t*")
_PROSE = re.compile(r"\S")
# What may stand before a paragraph's first word: white space, quotation marks and brackets.
OPENERS = re.compile(r"[\s\"'\u2018\u201c\u00ab\u201e(\[]*")
# Where LanguageTool's English splitter most often ends a sentence: after its punctuation (and
# a closing quotation mark or bracket) and white space, and at a paragraph break; not at a
# single line break, where copydesk's own splitter does. A stretch with none of them (short
# lines with no full stop: a list of figures, 5,000 lines of "$$a") is one sentence to it, and
# it writes that sentence into each of its findings there: 8,000 such characters made 36 MB of
# findings, and 20,000 ran a server with the default 1 GB heap out of it, and it exited. So no
# piece holds more than MAX_SENTENCE_CHARS of such a stretch (_cuts).
# The punctuation is looked behind for, one character: "[.!?]+" ahead backtracked over a run
# of full stops with no space after it, from each of them (a text of 100,000 "." took minutes).
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"')\]\u2019\u201d]*\s|\r?\n[ \t\n\x0b\x0c\r]*\r?\n")


@dataclass(frozen=True)
class Piece:
    """``source[start:start + len(text)]`` as annotated ``parts``. ``lead`` and ``trail``, from
    :func:`plan`, count the characters before the first and after the last of LanguageTool's
    sentence ends in it: what joining it to the piece before or after adds to a sentence there
    (:func:`batches`)."""

    start: int
    parts: tuple[Annotated, ...]
    lead: int = 0
    trail: int = 0

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def end(self) -> int:
        """Where the piece ends in the source: the next piece is adjacent when it starts here."""
        return self.start + len(self.text)

    @property
    def has_prose(self) -> bool:
        return any(not part.markup and part.text.strip() for part in self.parts)

    def tail(self, start: int) -> Piece:
        """The piece from ``start`` (an offset into the source, inside this piece) to its end."""
        (_, _), (_, rest) = _slices(self.parts, [0, start - self.start, len(self.text)])
        return Piece(start, tuple(rest))


def plan(
    source: str, annotation: Sequence[Annotated], view: str, max_chars: int, paragraphs: bool = False
) -> list[Piece]:
    """The pieces to check for ``source`` (annotated as ``annotation``, or plain text when it is
    empty), cut where ``view`` (its prose view: the same length) has paragraphs and sentences.
    With ``paragraphs``, every paragraph starts a piece (the units of the paragraph cache)."""
    parts = mask(annotation or (Annotated(source),))
    return [piece for piece in _pieces(parts, view, max_chars, paragraphs) if piece.has_prose]


def as_sent(source: str, annotation: Sequence[Annotated], view: str, max_chars: int) -> list[Piece]:
    """A LanguageTool-API client's text (``source``, annotated as ``annotation``) as it sent it,
    since LanguageTool's answer to it is that client's: not masked, whole up to ``max_chars``, and
    cut as :func:`plan` cuts beyond that and inside each stretch LanguageTool would read as one
    sentence longer than MAX_SENTENCE_CHARS (:data:`_SENTENCE_END`). LanguageTool builds its
    answer in its heap, and it can be far longer than the text: each finding holds its sentence
    (three requests of 10,000 characters of "$$a" lines at once ran a 1 GB server out of heap)
    and every word its speller finds near an unknown one (115,000 characters of "$$a." lines,
    23,000 findings with 468 each, ran a 2 GB server out of heap)."""
    parts = tuple(annotation or (Annotated(source),))
    pieces = _pieces(parts, view, max_chars)
    return pieces if len(pieces) > 1 else [Piece(0, parts)]  # a blank text too: LanguageTool answers it


def _pieces(parts: Sequence[Annotated], view: str, max_chars: int, paragraphs: bool = False) -> list[Piece]:
    ends = _sentence_ends(view, parts)
    cuts = _cuts(view, _markup_spans(parts), max_chars, ends, paragraphs)
    pieces = []
    for (start, sliced), end in zip(_slices(parts, cuts), cuts[1:], strict=True):
        if end <= start:  # a cut made twice (at the end of a markup part that ends the text)
            continue
        first = ends[bisect.bisect_right(ends, start)]  # the text's end is the last of them
        last = ends[bisect.bisect_right(ends, end) - 1]  # an end at the piece's start is the one before's
        pieces.append(Piece(start, tuple(sliced), min(first, end) - start, end - max(last, start)))
    return pieces


def batches(pieces: Sequence[Piece], max_chars: int) -> list[tuple[Piece, list[Piece]]]:
    """Runs of adjacent ``pieces`` joined into checks of at most ``max_chars`` code points (one
    piece may be longer): what goes to LanguageTool when the paragraph cache knows the others.
    Each check comes with the pieces it is made of."""
    joined: list[tuple[Piece, list[Piece]]] = []
    run: list[Piece] = []
    size = 0
    trail = 0  # the run's characters after its last sentence end
    for piece in pieces:
        length = len(piece.text)
        adjacent = run and run[-1].end == piece.start
        # Two pieces cut out of one long stretch without a sentence end stay apart (_cuts).
        if run and (not adjacent or size + length > max_chars or trail + piece.lead > MAX_SENTENCE_CHARS):
            joined.append((Piece(run[0].start, tuple(p for r in run for p in r.parts)), run))
            run, size, trail = [], 0, 0
        run.append(piece)
        size += length
        trail = trail + length if piece.trail == length else piece.trail  # no end in it: the stretch goes on
    if run:
        joined.append((Piece(run[0].start, tuple(p for r in run for p in r.parts)), run))
    return joined


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


def mask(parts: Sequence[Annotated]) -> list[Annotated]:
    """``parts`` with the non-prose runs of their prose parts turned into markup. A run reads as
    a :func:`~service.findings.placeholder` numbered after those the markup already has (there
    are fewer of them than markup parts), so no two in a row are the same word."""
    masked: list[Annotated] = []
    words = sum(part.markup for part in parts)
    for part in parts:
        if part.markup:
            masked.append(part)
            continue
        position = 0
        for start, end, reads_as in _non_prose(part.text):
            if reads_as is None:
                reads_as, words = placeholder(words), words + 1
            if start > position:
                masked.append(Annotated(part.text[position:start]))
            masked.append(Annotated(part.text[start:end], markup=True, interpret_as=reads_as))
            position = end
        if position < len(part.text):
            masked.append(Annotated(part.text[position:]))
    return masked


def _non_prose(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, what it reads as: a space, or None for a placeholder word) of each run to
    mask, in order, not overlapping."""
    runs: list[tuple[int, int, str | None]] = [(m.start(), m.end(), None) for m in _LONG_TOKEN.finditer(text)]
    runs += [(m.start(), m.end(), None) for m in _SYMBOL_RUN.finditer(text) if len(m.group()) > MAX_SYMBOL_RUN]
    runs += [(m.start(), m.end(), " ") for m in _BLANK_RUN.finditer(text)]
    runs.sort()
    kept: list[tuple[int, int, str | None]] = []
    for run in runs:
        if not kept or run[0] >= kept[-1][1]:
            kept.append(run)
        elif run[1] > kept[-1][1]:  # overlapping runs (a long token inside a symbol run) merge
            kept[-1] = (kept[-1][0], run[1], None)
    return kept


# --------------------------------------------------------------------------------------------
# Cutting
# --------------------------------------------------------------------------------------------


def _markup_spans(parts: Sequence[Annotated]) -> list[tuple[int, int]]:
    spans, position = [], 0
    for part in parts:
        if part.markup:
            spans.append((position, position + len(part.text)))
        position += len(part.text)
    return spans


def _cuts(
    view: str, markup: list[tuple[int, int]], max_chars: int, ends: list[int], every_paragraph: bool = False
) -> list[int]:
    """Piece boundaries: 0, ..., len(view), each piece at most ``max_chars`` long (unless one
    markup part is longer), never inside a markup part; with ``every_paragraph``, also at
    each paragraph LanguageTool starts."""
    length = len(view)
    if length <= max_chars and not every_paragraph and _stretch_past(ends, 0, length) is None:
        return [0, length]
    paragraphs = paragraph_starts(view)
    if every_paragraph:
        # Each paragraph on its own, cut as a text of its own when it is long, so its pieces
        # do not depend on what comes before it.
        bounds = [0, *paragraphs, length]
        cuts = [0]
        for a, b in zip(bounds, bounds[1:], strict=False):
            inside = [(m - a, n - a) for m, n in markup if a <= m and n <= b]
            within = [0, *(end - a for end in ends[bisect.bisect_right(ends, a) : bisect.bisect_left(ends, b)]), b - a]
            cuts += [a + cut for cut in _cuts(view[a:b], inside, max_chars, within)[1:]]
        return cuts
    # A paragraph that opens in lower case goes on from the one before (after a list or a code
    # block): LanguageTool, reading it first, flags a sentence that starts in lower case.
    paragraphs = [start for start in paragraphs if not _lower_case_at(view, start)]
    sentence_starts = [s.start for s in segments.sentences(view)]
    markup_starts = [start for start, _ in markup]
    cuts = [0]
    while True:
        start = cuts[-1]
        limit = min(length, start + max_chars)
        stretch = _stretch_past(ends, start, limit)
        if stretch is None and length - start <= max_chars:
            break
        # A cut before the piece's first prose would leave a piece of white space, never sent.
        prose = _PROSE.search(view, start, limit)
        floor = prose.start() if prose else limit
        if stretch is not None:  # cut inside the long stretch, as through a long sentence
            limit = max(min(limit, stretch + MAX_SENTENCE_CHARS), floor + 1)
        cut = (
            _last_in(paragraphs, floor, limit)
            or _last_in(sentence_starts, floor, limit)
            or _last_space(view, floor, min(limit, start + MAX_SENTENCE_CHARS))
            or min(limit, start + MAX_SENTENCE_CHARS)
        )
        n = bisect.bisect_right(markup_starts, cut) - 1
        if n >= 0 and markup[n][0] < cut < markup[n][1]:
            cut = markup[n][0] if markup[n][0] > start else markup[n][1]
        cuts.append(cut)
    cuts.append(length)
    return cuts


def _sentence_ends(view: str, parts: Sequence[Annotated]) -> list[int]:
    """Where LanguageTool ends a sentence in ``view`` (:data:`_SENTENCE_END`), and after each
    markup part of ``parts`` it reads as a line break (a Markdown block's end, a code block),
    sorted, with 0 first and the text's end last."""
    ends = {m.end() for m in _SENTENCE_END.finditer(view)}
    position = 0
    for part in parts:
        position += len(part.text)
        if part.markup and "\n" in (part.interpret_as or ""):
            ends.add(position)
    ends.discard(0)
    ends.discard(len(view))
    return [0, *sorted(ends), len(view)]


def _stretch_past(ends: list[int], start: int, limit: int) -> int | None:
    """Where, from ``start`` and before ``limit``, a stretch between two of LanguageTool's
    sentence ends (``ends``, sorted, the text's end last) first runs past MAX_SENTENCE_CHARS."""
    n = bisect.bisect_right(ends, start)
    previous = start
    while n < len(ends) and previous < limit:
        if ends[n] - previous > MAX_SENTENCE_CHARS:
            return previous
        previous = ends[n]
        n += 1
    return None


def paragraph_starts(view: str) -> list[int]:
    """Where LanguageTool starts a paragraph in ``view`` (:data:`PARAGRAPH_BREAK`) with prose
    before it and after it."""
    first, last = len(view) - len(view.lstrip()), len(view.rstrip())
    return [m.end() for m in PARAGRAPH_BREAK.finditer(view) if first < m.end() < last]


def _lower_case_at(view: str, start: int) -> bool:
    """Whether the paragraph at ``start`` opens with a letter in lower case (past OPENERS)."""
    first = OPENERS.match(view, start).end()  # type: ignore[union-attr]  # matches ""
    return view[first : first + 1].islower()


def _last_in(positions: list[int], start: int, limit: int) -> int | None:
    n = bisect.bisect_right(positions, limit) - 1
    return positions[n] if n >= 0 and positions[n] > start else None


def _last_space(view: str, start: int, limit: int) -> int | None:
    at = max(view.rfind(" ", start + 1, limit), view.rfind("\n", start + 1, limit))
    return at + 1 if at > start else None


def _slices(parts: Sequence[Annotated], cuts: list[int]) -> list[tuple[int, list[Annotated]]]:
    """The parts covering each ``[cuts[n], cuts[n + 1])``, in one pass; a part that straddles a
    cut is split (a cut markup part keeps what it reads as in its first half)."""
    pieces: list[tuple[int, list[Annotated]]] = [(start, []) for start in cuts[:-1]]
    n = 0
    position = 0
    for part in parts:
        part_start, part_end = position, position + len(part.text)
        position = part_end
        while n + 1 < len(cuts) and cuts[n + 1] <= part_start:
            n += 1
        k = n
        while k + 1 < len(cuts) and cuts[k] < part_end:
            a, b = max(cuts[k], part_start) - part_start, min(cuts[k + 1], part_end) - part_start
            if b > a:
                pieces[k][1].append(Annotated(part.text[a:b], part.markup, part.interpret_as if a == 0 else ""))
            k += 1
    return pieces
