"""The hostile corpus (``bench/hostile.py``: deep nesting of every Markdown and HTML construct,
unclosed comments and tags, one huge line, runs of one character, zero-width, combining and
bidi characters, emoji) runs through every check, LanguageTool included, and gets a complete
report. How long each takes is measured by ``python -m bench.hostile``, not asserted here."""

from __future__ import annotations

import pytest

from bench.hostile import CORPUS

SIZE = 20_000


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_check_completes_on_hostile_input(client, name: str) -> None:
    fmt, make = CORPUS[name]
    text = make(SIZE)
    response = client.post("/v1/score", json={"text": text, "format": fmt})
    # Every text of the corpus has prose to read: a 422 (none) would mean its reader lost it.
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["complete"] is True
    for section in report["checks"].values():
        for issue in section["issues"]:
            assert text[issue["offset"] : issue["offset"] + issue["length"]] == issue["text"]
