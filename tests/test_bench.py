"""The benchmarks' own commands run: each report in ``bench/results/`` names the command that
reproduces it, so a command that no longer runs breaks that promise. These run the commands
that need no server and no corpus, at their smallest settings (what they measure is their
report's, not asserted here), and hold a committed report's summary to its own table."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import languagetool_heap, memos, rules, servers
from service.rulebook.book import RuleBook
from service.settings import PROJECT_ROOT


def test_memos_bench_runs_and_writes_its_report(
    tmp_path: Path, memos_sized: Callable[[int], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """It writes what it prints (``servers.write_report``, the ending of every benchmark with an
    ``--out``): the committed report is the run's output, to the last line."""
    out = tmp_path / "memos.md"
    assert memos.main(["--entries", "8", "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert capsys.readouterr().out == written
    rows = [line for line in written.splitlines() if line.startswith("| ")]
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


def test_heap_report_counts_the_english_codes_but_the_baseline() -> None:
    """bench/results/languagetool-heap.md's English line is what its own table adds up to
    without en-US, whose row is only a second check of the baseline's language."""
    report = (PROJECT_ROOT / "bench" / "results" / "languagetool-heap.md").read_text(encoding="utf-8")
    rows = []
    for line in report.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1].replace(".", "").isdigit():
            rows.append((cells[0], float(cells[1]), float(cells[2]), float(cells[3])))
    assert len(rows) == 60
    said = re.search(r"The English codes but en-US \(in the baseline\): (-?\d+) MB", report)
    assert said, "the report's English line"
    # The table's figures are rounded to whole MB: six of them may add up to 3 MB apart.
    assert abs(int(said.group(1)) - languagetool_heap.other_english_mb(rows)) <= 3


def test_memory_reports_say_which_environment_they_ran_from() -> None:
    """The memory figures of bench.speed and bench.book_memory are the image's only without the
    dev-only packages that nltk imports into every worker; bench.speed's report said it ran
    without them whatever it ran from."""
    dev = importlib.util.find_spec("sklearn") is not None
    assert ("scikit-learn" in servers.environment()) == dev
    assert ("runtime dependencies only" in servers.environment()) == (not dev)


def test_committed_false_positive_report_is_what_the_bench_prints_now(tmp_path: Path) -> None:
    """bench/results/false-positives.md is the command's output with a heading and the targets
    around it: a rule or a clean fixture that changes what it prints makes the report stale. The
    command runs from another folder, as the README says a benchmark can: it finds its files from
    the repository root, not the working folder."""
    command = [sys.executable, "-m", "bench.false_positives"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    printed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    committed = (PROJECT_ROOT / "bench" / "results" / "false-positives.md").read_text(encoding="utf-8")
    assert "words of clean copy" in printed
    assert printed in committed, "run `python -m bench.false_positives` and copy its output into the report"


def test_readme_gives_the_book_memory_reports_peak_and_the_charts_limit() -> None:
    """The README's sizing figure for book-length texts is the committed report's, against the
    limit the chart sets now (a changed limit makes the report's ratio stale)."""
    report = (PROJECT_ROOT / "bench" / "results" / "book-memory.md").read_text(encoding="utf-8")
    row = re.search(r"^\| 8x 200 \| \d+ \| (\d+) \| `(\w+)` \| ([\d.]+) \|", report, re.MULTILINE)
    assert row, "the report's row, all eight answered"
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"peaked at `{row[1]}Mi`, {row[3]} of its `{row[2]}` limit" in readme
    assert f"memory: {row[2]}}}" in (PROJECT_ROOT / "deploy" / "helm" / "copydesk" / "values.yaml").read_text()


def test_the_docs_cold_start_figures_are_the_warmup_reports() -> None:
    """The README's and docs/cli.md's seconds for a cold start are the medians `python -m
    bench.warmup` wrote, rounded, and cite its report: a figure no command reproduced had drifted
    (the docs said 25 s to start where this command measures 14)."""
    report = (PROJECT_ROOT / "bench" / "results" / "warmup.md").read_text(encoding="utf-8")

    def median(row: str) -> int:
        found = re.search(rf"^\| {re.escape(row)}[^|]* \| ([\d.]+) \|", report, re.MULTILINE)
        assert found, row
        return round(float(found[1]))

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    cited = "`bench/results/warmup.md`"
    assert f"about {median('`make run` until `/readyz` is 200')} s on a two-core\nmachine, {cited}" in readme
    assert readme.count(f"German:\nabout {median('first `/v2/check` in de-DE')} s on a two-core host, {cited}") == 1
    assert readme.count(f"German: about {median('first `/v2/check` in de-DE')} s on a two-core host, {cited}") == 1
    cli = (PROJECT_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"about {median('`copydesk check` on one file')} seconds on a two-core machine ({cited})" in cli
