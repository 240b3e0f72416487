"""Is copydesk faster than LanguageTool itself? Every row of the performance table, one run.

    python -m bench.speed [--rounds 9] [--out bench/results/speed.md]

Starts one LanguageTool server with its result cache off (so "cold" means cold on both
sides) and copydesk in front of it as production runs it (gunicorn, the preloaded app, two
workers, both caches on). Each cold text is made unique per round in every sentence (a
number before its full stop), so none of copydesk's caches and memos nor LanguageTool's
answers it. The
baseline of every ratio is a raw LanguageTool ``/v2/check`` of the same text, measured in
the same run, alternating with copydesk's request. Writes a Markdown report with the
command, the machine's load, the figures and the goal of each row.

Its memory rows are the image's only when it runs from an environment with the runtime
dependencies alone: where scikit-learn, SciPy and NumPy are installed (the dev environment,
for training), ``nltk`` imports them into every worker, some 60 MB each. Such an environment:

    python3 -m venv .cache/runtime-venv
    scripts/install-python-deps .cache/runtime-venv/bin/python requirements.lock
    .cache/runtime-venv/bin/pip install --no-deps --no-build-isolation -e .
    .cache/runtime-venv/bin/python -m bench.speed

The report says which kind of environment it ran from.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.servers import (
    copydesk,
    environment,
    languagetool,
    paired,
    timed_check,
    worker_memory,
    worker_peaks,
    write_report,
)
from bench.texts import SEED, paragraphs_of, unique
from service.settings import PROJECT_ROOT


def score(session: requests.Session, base: str, text: str) -> tuple[float, dict]:
    started = time.perf_counter()
    response = session.post(base + "/v1/score", json={"text": text}, timeout=900)
    response.raise_for_status()
    report = response.json()
    assert report["complete"], report
    return (time.perf_counter() - started) * 1000, report


def medians(rounds: int, make: Callable[[], str], raw: Callable[[str], float], ours: Callable[[str], float]):
    """Medians of raw and ours, both on the same fresh text each round (``bench.servers.paired``)."""

    def same() -> tuple[str, str]:
        text = make()
        return text, text

    raw_ms, our_ms = paired(rounds, same, raw, ours)
    return statistics.median(raw_ms), statistics.median(our_ms)


def throughput(concurrency: int, requests_: int, send: Callable[[requests.Session, str], object],
               texts: list[str]) -> float:
    """Requests per second with ``concurrency`` clients sending ``texts``."""
    sessions = [requests.Session() for _ in range(concurrency)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda n: send(sessions[n % concurrency], texts[n]), range(requests_)))
    return requests_ / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "speed.md")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []
    session = requests.Session()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, languagetool(None) as lt, copydesk(lt, Path(folder) / "g.log") as (
        base, master,
    ):
        raw = lambda text: timed_check(session, lt, text)  # noqa: E731
        ours = lambda text: score(session, base, text)[0]  # noqa: E731
        seed = [p for p in SEED.split("\n\n")]
        # Warm-up: the JIT (LanguageTool compiles its rules over the first dozen checks), both workers.
        for _ in range(12):
            raw(unique(seed)), ours(unique(seed))

        r, o = medians(args.rounds, lambda: unique(seed), raw, ours)
        rows.append(("seed (803 words), cold", f"{o / r:.2f}x ({o:.0f} vs {r:.0f} ms)", "<= 0.8x", _ok(o / r <= 0.8)))

        # What splitting can give: the raw server on the same text in two halves at once (copydesk
        # sends a text this size as two checks, one per server thread).
        def halves(text: str) -> float:
            parts = text.split("\n\n")
            middle = len(parts) // 2
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(raw, ["\n\n".join(parts[:middle]), "\n\n".join(parts[middle:])]))
            return (time.perf_counter() - started) * 1000

        r, h = medians(args.rounds, lambda: unique(seed), raw, halves)
        figure = f"{h / r:.2f}x ({h:.0f} vs {r:.0f} ms)"
        rows.append(("(ceiling) raw LanguageTool on the seed in two halves at once", figure, "", "measured"))

        again = unique(seed)
        score(session, base, again)
        score(session, base, again)  # both workers have it
        hits = [score(session, base, again) for _ in range(20)]
        server = statistics.median(report["meta"]["timings_ms"]["total"] for _, report in hits)
        trip = statistics.median(ms for ms, _ in hits)
        assert all(report["meta"]["cache"] == "hit" for _, report in hits)
        rows.append(("the identical request again", f"{server:.2f} ms server time ({trip:.1f} ms round trip)",
                     "<= 2 ms", _ok(server <= 2)))

        five = paragraphs_of(5000)
        r, o = medians(max(3, args.rounds // 2), lambda: unique(five), raw, ours)
        figure = f"{o / r:.2f}x ({o:.0f} vs {r:.0f} ms)"
        rows.append(("a 5,000-word article, cold", figure, "<= 0.6x", _ok(o / r <= 0.6)))

        two = paragraphs_of(2000)
        edits_raw, edits_ours = [], []
        for n in range(args.rounds):
            article = unique(two).split("\n\n")
            score(session, base, "\n\n".join(article))
            score(session, base, "\n\n".join(article))  # both workers have seen it
            article[len(article) // 2] += f" An editor added this sentence, number {n}."
            edited = "\n\n".join(article)
            edits_ours.append(ours(edited))
            edits_raw.append(raw(edited))
        r, o = statistics.median(edits_raw), statistics.median(edits_ours)
        rows.append(("a 2,000-word article after a one-paragraph edit", f"{o / r:.2f}x ({o:.0f} vs {r:.0f} ms)",
                     "<= 0.1x", _ok(o / r <= 0.1)))

        count = 8 * max(3, args.rounds // 2)
        texts = [unique(seed) for _ in range(count)]
        raw_rate = throughput(8, count, lambda s, t: timed_check(s, lt, t), texts)
        texts = [unique(seed) for _ in range(count)]
        our_rate = throughput(8, count, lambda s, t: score(s, base, t), texts)
        rows.append(("throughput at concurrency 8", f"{our_rate / raw_rate:.2f}x ({our_rate:.2f} vs {raw_rate:.2f}/s)",
                     ">= 1.0x", _ok(our_rate >= raw_rate)))

        workers = worker_memory(master.pid)
        rss = max(r for _, r, _ in workers) / 1024
        pss = max(p for _, _, p in workers) / 1024
        rows.append(("memory per worker after the rows above", f"{rss:.0f} MB RSS, {pss:.0f} MB PSS "
                     "(pages shared with the master and the other worker counted in part)", "<= 150 MB",
                     _ok(pss <= 150)))

        per_word = {}
        for words in (1000, 100_000):
            text = unique(paragraphs_of(words))
            times = [ours(unique(paragraphs_of(words))) for _ in range(3 if words == 1000 else 1)]
            per_word[words] = statistics.median(times) / len(text.split())
        ratio = per_word[100_000] / per_word[1000]
        rows.append(("cost per word at 100k words against 1k words", f"{ratio:.2f}x", "<= 1.3x", _ok(ratio <= 1.3)))

        million = unique(paragraphs_of(175_000))[:1_000_000]
        before = {pid for pid, _, _ in worker_memory(master.pid)}
        ms, report = score(session, base, million)
        peak = max(worker_peaks(master.pid))
        # A worker over COPYDESK_WORKER_MAX_RSS_MB retires once its connections close (this
        # session's keep-alive one too) and is replaced; measure what serves afterwards.
        session.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            workers = worker_memory(master.pid)
            if len(workers) == 2 and {pid for pid, _, _ in workers} != before:
                break
            time.sleep(1)
        replaced = len({pid for pid, _, _ in workers} - before)
        for _ in range(4):
            score(session, base, unique(seed))  # the new worker at work
        workers = worker_memory(master.pid)
        rows.append(("longest text accepted", f"{len(million):,} characters scored in {ms / 1000:.0f} s; "
                     f"peak worker RSS {peak / 1024:.0f} MB", "1,000,000 characters", "met"))
        rss = max(r for _, r, _ in workers) / 1024
        pss = max(p for _, _, p in workers) / 1024
        rows.append(("memory per worker after the 1M-character text", f"{rss:.0f} MB RSS, {pss:.0f} MB PSS "
                     f"({replaced} worker replaced, COPYDESK_WORKER_MAX_RSS_MB)", "<= 150 MB", _ok(pss <= 150)))
        notes.append(f"{len(report['checks']['grammar']['issues'])} grammar issues in the 1M-character text.")

    lines = [
        "# copydesk against raw LanguageTool",
        "",
        f"`python -m bench.speed --rounds {args.rounds}` ({environment()}); the pinned LanguageTool with its "
        "result cache off, "
        "on the same host; copydesk under gunicorn with 2 workers and its caches on. "
        f"Load average before the run: {load_before[0]:.2f}; after: {os.getloadavg()[0]:.2f}. "
        f"{os.cpu_count()} CPUs.",
        "",
        "| measure | copydesk | goal | |",
        "|---|---|---|---|",
        *(f"| {name} | {figure} | {goal} | {met} |" for name, figure, goal, met in rows),
        "",
        *notes,
    ]
    write_report(lines, args.out)


def _ok(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
