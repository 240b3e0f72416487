"""Metrics, keys and logs over a real gunicorn with two workers, as `make run` starts it.

prometheus-client's multiprocess mode is what makes /metrics right across workers: each
scrape, whichever worker answers it, must add up every request that any worker served.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families
from support import free_port, gunicorn, gunicorn_env, validated, wait_for

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

        scrapes = []
        for _ in range(6):  # whichever worker answers, the same totals
            response = validated(requests.get(base + "/metrics", headers=scrape_auth, timeout=10))
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            totals = requests_by_endpoint(response.text)
            scrapes.append({k: v - baseline.get(k, 0) for k, v in totals.items() if k[0] != "/metrics"})
        expected = {("/healthz", "200"): 20, ("/v1/clickbait", "200"): 20, ("/v1/score", "200"): 20,
                    ("/v1/score", "401"): 20}
        for counted in scrapes:
            assert {k: v for k, v in counted.items() if v} == expected
            assert sum(counted.values()) == sent
        assert requests.get(base + "/metrics", headers={"X-API-Key": KEY}, timeout=10).status_code == 401

    text = log.read_text(encoding="utf-8")
    folder = re.search(r"metrics of all processes in (\S+)", text)
    assert folder, "the gunicorn config names its metrics folder"
    assert not Path(folder.group(1).rstrip('"')).exists(), "the run's own metrics folder goes with it"
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    served = [line for line in lines if line["logger"] == "copydesk.request" and line["path"] != "/metrics"]
    workers = {line["pid"] for line in served}
    assert len(workers) == 2, f"both workers served requests: {workers}"
    assert len({line["request_id"] for line in served}) == len(served)
    assert {line["logger"] for line in lines} >= {"gunicorn.error", "copydesk.request"}
    assert KEY not in text and METRICS_KEY not in text, "no key in any log line"
    assert "Draft" not in text, "no text in any log line"
