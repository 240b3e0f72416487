"""Does a report cost about one LanguageTool check? Ratios from one run, on the seed article.

    python -m bench.report_latency [--rounds 20]

Uses COPYDESK_LANGUAGETOOL_URL if set, else starts the embedded server. Baseline: one
grammar check alone, measured in the same run. Prints the median time of a full report
(all four checks) and of the sum of the four checks run one after another, each as a ratio
to the baseline. Results go to bench/results/report-latency.md by hand (copy the output).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.texts import SEED, unique
from service import build_services
from service.findings import CHECK_NAMES, Document
from service.settings import Settings


def median_ms(action: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    services = build_services(Settings.load())
    if services.supervisor and not services.supervisor.wait_ready():
        raise SystemExit("LanguageTool did not start")
    def fresh() -> Document:
        # New in every sentence: no cache answers (LanguageTool's, the paragraph cache, the memos).
        return Document(text=unique(SEED.split("\n\n")), title=SEED.splitlines()[0])

    checks = services.scorer.checks
    for _ in range(3):  # warm-up
        services.scorer.score(fresh())

    baseline = median_ms(lambda: checks["grammar"].run(fresh()), args.rounds)
    report = median_ms(lambda: services.scorer.score(fresh()), args.rounds)
    sequential = median_ms(lambda: [checks[name].run(fresh()) for name in CHECK_NAMES], args.rounds)
    local = median_ms(lambda: [checks[name].run(fresh()) for name in CHECK_NAMES if name != "grammar"], args.rounds)

    print(f"seed article, {len(SEED)} characters, median of {args.rounds} rounds")
    print("| measurement | ms | ratio to one LanguageTool check |")
    print("|---|---|---|")
    for name, value in [
        ("one LanguageTool check (baseline)", baseline),
        ("full report, checks concurrent", report),
        ("the four checks one after another", sequential),
        ("the three local checks alone", local),
    ]:
        print(f"| {name} | {value:.1f} | {value / baseline:.2f} |")
    services.scorer.close()
    if services.supervisor:
        services.supervisor.stop()


if __name__ == "__main__":
    main()
