"""The terminal format: grouped by file, ``path:line:col severity rule message``, the line, a caret.

The first line of each issue is the ``path:line:col`` form editors and annotators parse;
the source line and a caret under the span follow, cut to a window around the span when
the line is a long paragraph. Colour comes from ``click.style`` and is used only when
asked for (``--color``) or when standard output is a terminal. File names and messages are
written as :mod:`service.cli.lines` says, so none starts a GitHub Actions workflow command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import click

from ..inputs import describe_not_read
from ..lines import issue_line, line_start, printable
from ..results import FileResult, Location, Run, locations

Style = Callable[..., str]

SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "suggestion": "cyan"}
STATUS_TEXT = {
    "pass": ("PASS", "green"),
    "fail": ("FAIL", "red"),
    "skipped": ("SKIP", "bright_black"),
    "rejected": ("ERROR", "magenta"),
    "unavailable": ("ERROR", "magenta"),
    "not-checked": ("NOT CHECKED", "magenta"),
}
# Longest stretch of a source line shown on either side of the span.
CONTEXT = 40
# Longest stretch of the span itself shown: a finding over a whole paragraph, or a page of HTML
# written on one line, showed the page.
SPAN_SHOWN = 80


def render(run: Run, color: bool) -> str:
    def style(text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]  # click's keyword types

    out: list[str] = []
    for result in run.files:
        out.extend(_file(result, style))
        out.append("")
    if run.error:
        # Its own lines (the embedded LanguageTool's last output) go on as a quote.
        first, *rest = run.error.splitlines() or [""]
        out.append(style(f"copydesk: {printable(first)}", fg="magenta", bold=True))
        out.extend(f"    | {printable(line)}" for line in rest)
    counts = run.counts()
    summary = (
        f"{counts['files']} file{'s' if counts['files'] != 1 else ''} checked: {counts['passed']} passed, "
        f"{counts['failed']} below the bar, {counts['errors']} not checked, "
        f"{counts['issues']} issue{'s' if counts['issues'] != 1 else ''}"
    )
    if counts["skipped"]:
        summary += f", {counts['skipped']} skipped (empty)"
    if run.not_read:
        summary += f"; left out: {describe_not_read(run.not_read)} (formats copydesk does not read)"
    out.append(style(summary, bold=True) + f" (exit {int(run.exit_code)})")
    return "\n".join(out) + "\n"


def _file(result: FileResult, style: Style) -> list[str]:
    label, colour = STATUS_TEXT[result.status]
    path = line_start(result.path)
    header = style(path, bold=True, underline=True) + f"  ({result.source.format})"
    if result.report:
        header += f"  score {result.report['score']:g}, verdict {result.report['verdict']}"
    lines = [header]

    def severity_mark(severity: str) -> str:
        return style(severity, fg=SEVERITY_COLOUR.get(severity, "white"), bold=True)

    def rule_mark(rule: str) -> str:
        return style(rule, dim=True)

    for issue, loc in locations(result):
        severity = issue["severity"]
        lines.append(issue_line(result.path, issue, loc, severity=severity_mark, rule=rule_mark))
        shown, caret_at, caret_width = _window(loc.line_text(result.source.text), loc.column, _span_width(loc))
        lines.append(f"    | {shown}")
        lines.append("    | " + caret_at + style("^" * caret_width, fg=SEVERITY_COLOUR.get(severity, "white")))
        if issue.get("replacements"):
            lines.append(f"    = suggestion: {', '.join(repr(r) for r in issue['replacements'][:3])}")
    verdict = style(label, fg=colour, bold=True)
    if result.status == "fail":
        lines.append(f"  {verdict} below the bar: {'; '.join(result.reasons)}")
    elif result.error:
        lines.append(f"  {verdict} {printable(result.error)}")
    elif result.status == "skipped":
        lines.append(f"  {verdict} nothing to check")
    else:
        lines.append(f"  {verdict}")
    return lines


def _span_width(loc: Location) -> int | None:
    """Columns under the caret on the first line, or None for 'to the end of the line'."""
    if loc.end_line != loc.line:
        return None
    return max(1, loc.end_column - loc.column)


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide East Asian characters and emoji take two, and marks
    that join the character before them (an accent written apart, U+0301) or join or shape
    characters (a zero-width joiner, a variation selector) take none."""
    return sum(_cell_width(ch) for ch in text)


def _cell_width(ch: str) -> int:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _window(line: str, column: int, width: int | None) -> tuple[str, str, int]:
    """The part of ``line`` to show, the padding before the caret, and the caret's width."""
    start = column - 1
    end = len(line) if width is None else min(len(line), start + width)
    cut = end - start > SPAN_SHOWN
    end = start + SPAN_SHOWN if cut else end
    left = max(0, start - CONTEXT)
    right = end if cut else min(len(line), end + CONTEXT)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    before = line[left:start]
    # Tabs stay tabs in the padding, so the caret lines up whatever the tab width.
    padding = " " * _cells(prefix) + "".join("\t" if ch == "\t" else " " * _cells(ch) for ch in before)
    return prefix + line[left:right] + suffix, padding, max(1, _cells(line[start:end]))
