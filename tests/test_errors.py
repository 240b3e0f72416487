"""Bad input and broken backends: always an RFC 9457 problem, never a 500 trace or a hang."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask
from language_tool_python.exceptions import LanguageToolError
from support import SilentServer, app_with, free_port

from service.findings import Annotated, BackendUnavailable
from service.languagetool import client as languagetool_client
from service.languagetool.client import ABOUT_SECONDS, READY_TIMEOUT, _timed_out
from service.languagetool.pieces import Piece

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == f"urn:copydesk:problem:{kind}"
    assert body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


@pytest.fixture
def make_app(data_dir: Path) -> Iterator[Callable[..., Flask]]:
    """Apps of a test's own, with these settings; their scorers' threads stopped after it."""
    with ExitStack() as apps:
        yield lambda **settings: apps.enter_context(app_with(data_dir=data_dir, **settings))


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"text": "unterminated', b"\xff\xfe not utf-8", b"[" * 100_000,
     b'{"text": "Hi.", "clickbait_threshold": 1' + b"0" * 5000 + b"}"],
    ids=["truncated", "unterminated-string", "not-utf8", "deeply-nested", "5000-digit-number"],
)
def test_malformed_json_is_400(client, body: bytes) -> None:
    response = client.post("/v1/score", data=body, content_type="application/json")
    detail = assert_problem(response, 400, "malformed-json")["detail"]
    assert "sys." not in detail and "recursion" not in detail  # the client's words, not Python's advice


def test_a_json_body_after_a_byte_order_mark_is_read(client) -> None:
    body = "\ufeff".encode() + json.dumps({"text": "He go home.", "checks": ["readability"]}).encode()
    response = client.post("/v1/score", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["meta"]["text_length"] == len("He go home.")


@pytest.mark.parametrize(
    "charset", ["undefined", "idna", "punycode", "unicode_escape", "raw-unicode-escape", "rot13", "no-such-set"]
)
def test_a_plain_text_body_in_no_character_set_a_client_means_is_400(client, charset: str) -> None:
    """Python's own codecs decode by Python's rules (or always fail: "undefined" was a 500)."""
    body = b"He go home. \\u00e9 xn--abc"
    response = client.post("/v1/score", data=body, content_type=f"text/plain; charset={charset}")
    detail = assert_problem(response, 400, "malformed-text")["detail"]
    assert charset in detail and "codecs" not in detail


@pytest.mark.parametrize(("charset", "body"), [("utf-8", b"\xff\xfe"), ("utf-16", b"\x00"), ("ascii", "é".encode())])
def test_a_plain_text_body_not_in_its_character_set_is_400(client, charset: str, body: bytes) -> None:
    response = client.post("/v1/score", data=body, content_type=f"text/plain; charset={charset}")
    assert charset in assert_problem(response, 400, "malformed-text")["detail"]


def test_a_query_parameter_beside_a_plain_text_body_that_is_not_utf8_is_400_not_replaced(client) -> None:
    """Werkzeug reads "%FF%FE" as two U+FFFD: the report was of a title nobody sent, where the same
    bytes in the body are a 400."""
    response = client.post("/v1/score?title=%FF%FE", data=b"He go home.", content_type="text/plain")
    assert "query parameter" in assert_problem(response, 400, "malformed-text")["detail"]
    query = "/v1/score?title=Caf%C3%A9+opens&checks=clickbait"
    sent = client.post(query, data=b"He go home.", content_type="text/plain")
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert sent.get_json()["checks"]["clickbait"]["headline"]["text"] == "Caf\u00e9 opens"


def test_a_readability_threshold_beyond_any_float_is_422_not_500(client) -> None:
    huge = json.loads("1" + "0" * 400)
    payload = {"text": "He go home.", "checks": ["readability"], "readability": {"target_grade": huge}}
    body = assert_problem(client.post("/v1/score", json=payload), 422, "invalid-request")
    assert [error["field"] for error in body["errors"]] == ["readability.target_grade"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "Hi there.", "title": ["x"]}, "title"),
        ({"text": "Hi there.", "language": "xx-YY"}, "language"),
        ({"text": "Hi there.", "language": 7}, "language"),
        ({"text": "Hi there.", "checks": ["grammar", "spelling"]}, "checks"),
        ({"text": "Hi there.", "checks": []}, "checks"),
        ({"text": "Hi there.", "checks": "grammar"}, "checks"),
        ({"text": "Hi there.", "checks": ["grammar", "grammar"]}, "checks"),
        ({"text": "Hi there.", "allow_partial": "yes"}, "allow_partial"),
        ({"text": "Hi there.", "colour": "red"}, "colour"),
        ({"text": "Hi there.", "rules": {"disable": ["no-such-pack"]}}, "rules"),
        ({"text": "Hi there.", "rules": {"mute": []}}, "rules"),
        ({"text": "Hi there.", "rules": {"enable": "style"}}, "rules.enable"),
        ({"text": "Hi there.", "accept": "copydesk"}, "accept"),
        ({"text": "Hi there.", "accept": ["copydesk", " "]}, "accept"),
        ({"text": "Hi there.", "accept": ["x" * 101]}, "accept"),
        ({"text": "Hi there.", "accept": ["word"] * 5001}, "accept"),
    ],
)
def test_invalid_fields_are_422_and_named(client, payload: dict, field: str) -> None:
    body = assert_problem(client.post("/v1/score", json=payload), 422, "invalid-request")
    assert field in [error["field"] for error in body["errors"]]


def test_every_invalid_field_is_reported_at_once(client) -> None:
    body = assert_problem(
        client.post("/v1/score", json={"text": 1, "language": "klingon", "checks": ["x"]}), 422, "invalid-request"
    )
    assert {e["field"] for e in body["errors"]} == {"text", "language", "checks"}


def test_json_that_is_not_an_object_is_422(client) -> None:
    assert_problem(client.post("/v1/score", json=["text"]), 422, "invalid-request")


@pytest.mark.parametrize("content_type", ["application/xml", "multipart/form-data; boundary=x", None])
def test_wrong_media_type_is_415(client, content_type: str | None) -> None:
    kwargs = {"content_type": content_type} if content_type else {}
    assert_problem(client.post("/v1/score", data=b"<text/>", **kwargs), 415, "unsupported-media-type")


def test_unknown_query_parameter_with_plain_text_is_422(client) -> None:
    response = client.post("/v1/score?colour=red", data=b"Some text.", content_type="text/plain")
    assert_problem(response, 422, "invalid-request")


def test_clickbait_endpoint_refuses_bad_input(client) -> None:
    assert_problem(client.post("/v1/clickbait", json={"headlines": []}), 422, "invalid-request")
    assert_problem(client.post("/v1/clickbait", json={"headlines": ["ok"], "x": 1}), 422, "invalid-request")
    assert_problem(client.post("/v1/clickbait", data=b"a headline", content_type="text/plain"), 415,
                   "unsupported-media-type")


def test_wrong_method_and_unknown_path_are_problems(client) -> None:
    response = client.get("/v1/score")
    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert "POST" in response.headers["Allow"]
    response = client.get("/v2/nothing")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    # Not a redirect with an HTML body. (Werkzeug strips the slashes a path starts with, so
    # "//v1/score" is /v1/score; the test client would read it as a host besides.)
    assert_problem(client.post("/v1//score", json={"text": "Hello."}), 404, "not-found")


@pytest.mark.parametrize(
    "path",
    ["/v1/rules", "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/docs/", "/", "/web/playground.js",
     "/v2/languages", "/v2/info", "/v2/maxtextlength", "/v2/configinfo?language=en-US",
     "/v2/check?language=en-US&text=He+go+home.", "/v2/check", "/v2/healthcheck"],
)
def test_head_answers_as_get_without_a_body_and_keeps_the_contract(client, path: str) -> None:
    """HTTP servers answer HEAD wherever they answer GET (Flask does); the contract says so."""
    head, get = client.head(path), client.get(path)  # the client validates both against openapi.yaml
    assert head.status_code == get.status_code and head.get_data() == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


@pytest.fixture(scope="module")
def small_app(languagetool_url: str, data_dir: Path) -> Iterator[Flask]:
    limits = {"max_body_bytes": 2_000, "max_text_chars": 500}
    with app_with(data_dir=data_dir, languagetool_url=languagetool_url, **limits) as app:
        yield app


def test_body_over_the_limit_is_413_before_it_is_read(small_app) -> None:
    response = small_app.test_client().post("/v1/score", data=b'{"text": "' + b"a" * 5_000 + b'"}',
                                            content_type="application/json")
    body = assert_problem(response, 413, "body-too-large")
    assert "2000" in body["detail"]


def test_text_over_the_limit_is_413(small_app) -> None:
    response = small_app.test_client().post("/v1/score", json={"text": "word " * 150})
    body = assert_problem(response, 413, "text-too-long")
    assert "500" in body["detail"]


def test_the_title_counts_towards_the_text_limit(small_app) -> None:
    """The limit is on text and title together (COPYDESK_MAX_TEXT_CHARS): 300 + 250 characters is over 500."""
    response = small_app.test_client().post("/v1/score", json={"text": "word " * 60, "title": "T" * 250})
    body = assert_problem(response, 413, "text-too-long")
    assert "550" in body["detail"]


def test_a_text_of_exactly_the_limit_is_scored(small_app) -> None:
    client = small_app.test_client()
    at_limit = "a " * 250
    assert len(at_limit) == 500
    assert client.post("/v1/score", json={"text": at_limit, "checks": ["phrasing"]}).status_code == 200
    over = client.post("/v1/score", json={"text": at_limit + "a", "checks": ["phrasing"]})
    assert "501" in assert_problem(over, 413, "text-too-long")["detail"]


def test_a_body_of_exactly_the_limit_is_read(small_app) -> None:
    """COPYDESK_MAX_BODY_BYTES is the largest body taken: 2,000 bytes are read, 2,001 refused unread."""
    client = small_app.test_client()
    start = b'{"text": "Hi there.", "checks": ["phrasing"]'
    at_limit = start + b" " * (2_000 - len(start) - 1) + b"}"  # JSON whitespace pads it
    assert len(at_limit) == 2_000
    assert client.post("/v1/score", data=at_limit, content_type="application/json").status_code == 200
    over = client.post("/v1/score", data=start + b" " * (2_000 - len(start)) + b"}", content_type="application/json")
    assert "2001" in assert_problem(over, 413, "body-too-large")["detail"]


@pytest.fixture(scope="module")
def dead_app(data_dir: Path) -> Iterator[Flask]:
    """LanguageTool URL pointing at a port where nothing listens."""
    with app_with(data_dir=data_dir, languagetool_url=f"http://127.0.0.1:{free_port()}", languagetool_timeout=2) as app:
        yield app


def test_languagetool_down_is_503_with_retry_after(dead_app, seed_text: str) -> None:
    response = dead_app.test_client().post("/v1/score", json={"text": seed_text})
    body = assert_problem(response, 503, "check-unavailable")
    assert body["unavailable"] == ["grammar"]
    # The detail says which check could not run and why, not only that one could not.
    assert body["detail"].startswith("grammar: LanguageTool ")
    assert response.headers["Retry-After"]


def test_languagetool_down_with_partial_allowed_is_an_incomplete_report(dead_app, seed_text: str) -> None:
    response = dead_app.test_client().post("/v1/score", json={"text": seed_text, "allow_partial": True})
    assert response.status_code == 200
    report = response.get_json()
    assert report["complete"] is False
    assert report["checks"]["grammar"]["status"] == "unavailable"
    assert report["checks"]["grammar"]["score"] is None
    assert report["checks"]["grammar"]["error"]
    assert report["checks"]["phrasing"]["status"] == "ok"


def test_allow_partial_in_the_query_is_read_in_any_case(dead_app) -> None:
    """HTTP clients spell booleans "True"/"False" (Python's requests does): any case of true or false is
    taken, anything else is a 422."""
    client = dead_app.test_client()

    def score(flag: str):
        return client.post(f"/v1/score?allow_partial={flag}", data=b"He go home.", content_type="text/plain")

    partial = score("True")
    assert partial.status_code == 200 and partial.get_json()["complete"] is False
    assert_problem(score("FALSE"), 503, "check-unavailable")
    body = assert_problem(score("yes"), 422, "invalid-request")
    assert [error["field"] for error in body["errors"]] == ["allow_partial"]


def test_readyz_is_503_with_the_reason_when_languagetool_is_down(dead_app) -> None:
    body = assert_problem(dead_app.test_client().get("/readyz"), 503, "not-ready")
    assert "LanguageTool" in body["detail"]


def test_a_hanging_languagetool_times_out_instead_of_hanging(
    silent_server: SilentServer, make_app: Callable[..., Flask]
) -> None:
    app = make_app(languagetool_url=silent_server.url, languagetool_timeout=1)
    response = app.test_client().post("/v1/score", json={"text": "A sentence to check.", "allow_partial": True})
    assert response.status_code == 200
    assert response.get_json()["checks"]["grammar"]["status"] == "unavailable"


def test_an_unexpected_error_is_a_500_problem_without_internals(app, monkeypatch) -> None:
    services = app.extensions["copydesk"]

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(services.scorer, "score_encoded", explode)
    response = app.test_client().post("/v1/score", json={"text": "Hello there."})
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.get_data(as_text=True)
    assert body["title"] == "Internal Server Error"


def test_readiness_does_not_flap_while_languagetool_is_busy(
    languagetool_url: str, silent_server: SilentServer, make_app: Callable[..., Flask]
) -> None:
    """A check answered lately makes the service ready without a probe; after that, LanguageTool's
    own healthcheck (which needs no check thread) decides, not a check that must beat 3 s."""
    app = make_app(languagetool_url=languagetool_url)
    client = app.test_client()
    services = app.extensions["copydesk"]
    languagetool = services.languagetool
    assert client.get("/readyz").status_code == 200  # the first probe is a real check
    # LanguageTool stops answering: the recent answer still says ready, at once.
    languagetool.server_url = silent_server.url + "/"
    started = time.monotonic()
    assert client.get("/readyz").status_code == 200
    assert time.monotonic() - started < READY_TIMEOUT - 0.5, "no probe of the silent server (it takes 3 s)"
    # Long after that answer, the healthcheck decides: the silent server fails it ...
    languagetool._answered_at -= 60
    body = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert "127.0.0.1" not in body["detail"]
    # ... and a busy but healthy LanguageTool passes it while a long check runs.
    languagetool.server_url = languagetool_url.rstrip("/") + "/"
    # Sentences LanguageTool has not cached (this server lives for the whole test session).
    long_check = " ".join(f"He go home on day {n} of {uuid.uuid4().hex[:8]}." for n in range(800))
    busy = threading.Thread(target=services.grammar.check_text, args=(long_check, "en-US"))
    busy.start()
    try:
        languagetool._answered_at -= 60
        assert client.get("/readyz").status_code == 200
        assert busy.is_alive(), "the check was still running"
    finally:
        busy.join()


def test_a_hung_languagetool_costs_a_v2_check_one_timeout_not_two(
    languagetool_url: str, silent_server: SilentServer, make_app: Callable[..., Flask]
) -> None:
    """/v2/check asks for LanguageTool's languages every 5 minutes before the check: with the
    server hung, it waited the whole timeout for the list, then again for the check (40 s where
    the README says 20). The list it gave before is used while it does not answer."""
    app = make_app(languagetool_url=languagetool_url, languagetool_timeout=6)
    client = app.test_client()
    languagetool = app.extensions["copydesk"].languagetool
    assert client.post("/v2/check", data={"language": "en-US", "text": "A short text."}).status_code == 200
    languagetool.server_url = silent_server.url + "/"
    languagetool._about_since -= ABOUT_SECONDS  # the list is due to be asked for again
    started = time.monotonic()
    answer = client.post("/v2/check", data={"language": "en-GB", "text": "A short text."})
    waited = time.monotonic() - started
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert waited < 6 + READY_TIMEOUT + 2, waited
    # The old list still names the languages: en-GB was not refused as unknown.
    assert [e["longCode"] for e in languagetool.languages() if e["longCode"] == "en-GB"] == ["en-GB"]


def test_a_check_while_the_embedded_server_starts_again_is_unavailable_at_once(
    silent_server: SilentServer, make_app: Callable[..., Flask]
) -> None:
    """While the supervisor restarts its server, /readyz said so, but checks went to the server
    still starting and waited on it (9 s idle; under load past LanguageTool's own time limit)."""
    app = make_app(languagetool_url=silent_server.url, languagetool_timeout=5)
    app.extensions["copydesk"].languagetool.up = lambda: False  # as the supervisor says while it restarts
    client = app.test_client()
    started = time.monotonic()
    body = assert_problem(client.post("/v1/score", json={"text": "He go home.", "checks": ["grammar"]}),
                          503, "check-unavailable")
    assert time.monotonic() - started < 2, "the silent server was not asked (it takes 5 s)"
    assert body["unavailable"] == ["grammar"]
    incomplete = {"language": "en-US", "text": "He go home.", "allowIncompleteResults": "true"}
    answer = client.post("/v2/check", data=incomplete)
    assert answer.status_code == 200 and answer.get_json()["warnings"]["incompleteResults"]


def test_languagetools_own_time_limit_is_a_timeout_not_a_failure() -> None:
    """Its maxCheckTimeMillis ends a check with a 500 that says so: a busy server, which
    readiness must not count against it, as it does not count copydesk's own wait."""
    said = "Error: Internal Error: java.lang.RuntimeException: Text checking took longer than allowed maximum"
    assert _timed_out(LanguageToolError(f"500: {said} of 15000 milliseconds"))
    assert not _timed_out(LanguageToolError("500: Error: Internal Error: java.lang.NullPointerException"))


def test_languagetools_own_time_limit_is_named_as_its_own_not_copydesks_wait(
    languagetool_url: str, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check LanguageTool stopped at its 15 s limit was reported as "did not answer within 20 s",
    copydesk's wait, which it had not reached: an operator then raised the wrong setting."""
    languagetool = make_app(languagetool_url=languagetool_url).extensions["copydesk"].languagetool
    tool = languagetool.for_language("en-US", 20.0)
    said = "500: Error: Internal Error: java.lang.RuntimeException: Text checking took longer than allowed maximum"

    def stopped(*args: object) -> None:
        raise LanguageToolError(said)

    monkeypatch.setattr(tool, "check_raw", stopped)
    with pytest.raises(BackendUnavailable) as raised:
        languagetool.check(tool, Piece(0, (Annotated("He go home."),)))
    assert raised.value.timed_out and "its own time limit" in str(raised.value) and "within" not in str(raised.value)


def test_one_readiness_probe_waits_on_languagetool_at_a_time(
    languagetool_url: str, silent_server: SilentServer, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a probe waits on LanguageTool, other readiness requests get the answer of the probe
    before it at once: a burst of them (they need no key) holds one thread and costs one probe."""
    monkeypatch.setattr(languagetool_client, "READY_TIMEOUT", 10.0)  # the probe in flight outlasts the others
    app = make_app(languagetool_url=languagetool_url)
    client = app.test_client()
    languagetool = app.extensions["copydesk"].languagetool
    assert client.get("/readyz").status_code == 200  # a real check: the last probe says ready
    languagetool.server_url = silent_server.url + "/"
    languagetool._answered_at -= 60  # long ago: the next probe asks LanguageTool's healthcheck
    in_flight = threading.Thread(target=app.test_client().get, args=("/readyz",))
    in_flight.start()
    try:
        deadline = time.monotonic() + 10
        while not silent_server.held:
            assert time.monotonic() < deadline, "the probe never reached the silent LanguageTool"
            time.sleep(0.01)
        assert client.get("/readyz").status_code == 200
        assert client.get("/v2/healthcheck").status_code == 200
        assert len(silent_server.held) == 1
    finally:
        in_flight.join()
    monkeypatch.undo()
    # With no probe in flight, the next request probes again, and the silent server fails it.
    assert_problem(client.get("/readyz"), 503, "not-ready")


def test_a_check_that_cannot_reach_languagetool_ends_the_trust_in_the_last_answer(
    languagetool_url: str, silent_server: SilentServer, make_app: Callable[..., Flask]
) -> None:
    """An external LanguageTool (compose, the chart) that goes away is first seen by a check that
    cannot reach it: from then on /readyz asks LanguageTool, not the last answer, until a check
    is answered. A check that times out is a busy server's, no sign of one gone."""
    app = make_app(languagetool_url=languagetool_url, languagetool_timeout=2)
    client = app.test_client()
    languagetool = app.extensions["copydesk"].languagetool
    assert client.get("/readyz").status_code == 200  # the first probe is a real check
    languagetool.server_url = silent_server.url + "/"
    languagetool._per_language.clear()
    assert client.post("/v1/score", json={"text": "He went home slowly."}).status_code == 503
    assert client.get("/readyz").status_code == 200  # the recent answer still stands
    # LanguageTool goes away: its address refuses connections (for the clients made from now on).
    languagetool.server_url = f"http://127.0.0.1:{free_port()}/"
    languagetool._per_language.clear()
    assert client.post("/v1/score", json={"text": "He go home."}).status_code == 503
    assert_problem(client.get("/readyz"), 503, "not-ready")
    # It is back: the healthcheck says so, and the next answered check is trusted again.
    languagetool.server_url = languagetool_url.rstrip("/") + "/"
    languagetool._per_language.clear()
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/score", json={"text": "He goes home."}).status_code == 200
    languagetool.server_url = f"http://127.0.0.1:{free_port()}/"
    assert client.get("/readyz").status_code == 200
