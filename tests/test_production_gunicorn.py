"""Metrics, keys and logs over a real gunicorn with two workers, as `make run` starts it.

prometheus-client's multiprocess mode is what makes /metrics right across workers: each
scrape, whichever worker answers it, must add up every request that any worker served.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from support import free_port, gunicorn, gunicorn_env, head_and_json, raw, validated, wait_for

from service.settings import PROJECT_ROOT

KEY = "k-gunicorn-91e4d7"
METRICS_KEY = "m-gunicorn-0b5a"
TITLES = ["You won't believe what happened next", "Council approves the budget", "10 tricks doctors hate"]


def requests_by_endpoint(text: str) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "copydesk_http_requests_total":
                key = (sample.labels["endpoint"], sample.labels["status"])
                totals[key] = totals.get(key, 0) + sample.value
    return totals


def served(records: Iterable[dict]) -> list[dict]:
    """The log's request lines, scrapes aside."""
    return [r for r in records if r.get("logger") == "copydesk.request" and r.get("path") != "/metrics"]


def serving_pids(log: Path) -> set[int]:
    """The workers that logged a request other than a scrape, while the service runs (a line
    still being written aside)."""
    records = []
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return {record["pid"] for record in served(records)}


def test_metrics_add_up_across_two_workers_keys_hold_and_every_log_line_is_json(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "keys").write_text(KEY + "\n")
    (tmp_path / "metrics-keys").write_text(METRICS_KEY + "\n")
    env = gunicorn_env(
        port,
        data_dir,
        workers=2,
        languagetool_url=languagetool_url,
        api_keys_file=str(tmp_path / "keys"),
        metrics_keys_file=str(tmp_path / "metrics-keys"),
    )  # PROMETHEUS_MULTIPROC_DIR unset: the gunicorn config makes a folder for this run
    log = tmp_path / "gunicorn.log"
    scrape_auth = {"Authorization": f"Bearer {METRICS_KEY}"}
    with gunicorn(env, log):
        validated(wait_for(base + "/healthz", 200, 60))
        # Start from zero: wait_for's probes were counted too, so take them as the baseline.
        baseline = requests_by_endpoint(validated(requests.get(base + "/metrics", headers=scrape_auth,
                                                               timeout=10)).text)

        def call(i: int) -> int:
            # A new connection each time, from 8 threads at once: both workers take some.
            with requests.Session() as session:
                if i % 4 == 0:
                    response = session.get(base + "/healthz", timeout=30)
                elif i % 4 == 1:
                    response = session.post(base + "/v1/clickbait", json={"headlines": TITLES},
                                            headers={"X-API-Key": KEY}, timeout=30)
                elif i % 4 == 2:
                    response = session.post(base + "/v1/score", json={"text": f"Draft {i} are ready.", "title": "T"},
                                            headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
                else:
                    response = session.post(base + "/v1/score", json={"text": "No key."}, timeout=30)
                validated(response)
                return response.status_code

        sent = 80
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(call, range(sent)))
        assert statuses.count(401) == sent // 4 and statuses.count(200) == 3 * sent // 4
        # The kernel does not promise to share the connections out: should one worker have taken
        # them all, more probes until the other serves one (the totals count them too).
        probes, deadline = 0, time.monotonic() + 60
        while len(serving_pids(log)) < 2 and time.monotonic() < deadline:
            assert requests.get(base + "/healthz", timeout=30).status_code == 200
            probes += 1

        scrapes = []
        for _ in range(6):  # whichever worker answers, the same totals
            response = validated(requests.get(base + "/metrics", headers=scrape_auth, timeout=10))
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            totals = requests_by_endpoint(response.text)
            scrapes.append({k: v - baseline.get(k, 0) for k, v in totals.items() if k[0] != "/metrics"})
        expected = {("/healthz", "200"): 20 + probes, ("/v1/clickbait", "200"): 20, ("/v1/score", "200"): 20,
                    ("/v1/score", "401"): 20}
        for counted in scrapes:
            assert {k: v for k, v in counted.items() if v} == expected
            assert sum(counted.values()) == sent + probes
        assert requests.get(base + "/metrics", headers={"X-API-Key": KEY}, timeout=10).status_code == 401

    text = log.read_text(encoding="utf-8")
    folder = re.search(r"metrics of all processes in (\S+)", text)
    assert folder, "the gunicorn config names its metrics folder"
    assert not Path(folder.group(1).rstrip('"')).exists(), "the run's own metrics folder goes with it"
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    requests_served = served(lines)
    workers = {line["pid"] for line in requests_served}
    assert len(workers) == 2, f"both workers served requests: {workers}"
    assert len({line["request_id"] for line in requests_served}) == len(requests_served)
    assert {line["logger"] for line in lines} >= {"gunicorn.error", "copydesk.request"}
    assert KEY not in text and METRICS_KEY not in text, "no key in any log line"
    assert "Draft" not in text, "no text in any log line"


def test_a_body_that_pauses_longer_than_gunicorns_timeout_gets_the_408_of_body_timeout(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """gunicorn bounds each wait for more of a body by its worker ``timeout`` (here it would be
    30 s, from a LanguageTool timeout of 0.1 s) and answered a longer pause with a bare 500, so
    a COPYDESK_BODY_TIMEOUT above it never gave its 408. The timeout stays above it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, languagetool_timeout="0.1",
                       body_timeout="34")
    with gunicorn(env, tmp_path / "gunicorn.log"):
        validated(wait_for(base + "/healthz", 200, 120))
        started = time.monotonic()
        status, _, body = head_and_json(raw(base, b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                               b"application/json\r\nContent-Length: 100\r\n\r\n{", wait=60))
        assert (status, body["type"]) == (408, "urn:copydesk:problem:body-timeout")
        assert time.monotonic() - started >= 34


def test_bodies_refused_before_the_app_are_logged_counted_and_carry_the_request_id(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """The body reader (service.serving) answers 413 and 408 before the app sees the request:
    those answers still carry the request's id and the security headers, get their log line
    and are counted under the route the app would have given them."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, max_body_bytes="10000",
                       body_timeout="2")
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log):
        validated(wait_for(base + "/readyz", 200, 120))
        baseline = requests_by_endpoint(requests.get(base + "/metrics", timeout=10).text)
        large = {"text": "a" * 20_000}
        mine = validated(requests.post(base + "/v1/score", json=large, headers={"X-Request-ID": "client-7.a"},
                                       timeout=30))
        assert mine.status_code == 413 and mine.headers["X-Request-ID"] == "client-7.a"
        assert mine.json()["request_id"] == "client-7.a" and mine.headers["X-Content-Type-Options"] == "nosniff"
        made = validated(requests.post(base + "/v2/check", data={"language": "en-US", **large},
                                       headers={"X-Request-ID": "not an id"}, timeout=30))
        assert made.status_code == 413 and made.text.startswith("Error: ")
        assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
        unknown = requests.post(base + "/no/such/path", data=b"x" * 20_000, timeout=30)
        assert unknown.status_code == 413
        status, headers, body = head_and_json(raw(base, b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                  b"application/json\r\nX-Request-ID: slow-1\r\n"
                                                  b"Content-Length: 100\r\n\r\n{", wait=20))
        assert (status, headers["x-request-id"], body["request_id"]) == (408, "slow-1", "slow-1")
        totals = requests_by_endpoint(requests.get(base + "/metrics", timeout=10).text)
        counted = {k: v - baseline.get(k, 0) for k, v in totals.items() if k[0] != "/metrics"}
        assert {k: v for k, v in counted.items() if v} == {
            ("/v1/score", "413"): 1, ("/v2/check", "413"): 1, ("(unmatched)", "413"): 1, ("/v1/score", "408"): 1}

    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    refused = {(line["path"], line["endpoint"], line["status"]): line for line in lines
               if line["logger"] == "copydesk.request" and line["status"] in (408, 413)}
    assert set(refused) == {("/v1/score", "/v1/score", 413), ("/v2/check", "/v2/check", 413),
                            ("/no/such/path", "(unmatched)", 413), ("/v1/score", "/v1/score", 408)}
    assert refused[("/v1/score", "/v1/score", 413)]["request_id"] == "client-7.a"
    assert refused[("/v2/check", "/v2/check", 413)]["request_id"] == made.headers["X-Request-ID"]
    assert refused[("/v1/score", "/v1/score", 408)]["request_id"] == "slow-1"
    assert refused[("/v1/score", "/v1/score", 408)]["duration_ms"] >= 2000


PASSWORD = "hunter2-0c9e"


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        # Read by the gunicorn config, before the app: each stopped the start, some with words
        # that named no setting (a logger gunicorn could not configure, NaN as an integer).
        ({"log_level": "loud"}, "COPYDESK_LOG_LEVEL"),
        ({"languagetool_timeout": "nan"}, "COPYDESK_LANGUAGETOOL_TIMEOUT"),
        ({"cache_url": f"redis://:{PASSWORD}@127.0.0.1:port/0"}, "COPYDESK_CACHE_URL"),
        # Read while the app is built: each was a traceback of the whole start.
        ({"api_keys_file": "/nonexistent/keys"}, "COPYDESK_API_KEYS_FILE"),
        ({"disabled_rules": "no-such-pack"}, "COPYDESK_DISABLED_RULES"),
        ({"rate_limit": "5/minute", "rate_limit_storage_url": f"bogus://copydesk:{PASSWORD}@127.0.0.1"},
         "COPYDESK_RATE_LIMIT_STORAGE_URL"),
        # The embedded server's java: its supervising thread died of it, and /readyz said
        # "starting and warming up" for good.
        ({"languagetool_url": "", "languagetool_java": "/nonexistent/java"}, "COPYDESK_LANGUAGETOOL_JAVA"),
        # gunicorn's own failures: a traceback (OverflowError), and five lookups of bogus:8000.
        ({"bind": "127.0.0.1:99999"}, "COPYDESK_BIND"),
        ({"bind": "bogus"}, "COPYDESK_BIND"),
        # An origin with a path (as copied from the address bar) matched no page, silently.
        ({"cors_origins": "https://cms.example.org, https://desk.example.org/"}, "COPYDESK_CORS_ORIGINS"),
    ],
)
def test_a_setting_that_stops_the_start_is_one_line_naming_it(
    settings: dict[str, str], variable: str, languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """An operator reads why the service did not start in one line that names the setting, and
    no password of a URL, as for a setting of the wrong type; never a traceback. Nor does the
    failed start leave its metrics folder behind."""
    settings = {"languagetool_url": languagetool_url, "languagetool_port": str(free_port()), **settings}
    env = gunicorn_env(free_port(), data_dir, workers=1, **settings)
    command = [sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf"]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")} | env | {"TMPDIR": str(scratch)}
    full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    started = subprocess.run(command, cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, timeout=120)
    output = started.stdout + started.stderr
    assert started.returncode == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"Error: {variable}"), output
    assert "Traceback" not in output and PASSWORD not in output
    assert not list(scratch.glob("copydesk-metrics-*")), output
