"""The caches answer repeated work, and never with a stale answer: a changed text, title, option,
rule set or format is a different report; a complete report carries an ETag that gets 304."""

from __future__ import annotations

import time

import pytest
from support import app_with, free_port

from service.cache import MemoryStore, fingerprint
from service.findings import CheckOptions


def test_memory_store_is_an_lru_bounded_by_bytes() -> None:
    store = MemoryStore(max_bytes=100)
    store.put("a", b"x" * 40)
    store.put("b", b"y" * 40)
    assert store.get("a") == b"x" * 40  # a is now the most recent
    store.put("c", b"z" * 40)  # over budget: b, the least recently used, goes
    assert store.get("b") is None and store.get("a") and store.get("c")
    assert store.size <= 100
    store.put("huge", b"h" * 500)  # bigger than the whole budget: not kept, nothing evicted
    assert store.get("huge") is None and store.get("a")


def test_fingerprints_are_canonical() -> None:
    one = CheckOptions(accept=frozenset({"zeta", "alpha", "mu"}))
    other = CheckOptions(accept=frozenset({"mu", "zeta", "alpha"}))
    assert fingerprint("text", one) == fingerprint("text", other)
    assert fingerprint("text", one) != fingerprint("text", CheckOptions())
    assert fingerprint("a", "b") != fingerprint("ab")


def _score(client, **body):
    response = client.post("/v1/score", json={"checks": ["phrasing", "clickbait", "readability"], **body})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_the_identical_request_is_answered_from_the_cache(client, seed_text: str) -> None:
    started = time.perf_counter()
    first = _score(client, text=seed_text + "\n\nA line only this test sends.")
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    second = _score(client, text=seed_text + "\n\nA line only this test sends.")
    second_ms = (time.perf_counter() - started) * 1000
    a, b = first.get_json(), second.get_json()
    assert a["meta"]["cache"] == "miss" and b["meta"]["cache"] == "hit"
    # The spec: a report from the cache times only the request, not checks that did not run for it.
    assert set(a["meta"]["timings_ms"]) == {"total", "phrasing", "clickbait", "readability"}
    assert set(b["meta"]["timings_ms"]) == {"total"}
    # Milliseconds the request took, within what the client waited for it.
    assert 0 < a["meta"]["timings_ms"]["total"] <= first_ms
    assert 0 <= b["meta"]["timings_ms"]["total"] <= second_ms
    for report in (a, b):
        report["meta"].pop("cache")
        report["meta"].pop("timings_ms")
    assert a == b
    # The same tag for reports that differ in meta.cache and meta.timings_ms: a weak one, since a
    # strong tag promises the same bytes (RFC 9110, 8.8.1).
    assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('W/"')


@pytest.mark.parametrize(
    "change",
    [
        {"text": "The text is different now.\n\nA line only this test sends."},
        {"title": "A title, now"},
        {"rules": {"disable": ["style"]}},
        {"format": "markdown"},
        {"accept": ["Jinping"]},
        {"language": "en-GB"},
        {"checks": ["phrasing"]},
    ],
)
def test_any_change_is_a_different_report(client, change: dict) -> None:
    base = {"text": "Putin left Jinping till the car, know the meaning.\n\nA line only this test sends."}
    first = _score(client, **base).get_json()
    changed = _score(client, **{**base, **change})
    assert changed.get_json()["meta"]["cache"] == "miss"
    assert changed.headers["ETag"] != _score(client, **base).headers["ETag"]
    assert first["meta"]["cache"] in ("hit", "miss")


def test_if_none_match_with_the_current_etag_is_304(client) -> None:
    body = {"text": "Know the meaning of this, said the mayor on Tuesday.", "checks": ["phrasing"]}
    etag = client.post("/v1/score", json=body).headers["ETag"]
    not_modified = client.post("/v1/score", json=body, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    other = client.post("/v1/score", json={**body, "checks": ["clickbait"]}, headers={"If-None-Match": etag})
    assert other.status_code == 200
    listed = client.post("/v1/score", json=body, headers={"If-None-Match": f'"other", {etag}'})
    assert listed.status_code == 304 and listed.headers["ETag"] == etag
    # If-None-Match compares weakly (RFC 9110, 13.1.2): the tag without W/ matches too.
    strong = client.post("/v1/score", json=body, headers={"If-None-Match": etag.removeprefix("W/")})
    assert strong.status_code == 304
    star = client.post("/v1/score", json=body, headers={"If-None-Match": "*"})
    assert star.status_code == 200 and star.json["meta"]["cache"] == "hit"


def test_a_new_workers_first_report_carries_the_tag_that_answers_304_later(languagetool_url: str, data_dir) -> None:
    """A new worker learns LanguageTool's version from its first answer; that version is part of
    the tag of a report with grammar, and not of one without (whose tag it must not change)."""
    with app_with(languagetool_url=languagetool_url, data_dir=data_dir) as app:
        client = app.test_client()
        local = {"text": "Know the meaning of this, said the mayor on Wednesday.", "checks": ["phrasing"]}
        local_tag = client.post("/v1/score", json=local).headers["ETag"]
        body = {"text": "He go home, said the mayor on Wednesday."}
        first = client.post("/v1/score", json=body)
        assert first.status_code == 200 and first.get_json()["meta"]["cache"] == "miss", first.get_data(as_text=True)
        again = client.post("/v1/score", json=body, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
        local_again = client.post("/v1/score", json=local)
        assert local_again.headers["ETag"] == local_tag and local_again.get_json()["meta"]["cache"] == "hit"
        # The same tag, the same body: a report without grammar names no LanguageTool version.
        assert local_again.get_json()["meta"]["versions"]["languagetool"] is None
        assert first.get_json()["meta"]["versions"]["languagetool"] is not None


def test_a_worker_that_has_checked_nothing_answers_304_to_another_workers_tag(
    client, languagetool_url: str, data_dir
) -> None:
    """LanguageTool's version is part of a grammar report's tag: a worker that has not had an
    answer yet asks for it, so a client's first revalidation after a restart (or on another
    worker) gets 304, not the report again."""
    body = {"text": "He go home, said the mayor on Friday."}
    tag = client.post("/v1/score", json=body).headers["ETag"]
    with app_with(languagetool_url=languagetool_url, data_dir=data_dir) as app:
        assert app.extensions["copydesk"].languagetool.server_version is None
        answer = app.test_client().post("/v1/score", json=body, headers={"If-None-Match": tag})
        assert answer.status_code == 304 and answer.headers["ETag"] == tag


def test_a_worker_whose_languagetool_does_not_answer_tags_no_version(data_dir, caplog) -> None:
    """Asked for its version, a LanguageTool that does not answer leaves none in the key (the
    report is then incomplete, and untagged), and is not asked again at once."""
    with app_with(languagetool_url=f"http://127.0.0.1:{free_port()}", data_dir=data_dir) as app:
        client = app.test_client()
        body = {"text": "He go home, said the mayor on Saturday.", "allow_partial": True}
        for _ in range(2):
            answer = client.post("/v1/score", json=body, headers={"If-None-Match": 'W/"any"'})
            assert answer.status_code == 200 and not answer.get_json()["complete"] and "ETag" not in answer.headers
        assert app.extensions["copydesk"].languagetool.server_version is None
        unanswered = [r for r in caplog.records if r.getMessage().startswith("LanguageTool did not tell its version")]
        assert len(unanswered) == 1


def test_another_configuration_is_another_tag(client, languagetool_url: str, data_dir) -> None:
    """Settings and rule packs decide a report: after a threshold change, a client's old ETag must
    not get 304 for a report whose verdict may now differ (nor a replica another replica's report)."""
    with app_with(languagetool_url=languagetool_url, data_dir=data_dir, pass_score=95) as app:
        stricter = app.test_client()
        body = {"text": "Know the meaning of this, said the mayor on Thursday.", "checks": ["phrasing"]}
        default_tag = client.post("/v1/score", json=body).headers["ETag"]
        answer = stricter.post("/v1/score", json=body, headers={"If-None-Match": default_tag})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.headers["ETag"] != default_tag


def test_an_incomplete_report_is_neither_cached_nor_tagged(data_dir) -> None:
    with app_with(languagetool_url=f"http://127.0.0.1:{free_port()}", languagetool_timeout=2, data_dir=data_dir) as app:
        client = app.test_client()
        body = {"text": "Nobody checks grammar here today.", "allow_partial": True}
        for _ in range(2):
            response = client.post("/v1/score", json=body)
            report = response.get_json()
            assert report["complete"] is False and report["meta"]["cache"] == "miss"
            assert "ETag" not in response.headers


def test_the_local_memos_never_change_a_report(languagetool_url: str, data_dir, seed_text: str, memos_sized) -> None:
    """Reports of an article and its edit are the same whether the memos of sentences, words and
    paragraphs keep thousands of entries, one (pushed out as the text is read) or none."""
    edited = seed_text.replace("Putin", "The president", 1) + "\n\nA paragraph added at the end, for the edit."
    reports = {}
    for entries in (4096, 1, 0):  # each app sizes the memos (memos_sized puts them back after)
        settings = {"report_cache_bytes": 0, "memo_entries": entries}
        with app_with(languagetool_url=languagetool_url, data_dir=data_dir, **settings) as app:
            client = app.test_client()
            reports[entries] = []
            for text in (seed_text, edited, seed_text):
                report = _score(client, text=text, title=seed_text.splitlines()[0]).get_json()
                del report["meta"]
                reports[entries].append(report)
    assert reports[4096] == reports[1] == reports[0]
    assert reports[4096][0] == reports[4096][2] != reports[4096][1]


HOUSE_PACK = """\
pack: house
check: phrasing
description: A newsroom's own words to avoid.
rules:
  - id: house.amidst
    kind: substitution
    category: wordiness
    severity: suggestion
    description: "'amidst' and the like"
    message: "Our style book prefers the shorter form."
    substitutions:
{substitutions}
    examples:
      bad: ["Talks went on [amidst] the protests."]
      good: ["Talks went on amid the protests."]
"""


def test_a_pack_edited_under_the_same_rule_ids_is_another_tag(tmp_path, languagetool_url: str, data_dir) -> None:
    """A user's pack lives outside the package: one that flags more words under the same rule
    id, message and examples is a new report, never the one cached before the edit (the key
    hashed rule descriptions, which hold no rule's words, and the client's tag got 304)."""
    body = {"text": "Talks went on amidst the protests, whilst the crowd waited.", "checks": ["phrasing"]}
    found, tags = [], []
    for substitutions in ("      amidst: amid\n", "      amidst: amid\n      whilst: while\n"):
        # The same folder (COPYDESK_RULES_DIR), its file edited, as a newsroom does.
        (tmp_path / "house.yaml").write_text(HOUSE_PACK.format(substitutions=substitutions), encoding="utf-8")
        with app_with(languagetool_url=languagetool_url, data_dir=data_dir, rules_dir=str(tmp_path)) as app:
            client = app.test_client()
            answer = client.post("/v1/score", json=body, headers={"If-None-Match": tags[-1]} if tags else {})
            assert answer.status_code == 200, answer.get_data(as_text=True)
            issues = answer.get_json()["checks"]["phrasing"]["issues"]
            found.append(sorted(i["text"] for i in issues if i["rule"]["id"] == "house.amidst"))
            tags.append(answer.headers["ETag"])
    assert found == [["amidst"], ["amidst", "whilst"]]
    assert tags[0] != tags[1]


def test_a_heading_read_as_the_title_and_the_same_title_sent_are_two_reports(client) -> None:
    """A Markdown page's first heading is its title when none is sent; page furniture there
    ("Gallery: ... | 14 Photos") is no headline, while the same words sent as the title are
    judged. The two reports differ, so neither may be answered with the other's."""
    page = (
        "# Gallery: Xbox One X | 14 Photos\n\nNow the console runs quietly and stays cool under load. "
        "Reviewers liked it a lot. The fan is silent even during long sessions of play.\n"
    )
    read = {"text": page, "format": "markdown", "checks": ["clickbait"]}
    sent = {**read, "title": "Gallery: Xbox One X | 14 Photos"}
    first = [client.post("/v1/score", json=body) for body in (read, sent)]
    assert first[0].headers["ETag"] != first[1].headers["ETag"]
    again = [client.post("/v1/score", json=body).get_json() for body in (read, sent)]
    assert [r["meta"]["cache"] for r in again] == ["hit", "hit"]
    assert [r["checks"]["clickbait"] for r in again] == [r.get_json()["checks"]["clickbait"] for r in first]
