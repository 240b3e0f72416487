"""Property and contract testing: schemathesis drives every operation of openapi.yaml against the
app (with the real LanguageTool) and checks every answer against the spec; hypothesis writes
random Unicode documents and checks that every issue's offset, line, column and context are
exact. Both are bounded and seeded, so a run is the same run every time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from support import free_port, gunicorn, gunicorn_env, wait_for

from service.settings import PROJECT_ROOT

# Requests the schema accepts that the service still refuses for reasons a JSON Schema cannot
# express: a rule selector that names no loaded pack (422), a text over the limit counted with
# the title (413), a lone UTF-16 surrogate in a string (422). Anything else valid must be 2xx.
SEMANTIC_REFUSALS = ["413", "422"]
# Invalid requests may also be refused for their size before they are read (413).
REJECTIONS = ["400", "413", "415", "422"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261202,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", *SEMANTIC_REFUSALS]},
            "negative_data_rejection": {"expected-statuses": REJECTIONS},
        },
        "generation": {"max-examples": 25},
        # A path parameter outside its enum names no resource: 404 is the refusal there.
        # LanguageTool's API (/v2) refuses with a plain-text 400 what LanguageTool refuses: an
        # unknown language, both `text` and `data`, `enabledOnly` without enabled rules...
        "operations": [
            {
                "include-path-regex": "^/web/",
                "checks": {"negative_data_rejection": {"expected-statuses": [*REJECTIONS, "404"]}},
            },
            {
                "include-path-regex": "^/v2/",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "413"]},
                    "negative_data_rejection": {"expected-statuses": ["400", "413"]},
                },
            }
        ],
    }
)


schema = schemathesis.openapi.from_path(PROJECT_ROOT / "openapi.yaml", config=CONFIG)


@pytest.fixture(scope="module")
def served(
    languagetool_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """copydesk as `make run` serves it (gunicorn, over a socket), with the real LanguageTool,
    and its log."""
    port = free_port()
    env = gunicorn_env(port, data_dir, workers=1, languagetool_url=languagetool_url)
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn(env, log):
        yield wait_for(f"http://127.0.0.1:{port}/healthz", 200, 60).url.removesuffix("/healthz"), log


@schema.parametrize()
def test_every_operation_keeps_the_contract(case, served: tuple[str, Path]) -> None:
    service, log = served
    try:
        case.call_and_validate(base_url=service)
    except requests.ConnectionError as failure:  # the server's side of it is in its log
        failure.add_note(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        raise


# ---------------------------------------------------------------------------------------------
# Random documents: every issue is where it says it is
# ---------------------------------------------------------------------------------------------

# Letters and punctuation, line breaks of every style, emoji (two UTF-16 units each), combining
# marks, zero-width and bidi controls, and words the rule packs know, so findings happen.
PIECES = st.sampled_from(
    [
        "Putin left Jinping till the car", "know the meaning", "You won't believe", "He go home",
        "Read Also:", "very unique", "In order to", "the the", "Mr. Smith", "3.5", "😀", "👍🏽",
        "e\u0301", "\u200b", "\u200f", "\u202e", "\ufeff", "\r\n", "\r", "\n", "\n\n", "  ", ". ", "? ",
        "# ", "**", "`x`", "<b>", "</b>", "&amp;", "[a](http://x.y)", "> ",
    ]
)
DOCUMENTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)
_BREAK = re.compile(r"\r\n|\r|\n")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    breaks = list(_BREAK.finditer(text, 0, offset))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


def test_every_issue_of_a_random_document_is_exactly_placed(app) -> None:
    """Each example that gets a report (a blank document, or a blank or surrogate title, gets a
    422) has every issue where it says; enough examples get one, with issues, for that to mean
    something (counted across the run: an example may have none)."""
    reports: list[int] = []  # the issues of each example that got a report

    @seed(20261202)
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=DOCUMENTS, fmt=st.sampled_from(["text", "markdown", "html"]), title=st.none() | PIECES)
    def placed(text: str, fmt: str, title: str | None) -> None:
        body = {"text": text, "format": fmt, "allow_partial": True}
        if title is not None:
            body["title"] = title
        response = app.test_client().post("/v1/score", json=body)
        if response.status_code == 422:
            return
        assert response.status_code == 200, response.get_data(as_text=True)
        issues = [issue for section in response.get_json()["checks"].values() for issue in section["issues"]]
        for issue in issues:
            source = text if issue["field"] == "text" else title
            assert source is not None
            start, end = issue["offset"], issue["offset"] + issue["length"]
            assert 0 <= start <= end <= len(source)
            assert source[start:end] == issue["text"]
            assert (issue["line"], issue["column"]) == _line_column(source, start)
            context = issue["context"]
            window_start = start - context["offset"]
            assert source[window_start : window_start + len(context["text"])] == context["text"]
            assert context["text"][context["offset"] : context["offset"] + context["length"]] == issue["text"]
        reports.append(len(issues))

    placed()
    assert len(reports) >= 60 and sum(reports) >= 100, (len(reports), sum(reports))  # 108 and 222 when written
