"""Clarity: the measures Hemingway and Yoast show, each with its value, thresholds and band.

Part of the readability section (``checks.readability.clarity`` in a report, findings in the
section's issues with ``readability.*`` rule ids); :func:`assess` is called by
``service.checks.readability`` once the hard sentences are known. The README's "Clarity"
section documents every measure, band and formula; this module is their one implementation.

What the measures look at comes from ``service.text.segments``: **sentences** are its
sentences with at least one word (``Document.sentences``: in Markdown and HTML none crosses
the edge of a block, in plain text that of a table's cell), and **body sentences** those that
are not headings (the Markdown/HTML headings of ``Document.headings``; for plain text its headline lines, see
:func:`headings`), nor a table of contents' entries (``Document.in_document_link``: the words
of the heading an entry names), nor in a table's cells (``Document.in_table_cell``: the values
and labels of a grid), since none of these is a sentence of the prose. **Words** are its words
in the whole text; **paragraphs** are its paragraphs, or in Markdown and HTML the reader's
blocks (``Document.blocks``: a paragraph, a list item, a table cell). Sentence measures
(passive voice, long sentences, transitions, length variety) judge body sentences; word
measures (adverbs) every word. The runs (sentences that start alike or match in length) leave
out a list's items too (``Document.in_list_item``), which a writer keeps parallel on purpose.

Each measure has a band: ``good``, ``ok``, ``poor``, or ``not_applicable`` (too little text to
judge). For a measure where lower is better, a value above ``poor`` is poor, else a value at or
below ``good`` is good, else ok; where higher is better, the mirror image. "Poor" is decided
first, so a request that sets ``good`` beyond ``poor`` gets a consistent answer.

**Score.** :attr:`Clarity.factor` multiplies the readability score: each measure in the ok band
costs 0.025 and each in the poor band 0.05, so eight poor measures leave 0.6 of it. A finding
more, or a worse one, can only move a measure towards poor, never lower the cost.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ...findings import Document, Finding
from ...text import segments
from ...text.memo import remembered
from ...text.segments import Span
from .. import unsuppressed
from .adverbs import adverbs
from .passive import passive_groups
from .structure import opening, paragraph_lengths, runs, same_length_runs, stretches
from .thresholds import ReadabilityThresholds
from .tokens import tokens
from .transitions import transitions

# The rule id of each measure's findings (a LanguageTool-API client selects them by these).
PASSIVE_VOICE = "readability.passive-voice"
ADVERB = "readability.adverb"
LONG_SENTENCE = "readability.long-sentence"
LONG_PARAGRAPH = "readability.long-paragraph"
SENTENCE_STARTS = "readability.sentence-starts"
TRANSITION_WORDS = "readability.transition-words"
SUBHEADING_DISTRIBUTION = "readability.subheading-distribution"
SENTENCE_VARIETY = "readability.sentence-variety"
# LanguageTool's rule on successive sentences that start with the same word: it flags the runs
# SENTENCE_STARTS measures, so a report lists each run once (``checks.grammar.without_twins``).
SAME_START_RULE = "ENGLISH_WORD_REPEAT_BEGINNING_RULE"
RULE_IDS = (
    PASSIVE_VOICE, ADVERB, LONG_SENTENCE, LONG_PARAGRAPH, SENTENCE_STARTS, TRANSITION_WORDS, SUBHEADING_DISTRIBUTION,
    SENTENCE_VARIETY,
)

__all__ = ["BAND_COST", "RULE_IDS", "Clarity", "Measure", "ReadabilityThresholds", "assess", "band"]

Band = Literal["good", "ok", "poor", "not_applicable"]
BAND_COST: dict[str, float] = {"good": 0.0, "ok": 0.025, "poor": 0.05, "not_applicable": 0.0}


def band(value: float | None, good: float, poor: float, better: Literal["lower", "higher"]) -> Band:
    if value is None:
        return "not_applicable"
    if better == "lower":
        return "poor" if value > poor else "good" if value <= good else "ok"
    return "poor" if value < poor else "good" if value >= good else "ok"


@dataclass(frozen=True)
class Measure:
    """One measure of the ``clarity`` object (see the README for each)."""

    name: str
    rule: str
    value: float | None
    unit: str
    better: Literal["lower", "higher"]
    good: float
    poor: float
    count: int
    applicable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def band(self) -> Band:
        return band(self.value if self.applicable else None, self.good, self.poor, self.better)

    def json(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else round(self.value, 2),
            "unit": self.unit,
            "band": self.band,
            "thresholds": {"good": self.good, "poor": self.poor, "better": self.better},
            "count": self.count,
            "rule": self.rule,
            **self.extra,
        }


@dataclass(frozen=True)
class Clarity:
    measures: tuple[Measure, ...]
    findings: tuple[Finding, ...]

    @property
    def factor(self) -> float:
        """What the readability score is multiplied by (1 when every measure is good)."""
        return 1.0 - sum(BAND_COST[m.band] for m in self.measures)

    def json(self) -> dict[str, Any]:
        return {m.name: m.json() for m in self.measures}


def _finding(
    rule: str, description: str, message: str, span: Span, same_as_languagetool: tuple[str, ...] = ()
) -> Finding:
    return Finding(
        check="readability",
        rule_id=rule,
        description=description,
        category="clarity",
        source="copydesk:clarity",
        severity="suggestion",
        message=message,
        offset=span.start,
        length=span.length,
        same_as_languagetool=same_as_languagetool,
    )


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def headings(document: Document) -> tuple[Span, ...]:
    """Where the document's headings stand in its text: the markup's headings; in plain text
    the title where it stands in the text, and the lines that look like headlines
    (``segments.headline_lines``, a first line of its own that looks like one, and a
    paragraph of one such line in a text written a paragraph a line, ``segments.paragraphs``:
    a word processor's subheading) but end as no subheading does (``segments.ends_with_a_stop``). Not
    the lead of ``Document.headline``: a first sentence standing in for a headline is prose."""
    if document.is_markup:
        return tuple(sorted(document.headings))
    text = document.text
    found = set(segments.headline_lines(text))
    whole_runs = {Span(run[0].start, run[-1].end) for run in segments.line_runs(text)}
    found.update(
        p for p in document.paragraphs
        if p not in whole_runs and not segments.LINE_BREAK.search(line := p.of(text))
        and segments.looks_like_headline(line)
    )  # fmt: skip
    first = segments.first_line(text)
    if first is not None and segments.looks_like_headline(first.of(text)):
        found.add(first)
    found = {span for span in found if not segments.ends_with_a_stop(span.of(text))}
    main = document.headline
    if main is not None and main.source == "title" and main.field == "text":
        found.add(Span(main.offset, main.offset + main.covers))
    return tuple(sorted(found))


class Reading(NamedTuple):
    """What the sentence measures find in one sentence, offsets counted from its start."""

    words: int
    passive: tuple[Span, ...]
    adverbs: tuple[Span, ...]
    transition: bool
    opening: str | None


# Every measure of a sentence depends on the sentence's text alone, so an edited article's
# unchanged sentences are read once. COPYDESK_MEMO_ENTRIES of them; longer sentences are read
# each time.
MEMO_MAX_CHARS = 1000


@remembered(MEMO_MAX_CHARS)
def read(sentence: str) -> Reading:
    whole = Span(0, len(sentence))
    toks = tokens(sentence, whole)
    return Reading(
        words=segments.word_count(sentence),
        passive=tuple(passive_groups(sentence, whole, toks)),
        adverbs=tuple(adverbs(sentence, whole, toks)),
        transition=bool(transitions(sentence, whole, toks)),
        opening=opening(toks),
    )


def _shifted(spans: Sequence[Span], by: int) -> list[Span]:
    return [Span(span.start + by, span.end + by) for span in spans]


class Text:
    """The segments of one document the measures share, computed once (the readability check
    makes it, to judge only body sentences hard too, and hands it to :func:`assess`)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = text = document.text
        self.headings = headings(document)
        self._heading_starts = [h.start for h in self.headings]
        read_ = [(s, read(s.of(text))) for s in document.sentences]
        self.readings = {s: reading for s, reading in read_ if reading.words}
        self.sentences = list(self.readings)
        # Per sentence, whether it is left out of the body (a heading, a contents entry, a table
        # cell); and whether it is left out of the runs of sentences that start alike or match in
        # length: those, a list's items, which a writer keeps parallel on purpose, and quoted
        # speech, which is the speaker's.
        self.outside_body = [not self.in_body(s) for s in self.sentences]
        self.outside_runs = [
            out or document.in_list_item(s) or document.in_quoted_sentence(s)
            for s, out in zip(self.sentences, self.outside_body, strict=True)
        ]
        self.body = [s for s, out in zip(self.sentences, self.outside_body, strict=True) if not out]
        # Per sentence, how many code blocks stand before it: a run of sentences that start alike
        # or match in length stops at one, as the captions of code examples are parallel on purpose.
        code_starts = [block.start for block in document.code_blocks]
        self.divisions = [bisect.bisect_right(code_starts, s.start) for s in self.sentences]
        self.words = segments.word_count(text)

    def in_body(self, span: Span) -> bool:
        """Whether the sentence at ``span`` is prose: not in a heading, a contents entry or a
        table's cell."""
        n = bisect.bisect_right(self._heading_starts, span.start) - 1
        in_heading = n >= 0 and span.start < self.headings[n].end
        document = self.document
        return not (in_heading or document.in_document_link(span) or document.in_table_cell(span))

    def words_in(self, sentence: Span) -> int:
        return self.readings[sentence].words

    def passive(self, sentence: Span) -> list[Span]:
        return _shifted(self.readings[sentence].passive, sentence.start)

    def adverbs(self, sentence: Span) -> list[Span]:
        return _shifted(self.readings[sentence].adverbs, sentence.start)

    def kept(self, findings: list[Finding]) -> list[Finding]:
        return unsuppressed(findings, self.document)


def assess(t: Text, limits: ReadabilityThresholds, hard: Sequence[Finding]) -> Clarity:
    """Every clarity measure of the document, and its findings (suppressions applied)."""
    parts = [
        _passive(t, limits),
        _adverbs(t, limits),
        _long_sentences(t, limits, hard),
        _long_paragraphs(t, limits),
        _sentence_starts(t, limits),
        _transition_words(t, limits),
        _subheadings(t, limits),
        _variety(t, limits),
    ]
    return Clarity(
        tuple(measure for measure, _ in parts),
        tuple(sorted((f for _, found in parts for f in found), key=lambda f: (f.offset, f.rule_id))),
    )


Part = tuple[Measure, list[Finding]]


def _passive(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = PASSIVE_VOICE
    found = []
    for sentence in t.body:
        groups = t.passive(sentence)
        if groups:
            verb = t.document.as_shown(groups[0].of(t.text))
            message = f"Passive voice ('{verb}'): say who acted, unless the reader does not need to know."
            found.append(_finding(rule, "Passive voice", message, groups[0]))
    found = t.kept(found)
    measure = Measure(
        "passive_voice", rule, _share(len(found), len(t.body)), "percent of sentences", "lower",
        limits.passive_good, limits.passive_poor, len(found),
        extra={"passive_sentences": len(found), "sentences": len(t.body)},
    )  # fmt: skip
    return measure, found


def _adverbs(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = ADVERB
    found = []
    for sentence in t.sentences:
        for span in t.adverbs(sentence):
            word = t.document.as_shown(span.of(t.text))  # "bad<em>ly</em>" is "badly"
            message = f"Adverb '{word}': a stronger verb or adjective often does its work."
            found.append(_finding(rule, "Adverb", message, span))
    found = t.kept(found)
    allowed = int(t.words * limits.adverbs_good / 100)
    measure = Measure(
        "adverbs", rule, _share(len(found), t.words), "per 100 words", "lower",
        limits.adverbs_good, limits.adverbs_poor, len(found),
        extra={"adverbs": len(found), "words": t.words, "allowed": allowed},
    )  # fmt: skip
    return measure, found


def _long_sentences(t: Text, limits: ReadabilityThresholds, hard: Sequence[Finding]) -> Part:
    rule = LONG_SENTENCE
    limit = limits.long_sentence_words
    found = [
        _finding(rule, "Long sentence", f"This sentence has {t.words_in(s)} words (more than {limit}): split it.", s)
        for s in t.body
        if t.words_in(s) > limit
    ]
    found = t.kept(found)
    # A long sentence that is also hard to read is reported once, as the hard sentence.
    shown_as_hard = {(f.offset, f.length) for f in hard}
    shown = [f for f in found if (f.offset, f.length) not in shown_as_hard]
    measure = Measure(
        "long_sentences", rule, _share(len(found), len(t.body)), "percent of sentences", "lower",
        limits.long_sentences_good, limits.long_sentences_poor, len(shown),
        extra={
            "over_words": limit,
            "long_sentences": len(found),
            "sentences": len(t.body),
            "hard": sum(1 for f in hard if f.severity == "suggestion"),
            "very_hard": sum(1 for f in hard if f.severity == "warning"),
        },
    )  # fmt: skip
    return measure, shown


def _long_paragraphs(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = LONG_PARAGRAPH
    long_limit, very_long = limits.long_paragraph_words, limits.very_long_paragraph_words
    lengths = paragraph_lengths(t.text, t.document.paragraphs)
    found = []
    for span, count in lengths:
        if count > long_limit:
            size = f"more than {very_long}" if count > very_long else f"more than {long_limit}"
            message = f"This paragraph has {count} words ({size}): break it up."
            found.append(_finding(rule, "Long paragraph", message, span))
    found = t.kept(found)
    flagged = {f.offset for f in found}
    judged = [count for span, count in lengths if count <= long_limit or span.start in flagged]
    measure = Measure(
        "long_paragraphs", rule, max(judged, default=None), "words in the longest paragraph", "lower",
        long_limit, very_long, len(found),
        extra={
            "paragraphs": len(lengths),
            "long": len(found),
            "very_long": sum(1 for span, count in lengths if count > very_long and span.start in flagged),
        },
    )  # fmt: skip
    return measure, found


def _sentence_starts(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = SENTENCE_STARTS
    keys = [None if out else t.readings[s].opening for s, out in zip(t.sentences, t.outside_runs, strict=True)]
    found = []
    for first, last in runs(keys, limits.repeated_starts, t.divisions):
        span = Span(t.sentences[first].start, t.sentences[last].end)
        message = f"{last - first + 1} sentences in a row start with '{keys[first]}': vary the openings."
        found.append(_finding(rule, "Sentences start alike", message, span, (SAME_START_RULE,)))
    found = t.kept(found)
    measure = Measure(
        "sentence_starts", rule, float(len(found)) if t.body else None, "runs of sentences starting alike", "lower",
        0, 0, len(found), applicable=bool(t.body), extra={"min_run": limits.repeated_starts},
    )  # fmt: skip
    return measure, found


def _transition_words(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = TRANSITION_WORDS
    has = [t.readings[s].transition for s in t.body]
    value = _share(sum(has), len(t.body))
    # The words of the sentences judged: a page of tables and headings with two sentences of
    # prose has too few to judge, however many words its cells hold.
    words = sum(t.words_in(s) for s in t.body)
    applicable = words >= limits.transitions_min_words and value is not None
    found = []
    if applicable and band(value, limits.transitions_good, limits.transitions_poor, "higher") == "poor":
        without = runs([None if h else False for h in has], 1)
        first, last = max(without, key=lambda run: (run[1] - run[0], -run[0]))
        span = Span(t.body[first].start, t.body[last].end)
        message = (
            f"Only {value:.0f}% of sentences have a transition word ('however', 'as a result', 'meanwhile'; "
            f"aim for {limits.transitions_good:g}%); these {last - first + 1} in a row have none."
        )
        found = t.kept([_finding(rule, "Few transition words", message, span)])
    measure = Measure(
        "transition_words", rule, value, "percent of sentences", "higher",
        limits.transitions_good, limits.transitions_poor, len(found), applicable=applicable,
        extra={"with_transition": sum(has), "sentences": len(t.body), "min_words": limits.transitions_min_words},
    )  # fmt: skip
    return measure, found


def _subheadings(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = SUBHEADING_DISTRIBUTION
    limit = limits.subheading_words
    parts = stretches(t.text, t.headings)
    found = [
        _finding(rule, "Long text without a subheading", f"{count} words without a subheading (more than {limit}): "
                 "add one where the topic turns.", span)
        for span, count in parts
        if count > limit
    ]  # fmt: skip
    found = t.kept(found)
    flagged = {f.offset for f in found}
    judged = [count for span, count in parts if count <= limit or span.start in flagged]
    measure = Measure(
        "subheadings", rule, max(judged, default=None), "words in the longest stretch without a subheading",
        "lower", limit, limit, len(found),
        extra={"headings": len(t.headings), "from": "markup" if t.document.is_markup else "headline_lines"},
    )  # fmt: skip
    return measure, found


def _variety(t: Text, limits: ReadabilityThresholds) -> Part:
    rule = SENTENCE_VARIETY
    lengths = [None if out else t.words_in(s) for s, out in zip(t.sentences, t.outside_runs, strict=True)]
    body_lengths = [t.words_in(s) for s in t.body]
    found = []
    for first, last in same_length_runs(lengths, limits.same_length_run, limits.same_length_tolerance, t.divisions):
        run = [n for n in lengths[first : last + 1] if n is not None]
        span = Span(t.sentences[first].start, t.sentences[last].end)
        low, high = min(run), max(run)
        words = f"{low} to {high} words" if low != high else f"{low} word each" if low == 1 else f"{low} words each"
        message = f"{len(run)} sentences in a row have {words}: vary their length."
        found.append(_finding(rule, "Sentences of the same length", message, span))
    found = t.kept(found)
    applicable = len(body_lengths) >= limits.same_length_run
    measure = Measure(
        "sentence_length_variety", rule, statistics.pstdev(body_lengths) if len(body_lengths) > 1 else None,
        "words (standard deviation of sentence length)", "higher",
        limits.variety_good, limits.variety_poor, len(found), applicable=applicable,
        extra={
            "mean": round(statistics.fmean(body_lengths), 2) if body_lengths else None,
            "run": limits.same_length_run,
            "tolerance": limits.same_length_tolerance,
        },
    )  # fmt: skip
    return measure, found
