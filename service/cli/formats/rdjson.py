"""reviewdog's Diagnostic JSON (``rdjson``): for ``reviewdog -f=rdjson`` to comment on a review.

Severities map to ERROR, WARNING and INFO; ``code.value`` is the rule id; each replacement
becomes a suggestion over the issue's range. reviewdog counts columns in UTF-8 bytes
(its ``Position`` doc: "a𐐀b" has b at column 6), so columns are converted here; ranges
end exclusively.
"""

from __future__ import annotations

import json
from typing import Any

from ..results import Location, Run, locations

SEVERITY = {"error": "ERROR", "warning": "WARNING", "suggestion": "INFO"}


def _byte_column(line_text: str, column: int) -> int:
    return len(line_text[: column - 1].encode("utf-8")) + 1


def _range(lines: list[str], loc: Location) -> dict[str, Any]:
    def position(line: int, column: int) -> dict[str, int]:
        line_text = lines[line - 1].rstrip("\r") if line <= len(lines) else ""
        return {"line": line, "column": _byte_column(line_text, column)}

    return {"start": position(loc.line, loc.column), "end": position(loc.end_line, loc.end_column)}


def _summary(issue: dict[str, Any]) -> str:
    return f"{issue['severity']} {issue['rule']['id']} {issue['message']}"


def render(run: Run, color: bool) -> str:
    diagnostics: list[dict[str, Any]] = []
    for result in run.files:
        lines = result.source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # once per file
        for issue, loc in locations(result):
            span = _range(lines, loc)
            diagnostic: dict[str, Any] = {
                "message": issue["message"],
                "location": {"path": result.path, "range": span},
                "severity": SEVERITY.get(issue["severity"], "WARNING"),
                "source": {"name": "copydesk"},
                "code": {"value": issue["rule"]["id"]},
                "original_output": f"{result.path}:{loc.line}:{loc.column}: {_summary(issue)}",
            }
            if issue["rule"].get("url"):
                diagnostic["code"]["url"] = issue["rule"]["url"]
            if issue.get("replacements"):
                diagnostic["suggestions"] = [{"range": span, "text": r} for r in issue["replacements"]]
            diagnostics.append(diagnostic)
        if result.status == "fail" or result.error:
            diagnostics.append(
                {
                    "message": "; ".join(result.reasons) if result.status == "fail" else str(result.error),
                    "location": {"path": result.path},
                    "severity": "ERROR",
                    "source": {"name": "copydesk"},
                    "code": {"value": "copydesk.gate" if result.status == "fail" else "copydesk.not-checked"},
                }
            )
    body = {"source": {"name": "copydesk"}, "diagnostics": diagnostics}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
