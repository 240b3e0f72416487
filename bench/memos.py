"""How much memory the local checks' memos hold when they are full (``COPYDESK_MEMO_ENTRIES``).

    python -m bench.memos [--entries 4096] [--out bench/results/memos.md]

Runs the local checks (readability with its clarity measures, phrasing, clickbait: what a
worker runs besides LanguageTool) in this process on two streams of unique texts until
every memo has been filled more than once, and reports what Python's allocator holds for
them (``tracemalloc``, after the checks' per-report caches are emptied):

* **news copy**: the test fixtures' paragraphs, every sentence made unique, the way
  ``bench.texts`` makes the benchmarks' cold texts;
* **the longest kept strings**: paragraphs and sentences just under each memo's bound, of
  unique words just under the word bound, in a letter outside the Basic Multilingual Plane
  (four bytes a character in a Python string): what a client could make a worker keep at most.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from bench.servers import write_report
from bench.texts import paragraphs_of, unique
from service import build_local_checks
from service.checks import readability
from service.findings import Document
from service.settings import PROJECT_ROOT, Settings
from service.text import memo, segments

# Document-level caches of the text layer: they serve the reports in progress, not repeats.
_PER_REPORT = (
    segments.lines,
    segments.line_starts,
    segments.line_runs,
    segments.paragraphs,
    segments._document_word_count,
    segments.sentences,
    segments.headline_lines,
)


def _letters(seed: int, length: int) -> str:
    """A unique "word" of ``length`` astral letters (MATHEMATICAL BOLD CAPITAL A to Z)."""
    out = []
    for _ in range(length):
        seed, digit = divmod(seed, 26)
        out.append(chr(0x1D400 + digit))
    return "".join(out)


def _longest_kept(count: itertools.count) -> Iterator[str]:
    """Texts of paragraphs just under the text layer's bound (2,000), in sentences just under
    the sentence memos' (1,000), of words just under the word memos' (64)."""
    while True:
        paragraphs = []
        for _ in range(20):
            sentences = []
            for _ in range(2):
                words = [_letters(next(count), readability.MEMO_MAX_WORD - 2) for _ in range(15)]
                sentences.append(" ".join(words) + ".")
            paragraphs.append(" ".join(sentences))
        yield "\n\n".join(paragraphs)


def _news() -> Iterator[str]:
    while True:
        yield unique(paragraphs_of(2000))


def held_bytes(texts: Iterator[str], checks: list, sentences: int) -> tuple[int, int]:
    """(bytes held after reading ``sentences`` sentences of ``texts`` with ``checks``, sentences read)."""
    for function in _PER_REPORT:
        function.cache_clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    read = 0
    while read < sentences:
        text = next(texts)
        document = Document(text=text, title=text.split(".")[0][:200])
        for check in checks:
            check.run(document)
        read += len(segments.sentences(text))
    for function in _PER_REPORT:
        function.cache_clear()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held, read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=Settings.memo_entries, help="COPYDESK_MEMO_ENTRIES")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "memos.md")
    args = parser.parse_args(argv)

    settings = Settings.load(environ={}, overrides={"memo_entries": args.entries})
    checks = list(build_local_checks(settings).values())
    rows = []
    # Twice the entries of every sentence memo, so each has been filled and pushed out.
    target = 2 * args.entries
    for name, texts in (("news copy", _news()), ("the longest kept strings", _longest_kept(itertools.count(1)))):
        memo.keep(args.entries)
        held, read = held_bytes(texts, checks, target)
        rows.append((name, held, read))
        print(f"{name}: {held / 1e6:.1f} MB held after {read} sentences", file=sys.stderr)
    memo.keep(0)
    empty, _ = held_bytes(_news(), checks, 200)
    rows.append(("news copy, memos off (COPYDESK_MEMO_ENTRIES=0)", empty, 200))

    lines = [
        "# Memory held by the local checks' memos",
        "",
        f"`python -m bench.memos --entries {args.entries}`: the local checks in one process, on unique texts "
        "until every memo has been filled; bytes Python's allocator holds afterwards (`tracemalloc`), the "
        "per-report caches of whole texts emptied.",
        "",
        f"| texts (COPYDESK_MEMO_ENTRIES={args.entries}) | sentences read | held |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {read:,} | {held / 1e6:.1f} MB |" for name, held, read in rows]
    write_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
