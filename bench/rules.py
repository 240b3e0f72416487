"""Rule-engine cost by text length: is it linear, and small next to LanguageTool?

    python -m bench.rules

Texts of 100 to 100,000 words are made by repeating the seed article. Baselines from the
same run: a plain word scan (``re.findall(r"\\w+")``) over the same text, and the engine's
own time per word at 1,000 words. Linear cost keeps "per word vs 1,000 words" near 1.

The memos are off (``COPYDESK_MEMO_ENTRIES=0``): the book keeps the matches of the paragraphs
it has searched, so with them on every round after the first, and every repeat of the seed's
paragraphs within a text, would be answered from memory, not searched. Each round here
searches every paragraph, as for an article no worker has seen.
"""

from __future__ import annotations

import re
import time

from bench.texts import SEED
from service.rulebook.book import RuleBook
from service.text import memo

SIZES = (100, 1_000, 10_000, 100_000)


def text_of(words: int) -> str:
    tokens = SEED.split(" ")
    repeated = (tokens * (words // len(tokens) + 1))[:words]
    return " ".join(repeated)


def best_of(action, rounds: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    memo.keep(0)
    book = RuleBook.load()
    print(f"{len(book.rules)} rules in {len(book.packs)} packs, memos off; best of 5 (3 at 100,000 words)\n")
    print("| words | engine ms | word scan ms | engine / word scan | engine per word vs 1,000 words |")
    print("|---|---|---|---|---|")
    rows = []
    for words in SIZES:
        text = text_of(words)
        rounds = 3 if words >= 100_000 else 5
        engine = best_of(lambda t=text: book.check(t), rounds)
        scan = best_of(lambda t=text: re.findall(r"\w+", t), rounds)
        rows.append((words, engine, scan))
    per_word_1000 = next(engine / words for words, engine, _ in rows if words == 1_000)
    for words, engine, scan in rows:
        print(
            f"| {words:,} | {engine * 1000:.1f} | {scan * 1000:.2f} | {engine / scan:.0f}x "
            f"| {engine / words / per_word_1000:.2f} |"
        )


if __name__ == "__main__":
    main()
