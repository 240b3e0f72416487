"""End to end over a real socket: gunicorn serving copydesk, as `make run` starts it.

Two ways, as in production: workers using an existing LanguageTool server (the compose
sidecar's situation), and the embedded default where the gunicorn master starts and
supervises its own server, restarts it when it dies and stops it on shutdown.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from support import free_port, gunicorn, gunicorn_env, gunicorn_setting, validated, wait_for

from service import serving
from service.languagetool import supervisor as supervisor_module
from service.languagetool.supervisor import (
    EXIT_ON_OOM,
    NODELAY,
    SIGNALLED_GRACE,
    LanguageToolSupervisor,
    server_answers,
)
from service.settings import Settings


def workers(master: subprocess.Popen[bytes]) -> list[int]:
    """The gunicorn master's worker processes."""
    return [int(pid) for pid in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()]


def test_gunicorn_serves_reports_over_a_socket(languagetool_url: str, data_dir: Path, tmp_path: Path,
                                               seed_text: str, seed_title: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=2, languagetool_url=languagetool_url)
    with gunicorn(env, tmp_path / "gunicorn.log"):
        validated(wait_for(base + "/healthz", 200, 60))
        validated(wait_for(base + "/readyz", 200, 60))
        response = validated(requests.post(base + "/v1/score", json={"text": seed_text, "title": seed_title},
                                           timeout=60))
        assert response.status_code == 200
        report = response.json()
        assert report["complete"] and report["verdict"] != "pass"
        spans = {i["text"] for section in report["checks"].values() for i in section["issues"]}
        assert {"left Jinping till the car", "know the meaning"} <= spans

        problem = validated(requests.post(base + "/v1/score", data=b"{", timeout=10,
                                          headers={"Content-Type": "application/json"}))
        assert problem.status_code == 400
        assert problem.headers["Content-Type"] == "application/problem+json"


def test_embedded_languagetool_is_started_supervised_and_stopped(data_dir: Path, tmp_path: Path) -> None:
    port, lt_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    lt_url = f"http://127.0.0.1:{lt_port}"
    # A start (the JVM, then English and German checked once) may take long on a loaded host: a
    # start cut short by the supervisor's own limit would be a restart of its own.
    env = gunicorn_env(port, data_dir, workers=2, languagetool_port=str(lt_port),
                       languagetool_warm_languages="en-US,xx,de-DE", languagetool_startup_timeout="170")
    with gunicorn(env, tmp_path / "gunicorn.log") as master:
        validated(wait_for(base + "/readyz", 200, 180))
        java = subprocess.run(["pgrep", "-f", f"HTTPServer --port {lt_port}"], capture_output=True, text=True)
        pids = [int(p) for p in java.stdout.split()]
        assert len(pids) == 1, "exactly one LanguageTool JVM for all workers"
        assert Path(f"/proc/{pids[0]}/status").read_text().count(f"PPid:\t{master.pid}") == 1
        assert {NODELAY, EXIT_ON_OOM} <= set(Path(f"/proc/{pids[0]}/cmdline").read_text().split("\0"))

        os.kill(pids[0], signal.SIGKILL)  # the supervisor must notice and start a new one
        # The workers are not ready while the master's server is down and warming up again,
        # even with a recent answer; the process table and the server itself say it restarted.
        validated(wait_for(base + "/readyz", 503, 60))
        deadline = time.monotonic() + 180
        restarted: list[int] = []
        while time.monotonic() < deadline:
            found = subprocess.run(["pgrep", "-f", f"HTTPServer --port {lt_port}"], capture_output=True, text=True)
            restarted = [int(p) for p in found.stdout.split() if int(p) not in pids]
            if restarted and server_answers(lt_url, timeout=2):
                break
            time.sleep(1)
        assert len(restarted) == 1, "the supervisor starts exactly one new LanguageTool"
        assert Path(f"/proc/{restarted[0]}/status").read_text().count(f"PPid:\t{master.pid}") == 1
        validated(wait_for(base + "/readyz", 200, 180))
        scored = requests.post(base + "/v1/score", json={"text": "He go home."}, timeout=60)
        assert scored.json().get("complete"), scored.text
        # The master counted the restart; a worker's scrape adds the master's files in.
        metrics = validated(requests.get(base + "/metrics", timeout=10)).text
        assert re.search(r"^copydesk_languagetool_restarts_total 1\.0$", metrics, re.MULTILINE), metrics
        # systemd stops a service by signalling its whole process group: the JVM and the master
        # both get SIGTERM, and the supervisor waits for the stop instead of starting a new JVM.
        # The master signalled first may stop the supervisor before the JVM has exited (nothing
        # to wait for then); the test signals the master once the supervisor is waiting.
        os.kill(restarted[0], signal.SIGTERM)
        deadline = time.monotonic() + 30
        while "was stopped by SIGTERM" not in (tmp_path / "gunicorn.log").read_text():
            assert time.monotonic() < deadline, "the supervisor did not notice the JVM's exit"
            time.sleep(0.2)
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=SIGNALLED_GRACE - 5)

    deadline = time.monotonic() + 20
    while server_answers(lt_url, timeout=1) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not server_answers(lt_url, timeout=1), "LanguageTool must stop with the service"
    # LanguageTool's own output is in the service's log, as JSON lines of its own logger.
    lines = [json.loads(line) for line in (tmp_path / "gunicorn.log").read_text().splitlines() if line.strip()]
    jvm = [line for line in lines if line["logger"] == "copydesk.languagetool"]
    assert {line["languagetool_pid"] for line in jvm} == {pids[0], restarted[0]}, "both servers' output"
    assert any("Server started" in line["message"] for line in jvm), [line["message"] for line in jvm][:20]
    # Each server checked a sentence in every warm language it knows, German included (its own
    # log line for each check), before a worker said ready; the supervisor named the code
    # LanguageTool refused.
    for pid in (pids[0], restarted[0]):
        checked = [line["message"] for line in jvm
                   if line["languagetool_pid"] == pid and "Check done" in line["message"]]
        assert any(", en-US," in m for m in checked) and any(", de-DE," in m for m in checked), checked
    events = [
        line["message"] for line in lines
        if line["logger"] == "service.languagetool.supervisor" or line["message"].startswith("GET /readyz")
    ]
    assert sum("refused to warm up 'xx'" in message for message in events) == 2, events
    warmed = [n for n, message in enumerate(events) if message.startswith("LanguageTool warmed up de-DE in ")]
    ready = [n for n, message in enumerate(events) if message == "GET /readyz 200"]
    restart = next(n for n, message in enumerate(events) if "restart #1" in message)
    # From the new server's start on (a 200 a worker decided before the old server died may be
    # logged after "restart #1": it comes from another process).
    started = events.index(f"LanguageTool starting (pid {restarted[0]}) on {lt_url}")
    assert len(warmed) == 2 and warmed[0] < ready[0] < restart < started < warmed[1] < ready[-1], events
    assert not [n for n in ready if started < n < warmed[1]], "ready while the new server warmed up"
    assert "restart #2" not in " ".join(events) and any("was stopped by SIGTERM" in m for m in events), events


def test_a_signalled_server_waits_longer_than_gunicorn_may_take_to_stop(tmp_path: Path) -> None:
    """A worker may use its whole graceful timeout before the master stops the supervisor: a JVM
    ended with its process group must not be started again meanwhile."""
    assert SIGNALLED_GRACE >= int(gunicorn_setting("graceful_timeout", tmp_path)) + 10


def test_a_server_the_supervisor_stops_itself_is_started_again_at_once(monkeypatch) -> None:
    """The supervisor's own SIGTERM (a server that did not answer in time) is no shutdown of the
    process group: the next server starts after the usual backoff, not after SIGNALLED_GRACE."""
    settings = Settings.load()
    supervisor = LanguageToolSupervisor(settings.languagetool_home, free_port(), settings.languagetool_java,
                                        settings.languagetool_heap, startup_timeout=2)
    started: list[float] = []
    command = ["sleep", "600"]  # a server that never answers, as a hung JVM

    def never_answering() -> list[str]:
        started.append(time.monotonic())
        return command

    monkeypatch.setattr(supervisor, "command", never_answering)
    supervisor.start()
    try:
        deadline = time.monotonic() + SIGNALLED_GRACE
        while len(started) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(started) >= 2 and started[1] - started[0] < 10, started
    finally:
        supervisor.stop()


# A stand-in for LanguageTool's HTTP server, for the supervisor's tests of processes and ports:
# it lists a language and checks nothing; like the JVM, it exits with an error when the port is
# taken. (Every other test of the server's answers talks to the real LanguageTool.)
STAND_IN_SERVER = """
import http.server, json, sys
class Answers(http.server.BaseHTTPRequestHandler):
    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        self._send([{"name": "English (US)", "code": "en", "longCode": "en-US"}])
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._send({"matches": []})
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Answers).serve_forever()
"""


def _stand_in(port: int) -> list[str]:
    return [sys.executable, "-c", STAND_IN_SERVER, str(port)]


def _supervisor(monkeypatch, port: int, startup_timeout: float = 20) -> tuple[LanguageToolSupervisor, list[float]]:
    """A supervisor on ``port`` whose server is the stand-in, and the times it started one."""
    settings = Settings.load()
    supervisor = LanguageToolSupervisor(settings.languagetool_home, port, settings.languagetool_java,
                                        settings.languagetool_heap, startup_timeout=startup_timeout)
    started: list[float] = []

    def stand_in() -> list[str]:
        started.append(time.monotonic())
        return _stand_in(port)

    monkeypatch.setattr(supervisor, "command", stand_in)
    monkeypatch.setattr(supervisor_module, "ADOPTED_POLL", 0.2)
    return supervisor, started


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_server_that_ignores_sigterm_after_its_start_up_time_is_killed_and_restarted(monkeypatch) -> None:
    """The supervisor sent SIGTERM to a server that did not answer in time and waited for it to
    exit, without end: a JVM that ignored it (stopped, or hung) left the service without
    LanguageTool for good."""
    supervisor, started = _supervisor(monkeypatch, free_port(), startup_timeout=2)
    deaf = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"]
    monkeypatch.setattr(supervisor, "command", lambda: started.append(time.monotonic()) or deaf)
    monkeypatch.setattr(supervisor_module, "END_WAIT", 1.0)
    supervisor.start()
    try:
        assert _until(lambda: len(started) >= 2, 30), started
    finally:
        supervisor.stop()


def test_another_copydesks_server_is_used_and_replaced_when_it_goes_away(monkeypatch) -> None:
    """One server per host: a second copydesk uses the first one's. When that copydesk stopped (or
    was upgraded), the second had no server for good, and said LanguageTool was not answering."""
    port = free_port()
    other = subprocess.Popen(_stand_in(port))
    supervisor, started = _supervisor(monkeypatch, port)
    try:
        assert _until(lambda: server_answers(supervisor.url), 20)
        supervisor.start()
        assert supervisor.ready and _until(lambda: supervisor.adopted, 10) and started == []
        other.terminate()
        other.wait()
        assert _until(lambda: len(started) == 1 and supervisor.ready, 20), started
        assert supervisor.pid is not None and server_answers(supervisor.url)
    finally:
        other.kill()
        other.wait()
        supervisor.stop()


def test_a_server_that_took_the_port_during_a_restart_is_used_not_fought(monkeypatch) -> None:
    """Another copydesk started a server on the port while this one's was down: this one started
    its own anyway, which could not bind the port and exited, again and again, each restart
    counted, and its readiness flapped."""
    port = free_port()
    supervisor, started = _supervisor(monkeypatch, port)
    other = None
    try:
        supervisor.start()
        assert _until(lambda: supervisor.ready and len(started) == 1, 30), started
        os.kill(supervisor.pid, signal.SIGKILL)  # its server died; the restart waits out a backoff
        assert _until(lambda: not supervisor.ready, 10)
        other = subprocess.Popen(_stand_in(port))
        assert _until(lambda: supervisor.adopted and supervisor.ready, 20)
        time.sleep(3 * supervisor_module.ADOPTED_POLL)
        assert len(started) == 1 and supervisor.restarts <= 1 and supervisor.ready
    finally:
        if other is not None:
            other.kill()
            other.wait()
        supervisor.stop()


def test_readiness_says_what_the_embedded_server_is_doing(monkeypatch) -> None:
    """/readyz said "starting and warming up" whatever kept the server from being ready: also
    while it waited to start one again after it exited (a crash loop) or after a SIGTERM."""
    supervisor, started = _supervisor(monkeypatch, free_port())
    warming = threading.Event()
    monkeypatch.setattr(supervisor_module, "warm_up", lambda *args, **kwargs: warming.wait(30))
    monkeypatch.setattr(supervisor_module, "SIGNALLED_GRACE", 3.0)
    supervisor.start()
    try:
        assert _until(lambda: supervisor.reason == "LanguageTool is warming up", 20), supervisor.reason
        warming.set()
        assert _until(lambda: supervisor.ready, 10) and supervisor.reason == "LanguageTool is ready"
        os.kill(supervisor.pid, signal.SIGKILL)
        assert _until(lambda: not supervisor.ready, 10)
        assert supervisor.reason.startswith("LanguageTool exited and is started again after a pause")
        assert _until(lambda: supervisor.ready and len(started) == 2, 30), supervisor.reason
        os.kill(supervisor.pid, signal.SIGTERM)
        assert _until(lambda: not supervisor.ready, 10)
        assert supervisor.reason.startswith("LanguageTool was stopped by a signal"), supervisor.reason
        assert _until(lambda: len(started) == 3, 10), supervisor.reason
        assert supervisor.reason in ("LanguageTool is starting again (restarts: 2)",
                                     "LanguageTool is warming up again (restarts: 2)", "LanguageTool is ready")
    finally:
        supervisor.stop()
    assert supervisor.reason == "copydesk is stopping"


def test_a_worker_grown_by_a_large_request_is_replaced(languagetool_url: str, data_dir: Path, tmp_path: Path) -> None:
    """COPYDESK_WORKER_MAX_RSS_MB: after a body over 1 MB, a worker above it retires gracefully
    (its answer is sent whole) and the master forks a fresh one."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(
        port,
        data_dir,
        workers=1,
        languagetool_url=languagetool_url,
        worker_max_rss_mb="1",  # every worker is over it
        max_text_chars="2000000",
    )
    with gunicorn(env, tmp_path / "gunicorn.log") as master:
        validated(wait_for(base + "/readyz", 200, 120))

        (before,) = workers(master)
        small = validated(requests.post(base + "/v1/score", json={"text": "A short text.", "checks": ["readability"]},
                                        timeout=60))
        assert small.status_code == 200 and workers(master) == [before], "a small request never retires a worker"
        text = "The council met on Tuesday and approved the budget. " * 25_000  # 1.3 MB
        large = validated(requests.post(base + "/v1/score", json={"text": text, "checks": ["readability"]},
                                        timeout=300))
        assert large.status_code == 200 and large.json()["complete"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and workers(master) in ([before], []):
            time.sleep(0.5)
        assert len(workers(master)) == 1 and workers(master) != [before], "a fresh worker took its place"
        validated(wait_for(base + "/healthz", 200, 30))
    assert "retires" in (tmp_path / "gunicorn.log").read_text()


def test_workers_retire_one_at_a_time() -> None:
    """The lock a retiring worker takes on the master's file keeps the others from retiring
    until that worker has exited, so one of them always accepts."""
    with tempfile.TemporaryFile() as retiring:
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, sys; fcntl.lockf(int(sys.argv[1]), fcntl.LOCK_EX); "
             "print('retiring', flush=True); sys.stdin.read()", str(retiring.fileno())],
            pass_fds=[retiring.fileno()], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == b"retiring\n"
        assert not serving._first_to_retire(retiring), "another worker is retiring"
        holder.stdin.close()  # that worker exits
        assert holder.wait(timeout=30) == 0
        holder.stdout.close()
        assert serving._first_to_retire(retiring)
    assert serving._first_to_retire(None), "without the master's file (no preloading) a worker just retires"


def test_a_worker_asks_to_retire_once_with_two_large_bodies_in_flight(monkeypatch) -> None:
    """Its lock is its own to take again: the second large body logged "retires" and sent a
    second SIGTERM (seen in a hostile-client review)."""
    asked: list[int] = []
    monkeypatch.setattr(serving.os, "kill", lambda pid, sig: asked.append(sig))
    monkeypatch.setattr(serving, "RETIRING", threading.Event())  # this test process is no worker
    monkeypatch.setattr(serving, "_resident_mb", lambda: 10_000.0)

    async def app(scope, receive, send) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    served = serving.BufferedBody(app, max_bytes=10_000_000, timeout=30, max_rss_mb=224)
    body = b"x" * (serving.TRIM_AFTER_BYTES + 1)

    async def one_request() -> None:
        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message) -> None:
            pass

        scope = {"type": "http", "method": "POST", "path": "/v1/score", "headers": []}
        await served(scope, receive, send)

    async def two() -> None:
        await asyncio.gather(one_request(), one_request())

    # A loop of its own in a thread of its own: the browser tests' Playwright (sync API, one for
    # the session) keeps a loop running in this thread, where asyncio.run refuses to start.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, two()).result(timeout=60)
    assert asked == [signal.SIGTERM] and serving.RETIRING.is_set()


def test_a_stopping_worker_closes_idle_connections_and_finishes_requests(languagetool_url: str, data_dir: Path,
                                                                        tmp_path: Path) -> None:
    """A worker told to stop (a retiring one, or all on shutdown) closes at once the connections
    that wait for a next request, finishes the request in flight, and a fresh worker takes its
    place. gunicorn alone kept the idle one open for graceful_timeout (30 s) and the place empty."""
    port = free_port()
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url)
    with gunicorn(env, tmp_path / "gunicorn.log") as master:
        validated(wait_for(f"http://127.0.0.1:{port}/healthz", 200, 120))
        (worker,) = workers(master)
        idle = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        idle.request("GET", "/healthz")
        assert idle.getresponse().read() and idle.sock is not None
        # A request in flight: its headers are in, its body is still to come. The worker's
        # "100 Continue" says the app is reading the body: the request has begun, under any load.
        body = json.dumps({"text": "The council met on Tuesday.", "checks": ["readability"]}).encode()
        busy = socket.create_connection(("127.0.0.1", port), timeout=20)
        busy.sendall(b"POST /v1/score HTTP/1.1\r\nHost: copydesk\r\nContent-Type: application/json\r\n"
                     b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        reply = busy.makefile("rb")
        assert reply.readline() == b"HTTP/1.1 100 Continue\r\n" and reply.readline() == b"\r\n"
        os.kill(worker, signal.SIGTERM)
        readable, _, _ = select.select([idle.sock], [], [], 10)
        assert readable and idle.sock.recv(1) == b"", "the idle connection is closed at once"
        busy.sendall(body)
        with busy, reply:
            answer = reply.read()  # to the end: the stopping worker closes the connection after it
        idle.close()
        assert answer.startswith(b"HTTP/1.1 200") and b'"complete":true' in answer, answer[:300]
        # The worker notices SIGTERM within a second (gunicorn's loop) and may accept meanwhile;
        # then it exits and a fresh one takes its place, long before graceful_timeout (30 s).
        deadline = time.monotonic() + 15
        while worker in workers(master) or not workers(master):
            assert time.monotonic() < deadline, f"no fresh worker in the place of {worker} within 15 s"
            time.sleep(0.1)
        fresh = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert fresh.status_code == 200


def test_an_idle_connection_is_kept_for_keepalive_seconds(languagetool_url: str, data_dir: Path,
                                                           tmp_path: Path) -> None:
    """COPYDESK_KEEPALIVE reaches gunicorn: a connection idle for longer than gunicorn's own 2 s
    still carries the next request, and one idle for longer than the setting is closed."""
    port = free_port()
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, keepalive="10")
    with gunicorn(env, tmp_path / "gunicorn.log"):
        validated(wait_for(f"http://127.0.0.1:{port}/healthz", 200, 120))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def ask() -> int:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            return response.status

        def closed_by_server() -> bool:
            assert connection.sock is not None
            readable, _, _ = select.select([connection.sock], [], [], 0)
            return bool(readable) and connection.sock.recv(1, socket.MSG_PEEK) == b""

        assert ask() == 200
        sock = connection.sock
        time.sleep(3)  # longer than gunicorn's own keep-alive (2 s), well within the setting
        assert not closed_by_server()
        assert ask() == 200 and connection.sock is sock, "the same connection carried the second request"
        deadline = time.monotonic() + 20
        while not closed_by_server() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert closed_by_server(), "an idle connection is closed after COPYDESK_KEEPALIVE seconds"
        connection.close()


def test_a_retiring_worker_answers_its_requests_in_flight_however_long_they_take(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """A worker retires by its own choice, so its requests in flight are answered, not cut off
    at gunicorn's graceful timeout (30 s): a 1,000,000-character check then outlasted it, and
    its client met a closed connection (seen in bench.book_memory). The wait also keeps the
    worker's heartbeat, or the master takes the waiting worker for a hung one (``timeout``).
    Here both are 1 and 3 s, and a request whose body trickles in, a byte each 0.5 s, from before
    the retirement to 6 s after it began (gunicorn also gives each wait for body bytes ``timeout``:
    a fixed gap the large check outlasted failed the test on a slower machine)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, worker_max_rss_mb="1",
                       max_text_chars="2000000", body_timeout="600")  # the trickle is no slow client to refuse
    env["GUNICORN_CMD_ARGS"] = "--graceful-timeout 1 --timeout 3"
    padding = 1_000  # white space before the JSON: the bytes that trickle
    body = b" " * padding + json.dumps({"text": "A short text that arrives late.", "checks": ["readability"]}).encode()
    with gunicorn(env, tmp_path / "gunicorn.log") as master:
        validated(wait_for(base + "/readyz", 200, 120))
        (before,) = workers(master)
        # Closed however the test ends: a socket left to the collector fails the next test.
        with socket.create_connection(("127.0.0.1", port), timeout=60) as slow:
            slow.sendall(b"POST /v1/score HTTP/1.1\r\nHost: copydesk\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body))
            sent, enough = 0, threading.Event()

            def trickle() -> None:
                nonlocal sent
                while not enough.wait(0.5) and sent < padding:
                    try:
                        slow.sendall(body[sent : sent + 1])
                    except OSError:  # closed by the worker: the sendall after the wait fails the test
                        return
                    sent += 1

            trickling = threading.Thread(target=trickle)
            trickling.start()
            try:
                text = "The council met on Tuesday and approved the budget. " * 25_000  # 1.3 MB: the worker retires
                large = requests.post(base + "/v1/score", json={"text": text, "checks": ["readability"]}, timeout=300)
                assert large.status_code == 200
                deadline = time.monotonic() + 30
                while "retires" not in (tmp_path / "gunicorn.log").read_text() and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(6)
            finally:
                enough.set()
                trickling.join()
            assert 6 / 0.5 <= sent < padding, "the body was still arriving when the worker retired"
            slow.sendall(body[sent:])
            answer = b""
            while chunk := slow.recv(65536):
                answer += chunk
        head, _, payload = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), answer[:300]
        assert json.loads(payload)["complete"] is True
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and workers(master) in ([before], []):
            time.sleep(0.5)
        assert len(workers(master)) == 1 and workers(master) != [before], "a fresh worker took its place"
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Forcing close" not in log and "WORKER TIMEOUT" not in log, log[-2000:]
