"""The benchmarks' own commands run: each report in ``bench/results/`` names the command that
reproduces it, so a command that no longer runs breaks that promise. These run the commands
that need no server and no corpus, at their smallest settings; what they measure is their
report's, not asserted here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench import memos


def test_memos_bench_runs_and_writes_its_report(tmp_path: Path, memos_sized: Callable[[int], None]) -> None:
    out = tmp_path / "memos.md"
    assert memos.main(["--entries", "8", "--out", str(out)]) == 0
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0] for row in rows[1:]] == [
        "| news copy",
        "| the longest kept strings",
        "| news copy, memos off (COPYDESK_MEMO_ENTRIES=0)",
    ]
