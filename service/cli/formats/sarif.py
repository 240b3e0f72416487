"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

One run; ``tool.driver.rules`` lists every rule that produced a result, with its check,
category and link; each result has its rule id and index, a level (``error``, ``warning``,
``note``), and a region with start/end line and column plus ``charOffset``/``charLength``.
``columnKind`` is ``unicodeCodePoints`` because copydesk counts code points (SARIF's
default would be UTF-16 units). Files that could not be checked become tool execution
notifications, and ``executionSuccessful`` is false when the checks could not run.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from ..results import ExitCode, Run, locations

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}
LANGUAGE = {"markdown": "markdown", "mdx": "mdx", "html": "html", "rst": "restructuredtext", "text": "plaintext"}


def _uri(path: str) -> str:
    """A relative reference for files under the working directory, a file: URI for others."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return urllib.parse.quote(path, safe="/")


def _fingerprint(issue: dict[str, Any], seen: Counter[tuple[str, str, str]]) -> str:
    """The same finding's mark from run to run, wherever the edits above it moved it (SARIF
    3.27.17; GitHub code scanning keeps an alert open while it is the same): its rule, field and
    the words it flags, and which of this file's findings of those it is, in order. The offset
    would change with any edit above it."""
    key = (issue["rule"]["id"], str(issue.get("field")), " ".join(str(issue.get("text", "")).split()))
    seen[key] += 1
    return hashlib.blake2b("\0".join((*key, str(seen[key]))).encode("utf-8"), digest_size=8).hexdigest()


def sarif_log(run: Run) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []

    for result in run.files:
        seen: Counter[tuple[str, str, str]] = Counter()  # this file's findings so far, by what they flag
        artifact_index = len(artifacts)
        artifacts.append(
            {"location": {"uri": _uri(result.path)}, "sourceLanguage": LANGUAGE.get(result.source.format, "plaintext")}
        )
        for issue, loc in locations(result):
            rule = issue["rule"]
            if rule["id"] not in rule_index:
                rule_index[rule["id"]] = len(rules)
                descriptor: dict[str, Any] = {
                    "id": rule["id"],
                    "shortDescription": {"text": rule.get("description") or rule["id"]},
                    "defaultConfiguration": {"level": LEVEL.get(issue["severity"], "warning")},
                    "properties": {
                        "check": issue["check"],
                        "category": rule.get("category"),
                        "source": rule.get("source"),
                    },
                }
                if rule.get("url"):
                    descriptor["helpUri"] = rule["url"]
                rules.append(descriptor)
            message = issue["message"]
            if issue.get("replacements"):
                message += " Suggestions: " + ", ".join(f"'{r}'" for r in issue["replacements"]) + "."
            results.append(
                {
                    "ruleId": rule["id"],
                    "ruleIndex": rule_index[rule["id"]],
                    "level": LEVEL.get(issue["severity"], "warning"),
                    "message": {"text": message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _uri(result.path), "index": artifact_index},
                                "region": {
                                    "startLine": loc.line,
                                    "startColumn": loc.column,
                                    "endLine": loc.end_line,
                                    "endColumn": loc.end_column,
                                    "charOffset": loc.offset,
                                    "charLength": loc.length,
                                    "snippet": {"text": result.source.text[loc.offset : loc.offset + loc.length]},
                                },
                            }
                        }
                    ],
                    "partialFingerprints": {"copydeskIssue/v2": _fingerprint(issue, seen)},
                    "properties": {"check": issue["check"], "severity": issue["severity"]},
                }
            )
        if result.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": result.error},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(result.path)}}}],
                }
            )
    if run.error:
        notifications.append({"level": "error", "message": {"text": run.error}})

    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "copydesk",
                        "version": run.version,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": run.exit_code in (ExitCode.OK, ExitCode.BELOW_BAR),
                        "exitCode": int(run.exit_code),
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }


def render(run: Run, color: bool) -> str:
    return json.dumps(sarif_log(run), indent=2, ensure_ascii=False) + "\n"
