"""The benchmarks' own commands run: each report in ``bench/results/`` names the command that
reproduces it, so a command that no longer runs breaks that promise. These run the commands
that need no server and no corpus, at their smallest settings; what they measure is their
report's, not asserted here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench import memos, rules
from service.rulebook.book import RuleBook


def test_memos_bench_runs_and_writes_its_report(tmp_path: Path, memos_sized: Callable[[int], None]) -> None:
    out = tmp_path / "memos.md"
    assert memos.main(["--entries", "8", "--out", str(out)]) == 0
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0] for row in rows[1:]] == [
        "| news copy",
        "| the longest kept strings",
        "| news copy, memos off (COPYDESK_MEMO_ENTRIES=0)",
    ]


def test_rules_bench_searches_every_round_anew(
    monkeypatch: pytest.MonkeyPatch, memos_sized: Callable[[int], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """The book remembers the paragraphs it searched: were its memo on, the bench's rounds after
    the first (and the seed's paragraphs repeated within a text) would time memory, not the engine."""
    books: list[RuleBook] = []
    load = RuleBook.load

    def loaded() -> RuleBook:
        books.append(load())
        return books[-1]

    monkeypatch.setattr(rules, "SIZES", (100, 1_000))
    monkeypatch.setattr(RuleBook, "load", loaded)
    rules.main()
    assert "| 1,000 |" in capsys.readouterr().out
    assert books[0]._paragraph.cache_info().hits == 0
