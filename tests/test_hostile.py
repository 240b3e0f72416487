"""The hostile corpus (``bench/hostile.py``: deep nesting of every Markdown and HTML construct,
unclosed comments and tags, one huge line, runs of one character, zero-width, combining and
bidi characters, emoji) runs through every check, LanguageTool included, and gets a complete
report. How long each takes is measured by ``python -m bench.hostile``, not asserted here."""

from __future__ import annotations

import pytest

from bench.hostile import CORPUS

SIZE = 20_000
# Many cases are markup alone ("<!--" over and over), which is refused as having no prose: each
# opens with a line of prose, as bench.hostile's rounds do, so the service reads them whole.
LEAD = "The council met on Tuesday.\n\n"
# Nesting deeper than the Markdown reader goes: refused as such, never read without its inside.
NESTS_TOO_DEEP = {"md-nested-quotes", "md-nested-lists"}


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_check_completes_on_hostile_input(client, name: str) -> None:
    fmt, make = CORPUS[name]
    text = make(SIZE)
    text = text if text.startswith("---\n") else LEAD + text  # a front matter stays first
    response = client.post("/v1/score", json={"text": text, "format": fmt})
    if name in NESTS_TOO_DEEP:
        assert response.status_code == 422
        assert "nests deeper than" in response.get_json()["errors"][0]["message"]
        return
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["complete"] is True
    for section in report["checks"].values():
        for issue in section["issues"]:
            assert text[issue["offset"] : issue["offset"] + issue["length"]] == issue["text"]
