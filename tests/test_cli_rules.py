"""``copydesk rules test|list``: the example harness and the rule list as users run them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from service.cli import main
from service.cli.results import ExitCode
from service.rulebook.book import RuleBook
from service.settings import PROJECT_ROOT

CUSTOM = PROJECT_ROOT / "custom-rules"
BROKEN = Path(__file__).parent / "fixtures" / "broken_packs"


def rules(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["rules", *map(str, args)], catch_exceptions=False)


def test_the_example_pack_passes() -> None:
    result = rules("test", CUSTOM)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == "3 examples of 1 rule in 1 pack: all pass\n"


def test_without_a_folder_the_built_in_packs_are_tested() -> None:
    result = rules("test")
    assert result.exit_code == ExitCode.OK, result.output
    book = RuleBook.load()
    examples = sum(len(r.examples.bad) + len(r.examples.good) for r in book.rules)
    assert result.stdout == f"{examples} examples of {len(book.rules)} rules in {len(book.packs)} packs: all pass\n"


def test_a_good_example_its_rule_flags_exits_1_naming_pack_rule_example_and_finding(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "flags-good-example.yaml", tmp_path)
    shutil.copy(CUSTOM / "house.yaml", tmp_path)  # a passing pack beside it changes nothing
    result = rules("test", tmp_path)
    assert result.exit_code == ExitCode.BELOW_BAR, result.output
    failure, summary = result.stdout.splitlines()
    assert failure == (
        f"{tmp_path / 'flags-good-example.yaml'}: pack flagsgood: rule flagsgood.at-this-point: good example 2 "
        "'At this point the road turns north.': expected 0 matches, found 1: 'At this point'"
    )
    assert summary == "6 examples of 2 rules in 2 packs: 1 failed (1 rule)"


def test_a_failure_never_starts_with_a_pack_file_name_github_actions_would_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure starts with its pack's file: one named '::warning::x.yaml' was a workflow command."""
    shutil.copy(BROKEN / "flags-good-example.yaml", tmp_path / "::warning::flags.yaml")
    monkeypatch.chdir(tmp_path)
    result = rules("test", ".")
    assert result.exit_code == ExitCode.BELOW_BAR, result.output
    assert result.stdout.startswith("./::warning::flags.yaml: pack flagsgood: rule flagsgood.at-this-point: ")


def test_a_wrong_span_exits_1_with_expected_and_found(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "wrong-span.yaml", tmp_path)
    result = rules("test", tmp_path)
    assert result.exit_code == ExitCode.BELOW_BAR
    assert "rule wrongspan.hype: bad example 1 'A [mind]-blowing result.': expected 1 match, 'mind' at 2; " in (
        result.stdout
    )


def test_a_pack_that_does_not_load_exits_2_with_the_loaders_message(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "bad-severity.yaml", tmp_path)
    for command in ("test", "list"):
        result = rules(command, tmp_path)
        assert result.exit_code == ExitCode.USAGE
        assert result.stdout == ""
        assert result.stderr == (
            f"copydesk: error: {tmp_path / 'bad-severity.yaml'}: rule broken.loud: severity: "
            "'fatal' is not one of error, warning, suggestion\n"
        )


def test_a_folder_without_packs_or_a_missing_one_is_a_usage_error(tmp_path: Path) -> None:
    empty = rules("test", tmp_path)
    assert empty.exit_code == ExitCode.USAGE
    assert empty.stderr == f"copydesk: error: no rule packs (*.yaml, *.yml) in {tmp_path}\n"
    missing = rules("test", tmp_path / "nowhere")
    assert missing.exit_code == ExitCode.USAGE and "does not exist" in missing.stderr


def test_a_pack_can_supersede_a_built_in_rule_and_still_be_tested_alone(tmp_path: Path) -> None:
    (tmp_path / "promo.yaml").write_text(
        """pack: promo
check: phrasing
rules:
  - id: promo.visit-site
    kind: pattern
    category: boilerplate
    severity: warning
    message: A call to visit the site is page furniture, not copy.
    pattern: '^visit us at \\S+$'
    supersedes: [boilerplate.glued-domain]
    examples: {bad: ["[visit us at www:example.com]"], good: ["We visited the site."]}
""",
        encoding="utf-8",
    )
    result = rules("test", tmp_path)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.endswith("2 examples of 1 rule in 1 pack: all pass\n")


def test_list_prints_id_kind_severity_scope_and_default() -> None:
    result = rules("list")
    assert result.exit_code == ExitCode.OK
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "kind", "severity", "scope", "default"]
    book = RuleBook.load()
    rows = {line.split()[0]: line.split()[1:] for line in lines[1 : 1 + len(book.rules)]}
    assert rows["translationese.till-place"] == ["pattern", "warning", "text", "on"]
    assert rows["clickbait.question-headline"][2] == "headline"
    assert set(rows) == {r.id for r in book.rules}
    assert lines[-1] == f"{len(book.rules)} rules in {len(book.packs)} packs"


def test_list_shows_a_rule_a_pack_turns_off(tmp_path: Path) -> None:
    kind = "    kind: substitution\n"
    text = (CUSTOM / "house.yaml").read_text(encoding="utf-8").replace(kind, kind + "    enabled: false\n")
    (tmp_path / "house.yaml").write_text(text, encoding="utf-8")
    result = rules("list", tmp_path)
    assert result.stdout.splitlines()[1].split() == ["house.amidst", "substitution", "suggestion", "text", "off"]


def test_list_as_json_is_what_get_v1_rules_says_for_those_packs() -> None:
    result = rules("list", "--format", "json", CUSTOM)
    assert result.exit_code == ExitCode.OK
    listed = json.loads(result.stdout)
    book = RuleBook.load([CUSTOM])
    assert listed == {
        "packs": [p for p in book.packs if p["name"] == "house"],
        "rules": [r for r in book.describe() if r["pack"] == "house"],
    }


def test_the_installed_command_runs_the_harness() -> None:
    """The real entry point (``python -m service.cli``), not only click's runner."""
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "rules", "test", "custom-rules"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("all pass\n")
