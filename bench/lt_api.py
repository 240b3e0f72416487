"""Does copydesk's /v2/check cost about one raw LanguageTool call? Ratios from one run.

    python -m bench.lt_api [--rounds 15] [--languagetool-url URL]

Starts its own LanguageTool server with the result cache off (so every call does the whole
check, as a first check of a text does), unless ``--languagetool-url`` names one; serves
copydesk over real HTTP (werkzeug, threaded) in front of it; then, for each text, sends the
same parameters to LanguageTool and to copydesk in turn, round after round, each round's text
made new by a first line of its own. Baseline: the raw LanguageTool call, measured in the same
run. Prints medians and their ratio as a Markdown table (bench/results/lt-api.md has a copy).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from werkzeug.serving import make_server

from service import create_app
from service.languagetool.supervisor import CONFIG_FILE, LanguageToolSupervisor, server_answers
from service.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TARGET = 1.05
STARTUP_SECONDS = 600.0
# Every call does the whole check (no result cache), and a loaded machine's first, slow checks
# are not cut off by the server's time limit.
BENCH_PROPERTIES = "\ncacheSize=0\nmaxCheckTimeMillis=180000\n"


def texts() -> dict[str, str]:
    seed = (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")
    clean = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "clean").glob("article-*.txt"))]
    return {
        "one paragraph": clean[0].split("\n\n")[1],
        "seed article": seed,
        "five articles": "\n\n".join([seed, *clean]),
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def languagetool(url: str | None) -> Iterator[str]:
    """The server to measure against: ``url``, or our own with LanguageTool's result cache off.

    Our own is started from the supervisor's command line but waited for here, without the
    supervisor's one-minute warm-up limit, which a busy machine can overrun.
    """
    if url:
        yield url
        return
    settings = Settings.load()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "server.properties"
        config.write_text(CONFIG_FILE.read_text(encoding="utf-8") + BENCH_PROPERTIES, encoding="utf-8")
        command = LanguageToolSupervisor(
            settings.languagetool_home, free_port(), settings.languagetool_java, settings.languagetool_heap,
            STARTUP_SECONDS, config_file=config,
        )
        process = subprocess.Popen(command.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not server_answers(command.url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("LanguageTool did not start")
                time.sleep(1)
            yield command.url
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def copydesk(languagetool_url: str) -> Iterator[str]:
    app = create_app({"languagetool_url": languagetool_url, "languagetool_timeout": 300.0})
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["copydesk"].scorer.close()


def timed_check(session: requests.Session, base: str, text: str) -> float:
    started = time.perf_counter()
    response = session.post(base.rstrip("/") + "/v2/check", data={"text": text, "language": "en-US"}, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    response.json()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--languagetool-url", help="a running LanguageTool server (its result cache skews the ratio)")
    args = parser.parse_args()

    session = requests.Session()
    rows = []
    with languagetool(args.languagetool_url) as raw_url, copydesk(raw_url) as copydesk_url:
        edition = iter(range(10**9))
        for name, text in texts().items():
            for _ in range(3):  # warm-up: JIT, rule loading, copydesk's first request
                for base in (raw_url, copydesk_url):
                    timed_check(session, base, f"Edition {next(edition)}.\n\n{text}")
            raw, ours, ratios = [], [], []
            for round_ in range(args.rounds):
                fresh = f"Edition {next(edition)}.\n\n{text}"
                order = (raw_url, copydesk_url) if round_ % 2 == 0 else (copydesk_url, raw_url)
                times = {base: timed_check(session, base, fresh) for base in order}
                raw.append(times[raw_url])
                ours.append(times[copydesk_url])
                ratios.append(times[copydesk_url] / times[raw_url])
            rows.append((name, len(text), statistics.median(raw), statistics.median(ours), statistics.median(ratios)))

    cache = "its own result cache" if args.languagetool_url else "the result cache off"
    print(f"median of {args.rounds} rounds per text; LanguageTool with {cache}; target: ratio <= {TARGET}")
    print("| text | characters | raw LanguageTool ms | copydesk /v2/check ms | ratio of medians | median ratio |")
    print("|---|---|---|---|---|---|")
    for name, length, raw_ms, ours_ms, ratio in rows:
        print(f"| {name} | {length} | {raw_ms:.1f} | {ours_ms:.1f} | {ours_ms / raw_ms:.3f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
