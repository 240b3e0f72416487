"""What a run found and what it means for the gate: per-file outcomes, issue locations, exit codes.

The exit code is the CI contract (as in Vale and proselint): 0 the copy passed, 1 it is
below the bar, 2 the run was used or configured wrongly, 3 the checks could not run. A
file that could not be checked never counts as passing.

Every output format reads issues through :func:`locations`, so they all agree on where an
issue is: 1-based line and column in code points, an exclusive end, and the offset into
the file as read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..findings import CHECK_NAMES, SEVERITIES
from ..text import segments
from ..text.offsets import LineIndex
from .config import Options
from .inputs import Source

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}  # suggestion 0 .. error 2


class ExitCode(IntEnum):
    OK = 0
    BELOW_BAR = 1
    USAGE = 2
    UNAVAILABLE = 3
    INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it: 128 + 2


# A file's status, and the exit code it asks for.
STATUS_EXIT = {
    "pass": ExitCode.OK,
    "skipped": ExitCode.OK,
    "fail": ExitCode.BELOW_BAR,
    "rejected": ExitCode.USAGE,
    "unavailable": ExitCode.UNAVAILABLE,
    "not-checked": ExitCode.UNAVAILABLE,
}


@dataclass
class FileResult:
    source: Source
    status: str
    report: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def exit_code(self) -> ExitCode:
        return STATUS_EXIT[self.status]

    def issues(self) -> list[dict[str, Any]]:
        """Every issue of the report, in check order, as the report has them."""
        if not self.report:
            return []
        sections = self.report.get("checks", {})
        return [issue for name in CHECK_NAMES for issue in sections.get(name, {}).get("issues", [])]


@dataclass
class Run:
    """Everything the output formats need."""

    files: list[FileResult]
    options: Options
    engine_kind: str
    engine_url: str | None
    version: str
    error: str | None = None  # a failure before any file was checked (the engine did not start)
    error_code: ExitCode | None = None
    # extension -> how many files of a format copydesk does not read a folder or a pattern left out
    not_read: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> ExitCode:
        codes = [f.exit_code for f in self.files]
        if self.error_code is not None:
            codes.append(self.error_code)
        return max(codes, default=ExitCode.OK)

    def counts(self) -> dict[str, int]:
        statuses = [f.status for f in self.files]
        return {
            "files": len(self.files),
            "passed": statuses.count("pass"),
            "failed": statuses.count("fail"),
            "errors": sum(1 for s in statuses if s in ("rejected", "unavailable", "not-checked")),
            "skipped": statuses.count("skipped"),
            "issues": sum(len(f.issues()) for f in self.files),
        }


def counts_against(severity: str, fail_on: str) -> bool:
    """Whether an issue of ``severity`` fails the gate under ``--fail-on fail_on``."""
    return fail_on != "none" and SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on]


def judge(report: dict[str, Any], options: Options) -> list[str]:
    """Why the report fails the gate; empty when it passes.

    With ``min_score`` set, a score below it fails; without it, the service's own verdict
    does (``fail``: below ``COPYDESK_WARN_SCORE``). Any issue at or above ``fail_on`` fails.
    """
    reasons: list[str] = []
    score, verdict = report["score"], report["verdict"]
    if options.min_score is not None:
        if score < options.min_score:
            reasons.append(f"score {score:g} is below the minimum {options.min_score:g}")
    elif verdict == "fail":
        reasons.append(f"score {score:g} has the verdict 'fail'")
    if options.fail_on != "none":
        sections = report.get("checks", {})
        counted = sum(
            1
            for section in sections.values()
            for issue in section.get("issues", [])
            if counts_against(issue["severity"], options.fail_on)
        )
        if counted:
            level = options.fail_on if options.fail_on == "error" else f"{options.fail_on} or worse"
            reasons.append(f"{counted} issue{'s' if counted != 1 else ''} at {level} (fail-on: {options.fail_on})")
    return reasons


@dataclass(frozen=True)
class Location:
    """Where an issue is in its file: 1-based lines and columns (code points), exclusive end."""

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    length: int

    def line_text(self, source: str) -> str:
        """The issue's first line, without its line break."""
        lines = segments.lines(source)
        return lines[self.line - 1].of(source) if 0 < self.line <= len(lines) else ""


class Locator:
    """Turns a report's issues into file locations.

    The service places findings in a title that stands in the file (a Markdown heading) at
    their place in the text; a title finding left over is in no line of the file, so it is
    reported at the top.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._lines = LineIndex(source.text)

    def locate(self, issue: dict[str, Any]) -> Location:
        offset, length = int(issue["offset"]), int(issue["length"])
        if issue.get("field") == "title":
            offset = length = 0
        offset = min(offset, len(self.source.text))
        end = min(offset + length, len(self.source.text))
        line, column = self._lines.line_column(offset)
        end_line, end_column = self._lines.line_column(end)
        return Location(line, column, end_line, end_column, offset, end - offset)


def locations(result: FileResult) -> Iterator[tuple[dict[str, Any], Location]]:
    """Each issue of a file with its location, in file order."""
    locator = Locator(result.source)
    placed = [(issue, locator.locate(issue)) for issue in result.issues()]
    placed.sort(key=lambda pair: (pair[1].offset, pair[1].length, pair[0]["rule"]["id"]))
    yield from placed
