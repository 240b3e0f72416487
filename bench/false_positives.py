"""False positives per pack on clean, professionally edited news copy.

    python -m bench.false_positives

Clean copy: 3,000 news headlines sampled from the non-clickbait side of the Chakraborty et
al. (2016) corpus (WikiNews, New York Times, The Guardian, The Hindu; seed 2026, committed
in tests/fixtures/clean/news-headlines.txt.gz) and the clean articles in
tests/fixtures/clean/. Every finding there counts as a false positive. Each headline is
checked as a headline (field "title"), so headline-scoped rules run on all of them.
"""

from __future__ import annotations

import gzip

from bench.texts import FIXTURES
from service.rulebook.book import RuleBook
from service.text.segments import word_count

CLEAN = FIXTURES / "clean"
PER_WORDS = 2_000


def clean_texts() -> list[tuple[str, str]]:
    """(text, field) pairs of clean copy."""
    with gzip.open(CLEAN / "news-headlines.txt.gz", "rt", encoding="utf-8") as handle:
        headlines = [line.strip() for line in handle if line.strip()]
    articles = [p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("article-*.txt"))]
    return [(h, "title") for h in headlines] + [(a, "text") for a in articles]


def rates(book: RuleBook) -> tuple[int, dict[str, int], dict[str, list[str]]]:
    """Words checked, findings per pack, and the flagged spans per pack."""
    words = 0
    counts = {pack["name"]: 0 for pack in book.packs}
    examples: dict[str, list[str]] = {name: [] for name in counts}
    for text, field in clean_texts():
        words += word_count(text)
        for finding in book.check(text, field=field):
            pack = finding.rule_id.split(".")[0]
            counts[pack] += 1
            flagged = text[finding.offset : finding.offset + finding.length]
            examples[pack].append(f"{finding.rule_id}: {flagged!r}")
    return words, counts, examples


def main() -> None:
    book = RuleBook.load()
    words, counts, examples = rates(book)
    print(f"{words} words of clean copy; findings per {PER_WORDS:,} words (every one a false positive)\n")
    print("| pack | rules | findings | per 2,000 words |")
    print("|---|---|---|---|")
    for pack in book.packs:
        name = pack["name"]
        print(f"| {name} | {pack['rule_count']} | {counts[name]} | {counts[name] * PER_WORDS / words:.3f} |")
    for name, flagged in examples.items():
        if flagged:
            print(f"\n{name}: " + "; ".join(flagged[:15]))


if __name__ == "__main__":
    main()
