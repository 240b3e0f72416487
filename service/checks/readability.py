"""Readability: how hard the copy is to read, and which sentences make it so.

Grade-level formulas (Flesch-Kincaid, Gunning fog, SMOG, ...) come from textstat. Three
things are done around it, and this module exists mostly for them:

* **Sentences.** textstat splits sentences on every ``.``, ``!`` and ``?`` and ignores line
  breaks, so "Mr. Smith" or "3.5 percent" become two sentences while an unpunctuated
  headline is glued to the paragraph after it. News copy is full of all three. We take
  sentences from ``service.text.segments``, with spans (so findings can point at them), and
  show textstat the text through that segmentation: dots that do not end a sentence are replaced by commas
  (which textstat strips like any other punctuation, so words, syllables and letters are
  unchanged) and a sentence without final punctuation gets a full stop.
* **Thread safety.** textstat's module-level API reads a language from global state that
  ``set_lang`` mutates. We never call ``set_lang``; we call textstat's backend functions
  (``textstat.backend``, exported by the package), which take the language as an argument
  and keep no other state than ``lru_cache``\\ s, which are thread-safe.
* **Edits.** textstat's counts are taken per sentence (:class:`Figures`, remembered by the
  sentence's text, and per word) and its formulas applied to their sums, term for term, so a
  re-checked article costs only its changed sentences and the metrics stay textstat's.

Syllables come from the CMU Pronouncing Dictionary, which textstat loads through NLTK and
would try to download when missing; :mod:`service.nltk_data` provides it offline. Loading
it takes about a second, so :class:`ReadabilityCheck` does that, and warms textstat up, in
its constructor (at start-up) rather than in the first request.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import nltk
from textstat.backend import counts, metrics, selections, transformations, utils, validations

from ..findings import CheckName, Document, Finding, SectionResult, Severity
from ..nltk_data import CORPUS_RESOURCE, ensure_cmudict
from ..text import segments
from ..text.memo import remembered
from ..text.segments import Span
from . import unsuppressed
from .clarity import ReadabilityThresholds, Text, assess

# textstat's language key, always passed explicitly (never through textstat.set_lang).
TEXTSTAT_LANG = "en_US"

# Below this many words a sentence's grade says little (one long word swings it), so it is not judged.
MIN_WORDS_FOR_HARD = 12
# Grades above target after which the grade part of the score has halved; see ReadabilityCheck.
GRADE_HALF_LIFE = 8.0
# Weight of the share of hard sentences in the score; see ReadabilityCheck.
HARD_SHARE_WEIGHT = 0.5
# The rule id of a hard sentence finding.
HARD_SENTENCE_RULE_ID = "readability.hard-sentence"


# ---------------------------------------------------------------------------------------------
# textstat, seen through our segmentation
# ---------------------------------------------------------------------------------------------

_INNER_STOP = re.compile(r"[.!?]")
# What textstat reads for a web or e-mail address: one syllable, three letters, on the easy-word list.
ADDRESS_READS_AS = "web"
_WORD_CHAR = re.compile(r"\w")
_FINAL_PUNCT = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+$")


def for_textstat(sentence: str) -> str:
    """The sentence as textstat should see it: exactly one sentence end, at the end.

    Dots, question and exclamation marks inside the sentence become commas (textstat
    removes both before counting words, letters and syllables, so only its sentence
    count changes); a sentence without final punctuation (a headline) gets a full stop.
    A web or e-mail address (``segments.ADDRESS``, one word) reads as one short, easy word:
    a reader takes it in at a glance, and its letters would make the grade of the sentence
    around it (Markdown and HTML readers leave a ``segments.MASKED_WORD`` for them, and for
    inline code, which read so too). Markup inside a word (``segments.JOINER``) reads as nothing.
    """
    sentence = segments.ADDRESS.sub(ADDRESS_READS_AS, sentence).replace(segments.MASKED_WORD, ADDRESS_READS_AS)
    sentence = sentence.replace(segments.JOINER, "")
    final = _FINAL_PUNCT.search(sentence)
    body, tail = (sentence[: final.start()], final.group()) if final else (sentence, "")
    body = _INNER_STOP.sub(",", body)
    if not _INNER_STOP.search(tail):
        tail += "."
    return body + tail


def _grade(value: float) -> float:
    return round(value, 2)


# textstat's text_standard names grades 1 to 18 ("K through graduate school"): the consensus is
# clamped to them before it is named, as textstat's own text_standard does.
TEXT_STANDARD_GRADES = (1, 18)


def _text_standard_label(value: float) -> str:
    lowest, highest = TEXT_STANDARD_GRADES
    upper = int(max(lowest, min(value, highest)))
    lower = upper - 1
    return f"{lower}{utils.get_grade_suffix(lower)} and {upper}{utils.get_grade_suffix(upper)} grade"


# Sentences and words seen before are not counted again: an editor re-checks the article with
# one paragraph changed, and every other sentence's figures are already known. Bounded by
# COPYDESK_MEMO_ENTRIES sentences, WORD_MEMO_SCALE times as many words; a sentence longer than
# MEMO_MAX_CHARS is counted each time rather than kept.
WORD_MEMO_SCALE = 4
MEMO_MAX_CHARS = 1000
MEMO_MAX_WORD = 64
# Gunning fog's "complex word": textstat's syllable threshold for English.
FOG_SYLLABLES = int(utils.get_lang_cfg(TEXTSTAT_LANG, "syllable_threshold"))


class _KeepsNothing(dict):  # type: ignore[type-arg]
    """A store that forgets what it is given: see :func:`_pyphen_forgets`."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


def _pyphen_forgets() -> None:
    """pyphen, which textstat asks for the syllables of words outside the CMU dictionary, keeps
    the answer for every word it is ever asked about in a dict that only grows (names, typos,
    anything a client sends: a worker fed unique words grew by 75 MB in bench.memos). The word
    memo here keeps what the checks reuse, bounded; pyphen's own store is made to keep nothing."""
    utils.get_pyphen(TEXTSTAT_LANG).hd.cache = _KeepsNothing()


# textstat keeps the last 128 answers of each of its functions, keyed by the text it was given:
# whole documents and their token lists (megabytes for a long article, held until 128 newer texts
# push them out). What is worth keeping is kept, bounded, by the memos here, so textstat's are
# emptied after every report (not utils': those hold the dictionaries, loaded once).
_TEXTSTAT_CACHES = tuple(
    function
    for module in (counts, metrics, selections, transformations, validations)
    for function in vars(module).values()
    if callable(getattr(function, "cache_clear", None))
)


def _textstat_forgets() -> None:
    for function in _TEXTSTAT_CACHES:
        function.cache_clear()


@remembered(MEMO_MAX_WORD, scale=WORD_MEMO_SCALE)
def _word(word: str) -> tuple[int, bool, bool, bool]:
    """textstat's verdicts on one word: its syllables, and whether it is difficult at 2 and 3
    syllables (``difficult_words``, Gunning fog) and at 0 (Dale-Chall: not on the easy list).
    textstat itself keeps only its last 128 words, fewer than one article has."""
    lang = TEXTSTAT_LANG
    return (
        counts.count_syllables(word, lang),
        validations.is_difficult_word(word, 2, lang),
        validations.is_difficult_word(word, FOG_SYLLABLES, lang),
        validations.is_difficult_word(word, 0, lang),
    )


class Figures(NamedTuple):
    """What textstat counts in one sentence as :func:`for_textstat` shows it.

    Every field but ``grade`` is a sum over words, so a text's figures are the sums of its
    sentences' and :func:`_metrics` gives what textstat's formulas give on the whole text
    (``tests/test_readability.py`` holds them equal on real and generated copy).
    """

    words: int  # textstat's words: punctuation removed
    tokens: int  # whitespace-separated tokens (ARI's words)
    counted: int  # 1 if textstat counts it as a sentence (more than two words), else 0
    syllables: int
    polysyllables: int  # words of 3+ syllables (SMOG)
    difficult: int  # not on the Dale-Chall list, 2+ syllables (``difficult_words``)
    fog_difficult: int  # ... 3+ syllables (Gunning fog)
    unfamiliar: int  # not on the Dale-Chall list (Dale-Chall)
    letters: int
    characters: int  # non-whitespace
    grade: float  # the sentence's own Flesch-Kincaid grade (hard sentences)


@remembered(MEMO_MAX_CHARS)
def figures(view: str) -> Figures:
    words = selections.list_words(view)
    verdicts = [_word(word) for word in words]
    syllables = sum(v[0] for v in verdicts)
    return Figures(
        words=len(words),
        tokens=counts.count_words(view, rm_punctuation=False),
        counted=int(len(words) > 2),
        syllables=syllables,
        polysyllables=sum(1 for v in verdicts if v[0] >= 3),
        difficult=sum(1 for v in verdicts if v[1]),
        fog_difficult=sum(1 for v in verdicts if v[2]),
        unfamiliar=sum(1 for v in verdicts if v[3]),
        letters=counts.count_letters(view),
        characters=counts.count_chars(view, ignore_spaces=True),
        # textstat counts a view as one sentence, whatever its length.
        grade=_kincaid(len(words), 1, syllables),
    )


def _kincaid(words: int, sentences: int, syllables: int) -> float:
    """textstat's Flesch-Kincaid grade from the counts (0 for a text without words or syllables)."""
    per_sentence = words / sentences
    per_word = syllables / words if words else 0.0
    if per_sentence == 0 or per_word == 0:
        return 0.0
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def _metrics(sentences: Sequence[Figures], joined: str) -> dict[str, Any]:
    """textstat's metrics of ``joined`` (the sentences' views joined by spaces), from the
    sentences' figures: the formulas are textstat's, term for term, so the values are equal.
    Linsear Write reads only the first 100 words and is left to textstat."""
    lang = TEXTSTAT_LANG
    total = Figures(*(sum(column) for column in zip(*sentences, strict=True)))
    words, n_sentences = total.words, max(1, total.counted)
    per_sentence = words / n_sentences
    syllables = total.syllables / words if words else 0.0
    reading_ease = 0.0
    if per_sentence != 0 and syllables != 0:
        base, per_word, per_syllable = (utils.get_lang_cfg(lang, key) for key in _EASE_KEYS)
        reading_ease = base - per_word * per_sentence - per_syllable * syllables
    kincaid = _kincaid(words, n_sentences, total.syllables)
    fog = 0.4 * (per_sentence + 100 * total.fog_difficult / words) if words else 0.0
    smog = 1.043 * (30 * (total.polysyllables / n_sentences)) ** 0.5 + 3.1291
    letters = total.letters / words * 100 if words else 0.0
    sentences_per_100 = n_sentences / words * 100 if words else 0.0
    coleman = 0.0 if letters == 0 or sentences_per_100 == 0 else 0.058 * letters - 0.296 * sentences_per_100 - 15.8
    characters = total.characters / total.tokens if total.tokens else 0.0
    ari = 0.0 if characters == 0 or per_sentence == 0 else 4.71 * characters + 0.5 * per_sentence - 21.43
    dale_chall = 0.0
    if words:
        unfamiliar = 100 * total.unfamiliar / words
        dale_chall = 0.1579 * unfamiliar + 0.0496 * per_sentence + (3.6365 if unfamiliar > 5 else 0.0)
    linsear = metrics.linsear_write_formula(joined, lang, strict_lower=False, strict_upper=True)
    return {
        "flesch_reading_ease": reading_ease,
        "flesch_kincaid_grade": kincaid,
        "gunning_fog": fog,
        "smog_index": smog,
        "coleman_liau_index": coleman,
        "automated_readability_index": ari,
        "dale_chall_readability_score": dale_chall,
        "linsear_write_formula": linsear,
        "text_standard": _text_standard_label(
            _consensus(reading_ease, [kincaid, smog, coleman, ari, dale_chall, linsear, fog])
        ),
        "difficult_words": total.difficult,
    }


_EASE_KEYS = ("fre_base", "fre_sentence_length", "fre_syll_per_word")
# textstat's text_standard: Flesch reading ease bands and the grades they stand for.
_EASE_BANDS = ((90, (5,)), (80, (6,)), (70, (7,)), (60, (8, 9)), (50, (10,)), (40, (11,)), (30, (12,)))


def _consensus(reading_ease: float, grades: Sequence[float]) -> float:
    """textstat's ``text_standard`` from the metric values: every grade formula votes for the
    grades just below, above and nearest its value, Flesch reading ease for its band's; the most
    voted grade wins, the earliest voted on a tie (Flesch-Kincaid's first)."""
    kincaid, *others = grades
    votes: list[int] = [math.floor(kincaid), math.ceil(kincaid), round(kincaid)]
    votes.extend(next((grade for floor, grade in _EASE_BANDS if floor <= reading_ease < floor + 10), (13,)))
    for value in others:
        votes.extend((math.floor(value), math.ceil(value), round(value)))
    return float(Counter(votes).most_common(1)[0][0])


# The metrics of a text without words.
EMPTY_METRICS: dict[str, Any] = {
    "flesch_reading_ease": 0.0,
    "flesch_kincaid_grade": 0.0,
    "gunning_fog": 0.0,
    "smog_index": 0.0,
    "coleman_liau_index": 0.0,
    "automated_readability_index": 0.0,
    "dale_chall_readability_score": 0.0,
    "linsear_write_formula": 0.0,
    "text_standard": "",
    "difficult_words": 0,
}

# The grade-level formulas whose median is the document's grade (see ReadabilityCheck).
GRADE_FORMULAS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
)


class ReadabilityCheck:
    """Scores how easy the text is to read for a general news audience.

    **Grade.** ``details["grade"]`` is the median of five US-grade-level formulas:
    Flesch-Kincaid, Gunning fog, SMOG, Coleman-Liau and ARI. They disagree by several
    grades on news copy and each has a known bias (syllable-based ones misjudge names,
    character-based ones numbers and URLs, SMOG is meant for 30+ sentences); the median
    follows the consensus, shrugs off one or two outliers and, unlike textstat's
    ``text_standard``, moves continuously. Linsear Write (first 100 words only) and
    Dale-Chall (not a grade scale) are reported but not used.

    **Default target: grade 9.** The average US adult is commonly put at a grade 7-8
    reading level and plain-language guidance for general audiences aims at about grade 8,
    while mainstream news copy typically measures grade 9 to 11. A target of 9 asks for the
    easy end of real news writing without asking for children's prose; with the decay
    below, grade 10-11 copy still scores well.

    **Hard sentences.** A sentence of at least 12 words whose Flesch-Kincaid grade exceeds
    ``target + hard_sentence_margin`` (default 4) is hard, Hemingway's yellow: a
    ``suggestion``; more than ``very_hard_sentence_margin`` (default 4) grades above that it
    is very hard, Hemingway's red: a ``warning``.

    **Clarity.** The measures Hemingway and Yoast show (passive voice, adverbs, long
    sentences and paragraphs, sentences starting alike, transition words, subheadings,
    sentence-length variety) come from :mod:`service.checks.clarity`, with their findings.

    **Score.**

        excess     = max(0, grade - target)
        grade_part = 2 ** (-excess / 8)       # halves every 8 grades above the target
        hard_share = hard_sentences / sentences
        score      = round(100 * grade_part * (1 - 0.5 * hard_share) * clarity, 1)

    ``sentences`` is the number of sentences (``service.text.segments``) with a word;
    ``clarity`` is 1 minus 0.025 for each clarity measure in the ok band and 0.05 for each
    in the poor band (between 0.6 and 1).

    The score stays within 0-100, never rises when the grade, the share of hard
    sentences or a clarity measure gets worse, and depends on proportions rather than on length. Copy at or below
    the target with no hard sentence scores 100; grade 11 scores 84 and grade 13 71 before
    hard sentences, so clean news copy (grade 8-11, one hard sentence in twenty or fewer)
    scores 80 or more, while a dense academic paragraph (grade 18 or more, most sentences
    hard) scores below 30. The decay is exponential, like the density scores of the other sections,
    rather than linear: it does not bottom out at 0 for any realistic grade, so rewriting
    impenetrable text from grade 30 to grade 20 still shows as progress.

    **Other details.** ``counts.words``, ``counts.sentences`` and ``counts.paragraphs`` are
    copydesk's one definition of each (``service.text.segments``), the ones every clarity
    measure uses; ``syllables`` and ``characters`` (non-whitespace code points) are textstat's.
    The formulas are textstat's, on textstat's own counts, whose tokenizer counts a hyphenated
    compound as one word, so recomputing Flesch-Kincaid from ``counts`` gives a close, not an
    exact, value.
    ``reading_time_seconds`` assumes ``reading_wpm`` words per minute (238, the average adult
    silent reading rate for non-fiction, Brysbaert 2019; textstat's own ``reading_time``,
    14.69 ms per character, amounts to several hundred words per minute, too fast for a
    reader) and ``speaking_time_seconds`` ``speaking_wpm`` (150).

    A request's ``readability`` thresholds (``CheckOptions.readability``) replace the
    configured ones for that request.

    Text without words (empty, whitespace, only punctuation) scores 100: there is nothing to
    penalise. The formulas and the clarity word lists are English, as every Document the
    service builds is (``/v2`` runs copydesk's checks on English texts only).
    """

    name: ClassVar[CheckName] = "readability"

    def __init__(self, thresholds: ReadabilityThresholds, data_dir: Path | None = None) -> None:
        problems = thresholds.problems()
        if problems:
            raise ValueError("; ".join(f"{name} {message}" for name, message in problems))
        self.thresholds = thresholds
        if data_dir is not None:
            ensure_cmudict(Path(data_dir))
        else:
            # Someone else provisioned the corpus (or nobody did): never let textstat download it.
            try:
                nltk.data.find(CORPUS_RESOURCE)
            except LookupError as exc:
                raise RuntimeError(
                    "cmudict is not available to NLTK; pass data_dir so it can be provisioned offline"
                ) from exc
        # Loads the CMU dictionary, pyphen and the easy-word list now rather than in a request.
        _pyphen_forgets()
        self.run(Document(text="Readability is warmed up at start-up. The dictionary loads once."))

    def run(self, document: Document) -> SectionResult:
        limits = self.thresholds.with_overrides(document.options.readability)
        text = document.text
        spans = document.sentences
        views = [for_textstat(s.of(text)) for s in spans]
        worded = [(s, view) for s, view in zip(spans, views, strict=True) if _WORD_CHAR.search(view)]
        counted = [figures(view) for _, view in worded]
        body = Text(document)
        # textstat counts a sentence of more than two words only, and the words of every one. A
        # label of one or two words in a list item, a table's cell or a heading ("Fresh bread")
        # is no sentence of the prose: its words would raise the words per sentence around it,
        # where items a word longer count as short sentences and lower it, so the formulas leave
        # it out, unless the text has nothing else.
        read = [
            (view, sentence)
            for (span, view), sentence in zip(worded, counted, strict=True)
            if sentence.counted or (body.in_body(span) and not document.in_list_item(span))
        ] or list(zip((view for _, view in worded), counted, strict=True))
        joined = " ".join(view for view, _ in read)
        words = segments.word_count(text)
        n_sentences = len(worded)  # a sentence has a word where its view has a word character

        details: dict[str, Any] = {
            "target_grade": _grade(limits.target_grade),
            "grade": 0.0,
            "metrics": dict(EMPTY_METRICS),
            "counts": {
                "sentences": n_sentences,
                "words": words,
                "syllables": 0,
                # The view's joiners stand for markup inside a word: a reader sees no character there.
                "characters": counts.count_chars(text, ignore_spaces=True) - text.count(segments.JOINER),
                "paragraphs": len(document.paragraphs),
            },
            "reading_time_seconds": round(words * 60.0 / limits.reading_wpm, 2),
            "speaking_time_seconds": round(words * 60.0 / limits.speaking_wpm, 2),
            "hard_sentence_count": 0,
        }
        grade = 0.0
        if worded:
            values = _metrics([sentence for _, sentence in read], joined)
            grade = statistics.median(values[name] for name in GRADE_FORMULAS)
            details["grade"] = _grade(grade)
            details["metrics"] = {k: (_grade(v) if isinstance(v, float) else v) for k, v in values.items()}
            details["counts"]["syllables"] = sum(f.syllables for f in counted)
        _textstat_forgets()

        # Only prose is judged hard: a heading or a table's cell is no sentence of it (as for
        # the clarity measures, README "Clarity").
        judged = [
            f
            for (span, _), sentence in zip(worded, counted, strict=True)
            if body.in_body(span)
            and (f := self._judge(span, segments.word_count(span.of(text)), sentence.grade, limits)) is not None
        ]
        # Sentences switched off by the document's copydesk-disable comments count as not hard.
        hard = unsuppressed(judged, document)
        clarity = assess(body, limits, hard)
        details["hard_sentence_count"] = len(hard)
        details["clarity"] = clarity.json()
        score = self.score(grade, len(hard), n_sentences, clarity.factor, limits) if worded else 100.0
        return SectionResult(findings=[*hard, *clarity.findings], score=score, details=details)

    def score(
        self,
        grade: float,
        hard_sentences: int,
        sentences: int,
        clarity: float = 1.0,
        limits: ReadabilityThresholds | None = None,
    ) -> float:
        """The section score for a document grade, its hard-sentence count and its clarity
        factor (see the class docstring)."""
        target = (limits or self.thresholds).target_grade
        excess = max(0.0, grade - target)
        grade_part = 2.0 ** (-excess / GRADE_HALF_LIFE)
        hard_share = min(1.0, hard_sentences / sentences) if sentences else 0.0
        return round(100.0 * grade_part * (1.0 - HARD_SHARE_WEIGHT * hard_share) * clarity, 1)

    @staticmethod
    def _judge(span: Span, words: int, grade: float, limits: ReadabilityThresholds) -> Finding | None:
        """The hard-sentence finding of a sentence of ``words`` words (``segments``' words, which
        the long-sentence measure counts too) and textstat's Flesch-Kincaid ``grade``, if it is hard."""
        if words < MIN_WORDS_FOR_HARD:
            return None
        hard = limits.target_grade + limits.hard_sentence_margin
        if grade <= hard:
            return None
        severity: Severity = "warning" if grade > hard + limits.very_hard_sentence_margin else "suggestion"
        return Finding(
            check="readability",
            rule_id=HARD_SENTENCE_RULE_ID,
            description="Sentence is hard to read",
            category="readability",
            source="textstat",
            severity=severity,
            message=(
                f"This {words}-word sentence reads at grade {grade:.1f} "
                f"(target {limits.target_grade:g}): split it or use shorter words"
            ),
            offset=span.start,
            length=span.length,
            extra={"grade": _grade(grade)},
        )
