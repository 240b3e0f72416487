"""Does copydesk keep answering while its workers retire? A probe's longest wait, from one run.

    python -m bench.retirement [--languagetool URL] [--out bench/results/retirement.md]

copydesk as production runs it (``bench.servers.copydesk``: gunicorn, two workers), with
``COPYDESK_WORKER_MAX_RSS_MB=1``, so that every request body over 1 MB retires the worker that
served it, and with connections kept open and idle, as a proxy in front keeps its upstream
connections. Texts of 1.3 MB are sent, several at once, so that both workers retire, sometimes
together, while a probe asks ``/healthz`` on a new connection every 50 ms. The report gives the
probe's longest and 99th-percentile wait and the retirements the log shows. A new connection is
answered only by a worker that still accepts: the longest wait is how long none did.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.servers import copydesk, languagetool, write_report
from service.settings import PROJECT_ROOT

IDLE_CONNECTIONS = 6
LARGE_TEXTS = 4
TEXT = "The council met on Tuesday and approved the budget. " * 25_000  # 1.3 MB


def measure(languagetool_url: str, log: Path) -> tuple[list[float], int]:
    """The probe's waits (seconds) and the number of retirements, over one run."""
    settings = {"COPYDESK_WORKER_MAX_RSS_MB": "1", "COPYDESK_MAX_TEXT_CHARS": "2000000"}
    with copydesk(languagetool_url, log, settings) as (base, _):
        idle = [requests.Session() for _ in range(IDLE_CONNECTIONS)]
        for session in idle:
            session.get(base + "/healthz", timeout=30).raise_for_status()
        waits: list[float] = []
        done = threading.Event()

        def probe() -> None:
            while not done.is_set():
                started = time.monotonic()
                requests.get(base + "/healthz", timeout=120).raise_for_status()
                waits.append(time.monotonic() - started)
                time.sleep(0.05)

        def large(_: int) -> None:
            body = {"text": TEXT, "checks": ["readability"]}
            requests.post(base + "/v1/score", json=body, timeout=300).raise_for_status()

        prober = threading.Thread(target=probe)
        prober.start()
        with ThreadPoolExecutor(LARGE_TEXTS) as pool:
            list(pool.map(large, range(LARGE_TEXTS)))
        time.sleep(5)  # the last retirements
        done.set()
        prober.join()
        for session in idle:
            session.close()
    return waits, log.read_text(encoding="utf-8").count(" retires: ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languagetool", help="a running LanguageTool server (else one is started)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "retirement.md")
    args = parser.parse_args(argv)
    with languagetool(args.languagetool) as url, tempfile.TemporaryDirectory() as folder:
        waits, retirements = measure(url, Path(folder) / "gunicorn.log")
    ordered = sorted(waits)
    lines = [
        "# Answering while workers retire",
        "",
        "`python -m bench.retirement`: copydesk under gunicorn with two workers and "
        "`COPYDESK_WORKER_MAX_RSS_MB=1`; "
        f"{IDLE_CONNECTIONS} connections kept open and idle; {LARGE_TEXTS} texts of 1.3 MB sent at once; a probe "
        "asks `/healthz` on a new connection every 50 ms.",
        "",
        "| retirements | probes | median wait s | 99th percentile s | longest wait s |",
        "|---|---|---|---|---|",
        f"| {retirements} | {len(waits)} | {statistics.median(waits):.3f} | "
        f"{ordered[int(0.99 * (len(ordered) - 1))]:.3f} | {ordered[-1]:.3f} |",
        "",
        "Workers retire one at a time (a worker over the limit while another retires stays until a",
        "later large body; the table counts the retirements). A retiring worker stops accepting,",
        "closes the connections that only wait for a next request and exits once its requests in",
        "flight are answered; the master then forks a fresh one (`service.serving`). With gunicorn's",
        "own shutdown, which waits up to its graceful timeout (30 s) for every open connection, this",
        "command gave a longest wait of 30.15 s (run with `service/serving.py` of `c1be218`): both",
        "workers were retiring, each held by an idle connection, and no worker accepted.",
    ]
    write_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
