"""JUnit XML, for CI test-report views (GitLab's ``artifacts:reports:junit``, Jenkins, Azure).

One ``<testsuite>`` per file and one ``<testcase>`` per check. A check's test case fails
when it has an issue at or above ``--fail-on``, or when the file is below the bar and that
check cost it points (it has issues, or its section scored under 100: the headline model's
doubt costs points without an issue); the failure lists the issues as
``path:line:col severity rule message``. So a file below the bar always has a failing case.
Issues that do not fail it go to ``<system-out>``. A file that could not be checked has an
``<error>`` in each test case instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ...findings import CHECK_NAMES
from ..lines import issue_line
from ..results import FileResult, Location, Run, counts_against, locations

# Characters XML 1.0 has no place for, not even escaped: ElementTree writes them as they are, and
# a file name or a pack's message with one (a control character) made the report unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _checks(result: FileResult, run: Run) -> list[str]:
    if result.report:
        return [name for name in CHECK_NAMES if name in result.report.get("checks", {})]
    return list(run.options.checks or CHECK_NAMES)


def _suite(result: FileResult, run: Run) -> ET.Element:
    suite = ET.Element("testsuite", name=result.path)
    by_check: dict[str, list[tuple[dict[str, Any], Location]]] = {}
    for issue, loc in locations(result):
        by_check.setdefault(issue["check"], []).append((issue, loc))
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="format", value=result.source.format)
    ET.SubElement(properties, "property", name="status", value=result.status)
    if result.report:
        ET.SubElement(properties, "property", name="score", value=f"{result.report['score']:g}")
        ET.SubElement(properties, "property", name="verdict", value=result.report["verdict"])

    tests = failures = errors = skipped = 0
    for check in _checks(result, run):
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=result.path, name=check)
        issues = by_check.get(check, [])
        if result.error:
            errors += 1
            ET.SubElement(case, "error", message=result.error, type=result.status)
            continue
        if result.status == "skipped":
            skipped += 1
            ET.SubElement(case, "skipped", message="nothing to check")
            continue
        counted = [pair for pair in issues if counts_against(pair[0]["severity"], run.options.fail_on)]
        score = result.report["checks"][check].get("score") if result.report else None
        cost_points = bool(issues) or (score is not None and score < 100)
        if counted or (result.status == "fail" and cost_points):
            failures += 1
            message = f"{len(issues)} issue{'s' if len(issues) != 1 else ''}"
            if score is not None:
                message += f", section score {score:g}"
            if result.reasons:
                message += "; file: " + "; ".join(result.reasons)
            failure = ET.SubElement(case, "failure", message=message, type="copydesk")
            failure.text = "\n".join(issue_line(result.path, issue, loc) for issue, loc in issues)
        elif issues:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(issue_line(result.path, issue, loc) for issue, loc in issues)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def render(run: Run, color: bool) -> str:
    root = ET.Element("testsuites", name="copydesk")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in run.files:
        suite = _suite(result, run)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    if run.error:
        suite = ET.SubElement(root, "testsuite", name="copydesk", tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="copydesk", name="engine")
        ET.SubElement(case, "error", message=run.error, type="unavailable")
        totals["tests"] += 1
        totals["errors"] += 1
    for key in ("tests", "failures", "errors"):  # the attributes JUnit's schema gives <testsuites>
        root.set(key, str(totals[key]))
    ET.indent(root)
    xml = _NOT_XML.sub("\ufffd", ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
