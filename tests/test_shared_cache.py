"""The shared cache (COPYDESK_CACHE_URL) with a real Redis server: two copydesk processes share
reports and paragraphs, and a Redis that goes away means no cache, never an error."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from support import SilentServer, free_port, gunicorn, gunicorn_env, validated, wait_for

import service
from service import create_app
from service.cache import REDIS_BATCH, RedisStore, build_digest
from service.checks.grammar import GrammarCheck
from service.languagetool.client import PROBE_TEXT, LanguageToolClient
from service.settings import Settings

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture()
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of its own on 127.0.0.1 (`make test` installs Debian's), without persistence."""
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path), "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_processes_share_reports_and_survive_redis_going_away(
    redis_url: str, languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    envs = [
        gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url, cache_url=redis_url)
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    body = {"text": "The council meet on Tuesday. It approved the the budget for the park.", "title": "Budget"}
    with gunicorn(envs[0], tmp_path / "first.log"), gunicorn(envs[1], tmp_path / "second.log"):
        for base in bases:
            validated(wait_for(base + "/readyz", 200, 120))
        first = validated(requests.post(bases[0] + "/v1/score", json=body, timeout=60)).json()
        assert first["meta"]["cache"] == "miss"
        second = validated(requests.post(bases[1] + "/v1/score", json=body, timeout=60)).json()
        assert second["meta"]["cache"] == "hit", "the other process answers from the shared cache"
        assert second["checks"] == first["checks"] and second["score"] == first["score"]
        assert redis.Redis.from_url(redis_url).keys("copydesk:report:*")

        redis.Redis.from_url(redis_url).shutdown(nosave=True)
        for base in bases:
            other = {**body, "text": body["text"] + " Residents welcomed it."}
            for _ in range(2):
                answer = validated(requests.post(base + "/v1/score", json=other, timeout=60))
                assert answer.status_code == 200
                report = answer.json()
                assert report["complete"] and report["meta"]["cache"] == "miss"
                assert any(i["text"] == "the the" for i in report["checks"]["grammar"]["issues"])


def test_paragraphs_come_from_redis_for_another_grammar_check(redis_url: str, languagetool_url: str) -> None:
    text = "The council meet on Tuesday.\n\nIt approved the the budget.\n\nResidents were pleased."
    checks = [GrammarCheck(LanguageToolClient(languagetool_url, 30, "default"), 10_000, 2,
                           RedisStore(redis_url, "paragraph", 60, 8_000_000)) for _ in range(2)]
    checks[0].check_text("Warm-up.", "en-US")  # the server's version, part of the key, is known from now on
    first = checks[0].check_text(text, "en-US")
    sent: list[str] = []
    original = checks[1].languagetool.check
    checks[1].languagetool.check = lambda tool, piece, *rest: sent.append(piece.text) or original(tool, piece, *rest)
    edited = text.replace("Residents were pleased.", "Residents was pleased.")
    second = checks[1].check_text(edited, "en-US")
    # The other check has had no answer yet: it asks for the server's version (a probe), which
    # the paragraphs' keys name, and finds the unchanged ones in Redis.
    assert sent == [PROBE_TEXT, "Residents was pleased."], "only the edited paragraph goes to LanguageTool"
    unchanged = len(text) - len("Residents were pleased.")
    assert [(f.rule_id, f.offset) for f in first if f.offset < unchanged] == [
        (f.rule_id, f.offset) for f in second if f.offset < unchanged
    ]
    assert any(edited[f.offset : f.offset + f.length] == "was" for f in second)


def test_a_texts_paragraphs_are_read_and_written_in_a_few_round_trips(redis_url: str, languagetool_url: str) -> None:
    """A round trip to Redis per paragraph: a text of thousands of paragraphs waited on as many,
    each as long as the network between copydesk and Redis."""
    paragraphs = [f"Paragraph {n} of the report is here." for n in range(600)]
    text = "\n\n".join(paragraphs)
    check = GrammarCheck(LanguageToolClient(languagetool_url, 60, "default"), 10_000, 2,
                         RedisStore(redis_url, "paragraph", 60, 8_000_000))
    check.check_text("Warm-up.", "en-US")  # the server's version, part of the key, is known from now on
    server = redis.Redis.from_url(redis_url)

    def calls() -> dict[str, int]:
        stats = server.info("commandstats")
        return {name: stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget", "set")}

    before = calls()
    first = check.check_text(text, "en-US")
    written = calls()
    again = check.check_text(text, "en-US")
    after = calls()
    assert again == first
    assert written["set"] - before["set"] == len(paragraphs)  # each kept, in pipelines
    assert written["get"] == before["get"] and after["get"] == before["get"]
    # 600 keys, read twice, in batches: a few MGETs, not 1,200 GETs.
    assert 2 <= after["mget"] - before["mget"] <= 2 * (len(paragraphs) // REDIS_BATCH + 1)


def test_two_builds_that_share_a_redis_never_read_each_others_entries(redis_url: str) -> None:
    """A rolling upgrade, or a fix deployed under the same version number: the old build's
    reports must not answer for the new one."""
    old, new, old_again = (
        RedisStore(redis_url, "report", 60, 8_000_000, build=build) for build in ("old", "new", "old")
    )
    old.put("key", b"the old build's report")
    assert new.get("key") is None
    assert old_again.get("key") == b"the old build's report"
    assert RedisStore(redis_url, "report", 60, 8_000_000).prefix == f"copydesk:report:{build_digest()[:16]}:"


def test_the_shared_cache_keeps_no_entry_too_large_to_read_back_in_time(redis_url: str, data_dir: Path) -> None:
    """An 80 MB report took longer than REDIS_TIMEOUT to read back from a Redis on the same host:
    every repeat of its request turned the shared cache off. An entry over
    COPYDESK_CACHE_MAX_ENTRY_BYTES (8,000,000 by default) is not kept; one of that size is; the
    setting reaches the report and paragraph caches."""
    largest = Settings().cache_max_entry_bytes
    assert largest == 8_000_000
    store = RedisStore(redis_url, "report", 60, largest, build="sizes")
    assert store.takes(largest) and not store.takes(largest + 1)
    store.put("too large", b"r" * (largest + 1))
    store.put("largest", b"r" * largest)
    assert store.get("too large") is None
    assert store.get("largest") == b"r" * largest

    app = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                      "cache_url": redis_url, "cache_max_entry_bytes": 1000, "TESTING": True})
    services = app.extensions["copydesk"]
    try:
        for shared in (services.scorer.reports, services.scorer.checks["grammar"].paragraphs):
            assert isinstance(shared, RedisStore) and shared.takes(1000) and not shared.takes(1001)
    finally:
        services.scorer.close()


def test_the_build_digest_changes_with_any_file_of_the_package(tmp_path: Path) -> None:
    package = shutil.copytree(Path(service.__file__).parent, tmp_path / "service",
                              ignore=shutil.ignore_patterns("__pycache__"))
    before = build_digest(package)
    assert build_digest(package) == before and len(before) == 64
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")  # not part of the build
    build_digest.cache_clear()
    assert build_digest(package) == before
    pack = package / "rules" / "clickbait.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # one rule pack, one byte more
    build_digest.cache_clear()
    assert build_digest(package) != before


def test_a_redis_that_is_not_there_is_a_miss_not_an_error() -> None:
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", "report", 60, 8_000_000)
    started = time.monotonic()
    assert store.get("key") is None
    store.put("key", b"value")
    assert store.get("key") is None
    assert time.monotonic() - started < 2, "one refused connection, then no more attempts for a while"


HEADLINES = {"headlines": ["Council approves the budget"]}


def limited_app(storage_url: str, languagetool_url: str, data_dir: Path):
    """An app (a worker) that counts 3 requests a minute per client in ``storage_url``."""
    return create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "rate_limit": "3/minute",
                       "rate_limit_storage_url": storage_url, "TESTING": True})


def test_rate_limits_count_once_in_redis_and_count_in_memory_while_it_is_gone(
    redis_url: str, languagetool_url: str, data_dir: Path
) -> None:
    """Redis as COPYDESK_RATE_LIMIT_STORAGE_URL: two workers share one budget. Once it is gone,
    each worker counts in its own memory, as with memory://; it answered every API call 500."""
    workers = [limited_app(redis_url, languagetool_url, data_dir).test_client() for _ in range(2)]
    statuses = [workers[i % 2].post("/v1/clickbait", json=HEADLINES).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429], "one budget for both workers"

    redis.Redis.from_url(redis_url).shutdown(nosave=True)
    for worker in workers:
        statuses = [worker.post("/v1/clickbait", json=HEADLINES).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429], "the worker's own budget while Redis is gone"


def test_a_rate_limit_storage_that_never_answers_does_not_hold_the_request(
    languagetool_url: str, data_dir: Path
) -> None:
    """A Redis that accepts and never answers: the request is served, counted in memory (it
    waited for the Redis client's own 5 s timeout, then answered 500)."""
    with SilentServer() as silent:
        worker = limited_app(silent.url.replace("http://", "redis://") + "/0", languagetool_url, data_dir).test_client()
        answers: list[int] = []
        asking = threading.Thread(target=lambda: answers.append(worker.post("/v1/clickbait", json=HEADLINES)
                                                                .status_code), daemon=True)
        asking.start()
        asking.join(120)  # a bound on a hang, not a speed
        assert answers == [200]
