"""False positives are the enemy: clean news copy must stay (nearly) silent.

Targets: at most 1 finding per 2,000 words of clean copy for translationese and
boilerplate; the other packs' rates are measured by bench/false_positives.py and
committed in bench/results/false-positives.md.
"""

from __future__ import annotations

from bench.false_positives import PER_WORDS, rates
from service.rulebook.book import RuleBook

LIMITS = {"translationese": 1.0, "boilerplate": 1.0, "clickbait": 4.0, "style": 4.0}


def test_false_positive_rates_stay_under_their_limits() -> None:
    words, counts, examples = rates(RuleBook.load())
    assert words > 20_000
    for pack, limit in LIMITS.items():
        rate = counts[pack] * PER_WORDS / words
        assert rate <= limit, f"{pack}: {rate:.2f} per {PER_WORDS} words; {examples[pack][:10]}"
