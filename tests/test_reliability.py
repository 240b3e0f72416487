"""Hostile and unlucky clients against gunicorn as `make run` serves copydesk, and the real
LanguageTool behind it: every reproducer of the reliability review gets a documented 4xx
problem (or its documented success), and the service stays healthy after each."""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import jsonschema
import language_tool_python
import pytest
import requests
import yaml
from language_tool_python.exceptions import LanguageToolError
from support import (
    PROBLEM_SCHEMA,
    SilentServer,
    free_port,
    gunicorn,
    gunicorn_env,
    head_and_body,
    head_and_json,
    raw,
    validated,
    wait_for,
)

from service.settings import PROJECT_ROOT

SPEC = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def service(languagetool_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=2, languagetool_url=languagetool_url, body_timeout="5")
    with gunicorn(env, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"):
        wait_for(base + "/readyz", 200, 120)
        yield base


def problem(response: requests.Response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    jsonschema.validate(body, PROBLEM_SCHEMA)
    assert body["type"] == f"urn:copydesk:problem:{kind}"
    return body


def healthy(base: str) -> None:
    assert requests.get(base + "/healthz", timeout=5).status_code == 200
    assert requests.post(base + "/v1/score", json={"text": "He go home."}, timeout=30).json()["complete"]


# --- D1: lone surrogates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/score", '{"text": "Hello \\ud800 world."}', "text"),
        ("/v1/score", '{"text": "Hello.", "title": "A \\udfff title"}', "title"),
        ("/v1/score", '{"text": "Hello.", "accept": ["ok", "\\ud83d"]}', "accept"),
        ("/v1/clickbait", '{"headlines": ["fine", "bad \\ud800"]}', "headlines[1]"),
    ],
)
def test_a_lone_surrogate_is_a_422_that_says_where(service: str, path: str, body: str, field: str) -> None:
    response = requests.post(service + path, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    found = problem(response, 422, "invalid-request")
    assert field in [error["field"] for error in found["errors"]]
    if field in ("text", "title"):
        assert "code point" in found["detail"]
    healthy(service)


def test_a_surrogate_pair_is_one_character_and_fine(service: str) -> None:
    response = requests.post(
        service + "/v1/score", data='{"text": "He go home \\ud83d\\ude00 now."}',
        headers={"Content-Type": "application/json"}, timeout=30,
    )
    issue = next(i for i in validated(response).json()["checks"]["grammar"]["issues"] if i["text"] == "go")
    assert issue["offset"] == 3


# --- D3: chunked bodies ----------------------------------------------------------------------


def _chunked(body: bytes, size: int = 65536) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def _chunked_head(path: str, media_type: str) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {media_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    return head.encode()


def _post_chunked(base: str, body: bytes) -> bytes:
    return raw(base, _chunked_head("/v1/score", "application/json") + _chunked(body), wait=30)


@pytest.mark.parametrize("size", [8_100_000, 12_000_000])
def test_a_chunked_body_over_the_limit_is_413_not_cut(service: str, size: int) -> None:
    status, headers, body = head_and_json(_post_chunked(service, b'{"text": "' + b"a" * size + b'"}'))
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert body["type"] == "urn:copydesk:problem:body-too-large" and "8000000" in body["detail"]
    healthy(service)


def test_a_body_over_the_limit_on_v2_is_languagetools_plain_text_413(service: str) -> None:
    """LanguageTool clients show an error body as it is: /v2 refuses in their dialect even
    before the app sees the request."""
    page = {"Origin": "https://editor.example"}  # a page COPYDESK_CORS_ORIGINS (*) lets call /v2
    declared = requests.post(service + "/v2/check", data={"language": "en-US", "text": "a" * 8_000_001},
                             headers=page, timeout=60)
    assert declared.status_code == 413 and declared.headers["Content-Type"] == "text/plain; charset=utf-8"
    allowed = requests.get(service + "/v2/languages", headers=page, timeout=30).headers["Access-Control-Allow-Origin"]
    assert declared.headers["Access-Control-Allow-Origin"] == allowed == page["Origin"]  # so the page can read it
    # The app reads "//v2/check" as /v2/check: so does the refusal before it (it was a problem body).
    doubled = raw(service, b"POST //v2/check HTTP/1.1\r\nHost: copydesk\r\nOrigin: https://editor.example\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9000000\r\n\r\n", wait=30)
    status, headers, body = head_and_body(doubled)
    assert (status, headers["content-type"]) == (413, "text/plain; charset=utf-8"), body[:200]
    assert headers["access-control-allow-origin"] == page["Origin"]
    chunked = raw(service, _chunked_head("/v2/check", "application/x-www-form-urlencoded")
                  + _chunked(b"language=en-US&text=" + b"a" * 8_100_000), wait=30)
    status, headers, body = head_and_body(chunked)
    assert (status, headers["content-type"]) == (413, "text/plain; charset=utf-8")
    for text in (validated(declared).text, body.decode()):
        assert text.startswith("Error: The request body is ") and "8000000 bytes (COPYDESK_MAX_BODY_BYTES)" in text
    # The declared size is the body's size; a chunked one is refused once it passes the limit.
    size = declared.request.headers["Content-Length"]
    assert validated(declared).text.startswith(f"Error: The request body is {size} bytes")
    assert body.decode().startswith("Error: The request body is at least ")
    # A text under COPYDESK_MAX_TEXT_CHARS whose form encoding (12 bytes an emoji) is over the body limit.
    with pytest.raises(LanguageToolError, match="COPYDESK_MAX_BODY_BYTES"):
        language_tool_python.LanguageTool("en-US", remote_server=service).check("😀" * 700_000)
    healthy(service)


def test_a_chunked_body_under_the_limit_is_read_whole(service: str) -> None:
    text = "He go home. " * 2000 + "Last words are here."
    body = json.dumps({"text": text, "checks": ["readability"]}).encode()
    status, _, report = head_and_json(_post_chunked(service, body))
    assert status == 200
    assert report["meta"]["text_length"] == len(text)  # nothing was cut


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/score", b'{"text": "Hello there, this is a short text."}'),
    ("/v2/check", b"language=en-US&text=Hello+there%2C+this+is+a+short+text."),
])
def test_a_body_in_a_coding_copydesk_does_not_decode_is_refused_not_misread(
    service: str, path: str, body: bytes
) -> None:
    """gzip in Content-Encoding, or before chunked in Transfer-Encoding (a coding gunicorn knows by
    name and does not decode), reached the app as the compressed bytes: a 400 that called the
    body malformed. Each is refused for what it is, before the body is read, in the path's dialect."""
    v2 = path.startswith("/v2/")
    media_type = "application/x-www-form-urlencoded" if v2 else "application/json"
    compressed = gzip.compress(body)
    content = validated(requests.post(service + path, data=compressed, timeout=30, headers={
        "Content-Encoding": "gzip", "Content-Type": media_type, "X-Request-ID": "coded-1"}))
    assert (content.status_code, content.headers["Accept-Encoding"]) == (415, "identity")
    assert content.headers["X-Request-ID"] == "coded-1"
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {media_type}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
    status, headers, answer = head_and_body(raw(service, head.encode() + _chunked(compressed)))
    assert status == 501 and headers["x-request-id"]
    # A cache may keep a 501 for everyone: this one request's codings earned it.
    assert content.headers["Cache-Control"] == headers["cache-control"] == "no-store"
    for refused in (content.content, answer):
        if v2:
            assert refused.decode().startswith("Error: copydesk ")
        else:
            problem = json.loads(refused)
            jsonschema.validate(problem, PROBLEM_SCHEMA)
            assert problem["type"] == "urn:copydesk:problem:" + ("not-implemented" if refused is answer
                                                               else "unsupported-media-type")
    # Uncompressed, with the codings that change nothing, the same body is read.
    plain = requests.post(service + path, data=body, timeout=60, headers={
        "Content-Encoding": "identity", "Content-Type": media_type})
    assert validated(plain).status_code == 200
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {media_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert head_and_body(raw(service, head.encode() + _chunked(body), wait=60))[0] == 200


@pytest.mark.parametrize(("method", "path"), [("POST", "/v2/nonexistent"), ("PUT", "/v2/check")])
def test_a_body_refused_on_a_path_or_method_v2_does_not_have_is_a_problem(service: str, method: str, path: str) -> None:
    """The spec: a path or method /v2 does not have is a problem body too. The body reader
    answered such a request in LanguageTool's plain text when it refused the body, and with a
    problem (404, 405) when it had none."""
    form = "application/x-www-form-urlencoded"
    coded = requests.request(
        method, service + path, data=b"x=1", timeout=30, headers={"Content-Type": form, "Content-Encoding": "gzip"}
    )
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {form}\r\nContent-Length: 99999999\r\n\r\n"
    status, answered, body = head_and_body(raw(service, head.encode()))
    assert (coded.status_code, status) == (415, 413)
    for media_type, content in ((coded.headers["Content-Type"], coded.content), (answered["content-type"], body)):
        assert media_type == "application/problem+json"
        jsonschema.validate(json.loads(content), PROBLEM_SCHEMA)


def test_a_refusal_that_says_connection_close_closes_the_connection(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """The serving layer's refusals say `Connection: close`, and RFC 9112 (section 9.6) has the
    server close then. gunicorn kept the connection for a next request when the refused body had
    arrived whole: a request sent behind it on the same connection was answered. (A server of its
    own: a worker retiring after the large bodies of this module's other tests closes every
    connection after one answer, which would pass the refusals and fail the request served.)"""
    port = free_port()
    with gunicorn(gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url), tmp_path / "log"):
        wait_for(f"http://127.0.0.1:{port}/healthz", 200, 60)
        behind = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        served = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        for first, answers in [
            *((f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Encoding: gzip\r\n\r\n".encode()
               + b"x" * 10, [415]) for path in ("/v1/score", "/v2/check")),
            (served, [200, 200]),
        ]:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(first + behind)
                answer = b""
                while chunk := sock.recv(65536):  # to the server's close: a timeout fails the test
                    answer += chunk
            assert [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", answer)] == answers


def test_every_status_line_has_its_reason_phrase(service: str) -> None:
    """gunicorn names only the statuses it lists: a failed If-Match on a playground file went out
    as `412 Unknown`."""
    answer = raw(service, b'GET /web/main.js HTTP/1.1\r\nHost: x\r\nIf-Match: "other"\r\nConnection: close\r\n\r\n')
    assert answer.startswith(b"HTTP/1.1 412 Precondition Failed\r\n"), answer[:100]


@pytest.mark.parametrize("path", ["/v1/score", "/v2/check", "/v2/configinfo"])
def test_a_transfer_coding_the_http_server_does_not_know_is_answered_as_the_spec_says(service: str, path: str) -> None:
    """gunicorn refuses an unknown transfer coding itself, before copydesk knows the path: a
    problem body on every path, /v2 too, where the spec declared only LanguageTool's plain text."""
    media_type = "application/x-www-form-urlencoded" if path.startswith("/v2/") else "application/json"
    body = b"language=en-US&text=Hello+there." if path.startswith("/v2/") else b'{"text": "Hello there."}'
    refused = validated(requests.post(service + path, data=body, timeout=30, headers={
        "Transfer-Encoding": "x-unknown, chunked", "Content-Type": media_type}))
    assert (refused.status_code, refused.headers["Content-Type"]) == (501, "application/problem+json")


# Every operation that takes no body: the serving layer reads a body before it knows the
# operation, so any of them may refuse one.
BODILESS = [
    (path, method.upper()) for path, operations in SPEC["paths"].items() for method, operation in operations.items()
    if method in ("get", "head", "options", "post") and "requestBody" not in operation
]
BODY_REFUSALS = {  # a body the serving layer refuses before it reads it (headers, bytes), by its status
    413: ("Content-Length: 8000001\r\n", b""),  # declared: nothing need follow
    415: ("Content-Length: 10\r\nContent-Encoding: gzip\r\n", b"x" * 10),
    501: ("Transfer-Encoding: gzip, chunked\r\n", _chunked(b"x" * 10)),
}


@pytest.mark.parametrize(("path", "method"), BODILESS)
def test_a_body_where_an_operation_takes_none_is_refused_as_the_spec_says(service: str, path: str, method: str) -> None:
    """A GET (or HEAD, OPTIONS) may carry a body, and the serving layer refuses one it cannot take
    (too large, compressed) before the app knows that the operation reads none: the answer must
    be one the operation declares, a HEAD's without a body."""
    concrete = path.replace("{asset}", "main.js")
    for status, (headers, body) in BODY_REFUSALS.items():
        answer = raw(service, f"{method} {concrete} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode() + body, wait=30)
        assert answer, f"no answer to a {status} body within 30 s"
        refused = _as_requests(answer, method, service + concrete)
        assert refused.status_code == status, answer[:300]
        if method == "HEAD":
            assert refused.content == b"" and int(refused.headers["Content-Length"]) > 0
        validated(refused)


def _as_requests(answer: bytes, method: str, url: str) -> requests.Response:
    """A raw answer as the `requests.Response` that `validated` checks against the spec."""
    status, headers, body = head_and_body(answer)
    response = requests.Response()
    response.status_code, response._content = status, body
    response.headers = requests.structures.CaseInsensitiveDict(headers)
    response.request = requests.Request(method, url).prepare()
    return response


# --- D4 and D7: texts that hold LanguageTool -------------------------------------------------

HOSTILE = {
    "60k-emoji": {"text": "😀" * 60_001},
    "deep-html": {"text": "<div>" * 19_999 + "word", "format": "html"},
    "spaces-and-a-word": {"text": " " * 99_990 + "word"},
    "one-long-markdown-line": {"text": ("A line of prose that never ends, " * 3_030)[:99_990], "format": "markdown"},
    "5k-letter-word": {"text": ("ab" + "é" + "😀" + "cd") * 1000},
    "spaced-emoji": {"text": "😀 " * 30_000},
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_texts_that_hold_languagetool_get_a_complete_report(service: str, name: str) -> None:
    response = validated(requests.post(service + "/v1/score", json=HOSTILE[name], timeout=300))
    assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    healthy(service)


# --- D5: a worker that spins -----------------------------------------------------------------


def test_deep_markdown_quotes_do_not_spin_a_worker(service: str) -> None:
    """Refused as nesting deeper than the reader goes (its inside would be lost), at once."""
    body = {"text": "> " * 49_999 + "hi", "format": "markdown", "checks": ["readability", "clickbait"]}
    response = validated(requests.post(service + "/v1/score", json=body, timeout=60))
    assert response.status_code == 422 and "nests deeper" in response.json()["errors"][0]["message"]
    healthy(service)


# --- D6: slow and stalled clients ------------------------------------------------------------


def test_a_connection_that_never_finishes_its_first_request_is_closed_after_the_keepalive(
    data_dir: Path, tmp_path: Path, languagetool_url: str
) -> None:
    """gunicorn timed out only the wait for a next request: a client that sent nothing, or half a
    request line, held its connection (and a descriptor) for good."""
    port = free_port()
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, keepalive="2")
    with gunicorn(env, tmp_path / "gunicorn.log"):
        wait_for(f"http://127.0.0.1:{port}/healthz", 200, 60)
        silent, halfway, headers = (socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(3))
        halfway.sendall(b"GET /heal")
        headers.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\n")
        for sock in (silent, halfway, headers):
            with sock:
                assert sock.recv(1024) == b"", "closed without an answer"  # not a timeout after 30 s
        # A request that arrives in time is served, and its connection kept for the next one.
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(1024).startswith(b"HTTP/1.1 200")
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(1024).startswith(b"HTTP/1.1 200")


def test_stalled_and_trickling_clients_do_not_hold_the_service(service: str) -> None:
    port = int(service.rsplit(":", 1)[1])
    stop = threading.Event()
    sockets: list[socket.socket] = []

    def trickle() -> None:
        sock = socket.create_connection(("127.0.0.1", port))
        sockets.append(sock)
        message = b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n"
        for byte in message + b"{" * 900:
            if stop.wait(1.0):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    sockets += [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]  # send nothing at all
    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(20)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        # The slow clients hold their connections for over 100 s (a byte a second): a service they
        # held would not answer within these timeouts, which leave room for a loaded host.
        for _ in range(3):
            assert requests.get(service + "/healthz", timeout=15).status_code == 200
            report = requests.post(service + "/v1/score", json={"text": "He go home.", "checks": ["grammar"]},
                                   timeout=15)
            assert report.status_code == 200
    finally:
        stop.set()
        for sock in sockets:
            sock.close()


def test_probes_and_the_scrape_answer_while_every_request_thread_waits(
    data_dir: Path, tmp_path: Path, silent_server: SilentServer
) -> None:
    """A worker whose request threads all wait on LanguageTool (a hung one, for up to 20 s) still
    answers its probes and the metrics scrape at once: they have threads of their own."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, threads="2", languagetool_url=silent_server.url,
                       languagetool_timeout="20")
    with gunicorn(env, tmp_path / "gunicorn.log"):
        wait_for(base + "/healthz", 200, 60)
        before = len(silent_server.held)
        waiting = [
            threading.Thread(target=requests.post, args=(base + "/v1/score",), daemon=True,
                             kwargs={"json": {"text": f"Check number {n}.", "checks": ["grammar"]}, "timeout": 60})
            for n in range(3)
        ]
        for thread in waiting:
            thread.start()
        try:
            # Both request threads are in a check once the silent server holds two more connections.
            deadline = time.monotonic() + 30
            while len(silent_server.held) < before + 2:
                assert time.monotonic() < deadline, "the checks never reached the silent LanguageTool"
                time.sleep(0.05)
            assert validated(requests.get(base + "/healthz", timeout=8)).status_code == 200
            assert validated(requests.get(base + "/metrics", timeout=8)).status_code == 200
            # Readiness asks the silent server itself, within its own limit, and says no.
            assert problem(validated(requests.get(base + "/readyz", timeout=12)), 503, "not-ready")
            assert requests.get(base + "/v2/healthcheck", timeout=12).status_code == 503
            assert all(thread.is_alive() for thread in waiting), "a check ended before the probes were answered"
        finally:
            silent_server.hang_up()
            for thread in waiting:
                thread.join()


def test_a_body_that_never_arrives_is_a_408(service: str) -> None:
    head = b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    status, headers, body = head_and_json(raw(service, head, wait=20))
    assert status == 408 and headers["content-type"] == "application/problem+json"
    assert body["type"] == "urn:copydesk:problem:body-timeout" and "COPYDESK_BODY_TIMEOUT" in body["detail"]


def test_a_body_that_never_arrives_on_v2_is_languagetools_plain_text_408(service: str) -> None:
    head = b"POST /v2/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    status, headers, body = head_and_body(raw(service, head + b"Content-Length: 100\r\n\r\nlanguage=", wait=20))
    assert (status, headers["content-type"]) == (408, "text/plain; charset=utf-8")
    assert body.decode() == "Error: The request body did not arrive within 5 s (COPYDESK_BODY_TIMEOUT)."


# --- D8: the spec and the service agree ------------------------------------------------------

SCORE_REQUEST = {**SPEC["components"]["schemas"]["ScoreRequest"], "components": SPEC["components"]}


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"text": ""}, False),
        ({"text": "  \n\t"}, False),
        ({"text": "", "title": "A headline"}, True),
        ({"title": "A headline"}, True),
        ({"text": "Text.", "title": "   "}, False),
        # What ECMAScript's \\s (the spec's patterns) or Python's calls blank is blank for both.
        ({"text": "Text.", "title": "\u001f"}, False),
        ({"text": "Text.", "title": "\ufeff "}, False),
        ({"text": "\u0085\ufeff"}, False),
        ({"text": "Text.", "title": "Council \u001f votes"}, True),
        ({"text": "Text.", "accept": ["  " + "a" * 100 + "  "]}, False),
        ({"text": "Text.", "accept": ["\ufeff"]}, False),
        ({"text": "Text.", "title": None}, True),
        ({}, False),
    ],
)
def test_the_spec_refuses_what_the_service_refuses(service: str, body: dict, valid: bool) -> None:
    spec_says = jsonschema.Draft202012Validator(SCORE_REQUEST).is_valid(body)
    status = requests.post(service + "/v1/score", json={**body, "checks": ["phrasing"]}, timeout=30).status_code
    assert spec_says is valid
    assert status == (200 if valid else 422)


CLICKBAIT_REQUEST = {**SPEC["components"]["schemas"]["ClickbaitRequest"], "components": SPEC["components"]}


@pytest.mark.parametrize(
    ("headlines", "refused"),
    [
        (["Xi Jinping meets Putin"], None),
        ([" You won't believe it "], None),
        (["   "], "headlines[0]"),
        (["Xi Jinping meets Putin", "\n\t"], "headlines[1]"),
        (["\u001f", "\ufeff", "Xi Jinping meets Putin"], "headlines[0] headlines[1]"),
        # Every one that is wrong, not the first only: a batch is fixed in one go.
        (["ok", " ", "\t", "Fine headline", " "], "headlines[1] headlines[2] headlines[4]"),
        ([""], "headlines"),
        ([], "headlines"),
    ],
)
def test_the_spec_refuses_the_headlines_the_service_refuses(
    service: str, headlines: list[str], refused: str | None
) -> None:
    """A blank headline is no headline to judge, as a blank title on /v1/score is not."""
    assert jsonschema.Draft202012Validator(CLICKBAIT_REQUEST).is_valid({"headlines": headlines}) is (refused is None)
    response = requests.post(service + "/v1/clickbait", json={"headlines": headlines}, timeout=30)
    if refused is None:
        assert validated(response).status_code == 200
    else:
        assert [e["field"] for e in problem(response, 422, "invalid-request")["errors"]] == refused.split()


def test_query_parameters_with_a_json_body_are_refused_not_ignored(service: str) -> None:
    response = requests.post(service + "/v1/score?language=AAA", json={"text": "Hello there."}, timeout=30)
    (error,) = problem(response, 422, "invalid-request")["errors"]
    assert error["field"] == "language" and "text/plain" in error["message"]
    # /v1/clickbait takes no text/plain body: its answer does not send the client to one.
    response = requests.post(service + "/v1/clickbait?threshold=0.1", json={"headlines": ["Hi there"]}, timeout=30)
    (error,) = problem(response, 422, "invalid-request")["errors"]
    assert error["field"] == "threshold" and "text/plain" not in error["message"]


# --- D10: leaks and odd answers --------------------------------------------------------------


def test_a_503_says_nothing_about_where_languagetool_runs(data_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    closed = f"http://127.0.0.1:{free_port()}"
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=closed, languagetool_timeout="2")
    with gunicorn(env, tmp_path / "gunicorn.log"):
        wait_for(base + "/healthz", 200, 60)
        for response in (
            requests.post(base + "/v1/score", json={"text": "Hello there."}, timeout=30),
            requests.get(base + "/readyz", timeout=30),
            requests.post(base + "/v1/score", json={"text": "Hello there.", "allow_partial": True}, timeout=30),
        ):
            assert response.status_code in (200, 503)
            assert closed.split("//")[1] not in response.text and "127.0.0.1" not in response.text
            assert "Connection" not in response.text and "HTTPConnectionPool" not in response.text


@pytest.mark.parametrize(
    ("request_bytes", "status", "kind"),
    [
        (b"GARBAGE\r\n\r\n", 400, "bad-request"),
        (b"GET /" + b"a" * 6000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri-too-long"),
    ],
)
def test_requests_gunicorn_cannot_parse_get_a_problem_body(
    service: str, request_bytes: bytes, status: int, kind: str
) -> None:
    got, headers, body = head_and_json(raw(service, request_bytes))
    assert got == status and headers["content-type"] == "application/problem+json"
    jsonschema.validate(body, PROBLEM_SCHEMA)
    assert body["type"] == f"urn:copydesk:problem:{kind}"
    # An origin server sends Date with a 4xx (RFC 9110, 6.6.1); a cache may keep a 414 for everyone.
    sent = parsedate_to_datetime(headers["date"])
    assert abs((sent - datetime.now(UTC)).total_seconds()) < 60 and headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("target", "status"),
    [("http://copydesk.example/v1/rules", 200), ("HTTP://copydesk.example:8000/healthz?probe=1", 200),
     ("https://copydesk.example", 200), ("http://copydesk.example/nowhere", 404)],
)
def test_a_target_in_absolute_form_is_read_as_its_path(service: str, target: str, status: int) -> None:
    """RFC 9112 (3.2.2): a server must accept ``GET http://host/path``; gunicorn's ASGI parser
    handed the whole URL to the app as its path, a 404 for every such request."""
    answer = raw(service, f"GET {target} HTTP/1.1\r\nHost: copydesk.example\r\nConnection: close\r\n\r\n".encode())
    got, headers, body = head_and_body(answer)
    assert got == status, body[:300]
    if status == 404:
        assert json.loads(body)["instance"] == "/nowhere"
    posted = raw(service, b"POST http://copydesk.example/v1/clickbait HTTP/1.1\r\nHost: copydesk.example\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 29\r\nConnection: close\r\n\r\n"
                 b'{"headlines": ["A headline"]}')
    assert head_and_json(posted)[2]["results"][0]["text"] == "A headline"


@pytest.mark.parametrize("version", ["13", "8"])
@pytest.mark.parametrize("path", ["/healthz", "/v1/rules", "/v2/languages"])
def test_a_websocket_handshake_gets_the_apps_problem_not_a_bare_refusal(service: str, path: str, version: str) -> None:
    """gunicorn would hand a handshake to the app as a WebSocket, which a WSGI app cannot take:
    a 403 with no body (426 for another version). The app answers it as the request it is."""
    handshake = (
        f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: {version}\r\n\r\n"
    )
    got, headers, body = head_and_json(raw(service, handshake.encode()))
    assert got == 400 and headers["content-type"] == "application/problem+json"
    jsonschema.validate(body, PROBLEM_SCHEMA)
    assert body["type"] == "urn:copydesk:problem:bad-request" and "WebSocket" in body["detail"]
    assert body["request_id"] == headers["x-request-id"]


def test_a_request_line_or_header_too_long_gets_the_documented_answer(service: str) -> None:
    """A conforming client can send these: a text in the query of GET /v2/check, a long
    If-None-Match. The server answers before the app, as the operations document."""
    text = "Putin left Jinping till the car. " * 200
    long_line = validated(requests.get(service + "/v2/check", params={"text": text, "language": "en-US"}, timeout=30))
    assert long_line.status_code == 414 and long_line.json()["type"] == "urn:copydesk:problem:uri-too-long"
    long_header = validated(
        requests.post(service + "/v1/score", json={"text": "Hello."}, headers={"If-None-Match": "x" * 9000}, timeout=30)
    )
    assert long_header.status_code == 431 and long_header.json()["type"] == "urn:copydesk:problem:headers-too-large"


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/clickbait"), ("GET", "/v1/rules"), ("HEAD", "/v1/rules"),
                                            ("GET", "/metrics"), ("POST", "/v2/configinfo")])
def test_a_request_line_too_long_is_a_declared_414_on_every_operation_that_takes_one(
    service: str, method: str, path: str
) -> None:
    """Every operation that declared the server's 431 missed its 414, as if only `/v1/score` and
    `/v2/check` had a request line: a generated client met an undeclared status."""
    response = validated(requests.request(method, service + path, params={"q": "x" * 5000},
                                          json={"headlines": ["A headline"]}, timeout=30))
    assert response.status_code == 414
    if method != "HEAD":
        assert response.json()["type"] == "urn:copydesk:problem:uri-too-long"


def test_options_is_204_with_allow(service: str) -> None:
    response = validated(requests.options(service + "/v1/score", timeout=10))
    assert response.status_code == 204 and response.content == b""
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}


@pytest.mark.parametrize("path", ["/healthz", "/v1/rules", "/openapi.yaml", "/no/such/path"])
def test_every_response_carries_the_security_headers(service: str, path: str) -> None:
    response = requests.get(service + path, timeout=10)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
