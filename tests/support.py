"""Helpers the tests share (imported as ``support``: pytest puts tests/ on sys.path).

``ContractClient`` validates every response it receives against openapi.yaml.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import requests
import yaml
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

from bench.servers import free_port as free_port  # the tests take their ports where the benchmarks do
from service import create_app
from service.findings import SEVERITIES, Document, Finding, SectionResult
from service.scoring import Scorer, Thresholds
from service.settings import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
# RFC 9457 bodies are JSON too; openapi-core only knows plain application/json by default.
SPEC = OpenAPI.from_file_path(
    str(PROJECT_ROOT / "openapi.yaml"),
    config=Config(
        extra_media_type_deserializers={
            "application/problem+json": json.loads,
            "application/yaml": yaml.safe_load,
            "text/html": bytes.decode,
            "text/javascript": bytes.decode,
            "text/css": bytes.decode,
            "image/svg+xml": bytes.decode,
        }
    ),
)
PROBLEM_SCHEMA = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text())["components"]["schemas"]["Problem"]


def languagetool_properties() -> dict[str, str]:
    """The LanguageTool server's configuration (service/languagetool/server.properties), which
    the embedded server and the image both use."""
    lines = (PROJECT_ROOT / "service" / "languagetool" / "server.properties").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def gunicorn_setting(name: str, scratch: Path) -> str:
    """A value of ``service.gunicorn_conf``, read in a process of its own as gunicorn reads it
    (importing it sets up the metrics folder, here under ``scratch``)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(scratch)}
    read = subprocess.run([sys.executable, "-c", f"import service.gunicorn_conf as c; print(c.{name})"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, check=True)
    return read.stdout.strip()


class SilentServer:
    """Fault injection: a server that accepts connections and never answers (a hung LanguageTool)."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.hang_up()

    def hang_up(self) -> None:
        """Close the connections held and refuse new ones: clients learn at once that no answer comes."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        for conn in self.held:
            conn.close()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                self.held.append(self._listener.accept()[0])
            except TimeoutError:
                continue


def _not_json(constant: str) -> float:
    raise AssertionError(f"{constant} is not JSON (RFC 8259): a browser's JSON.parse refuses the body")


def strict_json(body: str) -> object:
    """The body parsed as RFC 8259 JSON: Python's own parser also takes NaN and Infinity."""
    return json.loads(body, parse_constant=_not_json)


def validate_against_spec(response) -> None:
    """Every response the tests receive must match openapi.yaml (status, media type, body),
    and a JSON body must be JSON that every client can parse.

    Paths and methods the spec does not list must still answer with a problem body.
    """
    sent = response.request
    if response.mimetype in ("application/json", "application/problem+json") and sent.method != "HEAD":
        strict_json(response.get_data(as_text=True))
    # The request's body was read by the app; only its method and path matter to find the
    # operation whose responses apply.
    request = MockRequest("http://localhost", sent.method.lower(), sent.path, args=dict(sent.args),
                          content_type=sent.mimetype or "application/json")
    try:
        SPEC.validate_response(request, WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        assert response.status_code in (404, 405), response.status_code
        assert response.mimetype == "application/problem+json"
        jsonschema.validate(response.get_json(), PROBLEM_SCHEMA)


class ContractClient(FlaskClient):
    """A test client that checks each response against the OpenAPI contract."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if not getattr(response.request, "path", "").startswith("/docs"):
            validate_against_spec(response)
        return response


@contextmanager
def app_with(**config: Any) -> Iterator[Flask]:
    """An app of its own (``TESTING``, its responses checked against the contract), its
    scorer's threads stopped after: a new worker, or one with other settings."""
    app = create_app({"TESTING": True, **config})
    app.test_client_class = ContractClient
    try:
        yield app
    finally:
        app.extensions["copydesk"].scorer.close()


# ---------------------------------------------------------------------------------------------
# The LanguageTool-compatible API (/v2) against LanguageTool itself
# ---------------------------------------------------------------------------------------------


def is_copydesk(match: dict) -> bool:
    return match["rule"]["category"]["id"].startswith("COPYDESK_")


def assert_parity(raw: dict, ours: dict) -> None:
    """Every LanguageTool match is in copydesk's answer, exactly as LanguageTool wrote it; all
    other matches are copydesk's; the sections around the matches are LanguageTool's, in its order."""
    assert list(ours) == list(raw), "copydesk's answer has LanguageTool's sections in another order"
    dumped = Counter(json.dumps(m, sort_keys=True) for m in ours["matches"])
    missing = Counter(json.dumps(m, sort_keys=True) for m in raw["matches"]) - dumped
    assert not missing, f"LanguageTool matches missing from copydesk's answer: {list(missing)[:3]}"
    added = dumped - Counter(json.dumps(m, sort_keys=True) for m in raw["matches"])
    assert all(is_copydesk(json.loads(m)) for m in added)
    for key in ("software", "warnings", "language", "sentenceRanges"):
        assert ours[key] == raw[key], key
    assert [m["offset"] for m in ours["matches"]] == sorted(m["offset"] for m in ours["matches"])


# ---------------------------------------------------------------------------------------------
# gunicorn as `make run` starts it, over a real socket
# ---------------------------------------------------------------------------------------------


def validated(response: requests.Response) -> requests.Response:
    media_type = response.headers.get("Content-Type", "").split(";")[0]
    if media_type in ("application/json", "application/problem+json") and response.request.method != "HEAD":
        strict_json(response.text)
    SPEC.validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
    return response


def wait_for(url: str, status: int, timeout: float) -> requests.Response:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            response = requests.get(url, timeout=5)
            if response.status_code == status:
                return response
            last = response.status_code
        except (requests.ConnectionError, requests.Timeout) as exc:
            last = exc
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer {status} within {timeout:.0f} s (last: {last})")


def gunicorn_env(port: int, data_dir: Path, workers: int, **settings: str) -> dict[str, str]:
    """The environment of a copydesk that `gunicorn` serves on 127.0.0.1:``port``; ``settings``
    by field name (``languagetool_url=...`` is COPYDESK_LANGUAGETOOL_URL)."""
    return {
        "COPYDESK_BIND": f"127.0.0.1:{port}",
        "COPYDESK_DATA_DIR": str(data_dir),
        "COPYDESK_WORKERS": str(workers),
        **{f"COPYDESK_{name.upper()}": value for name, value in settings.items()},
    }


@contextmanager
def gunicorn(env: dict[str, str], log: Path, open_files: int | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """``open_files``: the descriptors gunicorn may open (soft and hard limit), as a container sets them."""
    command = [sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf"]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")} | env
    limit = None if open_files is None else lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                   preexec_fn=limit)
    # A master that failed on its own (its port taken by another process's server, which then
    # answered the test in its place) must not pass unnoticed, nor a failure it caused go
    # unexplained; a test that stops the master itself sees it exit with 0.
    try:
        yield process
    except BaseException as failure:
        if process.poll() not in (None, 0):
            failure.add_note(_died(process, log))
        raise
    finally:
        died = process.poll()
        if died is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    if died not in (None, 0):
        raise AssertionError(_died(process, log))


def _died(process: subprocess.Popen[bytes], log: Path) -> str:
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    return f"gunicorn exited on its own with {process.returncode}; its log ends:\n{tail}"


def raw(base: str, data: bytes, wait: float = 10.0) -> bytes:
    """Send bytes as they are to the server at ``base`` and read the whole answer. The server may
    answer (and close) before it has read everything, as it does for a body over the limit, so
    the bytes go out from a thread while this one reads."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:

        def send() -> None:
            try:
                sock.sendall(data)
            except OSError:
                pass  # the server stopped reading: its answer is what counts

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


def head_and_body(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def validated_raw(method: str, target: str, answer: bytes) -> tuple[int, dict[str, str], bytes]:
    """:func:`head_and_body` of an answer read from a raw socket, held to the spec as the answer
    to ``method`` on ``target`` (a path with its query), as :func:`validated` holds others."""
    status, headers, body = head_and_body(answer)
    path, _, query = target.partition("?")
    request = MockRequest("http://localhost", method.lower(), path, args=dict(urllib.parse.parse_qsl(query)))
    media_type = headers.get("content-type", "").split(";")[0]
    SPEC.validate_response(request, MockResponse(body, status_code=status, headers=headers, content_type=media_type))
    return status, headers, body


def head_and_json(answer: bytes) -> tuple[int, dict[str, str], dict]:
    status, headers, body = head_and_body(answer)
    return status, headers, json.loads(body)


# A worker of one thread holds at most 2 x this many bytes of request bodies (service.serving).
BUSY_BODY_LIMIT = 100_000


def busy_gunicorn_env(port: int, data_dir: Path, languagetool_url: str) -> dict[str, str]:
    """One worker of one thread with bodies of BUSY_BODY_LIMIT, for :func:`fill_body_budget` (a text
    limit in the defaults' ratio to the body limit; a quiet body waits well past any test)."""
    return gunicorn_env(port, data_dir, workers=1, threads="1", languagetool_url=languagetool_url,
                        max_body_bytes=str(BUSY_BODY_LIMIT), max_text_chars=str(BUSY_BODY_LIMIT // 8),
                        body_timeout="300")


def fill_body_budget(base: str) -> list[socket.socket]:
    """Two clients that send all but the last bytes of a body and then keep quiet, until the worker
    of :func:`busy_gunicorn_env` at ``base`` answers 503 busy; closing them lets their bodies go."""
    port = int(base.rsplit(":", 1)[1])
    quiet = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    for sock in quiet:
        sock.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % BUSY_BODY_LIMIT + b"x" * (BUSY_BODY_LIMIT - 10))
    deadline = time.monotonic() + 10
    while requests.post(base + "/v1/score", json={"text": "a" * 100}, timeout=30).status_code != 503:
        assert time.monotonic() < deadline, "the worker still takes bodies"
        time.sleep(0.2)
    return quiet


def shown_sentences(document) -> list[str]:
    """Each of ``document``'s sentences as a reader sees it in the prose view: its text, each run
    of white space one space (markup blanked in a sentence reads as a space)."""
    return [" ".join(s.of(document.text).split()) for s in document.sentences]


class Finds:
    """A check that finds what it is given: the report's making tested without an analyzer."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings

    def run(self, document: Document) -> SectionResult:
        return SectionResult(list(self.findings), 40.0, {"words": 2})


def many_findings_scorer(many: int) -> tuple[Scorer, Document]:
    """A scorer whose phrasing finds ``many`` things in a text (in reverse order) and whose
    readability finds one in its title."""
    document = Document(text="Word. " * many, title="A title")
    phrasing = [
        Finding("phrasing", f"pack.rule-{n % 3}", "d", f"c{n % 2}", "copydesk:pack", SEVERITIES[n % 3], "m", 6 * n, 4)
        for n in reversed(range(many))
    ]
    titled = Finding("readability", "r", "d", "c", "copydesk:readability", "error", "m", 2, 5, field="title")
    checks: Any = {"phrasing": Finds(phrasing), "readability": Finds([titled])}
    return Scorer(checks, Thresholds(80, 60), {"model": "m"}, threads=2), document
