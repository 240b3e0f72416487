"""An outside review's findings, each held by a test that failed before its fix: what the service
shows to whoever can reach it, and what one request may cost it."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from support import (
    ContractClient,
    free_port,
    gunicorn,
    gunicorn_env,
    head_and_json,
    validated,
    validated_raw,
    wait_for,
)

from service import create_app, score_request
from service.problems import MAX_LISTED_ERRORS
from service.score_request import MAX_JSON_VALUES, MAX_RULE_SELECTORS
from service.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def _with_userinfo(url: str, userinfo: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=f"{userinfo}@{parts.netloc}").geturl()


@pytest.fixture(scope="module")
def credentialed_app(languagetool_url: str, data_dir: Path) -> Iterator:
    """copydesk reaching LanguageTool through a URL with a user and password in it, as an operator
    whose LanguageTool sits behind basic auth sets COPYDESK_LANGUAGETOOL_URL."""
    app = create_app({"languagetool_url": _with_userinfo(languagetool_url, "copydesk:lt-Pa55word"),
                      "data_dir": data_dir, "TESTING": True})
    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


def test_readyz_does_not_show_where_languagetool_is(credentialed_app, languagetool_url: str) -> None:
    """/readyz needs no key (probes send none), so its body is for anyone who can reach the port:
    it said LanguageTool's URL, with any password in it, and the internal address behind it."""
    client = credentialed_app.test_client()
    deadline = time.monotonic() + 60  # the probe's 3 s can pass on a loaded host: ask again
    while (response := client.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(1)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert response.get_json()["languagetool"].keys() == {"version"}
    for secret in ("lt-Pa55word", "copydesk:", urllib.parse.urlsplit(languagetool_url).netloc):
        assert secret not in body


def test_rule_selectors_are_bounded(client) -> None:
    """Every rule is matched against every selector of ``rules``: 200,000 copies of one pack's name
    (1.6 MB, well within the body limit) held a request thread for 42 s. The lists are bounded."""
    listed = ["style"] * (MAX_RULE_SELECTORS + 1)
    for key in ("enable", "disable"):
        body = {"text": "He go home.", "checks": ["phrasing"], "rules": {key: listed}}
        response = client.post("/v1/score", json=body)
        assert response.status_code == 422
        message = f"lists {len(listed)} packs or rules; the limit is {MAX_RULE_SELECTORS}"
        assert response.get_json()["errors"] == [{"field": f"rules.{key}", "message": message}]
    at_limit = {"text": "He go home.", "checks": ["phrasing"], "rules": {"disable": ["style"] * MAX_RULE_SELECTORS}}
    assert client.post("/v1/score", json=at_limit).status_code == 200


def test_a_worker_holds_a_bounded_sum_of_request_bodies(languagetool_url: str, data_dir: Path, tmp_path: Path) -> None:
    """Bodies are read whole before the app sees the request, and so before it asks for a key.
    Each was bounded (COPYDESK_MAX_BODY_BYTES), their sum was not: 100 connections that each sent
    7.9 MB of an 8 MB body and waited held 1.3 GB across two workers (the chart gives the
    container 768 Mi), and most of it stayed after they hung up. A worker now holds at most twice
    COPYDESK_THREADS bodies' worth; a body past that gets 503 with Retry-After, and body-less
    requests are never refused for it."""
    limit = 100_000
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, threads="1", languagetool_url=languagetool_url,
                       max_body_bytes=str(limit), api_keys_file=str(_keys_file(tmp_path)))
    with gunicorn(env, tmp_path / "gunicorn.log"), ExitStack() as holders:
        validated(wait_for(base + "/readyz", 200, 120))
        # Two bodies all but sent, by clients with no key: 2 x 99,990 bytes of the 200,000 that a
        # worker with one thread holds.
        for _ in range(2):
            held = holders.enter_context(socket.create_connection(("127.0.0.1", port)))
            held.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % limit + b"x" * (limit - 10))
        deadline = time.monotonic() + 10
        while (busy := requests.post(base + "/v1/score", json={"text": "a" * 1000}, timeout=30)).status_code != 503:
            assert time.monotonic() < deadline, f"a third body was taken: {busy.status_code}"
            time.sleep(0.2)
        validated(busy)
        assert busy.json()["type"] == "urn:copydesk:problem:busy" and busy.headers["Retry-After"] == "5"
        lt_client = validated(requests.post(base + "/v2/check", data={"language": "en-US", "text": "a" * 1000},
                                            timeout=30))
        assert lt_client.status_code == 503 and lt_client.text.startswith("Error: ")
        assert requests.get(base + "/healthz", timeout=10).status_code == 200
        assert requests.get(base + "/v1/rules", headers={"X-API-Key": KEY}, timeout=10).status_code == 200
        holders.close()  # the clients hang up: what they held is free again
        deadline = time.monotonic() + 10
        while (scored := requests.post(base + "/v1/score", json={"text": "He go home."}, headers={"X-API-Key": KEY},
                                       timeout=30)).status_code == 503:
            assert time.monotonic() < deadline, "the bodies of clients that hung up are still held"
            time.sleep(0.2)
        assert validated(scored).status_code == 200


def test_a_worker_keeps_descriptors_for_its_work_whatever_clients_open(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """gunicorn's asyncio worker took every connection (its worker_connections, 1,000 here, held
    nothing back), and one that sends nothing holds its descriptor for COPYDESK_KEEPALIVE (75 s).
    Under 256 descriptors, one client's 300 silent connections left the worker unable to accept
    anyone for that long, or to reach LanguageTool. It now keeps its connections 64 descriptors
    under its limit, and answers one past that with 503 busy at once."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url)
    with gunicorn(env, tmp_path / "gunicorn.log", open_files=256), ExitStack() as silent:
        validated(wait_for(base + "/readyz", 200, 120))
        held = [silent.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10)) for _ in range(300)]
        refused = 0
        for sock in held[200:]:  # the first 192 are kept, to wait for their requests
            sock.settimeout(2)
            try:
                refused += sock.recv(12) == b"HTTP/1.1 503"
            except TimeoutError:
                pass
        assert refused == 100, f"{refused} of 100 connections past the worker's bound were refused"
        status, headers, body = head_and_json(_raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        assert (status, body["type"], headers["retry-after"]) == (503, "urn:copydesk:problem:busy", "5")
        # The server answers before it knows the path: the contract allows that answer (a problem
        # body without a request id) on the operations that list a 503, /v2's among them.
        for target in ("/readyz", "/v2/check?language=en-US&text=Hi"):
            answer = _raw(port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert validated_raw("GET", target, answer)[0] == 503, target
        for sock in held[:100]:
            sock.close()  # clients hang up: their places are free again
        scored = requests.post(base + "/v1/score", json={"text": "He go home."}, timeout=30)
        assert scored.status_code == 200 and scored.json()["complete"], scored.text[:300]


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


KEY = "k-security-5e1f"


def _keys_file(folder: Path) -> Path:
    path = folder / "api-keys"
    path.write_text(KEY + "\n")
    return path


def test_the_log_does_not_show_languagetools_password(
    data_dir: Path, silent_server, caplog: pytest.LogCaptureFixture
) -> None:
    """LanguageTool's URL may hold a user and password (basic auth); the warnings that say it is
    not answering quoted the URL whole, and so did the errors of the libraries under them."""
    url = _with_userinfo(silent_server.url, "copydesk:lt-Pa55word")
    app = create_app({"languagetool_url": url, "languagetool_timeout": 1, "data_dir": data_dir, "TESTING": True})
    try:
        with caplog.at_level(logging.DEBUG):
            assert app.test_client().get("/readyz").status_code == 503
            assert app.test_client().get("/v2/languages").status_code == 503
    finally:
        app.extensions["copydesk"].scorer.close()
    quoted = [record.getMessage() for record in caplog.records if "127.0.0.1" in record.getMessage()]
    assert quoted, "the warnings name the server"
    assert not [message for message in quoted if "lt-Pa55word" in message or "copydesk:" in message]


def test_a_422_lists_a_bounded_number_of_field_problems(client) -> None:
    """A 422 listed every wrong field, so an 8 MB body of 800,000 unknown fields got a 56 MB
    answer, built in 2.8 s by a worker that grew by 500 MB for it. It lists the first 100 now,
    and says how many more there are."""
    fields = {"text": "He go home.", **{f"field{n:06d}": 0 for n in range(100_000)}}
    response = client.post("/v1/score", json=fields)
    assert response.status_code == 422
    problem = response.get_json()
    listed = [{"field": f"field{n:06d}", "message": "unknown field"} for n in range(MAX_LISTED_ERRORS)]
    assert problem["errors"] == listed
    assert problem["detail"].endswith(f"; and {100_000 - MAX_LISTED_ERRORS} more (the first 100 are listed)")
    assert len(response.data) < 20_000
    # The same bound where the handler finds the problems itself: query parameters on a JSON body.
    query = "&".join(f"q{n:03d}=1" for n in range(150))
    response = client.post(f"/v1/score?{query}", json={"text": "He go home."})
    assert response.status_code == 422
    problem = response.get_json()
    assert [error["field"] for error in problem["errors"]] == [f"q{n:03d}" for n in range(MAX_LISTED_ERRORS)]
    assert problem["detail"].endswith(f"; and {150 - MAX_LISTED_ERRORS} more (the first 100 are listed)")


def test_a_json_body_of_many_small_values_is_refused_before_it_is_parsed(client, monkeypatch) -> None:
    """Python's objects for JSON values take up to 26 times the body's bytes: 8 MB of empty arrays
    grew a worker by 183 MB, so four such bodies on a worker's threads passed a pod's limit, and no
    key was needed. A body that may hold more than MAX_JSON_VALUES values is refused unparsed."""
    hostile = '{"text": "He go home.", "accept": [' + "[]," * MAX_JSON_VALUES + "[]]}"
    parsed: list[int] = []  # the lengths of the JSON texts load_json parsed
    monkeypatch.setattr(score_request, "json", SimpleNamespace(loads=lambda text: parsed.append(len(text))))
    for path in ("/v1/score", "/v1/clickbait"):
        response = client.post(path, data=hostile, content_type="application/json")
        assert response.status_code == 413 and response.get_json()["type"].endswith(":body-too-large")
        assert f"copydesk parses at most {MAX_JSON_VALUES:,}" in response.get_json()["detail"]
    assert parsed == []
    # Through /v2, the same bound holds for the annotated text in 'data', in LanguageTool's words.
    data = '{"annotation": [' + '{"text": "a"},' * MAX_JSON_VALUES + '{"text": "a"}]}'
    answer = client.post("/v2/check", data={"language": "en-US", "data": data})
    assert answer.status_code == 400 and answer.text.startswith("Error: 'data' parameter: The JSON may hold")
    assert parsed == []


def test_real_requests_are_far_inside_the_bound_on_json_values() -> None:
    """The largest requests copydesk takes: a text of COPYDESK_MAX_TEXT_CHARS (news copy and this
    README, commas and quotes included) and a batch of 10,000 headlines."""
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in [PROJECT_ROOT / "README.md", *FIXTURES.glob("*.txt")])
    text = (prose * (1_000_000 // len(prose) + 1))[:1_000_000]
    assert score_request.load_json(json.dumps({"text": text, "accept": ["copydesk"] * 5000}))["text"] == text
    headlines = [f"Council approves budget, {n}, after a \"long\" debate" for n in range(10_000)]
    assert score_request.load_json(json.dumps({"headlines": headlines}))["headlines"] == headlines
