"""The servers a benchmark measures: LanguageTool, started from the supervisor's command line,
and copydesk as production runs it (gunicorn, the preloaded app, two workers, its caches on);
and the way each benchmark ends, its report printed and written.
"""

from __future__ import annotations

import importlib.util
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import requests

from service.languagetool.supervisor import CONFIG_FILE, NODELAY, LanguageToolSupervisor, server_answers
from service.settings import PROJECT_ROOT, Settings

STARTUP_SECONDS = 600.0
# A loaded machine's first, slow checks are not cut off by the server's time limit.
SLOW_MACHINE = "\nmaxCheckTimeMillis=180000\n"
# Every call does the whole check (bench.speed, bench.fairness and bench.paragraph_parity).
NO_RESULT_CACHE = "\ncacheSize=0\n"


# Dev-only packages that the workers import when they are installed (nltk imports them).
DEV_ONLY = {"sklearn": "scikit-learn", "scipy": "SciPy", "numpy": "NumPy"}


def environment() -> str:
    """What the report says of the environment it ran from."""
    found = [name for module, name in DEV_ONLY.items() if importlib.util.find_spec(module)]
    if not found:
        return "run from an environment with the runtime dependencies only, as the image has"
    return (f"run from an environment with dev-only packages ({', '.join(found)}), which nltk imports into every "
            "worker: the memory rows are higher than the image's")


def write_report(lines: Sequence[str], out: Path | None) -> None:
    """Print a report's lines and write them, one a line, to ``out`` when given: the file in
    ``bench/results/`` is then what the run printed."""
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if out:
        out.write_text(text, encoding="utf-8")


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port free now and not handed out before, outside the kernel's range for outgoing
    connections: a connection opened meanwhile cannot take it before its server binds
    it (a JVM binds its port seconds later)."""
    low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    outside = [port for port in range(10_000, 65_536) if not low <= port <= high and port not in _HANDED_OUT]
    for port in random.sample(outside, min(len(outside), 100)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as sock:  # a host whose outgoing range covers every port
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def languagetool(
    url: str | None, result_cache: bool = False, nodelay: bool = True, heap: str | None = None, time_limit: bool = False
) -> Iterator[str]:
    """The server to measure against: ``url``, or our own, with LanguageTool's result cache off
    unless ``result_cache``, without ``NODELAY`` if not ``nodelay`` (to measure what it gives),
    with ``heap`` (``-Xmx``) instead of COPYDESK_LANGUAGETOOL_HEAP when given, and with the
    shipped time limit per check only if ``time_limit``.

    Our own is started from the supervisor's command line but waited for here, without the
    supervisor's one-minute warm-up limit, which a busy machine can overrun.
    """
    if url:
        yield url
        return
    settings = Settings.load()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "server.properties"
        extra = ("" if time_limit else SLOW_MACHINE) + ("" if result_cache else NO_RESULT_CACHE)
        config.write_text(CONFIG_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
        command = LanguageToolSupervisor(
            settings.languagetool_home, free_port(), settings.languagetool_java, heap or settings.languagetool_heap,
            STARTUP_SECONDS, config_file=config,
        )
        line = [arg for arg in command.command() if nodelay or arg != NODELAY]
        process = subprocess.Popen(line, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
def copydesk(
    languagetool_url: str, log: Path, settings: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """copydesk under gunicorn, two workers; ``settings`` by variable (``COPYDESK_...``) on top."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")},
        "COPYDESK_BIND": f"127.0.0.1:{port}",
        "COPYDESK_LANGUAGETOOL_URL": languagetool_url,
        "COPYDESK_LANGUAGETOOL_TIMEOUT": "120",
        "COPYDESK_WORKERS": "2",
        **(settings or {}),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf"], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(base + "/readyz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"copydesk did not start; see {log}")
            time.sleep(1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=60)


def worker_memory(master: int) -> list[tuple[int, int, int]]:
    """(pid, RSS, PSS) in kB of each gunicorn worker; one that exits while it is read is left out
    (a worker retiring after a large body)."""
    found = []
    for child, rollup in _worker_files(master, "smaps_rollup"):
        fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]}
        found.append((child, fields["Rss"], fields["Pss"]))
    return found


def pod_pss_kb(master: int) -> int:
    """The PSS of the gunicorn ``master`` and its workers, in kB: pages the processes share count
    once, as a container's memory cgroup counts them."""
    rollup = Path(f"/proc/{master}/smaps_rollup").read_text()
    own = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return own + sum(pss for _, _, pss in worker_memory(master))


class PodPeak:
    """``pod_pss_kb`` of a gunicorn master when the block begins (``idle``) and the largest seen
    every 0.2 s while it runs (``peak``)."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.idle = self.peak = pod_pss_kb(master)
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample)

    def __enter__(self) -> PodPeak:
        self._sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._sampler.join()

    def _sample(self) -> None:
        while not self._done.wait(0.2):
            self.peak = max(self.peak, pod_pss_kb(self.master))


def worker_peaks(master: int) -> list[int]:
    """The peak resident size (VmHWM) in kB of each gunicorn worker."""
    return [
        int(line.split()[1])
        for _, status in _worker_files(master, "status")
        for line in status.splitlines()
        if line.startswith("VmHWM:")
    ]


def _worker_files(master: int, name: str) -> Iterator[tuple[int, str]]:
    """(pid, the text of /proc/<pid>/<name>) of each worker of the gunicorn ``master`` still there."""
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        try:
            yield int(child), Path(f"/proc/{child}/{name}").read_text()
        except OSError:
            continue


def paired(
    rounds: int, make: Callable[[], tuple[str, str]], raw: Callable[[str], float], ours: Callable[[str], float]
) -> tuple[list[float], list[float]]:
    """Milliseconds of ``raw`` and ``ours`` in each of ``rounds`` rounds, each on the texts
    ``make`` gives the round (raw's, ours), alternating which goes first so that neither side
    always meets the machine as the other left it."""
    raw_ms, our_ms = [], []
    for round_ in range(rounds):
        raw_text, our_text = make()
        if round_ % 2:
            our_ms.append(ours(our_text))
            raw_ms.append(raw(raw_text))
        else:
            raw_ms.append(raw(raw_text))
            our_ms.append(ours(our_text))
    return raw_ms, our_ms


def timed_check(session: requests.Session, base: str, text: str) -> float:
    """Milliseconds of one ``POST /v2/check`` (en-US) to LanguageTool or to copydesk at ``base``,
    its JSON answer read, as ``bench.speed`` times copydesk's reports; the answer must be a 200."""
    started = time.perf_counter()
    response = session.post(base.rstrip("/") + "/v2/check", data={"text": text, "language": "en-US"}, timeout=900)
    response.raise_for_status()
    response.json()
    return (time.perf_counter() - started) * 1000
