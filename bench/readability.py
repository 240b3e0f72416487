"""Time the readability check: start-up, and one run over the seed article.

Usage: ``python -m bench.readability [DATA_DIR]`` (default: a temporary directory).

textstat memoises every intermediate result (``lru_cache``), so running the same text
again mostly measures dictionary look-ups of a cache. This reports both that and a run
with textstat's computation caches emptied before each call (the dictionary stays
loaded), which is what a new article costs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textstat.backend import counts, metrics, selections, transformations, validations

from service.checks.clarity import ReadabilityThresholds
from service.checks.readability import ReadabilityCheck
from service.findings import Document
from service.settings import Settings

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed-article.txt"


def _computation_caches() -> list[Callable[[], None]]:
    modules = (counts, metrics, selections, transformations, validations)
    functions = (getattr(module, name) for module in modules for name in dir(module))
    return [f.cache_clear for f in functions if hasattr(f, "cache_clear")]


def _millis(run: Callable[[], object], before: Callable[[], None] = lambda: None, n: int = 50) -> list[float]:
    samples = []
    for _ in range(n):
        before()
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(data_dir: Path) -> None:
    start = time.perf_counter()
    check = ReadabilityCheck(ReadabilityThresholds.from_settings(Settings()), data_dir=data_dir)
    print(f"start-up (provisioning + warm-up): {(time.perf_counter() - start) * 1000:.0f} ms")

    document = Document(text=SEED.read_text(encoding="utf-8"))
    result = check.run(document)
    print(f"seed: {result.details['counts']['words']} words, score {result.score}")

    caches = _computation_caches()
    for label, samples in (
        ("same text again", _millis(lambda: check.run(document))),
        ("new text (caches emptied)", _millis(lambda: check.run(document), lambda: [c() for c in caches])),
    ):
        print(f"{label:>26}: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
