"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per issue.

GitHub turns these lines into annotations on the pull request's diff. Properties
(``file``, ``title``, ...) escape ``%``, ``\\r``, ``\\n``, ``:`` and ``,``; the message escapes
``%``, ``\\r`` and ``\\n``, as the runner's command parser expects. A file below the bar, or one
that could not be checked, gets an ``::error`` of its own, so the reason shows in the run.
Columns are 1-based code points; ``endColumn`` is the span's last column (inclusive). A span
over several lines gets no columns: ``@actions/core`` says they cannot be sent then.
"""

from __future__ import annotations

from ..results import Run, locations

LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def render(run: Run, color: bool) -> str:
    lines: list[str] = []
    for result in run.files:
        for issue, loc in locations(result):
            last_column = loc.end_column - 1 if loc.length else loc.column
            one_line = loc.end_line == loc.line  # columns only then, as GitHub's toolkit says
            lines.append(
                command(
                    LEVEL.get(issue["severity"], "warning"),
                    issue["message"],
                    file=result.path,
                    line=loc.line,
                    col=loc.column if one_line else None,
                    endLine=loc.end_line,
                    endColumn=max(last_column, loc.column) if one_line else None,
                    title=f"{issue['rule']['id']} ({issue['check']})",
                )
            )
        if result.status == "fail":
            lines.append(command("error", "; ".join(result.reasons), file=result.path, title="copydesk: below the bar"))
        elif result.error:
            lines.append(command("error", result.error, file=result.path, title="copydesk: not checked"))
    if run.error:
        lines.append(command("error", run.error, title="copydesk"))
    return "".join(line + "\n" for line in lines)
