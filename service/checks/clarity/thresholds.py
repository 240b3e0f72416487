"""Every threshold of the readability section, in one value the check and a request share.

The defaults are settings (``service/settings.py``, ``COPYDESK_READABILITY_*``: the field name
here with that prefix); a score request may override any of them for itself under
``readability`` (``service/score_request.py``). Both are checked by
``settings.readability_problems``, so a setting and a request field are refused for the same
reasons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...settings import READABILITY_PREFIX as SETTING_PREFIX
from ...settings import readability_integers
from ...settings import readability_problems as problems

__all__ = ["SETTING_PREFIX", "ReadabilityThresholds", "problems"]


@dataclass(frozen=True)
class ReadabilityThresholds:
    # The grade the copy should read at, and the sentence grades above it that are hard
    # (a suggestion) and very hard (a warning), Hemingway's yellow and red.
    target_grade: float
    hard_sentence_margin: float
    very_hard_sentence_margin: float
    # Passive voice: percent of sentences (Yoast: good up to 10, poor above 15).
    passive_good: float
    passive_poor: float
    # Adverbs: per 100 words (an allowance that grows with the text, as Hemingway's does).
    adverbs_good: float
    adverbs_poor: float
    # Long sentences: more than this many words; percent of sentences (Yoast: 25, 30).
    long_sentence_words: int
    long_sentences_good: float
    long_sentences_poor: float
    # Paragraphs: words (Yoast: over 150 is a warning, over 200 poor).
    long_paragraph_words: int
    very_long_paragraph_words: int
    # Sentences starting alike: how many in a row make a finding (Yoast: 3).
    repeated_starts: int
    # Transition words: percent of sentences (Yoast: 30 good, under 20 poor, from 200 words).
    transitions_good: float
    transitions_poor: float
    transitions_min_words: int
    # Subheadings: words of text under one heading (Yoast: 300).
    subheading_words: int
    # Sentence-length variety: standard deviation in words, and runs of sentences of nearly
    # the same length (that many in a row, lengths within the tolerance of each other).
    variety_good: float
    variety_poor: float
    same_length_run: int
    same_length_tolerance: int
    # Words per minute for the reading and speaking times.
    reading_wpm: float
    speaking_wpm: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def integer_names(cls) -> frozenset[str]:
        return readability_integers()

    @classmethod
    def from_settings(cls, settings: Any) -> ReadabilityThresholds:
        """The thresholds from an object with ``readability_<name>`` attributes (the Settings)."""
        return cls(**{name: getattr(settings, SETTING_PREFIX + name) for name in cls.names()})

    def with_overrides(self, overrides: Mapping[str, float] | tuple[tuple[str, float], ...]) -> ReadabilityThresholds:
        return dataclasses.replace(self, **dict(overrides)) if overrides else self

    def problems(self) -> list[tuple[str, str]]:
        """``(name, message)`` for every value that cannot be used; empty when all can."""
        return problems(dataclasses.asdict(self))
