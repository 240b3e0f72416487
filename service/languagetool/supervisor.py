"""Run one LanguageTool HTTP server per host and keep it alive.

language-tool-python can start a server itself, but it downloads LanguageTool from the
internet and starts one JVM per instance (so one per gunicorn worker). Instead copydesk
runs the jars that ``scripts/fetch-languagetool`` fetched from Maven Central as a single
child process on 127.0.0.1; gunicorn's master owns it (see ``service.gunicorn_conf``) and
every worker connects to it over HTTP. If the JVM dies, it is started again.

The JVM's own output (stdout and stderr) goes line by line into the ``copydesk.languagetool``
logger, so it reaches the service's one log stream (JSON lines under gunicorn) instead of a
file of its own; the last lines are also kept, to quote when the server fails to start.
"""

from __future__ import annotations

import ctypes
import enum
import logging
import multiprocessing
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO

import requests

from ..settings import Settings

log = logging.getLogger(__name__)
server_log = logging.getLogger("copydesk.languagetool")
# Lines of the server's output kept to quote when it fails.
OUTPUT_TAIL_LINES = 40

CONFIG_FILE = Path(__file__).with_name("server.properties")
# TCP_NODELAY on the server's connections. Without it, a client that keeps its connection open
# (as LanguageTool's own clients and editors do) waits on its delayed acknowledgement for the
# end of each small answer: one paragraph took 64 to 72 ms over a kept-alive connection, 13 to
# 17 ms with this property (bench/results/lt-api.md). Dockerfile.languagetool passes it too.
NODELAY = "-Dsun.net.httpserver.nodelay=true"
# A JVM out of heap may lose the HTTP server's dispatcher thread and linger without answering;
# exiting lets the supervisor (or Kubernetes, whose chart passes the same flag) start a fresh one.
EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError"
WARM_UP_TEXT = "This sentence are checked once so the first real request is not slow."
# A server that SIGTERM or SIGINT ended was most likely signalled with its whole process group
# (systemd stops a service so, a terminal's Ctrl-C so): copydesk is stopping too, and gunicorn's
# master calls ``stop`` once its workers are gone, which may take their whole graceful timeout
# (30 s) and the master's own exit after it. It is started again after longer than that only.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
SIGNALLED_GRACE = 45.0
# Seconds a server given up on has to exit after SIGTERM before it is killed.
END_WAIT = 10.0
# Another copydesk's server on the port is asked every ADOPTED_POLL seconds whether it answers;
# after ADOPTED_MISSES unanswered polls in a row (a busy server still answers /v2/languages),
# this supervisor starts its own.
ADOPTED_POLL = 5.0
ADOPTED_MISSES = 3


class State(enum.IntEnum):
    """What the supervisor is doing with its server, as readiness reports it to operators."""

    STARTING = 0
    WARMING_UP = 1
    READY = 2
    EXITED = 3  # waiting out the pause before it starts the server again
    SIGNALLED = 4  # waiting out SIGNALLED_GRACE
    NOT_INSTALLED = 5
    STOPPING = 6


REASONS = {
    State.STARTING: "LanguageTool is starting",
    State.WARMING_UP: "LanguageTool is warming up",
    State.READY: "LanguageTool is ready",
    State.EXITED: "LanguageTool exited and is started again after a pause (its output is in the log)",
    State.SIGNALLED: (
        f"LanguageTool was stopped by a signal, as on a shutdown; it is started again in {SIGNALLED_GRACE:.0f} s "
        "unless copydesk stops"
    ),
    State.NOT_INSTALLED: "LanguageTool cannot be started: it is not installed (see the log)",
    State.STOPPING: "copydesk is stopping",
}


def _stop_signal(returncode: int | None) -> signal.Signals | None:
    """The stop signal that ended the server (the JVM exits with 128 plus its number), if one did."""
    for stop in STOP_SIGNALS:
        if returncode in (-stop, 128 + stop):
            return stop
    return None


class LanguageToolNotInstalled(RuntimeError):
    """The jars are missing: the message says which command fetches them."""


def server_answers(url: str, timeout: float = 2.0) -> bool:
    """True when a LanguageTool server at ``url`` lists its languages."""
    try:
        response = requests.get(url.rstrip("/") + "/v2/languages", timeout=timeout)
        return response.ok and isinstance(response.json(), list)
    except (requests.RequestException, ValueError):
        return False


def warm_up(url: str, language: str = "en-US", timeout: float = 60.0) -> None:
    """One real check: LanguageTool builds the language's rules at its first check in it (seconds
    to tens of seconds), and the JIT compiles the hot paths, before a client waits on either."""
    response = requests.post(
        url.rstrip("/") + "/v2/check", data={"language": language, "text": WARM_UP_TEXT}, timeout=timeout
    )
    response.raise_for_status()


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this supervisor gave up on: SIGTERM, then SIGKILL if it has not exited
    within END_WAIT seconds (a JVM that does not exit on SIGTERM held the supervisor for good)."""
    process.terminate()
    try:
        process.wait(timeout=END_WAIT)
    except subprocess.TimeoutExpired:
        process.kill()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to stop the JVM if the process that started it dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class LanguageToolSupervisor:
    """Starts the server, restarts it when it exits, stops it on request."""

    def __init__(
        self,
        home: Path,
        port: int,
        java: str,
        heap: str,
        startup_timeout: float,
        config_file: Path = CONFIG_FILE,
        warm_languages: tuple[str, ...] = ("en-US",),
    ) -> None:
        self.home = Path(home)
        self.port = port
        self.java = java
        self.heap = heap
        self.startup_timeout = startup_timeout
        self.config_file = config_file
        self.warm_languages = warm_languages
        self.url = f"http://127.0.0.1:{port}"
        # Called after each restart (the service counts them in its metrics).
        self.on_restart: Callable[[], None] | None = None
        self._output: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        # Shared with the processes forked after this one (gunicorn's workers): their readiness
        # follows the server's warm-up and restarts, which only this process sees.
        self._ready = multiprocessing.Event()
        # Shared the same way, for the reason a worker's readiness gives while it is not ready.
        self._state = multiprocessing.RawValue("i", State.STARTING)
        self._restarts = multiprocessing.RawValue("i", 0)
        self._thread: threading.Thread | None = None
        self._adopted = False

    @classmethod
    def from_settings(cls, settings: Settings) -> LanguageToolSupervisor:
        return cls(
            home=settings.languagetool_home,
            port=settings.languagetool_port,
            java=settings.languagetool_java,
            heap=settings.languagetool_heap,
            startup_timeout=settings.languagetool_startup_timeout,
            warm_languages=settings.languagetool_warm_languages,
        )

    @property
    def lib_dir(self) -> Path:
        return self.home / "lib"

    def command(self) -> list[str]:
        return [
            self.java,
            f"-Xmx{self.heap}",
            EXIT_ON_OOM,
            NODELAY,
            "-cp",
            str(self.lib_dir / "*"),
            "org.languagetool.server.HTTPServer",
            "--port",
            str(self.port),
            "--config",
            str(self.config_file),
        ]

    def start(self) -> None:
        """Start supervising in a background thread; returns at once (see ``wait_ready``).

        If a LanguageTool server already answers on the port (another copydesk on this
        host started it), it is used as it is: one server per host. It is watched, and should it
        go away (that copydesk stopped, or was upgraded), this one starts its own.
        """
        if server_answers(self.url):
            self._now(State.READY)
        else:
            self._check_installed()
        self._thread = threading.Thread(target=self._supervise, name="languagetool-supervisor", daemon=True)
        self._thread.start()

    def _check_installed(self) -> None:
        if not any(self.lib_dir.glob("languagetool-server-*.jar")):
            raise LanguageToolNotInstalled(
                f"LanguageTool jars not found in {self.lib_dir}: run scripts/fetch-languagetool "
                "(or set COPYDESK_LANGUAGETOOL_URL to a running server)"
            )
        if shutil.which(self.java) is None:
            # Found out here, not by the supervising thread, which died of it while the service
            # went on saying LanguageTool was starting.
            raise LanguageToolNotInstalled(
                f"COPYDESK_LANGUAGETOOL_JAVA: {self.java!r} is not a program that can be run: install Java 17+ "
                "or name its java (or set COPYDESK_LANGUAGETOOL_URL to a running server)"
            )

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(self.startup_timeout if timeout is None else timeout)

    @property
    def restarts(self) -> int:
        """How many times the server was started again after it exited."""
        return int(self._restarts.value)

    @property
    def reason(self) -> str:
        """What the server is doing, in words for an operator (``/readyz`` while not ready)."""
        state = State(self._state.value)
        restarted = self.restarts
        if restarted and state in (State.STARTING, State.WARMING_UP):
            return f"{REASONS[state]} again (restarts: {restarted})"
        return REASONS[state]

    def _now(self, state: State) -> None:
        self._state.value = state
        if state is State.READY:
            self._ready.set()
        else:
            self._ready.clear()

    @property
    def adopted(self) -> bool:
        """It uses the server another copydesk of this host started on the port."""
        return self._adopted

    @property
    def ready(self) -> bool:
        """The server answers and has been warmed up in every warm language it knows."""
        return self._ready.is_set()

    def output_tail(self) -> str:
        """The server's last lines of output, to quote when it would not start."""
        return "\n".join(self._output) or "(no output)"

    def _forward_output(self, stream: IO[bytes], pid: int) -> None:
        """Each line the JVM writes, as one log record of ``copydesk.languagetool``."""
        with stream:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    self._output.append(line)
                    server_log.info(line, extra={"languagetool_pid": pid})

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self) -> None:
        self._stopping.set()
        self._now(State.STOPPING)
        process = self._process
        if process and process.poll() is None:
            _end(process)
            process.wait()
        if self._thread:
            self._thread.join(timeout=15)

    def _adopt(self) -> bool:
        """Use the server another copydesk of this host runs on the port, if one answers there,
        for as long as it answers (ADOPTED_MISSES polls in a row unanswered end it); False at
        once if none does. Then this supervisor starts its own."""
        if not server_answers(self.url):
            return False
        log.info("LanguageTool already answers at %s; using it", self.url)
        self._adopted = True
        self._now(State.READY)
        misses = 0
        while misses < ADOPTED_MISSES and not self._stopping.wait(ADOPTED_POLL):
            misses = 0 if server_answers(self.url) else misses + 1
        self._adopted = False
        if not self._stopping.is_set():
            log.warning("LanguageTool at %s, another copydesk's, stopped answering; starting one here", self.url)
        return True

    def _supervise(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            # Before every start: another copydesk may have started one on the port meanwhile
            # (during this one's grace after a SIGTERM); a second would only fail to bind it.
            if self._adopt():
                continue
            # Also when start() found one answering that is gone by now.
            self._now(State.STARTING)
            try:
                self._check_installed()
            except LanguageToolNotInstalled as exc:
                self._now(State.NOT_INSTALLED)
                log.error("cannot start LanguageTool: %s", exc)
                self._stopping.wait(ADOPTED_POLL)
                continue
            started = time.monotonic()
            self._output.clear()  # the tail quoted should it exit is this server's own
            self._process = subprocess.Popen(
                self.command(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
            threading.Thread(
                target=self._forward_output,
                args=(self._process.stdout, self._process.pid),
                name="languagetool-output",
                daemon=True,
            ).start()
            log.info("LanguageTool starting (pid %s) on %s", self._process.pid, self.url)
            deadline = time.monotonic() + self.startup_timeout
            stopped_here = False  # this supervisor ended it: no shutdown to wait for
            if self._wait_until_answering(deadline):
                self._now(State.WARMING_UP)
                if self._warm_up(deadline):
                    log.info("LanguageTool ready on %s", self.url)
                    self._now(State.READY)
                    backoff = 1.0
                elif self._process.poll() is None and not self._stopping.is_set():
                    log.error("LanguageTool did not warm up within %.0f s; stopping it", self.startup_timeout)
                    _end(self._process)
                    stopped_here = True
            elif self._process.poll() is None and not self._stopping.is_set():
                log.error("LanguageTool did not answer within %.0f s; stopping it", self.startup_timeout)
                _end(self._process)
                stopped_here = True
            self._process.wait()
            if self._stopping.is_set():
                break
            self._now(State.EXITED)
            signalled = _stop_signal(self._process.returncode)
            if signalled is not None and not stopped_here:
                self._now(State.SIGNALLED)
                log.warning(
                    "LanguageTool was stopped by %s, as on a shutdown of its process group; "
                    "it starts again in %.0f s unless copydesk stops first",
                    signalled.name,
                    SIGNALLED_GRACE,
                )
                self._stopping.wait(SIGNALLED_GRACE)
                if self._stopping.is_set():
                    break
                self._now(State.EXITED)
            self._restarts.value += 1
            if self.on_restart is not None:
                self.on_restart()
            # A server that dies right after starting is not helped by restarting it in a tight loop.
            if time.monotonic() - started < 30:
                backoff = min(backoff * 2, 30.0)
            log.error(
                "LanguageTool (pid %s) exited with code %s; restart #%d in %.0f s; its last output:\n%s",
                self._process.pid,
                self._process.returncode,
                self.restarts,
                backoff,
                self.output_tail(),
            )
            self._stopping.wait(backoff)

    def _warm_up(self, deadline: float) -> bool:
        """One real check per warm language, each tried again until ``deadline``: on a busy host
        the first check can outlast LanguageTool's own time limit (it then answers 500) while a
        second one passes. A language LanguageTool does not know (400) is logged and skipped: a
        typo in a setting must not keep the server from ever being ready."""
        for language in self.warm_languages:
            started = time.monotonic()
            while True:
                if time.monotonic() >= deadline or self._stopping.is_set():
                    return False
                if self._process is not None and self._process.poll() is not None:
                    return False
                try:
                    warm_up(self.url, language, timeout=max(1.0, deadline - time.monotonic()))
                    log.info("LanguageTool warmed up %s in %.1f s", language, time.monotonic() - started)
                    break
                except requests.RequestException as exc:
                    if exc.response is not None and exc.response.status_code == 400:
                        log.error(
                            "LanguageTool refused to warm up %r (COPYDESK_LANGUAGETOOL_WARM_LANGUAGES): %s",
                            language,
                            exc.response.text.strip()[:200],
                        )
                        break
                    log.warning("LanguageTool warm-up in %s failed (%s); trying again", language, exc)
                self._stopping.wait(1.0)
        return True

    def _wait_until_answering(self, deadline: float) -> bool:
        while time.monotonic() < deadline and not self._stopping.is_set():
            if self._process is not None and self._process.poll() is not None:
                return False
            if server_answers(self.url, timeout=1.0):
                return True
            time.sleep(0.25)
        return False
