"""How often each headline rule of the clickbait pack is right, on labelled headlines.

    python -m bench.rule_precision --corpus DIR --ood DIR

A rule that flags a headline of the non-clickbait side flags copy that editors and the set's
annotators judged plain. Three labelled sources, each checked as a headline (field "title"): the
training corpus (both sides) and the two out-of-domain sets. The model's own finding is left out
(``bench.clickbait`` measures it). Rules are listed least precise first, with the plain headlines
they flagged, so a rule that is more often wrong than right is seen with its evidence.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from bench.clickbait import OOD_SETS
from service.rulebook.book import RuleBook
from training.clickbait.corpus import load_corpus
from training.clickbait.evaluate import load_labelled

SHOWN = 3  # plain headlines shown per rule


def labelled(corpus: Path, ood: Path) -> list[tuple[str, str, int]]:
    """(source, headline, label) for every headline of the three sources."""
    clickbait, news = load_corpus(corpus)
    rows = [("corpus", h, 1) for h in clickbait] + [("corpus", h, 0) for h in news]
    for name in OOD_SETS:
        headlines, labels = load_labelled(ood / f"{name}.tsv.gz")
        rows += [(name, h, label) for h, label in zip(headlines, labels, strict=True)]
    return rows


def tally(
    book: RuleBook, rows: list[tuple[str, str, int]]
) -> tuple[dict[str, collections.Counter[str]], dict[str, list[str]]]:
    """Per rule, the headlines it flagged, counted by source and label (``"reddit:0"``), and the
    first SHOWN plain ones it flagged."""
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    plain: dict[str, list[str]] = collections.defaultdict(list)
    for source, headline, label in rows:
        for rule_id in {f.rule_id for f in book.check(headline, field="title")}:
            if rule_id.startswith("clickbait.") and rule_id != "clickbait.model":
                counts[rule_id][f"{source}:{label}"] += 1
                if not label and len(plain[rule_id]) < SHOWN:
                    plain[rule_id].append(headline)
    return counts, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of the clickbait corpus")
    parser.add_argument("--ood", type=Path, required=True, help="folder with reddit.tsv.gz and news-sites.tsv.gz")
    args = parser.parse_args()
    book = RuleBook.load()
    rows = labelled(args.corpus, args.ood)
    counts, plain = tally(book, rows)
    sources = ["corpus", *OOD_SETS]
    print("| rule | precision | " + " | ".join(f"{s} clickbait / plain" for s in sources) + " |")
    print("|---|---|" + "---|" * len(sources))
    ranked = sorted(counts.items(), key=lambda item: (_precision(item[1]), item[0]))
    for rule_id, found in ranked:
        cells = " | ".join(f"{found[f'{s}:1']} / {found[f'{s}:0']}" for s in sources)
        print(f"| {rule_id} | {_precision(found):.2f} | {cells} |")
    print()
    for rule_id, found in ranked:
        if _precision(found) < 0.5:
            print(f"{rule_id}: {'; '.join(repr(h) for h in plain[rule_id])}")


def _precision(found: collections.Counter[str]) -> float:
    right = sum(n for key, n in found.items() if key.endswith(":1"))
    return right / max(1, sum(found.values()))


if __name__ == "__main__":
    main()
