"""Can one heavy request starve the light ones? A light report's latency, alone and under load.

    python -m bench.fairness [--rounds 15] [--out bench/results/fairness.md]

Starts LanguageTool (result cache off) and copydesk under gunicorn as production runs it.
Baseline: the median latency of a light request (one short paragraph, made unique each time)
with nothing else running. Then the same light requests while heavy ones run without pause
from one client: a hostile text (long runs the speller is slow on, a megabyte-long line
of words) and a 100,000-character article, each made unique so no cache answers. The goal
(issue "Reliability", point 2) is a light request within 2x its baseline.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.servers import copydesk, languagetool, write_report
from bench.texts import paragraphs_of, unique
from service.settings import PROJECT_ROOT

_numbers = itertools.count(1)
LIGHT = "The council met on Tuesday and approved the budget for the new park."


def light_text() -> str:
    return f"Item {next(_numbers)}. {LIGHT}"


def heavy_texts() -> dict[str, Callable[[], str]]:
    article = paragraphs_of(16_000)

    def hostile() -> str:
        n = next(_numbers)
        runs = " ".join(f"zq{n}x{k}" + "é😀" * 90 for k in range(40))
        words = " ".join(f"word{n}w{k}" for k in range(20_000))
        return f"Item {n}. {runs}\n\n{words}\n\n{LIGHT}"

    return {"a hostile text": hostile, "a 100,000-character article": lambda: unique(article)[:100_000]}


def timed(session: requests.Session, base: str, text: str) -> float:
    started = time.perf_counter()
    response = session.post(base + "/v1/score", json={"text": text}, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200 and response.json()["complete"], response.text[:300]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "fairness.md")
    args = parser.parse_args()
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, languagetool(None) as lt, copydesk(lt, Path(folder) / "g.log") as (
        base, _,
    ):
        session = requests.Session()
        for _ in range(5):
            timed(session, base, light_text())
        alone = statistics.median(timed(session, base, light_text()) for _ in range(args.rounds))
        rows.append(("nothing else", alone, 1.0, "-"))
        for name, make in heavy_texts().items():
            stop = threading.Event()
            heavy_done: list[float] = []

            def heavy(make=make, stop=stop, heavy_done=heavy_done) -> None:
                own = requests.Session()
                while not stop.is_set():
                    heavy_done.append(timed(own, base, make()))

            runner = threading.Thread(target=heavy)
            runner.start()
            time.sleep(2.0)  # the heavy request is under way
            session = requests.Session()  # gunicorn closes connections idle for 2 s (keepalive)
            under = [timed(session, base, light_text()) for _ in range(args.rounds)]
            stop.set()
            runner.join()
            median = statistics.median(under)
            rows.append((name, median, median / alone, f"{statistics.median(heavy_done) / 1000:.1f} s"))

    lines = [
        "# A light request while heavy ones run",
        "",
        f"`python -m bench.fairness --rounds {args.rounds}`: LanguageTool with its result cache off; copydesk "
        f"under gunicorn, 2 workers; {os.cpu_count()} CPUs, load average {load_before:.2f} before the run. "
        "Goal: a light request within 2x its latency alone.",
        "",
        "| running at the same time | light request, median ms | × alone | goal | heavy request, median |",
        "|---|---|---|---|---|",
        *(f"| {name} | {ms:.0f} | {ratio:.2f} | {'met' if ratio <= 2 else 'NOT met'} | {heavy} |"
          for name, ms, ratio, heavy in rows),
    ]
    write_report(lines, args.out)


if __name__ == "__main__":
    main()
