"""``copydesk rules test|list``: a newsroom tests its own rule packs before it ships them.

``test`` runs the example harness (``service.rulebook.examples``, the same one the test
suite runs) over the packs of the folders given, or the built-in packs; ``list`` shows what
those packs define. Exit codes follow ``copydesk check``: 0 all is well, 1 an example
failed, 2 a pack does not load (the loader's message names file, rule and field).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..rulebook.book import RuleBook, RulePackError
from ..rulebook.examples import ExampleRun, check_packs, packs_in
from .commands import GateError
from .lines import line_start
from .results import ExitCode

FOLDERS = click.argument(
    "dirs", nargs=-1, metavar="[DIR]...", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@click.group("rules")
def rules() -> None:
    """Test and list rule packs: the built-in ones, or your own folders (COPYDESK_RULES_DIR)."""


@rules.command("test", short_help="Run every rule example of the packs (exit 1 if one fails).")
@FOLDERS
def test_command(dirs: tuple[Path, ...]) -> None:
    """Run every example of every rule of the packs in each DIR (default: the built-in packs).

    Each bad example must give exactly one finding of its rule, at its [span] (with the
    suggestions it pins); each good example none. The built-in packs load alongside, so
    rule ids stay unique.

    \b
    Exit codes:
      0  every example passes
      1  an example fails (each failure names pack, rule, example and what was found)
      2  a pack does not load, or a DIR holds no pack
    """
    try:
        run = check_packs(dirs)
    except RulePackError as exc:
        raise GateError(str(exc)) from exc
    for failure in run.failures:
        click.echo(line_start(str(failure)))  # it starts with the pack's file name
    click.echo(_summary(run))
    raise click.exceptions.Exit(ExitCode.BELOW_BAR if run.failures else ExitCode.OK)


@rules.command("list", short_help="Print the rules: id, kind, severity, scope, default.")
@FOLDERS
@click.option(
    "--format", "-f", "output", type=click.Choice(["human", "json"]), default="human", show_default=True,
    help="A table, or the JSON of GET /v1/rules.",
)
def list_command(dirs: tuple[Path, ...], output: str) -> None:
    """List the rules of the packs in each DIR (default: the built-in packs): id, kind,
    severity, scope, and whether it is on by default."""
    try:
        book = RuleBook.load(dirs)
    except RulePackError as exc:
        raise GateError(str(exc)) from exc
    packs = packs_in(book, dirs)
    names = {pack.name for pack in packs}
    described = [rule for rule in book.describe() if rule["pack"] in names]
    if output == "json":
        chosen = [pack for pack in book.packs if pack["name"] in names]
        click.echo(json.dumps({"packs": chosen, "rules": described}, indent=2, ensure_ascii=False))
        return
    header = ("id", "kind", "severity", "scope", "default")
    rows = [
        (r["id"], r["kind"], r["severity"], r["scope"], "on" if r["enabled_by_default"] else "off") for r in described
    ]
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo(f"\n{_count(len(rows), 'rule')} in {_count(len(packs), 'pack')}")


def _summary(run: ExampleRun) -> str:
    rules = {e.rule.id for e in run.examples}
    examples = _count(len(run.examples), "example")
    scope = f"{examples} of {_count(len(rules), 'rule')} in {_count(len(run.packs), 'pack')}"
    if not run.failures:
        return f"{scope}: all pass"
    failed_rules = {f.example.rule.id for f in run.failures}
    return f"{scope}: {len(run.failures)} failed ({_count(len(failed_rules), 'rule')})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
