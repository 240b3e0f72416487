"""The HTTP contract of POST /v1/score and friends, against a real LanguageTool server.

Every response here is validated against openapi.yaml by the ``client`` fixture.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from support import ContractClient
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service import api as api_module
from service import create_app
from service.findings import CHECK_NAMES

CLEAN_ARTICLES = sorted((Path(__file__).parent / "fixtures" / "clean").glob("article-*.txt"))


def all_issues(report: dict) -> list[dict]:
    return [issue for section in report["checks"].values() for issue in section["issues"]]


def assert_spans_match(report: dict, text: str, title: str | None = None) -> None:
    for issue in all_issues(report):
        source = title if issue["field"] == "title" else text
        assert source[issue["offset"] : issue["offset"] + issue["length"]] == issue["text"], issue


@pytest.fixture(scope="module")
def seed_report(languagetool_url: str, data_dir: Path, seed_text: str, seed_title: str) -> dict:
    """The seed's report as the checks make it: from an app without a report cache, since the
    session's app may hold the seed from another module (a cached report times only the total)."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "TESTING": True,
                      "report_cache_bytes": 0})
    app.test_client_class = ContractClient
    response = app.test_client().post("/v1/score", json={"text": seed_text, "title": seed_title})
    app.extensions["copydesk"].scorer.close()
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_seed_article_is_flagged_end_to_end(seed_report: dict, seed_text: str) -> None:
    report = seed_report
    assert report["complete"] is True
    assert report["verdict"] != "pass"
    assert set(report["checks"]) == set(CHECK_NAMES)
    assert all(section["status"] == "ok" for section in report["checks"].values())

    phrasing_spans = {i["text"] for i in report["checks"]["phrasing"]["issues"]}
    clickbait_spans = {i["text"] for i in report["checks"]["clickbait"]["issues"]}
    assert "left Jinping till the car" in phrasing_spans
    assert "know the meaning" in clickbait_spans
    assert report["checks"]["grammar"]["issues"], "LanguageTool found nothing in the seed article"
    assert all(i["rule"]["source"] == "languagetool" for i in report["checks"]["grammar"]["issues"])
    assert_spans_match(report, seed_text)


def test_seed_issues_carry_line_column_and_context(seed_report: dict, seed_text: str) -> None:
    lines = seed_text.split("\n")
    issues = all_issues(seed_report)
    assert issues
    for issue in issues:
        assert issue["field"] == "text"  # the title is the article's first line, so it is placed there
        line = lines[issue["line"] - 1]
        column = issue["column"] - 1
        assert line[column : column + issue["length"]] == issue["text"][: len(line) - column]
        ctx = issue["context"]
        assert ctx["text"][ctx["offset"] : ctx["offset"] + ctx["length"]] == issue["text"]


def test_counts_add_up(seed_report: dict) -> None:
    issues = all_issues(seed_report)
    counts = seed_report["counts"]
    assert counts["total"] == len(issues)
    assert sum(counts["by_check"].values()) == len(issues)
    assert sum(counts["by_severity"].values()) == len(issues)
    assert sum(counts["by_category"].values()) == len(issues)
    for name, section in seed_report["checks"].items():
        assert counts["by_check"][name] == len(section["issues"])


def test_meta_reports_versions_timings_and_lengths(seed_report: dict, seed_text: str) -> None:
    meta = seed_report["meta"]
    assert meta["language"] == "en-US"
    assert meta["text_length"] == len(seed_text)
    assert meta["versions"]["languagetool"], "the LanguageTool version comes from the server's answer"
    assert set(CHECK_NAMES) <= set(meta["timings_ms"])
    # `total` is the whole request's time, in the same unit: the checks ran within it.
    assert meta["timings_ms"]["total"] >= max(meta["timings_ms"][name] for name in CHECK_NAMES)
    assert meta["timings_ms"]["grammar"] > 0, "a LanguageTool round trip takes milliseconds"


@pytest.mark.parametrize("path", CLEAN_ARTICLES, ids=lambda p: p.name)
def test_clean_professional_copy_passes(client, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    response = client.post("/v1/score", json={"text": text})
    report = response.get_json()
    assert response.status_code == 200
    assert report["checks"]["phrasing"]["issues"] == []
    assert report["checks"]["clickbait"]["issues"] == []
    assert report["verdict"] == "pass", (report["score"], {n: s["score"] for n, s in report["checks"].items()})


def test_there_are_at_least_three_clean_articles() -> None:
    assert len(CLEAN_ARTICLES) >= 3


def test_plain_text_body_is_scored(client, seed_text: str) -> None:
    response = client.post(
        "/v1/score?checks=phrasing,clickbait&title=Putin%20left%20Jinping%20till%20the%20car",
        data=seed_text.encode(),
        content_type="text/plain; charset=utf-8",
    )
    assert response.status_code == 200
    report = response.get_json()
    assert set(report["checks"]) == {"phrasing", "clickbait"}
    assert report["meta"]["checks"] == ["phrasing", "clickbait"]


def test_a_query_parameter_sent_twice_is_refused_not_half_read(client) -> None:
    response = client.post("/v1/score?checks=phrasing&checks=grammar&language=en-GB&language=xx&rules=style",
                           data=b"He go home.", content_type="text/plain")
    assert response.status_code == 422
    assert {(e["field"], e["message"]) for e in response.get_json()["errors"]} == {
        ("checks", "is sent more than once: send it once, its items comma-separated"),
        ("language", "is sent more than once: send it once"),
        ("rules", "unknown query parameter"),
    }


def test_only_requested_checks_run(client) -> None:
    response = client.post("/v1/score", json={"text": "Officials met on Monday.", "checks": ["readability"]})
    report = response.get_json()
    assert list(report["checks"]) == ["readability"]
    assert "grammar" not in report["meta"]["timings_ms"]


def test_a_run_of_sentences_that_start_alike_is_one_finding(client) -> None:
    """LanguageTool's rule on three sentences that start alike and copydesk's sentence-starts
    measure flag the same run. A /v1 report keeps copydesk's, which marks the whole run, and
    scores grammar without LanguageTool's; a grammar-only report has no run of copydesk's and
    keeps LanguageTool's. A /v2 client gets LanguageTool's as sent, and copydesk's run only
    where LanguageTool has none (its rule turned off here)."""
    same, run = "ENGLISH_WORD_REPEAT_BEGINNING_RULE", "readability.sentence-starts"
    text = "She moved to the city in May. She found a room near the park. She likes it there now."

    def found(report: dict) -> list[tuple[str, str]]:
        return [(i["rule"]["id"], i["text"]) for section in report["checks"].values() for i in section["issues"]]

    both = client.post("/v1/score", json={"text": text}).get_json()
    assert [pair for pair in found(both) if pair[0] in {same, run}] == [(run, text)]
    assert both["checks"]["grammar"]["issues"] == [] and both["checks"]["grammar"]["score"] == 100.0
    alone = client.post("/v1/score", json={"text": text, "checks": ["grammar"]}).get_json()
    assert found(alone) == [(same, "She")] and alone["checks"]["grammar"]["score"] < 100.0

    def v2_rules(**extra: str) -> list[str]:
        answer = client.post("/v2/check", data={"text": text, "language": "en-US", **extra}).get_json()
        return [m["rule"]["id"] for m in answer["matches"]]

    assert same in v2_rules() and run not in v2_rules()
    assert run in v2_rules(disabledRules=same) and same not in v2_rules(disabledRules=same)


def test_a_problem_a_rule_and_languagetool_both_flag_is_one_finding(client) -> None:
    """style.a-large-number-of names LanguageTool's LARGE_NUMBER_OF (``same_as_languagetool``):
    a /v1 report keeps copydesk's finding and scores grammar without LanguageTool's; with the
    rule turned off, or grammar alone, LanguageTool's is back. A /v2 client gets LanguageTool's
    match as sent, and copydesk's only where LanguageTool has none (its rule turned off)."""
    ours, theirs = "style.a-large-number-of", "LARGE_NUMBER_OF"
    text = "A large number of residents came to the meeting on Tuesday evening."

    def rules(report: dict) -> list[str]:
        return [i["rule"]["id"].split("[")[0] for section in report["checks"].values() for i in section["issues"]]

    both = client.post("/v1/score", json={"text": text}).get_json()
    assert ours in rules(both) and theirs not in rules(both)
    assert both["checks"]["grammar"]["score"] == 100.0
    for request in ({"rules": {"disable": [ours]}}, {"checks": ["grammar"]}):
        alone = client.post("/v1/score", json={"text": text, **request}).get_json()
        assert theirs in rules(alone) and ours not in rules(alone), request
        assert alone["checks"]["grammar"]["score"] < 100.0

    def v2_rules(**extra: str) -> list[str]:
        answer = client.post("/v2/check", data={"text": text, "language": "en-US", **extra}).get_json()
        return [m["rule"]["id"].split("[")[0] for m in answer["matches"]]

    assert theirs in v2_rules() and ours not in v2_rules()
    assert ours in v2_rules(disabledRules=theirs) and theirs not in v2_rules(disabledRules=theirs)


def test_title_only_findings_point_into_the_title(client) -> None:
    title = "You won't believe what happened next"
    text = "The council approved the budget on Tuesday after a short debate."
    response = client.post("/v1/score", json={"text": text, "title": title, "checks": ["clickbait"]})
    report = response.get_json()
    title_issues = [i for i in report["checks"]["clickbait"]["issues"] if i["field"] == "title"]
    assert title_issues
    assert_spans_match(report, text, title)


def test_headline_only_request_needs_no_text(client) -> None:
    title = "Know the meaning of this shocking move"
    response = client.post("/v1/score", json={"title": title, "checks": ["clickbait"]})
    assert response.status_code == 200
    assert response.get_json()["checks"]["clickbait"]["headline"]["source"] == "title"


def test_emoji_before_errors_does_not_shift_spans(client) -> None:
    # Each emoji is one code point but two UTF-16 units in LanguageTool's answer.
    text = "😀🎉 Big news 👍🏽 today. He go to the office. 🚀 Putin left Jinping till the car yesterday."
    response = client.post("/v1/score", json={"text": text, "checks": ["grammar", "phrasing"]})
    report = response.get_json()
    grammar_spans = [i["text"] for i in report["checks"]["grammar"]["issues"]]
    assert "go" in grammar_spans
    assert "left Jinping till the car" in [i["text"] for i in report["checks"]["phrasing"]["issues"]]
    assert_spans_match(report, text)


def test_a_report_goes_to_the_server_a_chunk_at_a_time(app, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's transport copies a write it cannot send at once: a report goes to it
    REPORT_CHUNK_BYTES at a time, its length still announced, the chunks together the report."""
    monkeypatch.setattr(api_module, "REPORT_CHUNK_BYTES", 1000)
    environ = EnvironBuilder(path="/v1/score", method="POST", json={"text": seed_text, "checks": ["phrasing"]})
    chunks, status, headers = run_wsgi_app(app, environ.get_environ())
    written = list(chunks)
    assert status.startswith("200")
    assert len(written) > 1 and all(0 < len(chunk) <= 1000 and isinstance(chunk, bytes) for chunk in written)
    body = b"".join(written)
    assert int(headers["Content-Length"]) == len(body)
    assert json.loads(body)["checks"]["phrasing"]["issues"]


def test_a_reports_parts_are_let_go_of_as_they_are_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report too large for the cache goes out in the parts it was written in (an 80 MB report
    of 200,000 issues: 200 parts of about 400 KB): the answer holds each only until it is sent."""
    monkeypatch.setattr(api_module, "REPORT_CHUNK_BYTES", 1000)
    parts = [b"a" * 2500, b"b" * 10, b"c" * 1000]
    chunks = api_module._chunks(parts)
    assert [next(chunks) for _ in range(3)] == [b"a" * 1000, b"a" * 1000, b"a" * 500]
    assert len(parts) == 2, "the parts left to send"
    assert next(chunks) == b"b" * 10
    assert next(chunks) == b"c" * 1000 and parts == []
    assert next(chunks, None) is None


def test_healthz(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_with_real_languagetool(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["languagetool"]["version"]


def test_openapi_document_is_served(client) -> None:
    with client.get("/openapi.yaml") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/yaml"
        assert b"openapi: 3.1.0" in response.data


def test_swagger_ui_is_served_from_the_bundled_package(client) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    assert b"swagger-ui-bundle.js" in page.data
    assert b"http" not in page.data, "assets must come from this server, not a CDN"
    with client.get("/docs/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200 and len(asset.data) > 100_000
    assert client.get("/docs").status_code in (301, 302, 308)


def test_rules_are_listed(client) -> None:
    body = client.get("/v1/rules").get_json()
    ids = {rule["id"] for rule in body["rules"]}
    assert {pack["name"] for pack in body["packs"]} >= {"translationese", "clickbait", "boilerplate", "style"}
    assert len(ids) == len(body["rules"])


def test_rules_can_be_disabled_per_request(client, seed_text: str) -> None:
    response = client.post(
        "/v1/score", json={"text": seed_text, "checks": ["phrasing"], "rules": {"disable": ["translationese"]}}
    )
    issues = response.get_json()["checks"]["phrasing"]["issues"]
    assert issues and not any(i["rule"]["source"] == "copydesk:translationese" for i in issues)


def test_accepted_words_are_not_spelling_errors(client) -> None:
    text = "We deploy copydesk behind gunicorn. He go to the office."

    def spelling_and_grammar(**extra: object) -> list[str]:
        response = client.post("/v1/score", json={"text": text, "checks": ["grammar"], **extra})
        assert response.status_code == 200
        return sorted(i["text"] for i in response.get_json()["checks"]["grammar"]["issues"])

    flagged = spelling_and_grammar()
    assert {"copydesk", "gunicorn", "go"} <= set(flagged)
    accepted = spelling_and_grammar(accept=["CopyDesk"])  # any case
    assert "copydesk" not in accepted and {"gunicorn", "go"} <= set(accepted)
    # Only spelling matches are affected: accepting "go" does not hide the agreement error.
    assert "go" in spelling_and_grammar(accept=["go", "copydesk", "gunicorn"])
    plain = client.post(
        "/v1/score?checks=grammar&accept=copydesk,%20gunicorn", data=text.encode(), content_type="text/plain"
    )
    assert sorted(i["text"] for i in plain.get_json()["checks"]["grammar"]["issues"]) == ["go"]


def test_accepted_names_match_in_any_unicode_form_and_word_by_word(client) -> None:
    """A name typed decomposed (NFD: macOS, some CMS exports) was still flagged when the accept
    list had it composed, and the reverse; a name LanguageTool flags as one two-word match was
    flagged though each of its words was accepted."""
    composed = "Nguyễn Phú Trọng met İbrahim Kalın in Hà Nội."

    def flagged(text: str, accept: list[str]) -> list[str]:
        response = client.post("/v1/score", json={"text": text, "checks": ["grammar"], "accept": accept})
        assert response.status_code == 200
        return [i["text"] for i in response.get_json()["checks"]["grammar"]["issues"]]

    names = ["Nguyễn", "Phú", "Trọng", "İbrahim", "Kalın", "Hà", "Nội"]
    assert flagged(composed, [])
    for form in ("NFC", "NFD"):
        text = unicodedata.normalize(form, composed)
        for accept_form in ("NFC", "NFD"):
            listed = [unicodedata.normalize(accept_form, name) for name in names]
            assert flagged(text, listed) == [], (form, accept_form)


def test_the_report_says_whether_the_text_reads_as_english(client, seed_text: str) -> None:
    """A German article got confident English readability verdicts, and nothing in the report
    said the text was not English."""
    german = (
        "Der Stadtrat hat am Dienstagabend nach einer langen Debatte über die Finanzierung der neuen "
        "Straßenbahnlinie, die vom Hauptbahnhof bis zum Klinikum im Norden der Stadt führen soll, mit knapper "
        "Mehrheit einen Haushalt beschlossen. Die Bibliothek muss sparen."
    )
    for text, english in ((seed_text, True), (german, False), ("He left early.", None)):
        response = client.post("/v1/score", json={"text": text, "checks": ["readability"]})
        assert response.status_code == 200
        assert response.get_json()["meta"]["english"] is english, text[:40]


def test_body_lines_that_look_like_headlines_are_scored(client, seed_text: str) -> None:
    response = client.post("/v1/score", json={"text": seed_text, "checks": ["clickbait"]})
    body = response.get_json()["checks"]["clickbait"]["body_headlines"]
    by_text = {line["text"]: line for line in body}
    read_also = "Stephen Smith Autopsy Report, What Happened With Him? How Did He Die?"
    assert by_text[read_also]["label"] == "clickbait"
    for line in body:
        assert seed_text[line["offset"] : line["offset"] + len(line["text"])] == line["text"]
        assert 0 <= line["probability"] <= 1

    text = "Council backs the new bridge\n\nThe big picture\n\nThe council voted on Tuesday to build it.\n"
    response = client.post("/v1/score", json={"text": text, "checks": ["clickbait"]})
    section = response.get_json()["checks"]["clickbait"]
    assert section["headline"]["text"] == "Council backs the new bridge"
    assert section["body_headlines"] == []  # "The big picture" is a section label, too short to judge


def test_a_first_line_that_ends_with_a_full_stop_is_prose_not_a_headline(client) -> None:
    """Without a title, a first line ending like a body sentence is not judged as a headline
    (bench/results/leads.md); sent as the title, the same line is."""
    teaser = "You won't believe what the council did next"
    body = "\n\nThe council met on Tuesday and approved the budget.\n"

    def clickbait(payload: dict) -> tuple[dict, list[dict]]:
        response = client.post("/v1/score", json={**payload, "checks": ["clickbait"]})
        assert response.status_code == 200
        section = response.get_json()["checks"]["clickbait"]
        return section["headline"], [i for i in section["issues"] if i["rule"]["id"] == "clickbait.model"]

    headline, model = clickbait({"text": teaser + body})
    assert headline["source"] == "first_line" and headline["label"] == "clickbait" and model
    headline, model = clickbait({"text": teaser + "." + body})
    assert headline is None and model == []
    headline, model = clickbait({"text": body.strip(), "title": teaser + "."})
    assert headline["source"] == "title" and headline["label"] == "clickbait" and model


MARKDOWN_TITLE_IN_PROSE = (
    "Readers wrote that You won't believe what the council did next was the worst headline of the year.\n\n"
    "# You won't believe what the council did next\n\n"
    "The council met on Tuesday and approved the budget.\n"
)


def test_a_markdown_title_is_judged_once_where_it_stands(client) -> None:
    """The title is the heading the reader found, at its own place: its words inside the prose
    on line 1 are not the title, and the heading is not judged again as a body headline."""
    response = client.post(
        "/v1/score", json={"text": MARKDOWN_TITLE_IN_PROSE, "format": "markdown", "checks": ["clickbait"]}
    )
    section = response.get_json()["checks"]["clickbait"]
    model = [issue for issue in section["issues"] if issue["rule"]["id"] == "clickbait.model"]
    title = "You won't believe what the council did next"
    assert [(i["field"], i["line"], i["column"], i["text"]) for i in model] == [("text", 3, 3, title)]
    assert section["headline"]["text"] == title and section["headline"]["source"] == "title"
    assert section["body_headlines"] == []


TABLE_OF_CONTENTS = {
    "markdown": (
        "# Guide\n\nContents:\n\n- [How the score is computed](#how)\n"
        "- [Metrics, logs, API keys and rate limits](#metrics)\n\n"
        "## How the score is computed\n\nThe score is a number between zero and one hundred for the text.\n\n"
        "## Metrics, logs, API keys and rate limits\n\n"
        "The service counts requests and keeps logs of them for operators.\n"
    ),
    "html": (
        "<h1>Guide</h1>\n<p>Contents:</p>\n<ul>\n<li><a href='#how'>How the score is computed</a></li>\n"
        "<li><a href='#metrics'>Metrics, logs, API keys and rate limits</a></li>\n</ul>\n"
        "<h2 id='how'>How the score is computed</h2>\n"
        "<p>The score is a number between zero and one hundred for the text.</p>\n"
        "<h2 id='metrics'>Metrics, logs, API keys and rate limits</h2>\n"
        "<p>The service counts requests and keeps logs of them for operators.</p>\n"
    ),
}


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_headings_a_table_of_contents_names_are_no_repeated_lines(client, fmt: str) -> None:
    """A table of contents' entries are the words of the headings they link to: navigation, not a
    pasted headline. The same document with a line pasted twice still gets the warning, there."""
    text = TABLE_OF_CONTENTS[fmt]
    report = client.post("/v1/score", json={"text": text, "format": fmt, "checks": ["phrasing"]}).get_json()
    assert [i["text"] for i in report["checks"]["phrasing"]["issues"]] == []
    pasted = "The service counts requests and keeps logs of them for operators."
    copy = pasted if fmt == "markdown" else f"<p>{pasted}</p>"
    report = client.post(
        "/v1/score", json={"text": text + "\n" + copy + "\n", "format": fmt, "checks": ["phrasing"]}
    ).get_json()
    issues = [(i["rule"]["id"], i["line"], i["text"]) for i in report["checks"]["phrasing"]["issues"]]
    assert issues == [("boilerplate.repeated-line", text.count("\n") + 2, pasted)]


def test_a_title_the_text_repeats_is_judged_once_at_its_place(client, seed_text: str, seed_title: str) -> None:
    report = client.post("/v1/score", json={"text": seed_text, "title": seed_title}).get_json()
    issues = [issue for section in report["checks"].values() for issue in section["issues"]]
    places = [(i["rule"]["id"], i["field"], i["offset"], i["length"]) for i in issues]
    assert len(places) == len(set(places))
    assert all(i["field"] == "text" for i in issues)  # the title stands at the top of the text
    clickbait = report["checks"]["clickbait"]
    assert clickbait["body_headlines"] and all(line["offset"] != 0 for line in clickbait["body_headlines"])
    # Headline findings count once in the score: the same as without the title, but for its words.
    alone = client.post("/v1/score", json={"text": seed_text, "checks": ["phrasing"]}).get_json()
    assert [i["offset"] for i in alone["checks"]["phrasing"]["issues"]] == [
        i["offset"] for i in report["checks"]["phrasing"]["issues"]
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_byte_order_mark_before_the_text_changes_nothing_but_the_offsets(
    client, seed_text: str, seed_title: str, fmt: str
) -> None:
    """A byte order mark says how the text was encoded, not what it says. Before plain text it
    hid the title the first line repeats (each title finding was reported twice, in the title
    and in the text) and the first line's start from the rules that look for one."""
    checks = ["phrasing", "clickbait", "readability"]

    def issues(text: str, **title: str) -> tuple[dict, list[tuple[str, str, int, str]]]:
        report = client.post("/v1/score", json={"text": text, "format": fmt, "checks": checks, **title}).get_json()
        found = [(i["rule"]["id"], i["field"], i["offset"], i["text"]) for s in report["checks"].values()
                 for i in s["issues"]]  # fmt: skip
        return report, sorted(found)

    for text, title in ((seed_text, {"title": seed_title}), ("10 things you didn't know about cats\n", {})):
        plain, plain_issues = issues(text, **title)
        marked, marked_issues = issues("\ufeff" + text, **title)
        assert plain_issues and marked_issues == [(r, f, o + 1, t) for r, f, o, t in plain_issues]
        assert marked["score"] == plain["score"]
        assert marked["checks"]["clickbait"]["headline"]["text"] == plain["checks"]["clickbait"]["headline"]["text"]


def test_clickbait_endpoint_scores_many_headlines(client) -> None:
    headlines = [
        "Welcomed warmly, Putin left Jinping till the car, know the meaning after the meeting",
        "Xi Jinping meets Putin in Moscow for talks on Ukraine",
    ]
    response = client.post("/v1/clickbait", json={"headlines": headlines})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["text"] for r in results] == headlines
    assert [r["label"] for r in results] == ["clickbait", "not_clickbait"]


def test_json_response_round_trips(seed_report: dict) -> None:
    assert json.loads(json.dumps(seed_report)) == seed_report


def test_a_custom_pack_works_through_the_api(languagetool_url: str, data_dir: Path) -> None:
    from support import ContractClient

    from service import create_app
    from service.settings import PROJECT_ROOT

    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                      "rules_dir": str(PROJECT_ROOT / "custom-rules")})
    app.test_client_class = ContractClient
    client = app.test_client()
    assert "house" in {pack["name"] for pack in client.get("/v1/rules").get_json()["packs"]}
    payload = {"text": "Talks went on amidst the protests.", "checks": ["phrasing"]}
    report = client.post("/v1/score", json=payload).get_json()
    assert [(i["rule"]["id"], i["text"], i["replacements"]) for i in report["checks"]["phrasing"]["issues"]] == [
        ("house.amidst", "amidst", ["amid"])
    ]
    app.extensions["copydesk"].scorer.close()


def test_a_malformed_pack_stops_start_up_with_a_precise_message(tmp_path: Path, data_dir: Path) -> None:
    from service import create_app
    from service.rulebook.book import RulePackError

    (tmp_path / "broken.yaml").write_text(
        "pack: broken\ncheck: phrasing\nrules:\n  - id: broken.loud\n    kind: phrase\n    category: style\n"
        "    severity: fatal\n    message: Too loud.\n    phrases: [shout]\n"
        "    examples: {bad: ['[shout]'], good: ['speak']}\n"
    )
    with pytest.raises(RulePackError, match=r"broken\.yaml: rule broken\.loud: severity: 'fatal'"):
        create_app({"languagetool_url": "http://127.0.0.1:9", "data_dir": data_dir, "rules_dir": str(tmp_path)})
