"""An outside review's findings, each held by a test that failed before its fix: what the service
shows to whoever can reach it, and what one request may cost it."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ContractClient

from service import create_app
from service.score_request import MAX_RULE_SELECTORS


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
