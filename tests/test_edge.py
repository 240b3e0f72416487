"""What every request passes through (``service.edge``), in process against the session's real
LanguageTool: API keys, the metrics' own keys, request ids, the JSON log line, rate limits
and the metrics the scorer feeds. Over a real gunicorn: tests/test_production_gunicorn.py."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from support import app_with, free_port, many_findings_scorer

from service import create_app, scoring
from service.edge import keys as keys_module
from service.edge.keys import KeyRing
from service.edge.logs import JsonFormatter
from service.edge.metrics import ScoringMetrics
from service.findings import BackendUnavailable
from service.scoring import ISSUE_BATCH
from service.settings import SettingsError

API_KEY = "k-ops-3f9c1e"  # in the file as itself
HASHED_KEY = "k-ops-hashed-77a0"  # in the file as sha256:<hex>
METRICS_KEY = "m-ops-5d2b"
TEXT = "Their going to the meeting tomorow, know the meaning."
TITLE = "You won't believe what the minister said next"


def _app(config: dict) -> Iterator:
    with app_with(**config) as app:
        yield app


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    digest = hashlib.sha256(HASHED_KEY.encode()).hexdigest()
    (folder / "api-keys").write_text(f"# the newsroom's keys\n{API_KEY}\n\n  sha256:{digest}  \n")
    (folder / "metrics-keys").write_text(METRICS_KEY + "\n")
    return folder


@pytest.fixture(scope="module")
def keyed_app(languagetool_url: str, data_dir: Path, keys_dir: Path) -> Iterator:
    yield from _app({
        "languagetool_url": languagetool_url, "data_dir": data_dir,
        "api_keys_file": keys_dir / "api-keys", "metrics_keys_file": keys_dir / "metrics-keys",
    })


@pytest.fixture()
def keyed(keyed_app):
    return keyed_app.test_client()


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    """/metrics as {(sample name, sorted labels): value}."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# ---------------------------------------------------------------------------------------------
# API keys
# ---------------------------------------------------------------------------------------------


def test_without_a_key_the_api_answers_401_problem_with_a_challenge(keyed) -> None:
    response = keyed.post("/v1/score", json={"text": TEXT})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="copydesk"'
    problem = response.get_json()
    assert problem["type"] == "urn:copydesk:problem:unauthorized"
    assert problem["request_id"] == response.headers["X-Request-ID"]
    for path in ("/v1/rules",):
        assert keyed.get(path).status_code == 401
    assert keyed.post("/v1/clickbait", json={"headlines": [TITLE]}).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Bearer not-a-key"}, {"X-API-Key": API_KEY + "x"}, {"Authorization": f"Basic {API_KEY}"},
     {"X-API-Key": METRICS_KEY}],
    ids=["wrong-bearer", "wrong-header", "not-bearer", "metrics-key"],
)
def test_a_wrong_key_is_refused(keyed, headers: dict[str, str]) -> None:
    response = keyed.post("/v1/clickbait", json={"headlines": [TITLE]}, headers=headers)
    assert response.status_code == 401
    expected = 'Bearer realm="copydesk"' if headers.get("Authorization", "").startswith("Basic") else \
        'Bearer realm="copydesk", error="invalid_token"'
    assert response.headers["WWW-Authenticate"] == expected


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": f"Bearer {API_KEY}"}, {"authorization": f"bearer  {API_KEY} "}, {"X-API-Key": API_KEY},
     {"X-API-Key": HASHED_KEY}],
    ids=["bearer", "bearer-any-case", "header", "hashed-in-the-file"],
)
def test_a_right_key_gets_the_answer(keyed, headers: dict[str, str]) -> None:
    response = keyed.post("/v1/score", json={"text": TEXT, "title": TITLE}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["complete"]


def test_answers_behind_a_key_are_private_to_its_holder(keyed) -> None:
    """A shared cache in front must not give a key holder's answer to a client without a key: it
    protects answers to Authorization by itself, not to X-API-Key or the apiKey parameter."""
    key = {"X-API-Key": API_KEY}
    body = {"text": TEXT}
    tag = keyed.post("/v1/score", json=body, headers=key).headers["ETag"]
    for answer in (keyed.get("/v1/rules", headers=key), keyed.head("/v1/rules", headers=key),
                   keyed.get(f"/v2/check?language=en-US&text=Helo&apiKey={API_KEY}"),
                   keyed.post("/v1/score", json=body, headers={**key, "If-None-Match": tag})):
        assert answer.status_code in (200, 304), answer.get_data(as_text=True)
        assert answer.headers["Cache-Control"] == "private", answer.request.path
    assert keyed.get("/metrics", headers={"X-API-Key": METRICS_KEY}).headers["Cache-Control"] == "no-store"
    for path in ("/v2/languages", "/healthz", "/openapi.yaml", "/"):  # open: the same answer for every client
        assert "private" not in keyed.get(path).headers.get("Cache-Control", ""), path


def test_errors_are_not_kept_by_caches(keyed) -> None:
    """An error answers one request (its request_id); a cache may keep a 404 or 405 as it keeps a 200."""
    key = {"X-API-Key": API_KEY}
    for answer in (keyed.get("/web/no-such-file.js"), keyed.post("/healthz"), keyed.get("/v1/rules"),
                   keyed.post("/v1/score", json={"txt": TEXT}, headers=key),
                   keyed.get("/v2/check?text=x", headers=key)):
        assert answer.status_code >= 400
        assert answer.headers["Cache-Control"] == "no-store", (answer.request.path, answer.status_code)
    assert "Cache-Control" not in keyed.get("/healthz").headers


def test_health_pages_docs_and_preflights_stay_open(keyed) -> None:
    for path in ("/healthz", "/readyz", "/", "/web/main.js", "/openapi.yaml", "/docs/"):
        assert keyed.get(path).status_code == 200, path
    assert keyed.options("/v1/score").status_code == 204
    for path in ("/no/such/path", "/static/app.js"):  # Flask's own /static/ route is not there either
        assert keyed.get(path).status_code == 404, "unknown paths are not found, keys or not"
        assert keyed.options(path).status_code == 404, path


def test_metrics_have_their_own_keys(keyed) -> None:
    refused = keyed.get("/metrics", headers={"Authorization": f"Bearer {API_KEY}"})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith('Bearer realm="copydesk-metrics"')
    assert refused.get_json()["detail"] == "The metrics key (COPYDESK_METRICS_KEYS_FILE) is not valid."
    missing = keyed.get("/metrics")
    assert missing.status_code == 401
    assert "needs a metrics key (COPYDESK_METRICS_KEYS_FILE)" in missing.get_json()["detail"]
    assert scrape(keyed, Authorization=f"Bearer {METRICS_KEY}")


def test_the_playground_knows_keys_are_on(keyed) -> None:
    assert 'data-api-keys="on"' in keyed.get("/").get_data(as_text=True)


def test_no_key_reaches_the_log(keyed, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    keyed.post("/v1/score", json={"text": TEXT}, headers={"Authorization": f"Bearer {API_KEY}"})
    keyed.post("/v1/score", json={"text": TEXT}, headers={"X-API-Key": HASHED_KEY})
    keyed.post("/v1/score", json={"text": TEXT}, headers={"X-API-Key": "almost-" + API_KEY})
    keyed.get("/metrics", headers={"Authorization": f"Bearer {METRICS_KEY}"})
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert sum('"copydesk.request"' in line for line in lines) == 4
    hashed = hashlib.sha256(HASHED_KEY.encode()).hexdigest()
    for secret in (API_KEY, HASHED_KEY, METRICS_KEY, hashed, hashlib.sha256(API_KEY.encode()).hexdigest()):
        assert not [line for line in lines if secret in line], secret


@pytest.mark.parametrize(
    ("content", "complaint"),
    [("", "holds no key"), ("# only a comment\n\n", "holds no key"), ("sha256:abc\n", "line 1"), (None, "cannot read")],
)
def test_a_keys_file_that_protects_nothing_stops_the_start(
    tmp_path: Path, data_dir: Path, content: str | None, complaint: str
) -> None:
    path = tmp_path / "keys"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SettingsError, match=f"COPYDESK_API_KEYS_FILE.*{complaint}"):
        create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                    "api_keys_file": path})


def test_a_keys_file_saved_with_a_byte_order_mark_and_crlf_keeps_its_first_key(tmp_path: Path) -> None:
    """Windows editors (Notepad, PowerShell's Out-File) start UTF-8 with a byte order mark: it
    was read as part of the first key, so that key was refused (and a sha256: line taken as a key)."""
    digest = hashlib.sha256(b"second-key").hexdigest()
    for first in ("first-key", f"sha256:{hashlib.sha256(b'first-key').hexdigest()}"):
        path = tmp_path / "keys"
        path.write_bytes(f"\ufeff{first}\r\nsha256:{digest}\r\n".encode())
        ring = KeyRing.load(path, "COPYDESK_API_KEYS_FILE")
        names = (ring.match("first-key"), ring.match("second-key"), ring.match("\ufefffirst-key"))
        assert None not in names[:2] and names[0] != names[1] and names[2] is None
        assert names[:2] == (KeyRing.load(plain(tmp_path, "first-key\nsecond-key\n"), "K").match("first-key"),
                             KeyRing.load(plain(tmp_path, "second-key\n"), "K").match("second-key"))


def plain(folder: Path, content: str) -> Path:
    path = folder / "plain-keys"
    path.write_text(content, encoding="utf-8")
    return path


def test_a_key_keeps_its_name_to_the_rate_limiter_when_another_is_revoked(tmp_path: Path) -> None:
    """The limiter counted a key under its line number: with the key above it revoked, the next
    key took over the revoked one's count, and was refused at once (429) without a request."""
    before = KeyRing.load(plain(tmp_path, "key-one\nkey-two\n"), "COPYDESK_API_KEYS_FILE")
    after = KeyRing.load(plain(tmp_path, "# key-one revoked\nkey-two\n"), "COPYDESK_API_KEYS_FILE")
    assert after.match("key-one") is None
    assert after.match("key-two") == before.match("key-two") != before.match("key-one")
    assert "key-two" not in (after.match("key-two") or "")


def publish_secret(folder: Path, version: int, content: str) -> Path:
    """Write ``content`` as the kubelet updates a Secret mounted as a folder: a new timestamped
    folder, the ``..data`` link swapped to it in one rename, the file a link through ``..data``."""
    (folder / f"..v{version}").mkdir()
    (folder / f"..v{version}" / "api-keys").write_text(content)
    (folder / "..data_tmp").symlink_to(f"..v{version}")
    os.replace(folder / "..data_tmp", folder / "..data")
    if not (folder / "api-keys").is_symlink():
        (folder / "api-keys").symlink_to("..data/api-keys")
    return folder / "api-keys"


def test_keys_are_rotated_without_a_restart(
    tmp_path: Path, data_dir: Path, languagetool_url: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Keys were read at start-up only, so a revoked key opened the API until every pod was
    restarted. The file is now read again when it changes; one that cannot be used keeps the
    keys read before (a half-written edit must neither shut every client out nor open the API)."""
    monkeypatch.setattr(keys_module, "RELOAD_SECONDS", 0.0)
    path = publish_secret(tmp_path, 1, "old-key\n")
    app = next(_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "api_keys_file": path}))
    client = app.test_client()

    def status(key: str) -> int:
        return client.post("/v1/clickbait", json={"headlines": [TITLE]}, headers={"X-API-Key": key}).status_code

    assert (status("old-key"), status("new-key")) == (200, 401)
    publish_secret(tmp_path, 2, "new-key\n")  # a Secret updated in place
    assert (status("old-key"), status("new-key")) == (401, 200)
    caplog.set_level(logging.INFO, logger="service.edge.keys")
    for version, unusable in enumerate(("# being edited\n", "sha256:not-hex\n"), 3):
        publish_secret(tmp_path, version, unusable)
        assert (status("old-key"), status("new-key")) == (401, 200), unusable
    said = [(r.levelname, r.getMessage()) for r in caplog.records if "COPYDESK_API_KEYS_FILE" in r.getMessage()]
    assert [level for level, _ in said] == ["ERROR", "ERROR"]
    assert said[0][1].endswith("holds no key; keeping the 1 key read before"), said
    os.replace(tmp_path / "..data", tmp_path / "..gone")  # the file is not there at all
    assert (status("old-key"), status("new-key")) == (401, 200)
    in_place = tmp_path / "plain-keys"  # and a file edited where it is, one key added
    in_place.write_text("first-key\n")
    edited = keys_module.KeysFile(in_place, "COPYDESK_API_KEYS_FILE")
    first = edited.current().match("first-key")
    in_place.write_text("first-key\nsecond-key\n")
    assert edited.current().match("first-key") == first and edited.current().match("second-key") not in (None, first)
    app.extensions["copydesk"].scorer.close()


# ---------------------------------------------------------------------------------------------
# Request ids and the log line
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_app(languagetool_url: str, data_dir: Path) -> Iterator:
    yield from _app({"languagetool_url": languagetool_url, "data_dir": data_dir})


@pytest.fixture()
def client(open_app):
    return open_app.test_client()


def test_a_valid_request_id_is_echoed_in_the_header_and_the_problem(client) -> None:
    sent = "7f3e2c1a-5b6d-4e8f-9a0b-1c2d3e4f5a6b"
    response = client.post("/v1/score", data=b"{", headers={"Content-Type": "application/json", "X-Request-ID": sent})
    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == sent
    assert response.get_json()["request_id"] == sent
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "x" * 129, "id with spaces", "id\u00e9", "a;b", "<script>"])
def test_an_unsafe_request_id_is_replaced(client, sent: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    made = response.headers["X-Request-ID"]
    assert made != sent and len(made) == 32 and int(made, 16) >= 0


def test_a_request_id_is_made_when_none_is_sent(client) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_one_json_line_per_request_with_what_happened_and_never_the_text(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="copydesk.request")
    response = client.post(
        "/v1/score?title=" + TITLE.replace(" ", "+") + "&checks=phrasing,clickbait",
        data=TEXT.encode(), headers={"Content-Type": "text/plain", "X-Request-ID": "req-42"},
    )
    assert response.status_code == 200
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "copydesk.request"]
    assert len(lines) == 1
    line = json.loads(lines[0])
    report = response.get_json()
    assert line | {"time": None, "pid": None, "duration_ms": None} == {
        "time": None, "pid": None, "duration_ms": None,
        "level": "INFO", "logger": "copydesk.request", "message": "POST /v1/score 200",
        "method": "POST", "path": "/v1/score", "endpoint": "/v1/score", "status": 200, "request_id": "req-42",
        "text_length": report["meta"]["text_length"], "checks": ["phrasing", "clickbait"],
        "verdict": report["verdict"], "complete": True, "cache": report["meta"]["cache"],
    }
    assert line["duration_ms"] > 0
    for secret in ("Their going", "tomorow", "minister", "believe"):
        assert secret not in lines[0]


def test_a_report_from_the_cache_is_logged_like_one_made_now(client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="copydesk.request")
    body = {"text": TEXT + " A sentence only the cache log test sends.", "checks": ["phrasing", "clickbait"]}
    for _ in range(2):
        assert client.post("/v1/score", json=body).status_code == 200
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "copydesk.request"]
    miss, hit = lines
    assert (miss["cache"], hit["cache"]) == ("miss", "hit")
    assert hit["text_length"] == miss["text_length"] == len(body["text"])
    assert hit["checks"] == miss["checks"] == ["phrasing", "clickbait"]


def test_a_traceback_is_one_json_line() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("copydesk", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "failed here" and "RuntimeError: boom" in parsed["exception"]


# ---------------------------------------------------------------------------------------------
# Rate limits
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def limited_app(languagetool_url: str, data_dir: Path, keys_dir: Path) -> Iterator:
    """A fresh budget for each test: a window spent by another test could expire halfway."""
    yield from _app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                     "api_keys_file": keys_dir / "api-keys", "rate_limit": "3/minute"})


def test_each_key_gets_its_budget_then_429_with_retry_after(limited_app) -> None:
    client = limited_app.test_client()
    first = {"Authorization": f"Bearer {API_KEY}"}
    for _ in range(3):
        assert client.post("/v1/clickbait", json={"headlines": [TITLE]}, headers=first).status_code == 200
    refused = client.get("/v1/rules", headers=first)  # one budget for the whole API, not one per route
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "urn:copydesk:problem:rate-limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/v1/rules", headers={"X-API-Key": HASHED_KEY}).status_code == 200, "another key, its own budget"
    for _ in range(5):
        assert client.get("/healthz").status_code == 200, "health checks are never limited"
    assert client.post("/v1/score", json={"text": TEXT}).status_code == 401, "no key: refused, not counted"


def test_without_keys_the_limit_counts_per_client_address(languagetool_url: str, data_dir: Path) -> None:
    for app in _app({"languagetool_url": languagetool_url, "data_dir": data_dir, "rate_limit": "2/minute"}):
        client = app.test_client()
        here = {"REMOTE_ADDR": "192.0.2.1"}
        assert [client.get("/v1/rules", environ_base=here).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/v1/rules", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200


def test_a_rate_limit_that_does_not_parse_stops_the_start(data_dir: Path) -> None:
    with pytest.raises(SettingsError, match="COPYDESK_RATE_LIMIT"):
        create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                    "rate_limit": "sixty a minute"})


# ---------------------------------------------------------------------------------------------
# Metrics (in one process; across gunicorn's workers in tests/test_production_gunicorn.py)
# ---------------------------------------------------------------------------------------------


def test_metrics_count_requests_by_route_checks_cache_and_findings(client) -> None:
    # The report cache's key holds LanguageTool's version, which the app learns from its first check.
    assert client.post("/v1/score", json={"text": "A first check.", "checks": ["grammar"]}).status_code == 200
    before = scrape(client)
    body = {"text": TEXT + " A unique sentence for the metrics test.", "title": TITLE}
    assert client.post("/v1/score", json=body).status_code == 200
    assert client.post("/v1/score", json=body).get_json()["meta"]["cache"] == "hit"
    assert client.get("/web/main.js").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "copydesk_http_requests_total"
    assert delta(requests, endpoint="/v1/score", method="POST", status="200") == 2
    assert delta(requests, endpoint="/web/{asset}", method="GET", status="200") == 1, "the route, not the path"
    assert delta(requests, endpoint="(unmatched)", method="GET", status="404") == 1
    assert delta(requests, endpoint="/metrics", method="GET", status="200") == 1, "the first scrape"
    assert delta("copydesk_http_request_duration_seconds_count", endpoint="/v1/score", method="POST") == 2
    for check in ("grammar", "readability", "phrasing", "clickbait"):
        assert delta("copydesk_check_duration_seconds_count", check=check) == 1, check
    assert delta("copydesk_report_cache_total", result="miss") == 1
    assert delta("copydesk_report_cache_total", result="hit") == 1
    assert delta("copydesk_findings_total", check="clickbait", pack="clickbait") >= 2, "both reports count"
    assert delta("copydesk_findings_total", check="grammar", pack="languagetool") >= 2


def test_the_findings_metric_says_what_its_pack_label_holds(client, seed_text: str, seed_title: str) -> None:
    """The scrape's HELP line is what an operator reads: it named languagetool, textstat and model
    beside the rule packs, but not clarity, under which the seed's clarity findings are counted.
    (The packs this report counted: the metrics are the process's, and other tests' apps load
    packs of their own.)"""

    def findings() -> tuple[Metric, dict[tuple[str, str], float]]:
        families = text_string_to_metric_families(client.get("/metrics").get_data(as_text=True))
        (family,) = [family for family in families if family.name == "copydesk_findings"]
        counts = {(s.labels["check"], s.labels["pack"]): s.value for s in family.samples if s.name.endswith("_total")}
        return family, counts

    _, before = findings()
    assert client.post("/v1/score", json={"text": seed_text, "title": seed_title}).status_code == 200
    family, after = findings()
    packs = {pack for (check, pack), count in after.items() if count > before.get((check, pack), 0)}
    rule_packs = {pack["name"] for pack in client.get("/v1/rules").get_json()["packs"]}
    assert {"languagetool", "textstat", "clarity", "model"} <= packs
    named = set(re.findall(r"[a-z]+", family.documentation))
    assert packs - rule_packs <= named, family.documentation


def test_findings_are_counted_from_the_findings_not_from_issues_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report's sections hold :class:`service.scoring.Issues`, each issue made when it is read:
    counting them by pack made every issue a second time (1.6 s for 200,000). A report from the
    cache holds plain issues; both count the same."""
    scorer, document = many_findings_scorer(2 * ISSUE_BATCH + 1)
    report, parts, _ = scorer.score_encoded(document, ["readability", "phrasing"])
    cached = json.loads(b"".join(parts))
    labels = {"phrasing": "pack", "readability": "readability"}

    def counted() -> dict[str, float]:
        return {check: REGISTRY.get_sample_value("copydesk_findings_total", {"check": check, "pack": pack}) or 0.0
                for check, pack in labels.items()}

    def not_again(*args: object) -> dict:
        raise AssertionError("an issue was made again to be counted")

    monkeypatch.setattr(scoring, "issue_json", not_again)
    before = counted()
    ScoringMetrics().report_finished(report)
    made = counted()
    ScoringMetrics().report_finished(cached)
    after = counted()
    expected = {"phrasing": 2 * ISSUE_BATCH + 1, "readability": 1}
    assert {check: made[check] - before[check] for check in labels} == expected
    assert {check: after[check] - made[check] for check in labels} == expected


def test_languagetool_failures_are_counted_by_reason(data_dir: Path) -> None:
    for app in _app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                     "languagetool_timeout": 5}):
        client = app.test_client()
        before = scrape(client)
        response = client.post("/v1/score", json={"text": TEXT, "allow_partial": True})
        assert response.status_code == 200 and not response.get_json()["complete"]
        after = scrape(client)
        failures = "copydesk_languagetool_failures_total"
        assert value(after, failures, reason="error") - value(before, failures, reason="error") == 1
    # A timeout needs a server that hangs; the reason it is counted under is decided here.
    before_timeouts = value(scrape(client), "copydesk_languagetool_failures_total", reason="timeout")
    ScoringMetrics().check_unavailable("grammar", BackendUnavailable("slow", timed_out=True))
    assert value(scrape(client), "copydesk_languagetool_failures_total", reason="timeout") == before_timeouts + 1
    # Any other failure (a refused piece, an answer without matches) is an error.
    before_errors = value(scrape(client), "copydesk_languagetool_failures_total", reason="error")
    ScoringMetrics().check_unavailable("grammar", BackendUnavailable("LanguageTool sent an answer without matches"))
    assert value(scrape(client), "copydesk_languagetool_failures_total", reason="error") == before_errors + 1


# ---------------------------------------------------------------------------------------------
# The LanguageTool-compatible API: the key as LanguageTool's clients send it, errors in their words
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("form", {"data": {"language": "en-US", "text": TEXT, "apiKey": API_KEY, "username": "desk"}}),
        ("form-labelled-json", {"data": f"language=en-US&text=He+go+home.&apiKey={API_KEY}",
                                "content_type": "application/json"}),
        ("query", {"query_string": {"language": "en-US", "text": TEXT, "apiKey": HASHED_KEY}}),
        ("bearer", {"data": {"language": "en-US", "text": TEXT}, "headers": {"Authorization": f"Bearer {API_KEY}"}}),
        # A client that posts its text and puts the key in the URL; the query string wins over the body.
        ("query-on-post", {"query_string": {"apiKey": API_KEY}, "data": {"language": "en-US", "text": TEXT}}),
        ("query-over-body", {"query_string": {"apiKey": API_KEY},
                             "data": {"language": "en-US", "text": TEXT, "apiKey": "wrong"}}),
        # Sent twice, a parameter has its last value, as every other one on /v2.
        ("query-twice", {"query_string": f"language=en-US&text=He+go+home.&apiKey=wrong&apiKey={API_KEY}"}),
        ("form-twice", {"data": f"language=en-US&text=He+go+home.&apiKey=wrong&apiKey={API_KEY}",
                        "content_type": "application/x-www-form-urlencoded"}),
    ],
)
def test_v2_check_takes_the_key_as_languagetool_clients_send_it(keyed, how: str, kwargs: dict) -> None:
    method = keyed.get if how.startswith("query") and "data" not in kwargs else keyed.post
    response = method("/v2/check", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["matches"]


def test_v2_without_a_key_answers_plain_text_401(keyed) -> None:
    for response in (keyed.post("/v2/check", data={"language": "en-US", "text": TEXT}),
                     keyed.post("/v2/check", data={"language": "en-US", "text": TEXT, "apiKey": "wrong"})):
        assert response.status_code == 401
        assert response.mimetype == "text/plain"
        assert response.get_data(as_text=True).startswith("Error: ")
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="copydesk"')
    missing = keyed.post("/v2/check", data={"language": "en-US", "text": TEXT})
    assert missing.get_data(as_text=True).endswith(", or the apiKey parameter.")  # what its clients have a field for
    for path in ("/v2/languages", "/v2/info", "/v2/healthcheck", "/v2/maxtextlength"):
        assert keyed.get(path).status_code == 200, f"{path} stays open, as on LanguageTool's own server"
    # configinfo makes LanguageTool load the language's rules: a key, sent as its Java client can.
    refused = keyed.post("/v2/configinfo", data={"language": "en-US"})
    assert (refused.status_code, refused.mimetype) == (401, "text/plain")
    listed = keyed.post("/v2/configinfo", data=f"language=en-US&apiKey={API_KEY}",
                        content_type="application/x-www-form-urlencoded")
    assert listed.status_code == 200 and len(listed.get_json()["rules"]) > 1000


def test_v2_over_the_limit_answers_plain_text_429(limited_app) -> None:
    client = limited_app.test_client()
    statuses = [client.post("/v2/check", data={"language": "en-US", "text": "Hi.", "apiKey": API_KEY})
                for _ in range(4)]
    *allowed, refused = statuses
    assert [r.status_code for r in allowed] == [200, 200, 200], [r.get_data(as_text=True) for r in allowed]
    assert refused.status_code == 429 and refused.mimetype == "text/plain"
    assert refused.get_data(as_text=True).startswith("Error: Too many requests")
    assert int(refused.headers["Retry-After"]) >= 1
