"""How long a cold start takes: the figures the README and docs/cli.md give for it.

    python -m bench.warmup [--rounds 3] [--language de-DE] [--out bench/results/warmup.md]

Each round, on free ports and with nothing else of copydesk's running:
- copydesk as ``make run`` starts it (gunicorn, the embedded LanguageTool, warm languages at their
  default, en-US): seconds from the start until ``/readyz`` answers 200;
- then a first ``/v2/check`` in ``--language``, in which LanguageTool builds that language's rules,
  and a second one, with them built;
- copydesk again with ``COPYDESK_LANGUAGETOOL_WARM_LANGUAGES=en-US,<language>``: seconds until ready;
- the gate without a service (``copydesk check`` on one short file), as the pre-commit hook runs
  it when it starts its own LanguageTool: seconds from start to exit.
Every row is CPU-bound: the report gives the host's load average at the start of each round,
and the README quotes the report with it.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.servers import free_port, write_report
from service.settings import PROJECT_ROOT

STARTUP_SECONDS = 300.0
ENGLISH = "The council met on Tuesday and approved the budget for the new library."
GERMAN = "Der Rat hat am Dienstag den Haushalt für die neue Bibliothek beschlossen."
SAMPLES = {"de-DE": GERMAN, "fr": "Le conseil a approuvé mardi le budget de la nouvelle bibliothèque."}


def _environment(**settings: str) -> dict[str, str]:
    """This environment without any COPYDESK_ setting, so LanguageTool is the embedded one."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COPYDESK_")}
    return {**env, "COPYDESK_LANGUAGETOOL_PORT": str(free_port()), **settings}


def _start(warm_languages: str) -> tuple[subprocess.Popen[bytes], str, float]:
    """copydesk started, its address and the seconds until /readyz answered 200."""
    port = free_port()
    env = _environment(COPYDESK_BIND=f"127.0.0.1:{port}", COPYDESK_LANGUAGETOOL_WARM_LANGUAGES=warm_languages)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    started = time.monotonic()
    process = subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf"], env=env, cwd=PROJECT_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            if requests.get(base + "/readyz", timeout=5).status_code == 200:
                return process, base, time.monotonic() - started
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() - started > STARTUP_SECONDS:
            _stop(process)
            raise SystemExit("copydesk did not become ready")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """The master stops its LanguageTool on the way out; the group goes too if it did not."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=90)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _check_seconds(base: str, language: str) -> tuple[float, int]:
    """Seconds a /v2/check in ``language`` took, and its status (503 when it ran past the limit)."""
    started = time.monotonic()
    answer = requests.post(base + "/v2/check", data={"language": language, "text": SAMPLES[language]}, timeout=120)
    return time.monotonic() - started, answer.status_code


def _gate_seconds(folder: Path) -> tuple[float, int]:
    """Seconds ``copydesk check`` took on one short file with no service to use, and its exit status."""
    page = folder / "page.md"
    page.write_text(f"# Budget\n\n{ENGLISH}\n", encoding="utf-8")
    env = _environment(COPYDESK_LANGUAGETOOL_HOME=str(PROJECT_ROOT / ".cache" / "languagetool"))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "service.cli", "check", str(page)], env=env, cwd=folder,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=STARTUP_SECONDS)
    return time.monotonic() - started, done.returncode


def _figures(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} | {min(values):.1f}–{max(values):.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--language", choices=sorted(SAMPLES), default="de-DE")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "warmup.md")
    args = parser.parse_args(argv)
    ready, first, second, warm_ready, gate, loads = [], [], [], [], [], []
    statuses: set[int] = set()
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            process, base, seconds = _start("en-US")
            try:
                ready.append(seconds)
                for into in (first, second):
                    took, status = _check_seconds(base, args.language)
                    into.append(took)
                    statuses.add(status)
            finally:
                _stop(process)
            process, _, seconds = _start(f"en-US,{args.language}")
            _stop(process)
            warm_ready.append(seconds)
            took, status = _gate_seconds(Path(folder))
            if status not in (0, 1, 2):
                raise SystemExit(f"copydesk check exited {status}")
            gate.append(took)
    lines = [
        "# A cold start",
        "",
        f"`python -m bench.warmup --rounds {args.rounds} --language {args.language}`: each round starts copydesk as "
        "`make run` does (gunicorn, the embedded LanguageTool), checks in a language LanguageTool has not warmed, "
        "stops; starts it again with that language warmed; and runs the gate on one short file with no service to "
        f"use. Seconds, median and range over the rounds, on {os.cpu_count()} cores with a one-minute load "
        f"average of {min(loads):.1f}–{max(loads):.1f} at the start of the rounds (its own processes stopped: "
        "the load is other work, or the previous round's processes still counted).",
        "",
        "| what | median s | range s |",
        "|---|---|---|",
        f"| `make run` until `/readyz` is 200 (warm languages `en-US`) | {_figures(ready)} |",
        f"| first `/v2/check` in {args.language} (its rules built) | {_figures(first)} |",
        f"| second `/v2/check` in {args.language} | {_figures(second)} |",
        f"| until `/readyz` is 200 with warm languages `en-US,{args.language}` | {_figures(warm_ready)} |",
        f"| `copydesk check` on one file, starting its own LanguageTool | {_figures(gate)} |",
        "",
        f"Statuses of the `/v2/check` calls: {', '.join(map(str, sorted(statuses)))} (503 would mean the first check "
        "ran past LanguageTool's 15 s limit). Every row is CPU-bound: a busier host takes longer, an idle one less.",
    ]
    write_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
