"""Texts of unknown words: does LanguageTool stay up, and what does a worker hold for them?

    python -m bench.garbage [--out bench/results/garbage.md]

LanguageTool builds its whole answer in its heap, and for such a text the answer is far longer
than the text: each finding holds its sentence and every word the speller finds near the
unknown one (hundreds for "$$a"). For each case, LanguageTool with the embedded server's
default heap (1 GB) and the shipped settings gets the text
whole, as a client of its own would send it (the baseline: does it answer, does it stay up?);
then a LanguageTool as large, started afresh, gets it through copydesk (gunicorn, two workers,
started afresh, so a worker's peak is this case's). Reported: statuses, answer size, seconds,
whether LanguageTool is still up, the peak resident size of the busiest worker against its
size before the case, and the PSS of the gunicorn master and its workers together (what a
container's memory limit counts: ``bench.book_memory``) before the case and at its peak,
sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path

import requests

from bench.servers import PodPeak, copydesk, environment, languagetool, worker_peaks, write_report
from service.languagetool.supervisor import server_answers

HEAP = "1g"
CASES = [
    # (name, path, text, requests at once)
    ("10,000 characters of `$$a` lines, 3 at once", "/v2/check", "$$a\n" * 2_500, 3),
    ("115,000 characters of `$$a.` lines", "/v2/check", "$$a.\n" * 23_000, 1),
    ("115,000 characters of `$$a.` lines", "/v1/score", "$$a.\n" * 23_000, 1),
    ("116,000 characters of `$$a` lines", "/v2/check", "$$a\n" * 29_000, 1),
    # with the line send() adds, as long as COPYDESK_MAX_TEXT_CHARS lets a text be (1,000,000)
    ("1,000,000 characters of `$$a.` lines", "/v1/score", "$$a.\n" * 199_997, 1),
]


def send(base: str, path: str, text: str, n: int) -> tuple[list[int], float, float]:
    """Statuses, the largest answer in MB, and seconds until the last answer, for ``n`` requests
    at once (each text made different by a line of its own, so no cache answers)."""

    def one(k: int) -> tuple[int, int]:
        body = f"Request {k}.\n\n{text}"
        if path == "/v1/score":
            response = requests.post(base + path, json={"text": body, "checks": ["grammar"]}, timeout=900)
        else:
            response = requests.post(base + path, data={"text": body, "language": "en-US"}, timeout=900)
        return response.status_code, len(response.content)

    started = time.perf_counter()
    try:
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            answers = list(pool.map(one, range(n)))
    except requests.RequestException:
        answers = [(0, 0)]
    return [status for status, _ in answers], max(size for _, size in answers) / 1e6, time.perf_counter() - started


def shipped() -> AbstractContextManager[str]:
    """LanguageTool as the embedded server runs it, started afresh."""
    return languagetool(None, result_cache=True, heap=HEAP, time_limit=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    for name, path, text, at_once in CASES:
        with shipped() as url:
            statuses, _, _ = send(url, "/v2/check", text, at_once)
            raw = f"{', '.join(map(str, statuses))}; {'up' if server_answers(url) else 'exited'}"
        with shipped() as url, tempfile.TemporaryDirectory() as folder:
            with copydesk(url, Path(folder) / "copydesk.log") as (base, process):
                before = max(worker_peaks(process.pid))
                with PodPeak(process.pid) as pod:
                    statuses, mb, seconds = send(base, path, text, at_once)
                after = max(worker_peaks(process.pid))
                up = "up" if server_answers(url) else "exited"
        rows.append(f"| {name} | `{path}` | {raw} | {', '.join(map(str, statuses))}; {up} | {mb:.0f} | "
                    f"{seconds:.1f} | {before / 1024:.0f} | {after / 1024:.0f} | {after / before:.1f} | "
                    f"{pod.idle / 1024:.0f} | {pod.peak / 1024:.0f} |")
    write_report(
        [
            "# Texts of unknown words: LanguageTool's heap and a worker's memory",
            "",
            f"`python -m bench.garbage`: LanguageTool with a {HEAP} heap (the embedded server's default) and the "
            "shipped settings, "
            f"copydesk under gunicorn (two workers), each started afresh for each case; {environment()}. "
            "Baseline: the same text sent whole to LanguageTool itself, started afresh too. Status 0: no "
            "answer (the connection failed).",
            "",
            "| text | copydesk path | raw LanguageTool: statuses; after | copydesk: statuses; LanguageTool after "
            "| largest answer MB | seconds | worker MB before | worker peak MB | peak / before "
            "| gunicorn PSS MiB before | gunicorn PSS peak MiB |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
        ],
        args.out,
    )


if __name__ == "__main__":
    main()
