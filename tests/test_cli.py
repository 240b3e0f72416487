"""``copydesk check`` end to end: both engines against the real LanguageTool, every output
format validated, every exit code, config precedence, inputs, and the CI recipes.

The in-process engine gets the session's LanguageTool through ``COPYDESK_LANGUAGETOOL_URL``;
the ``--url`` engine talks to the session's app served over a real socket. No test starts
another LanguageTool server.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
import yaml
from click.testing import CliRunner, Result
from pydantic import BaseModel
from sarif_pydantic import Sarif
from support import busy_gunicorn_env, fill_body_budget, free_port, gunicorn, wait_for
from werkzeug.serving import make_server

from service import create_app
from service.cli import commands, main
from service.cli.config import ConfigError, find_config, load_config, parse_url
from service.cli.engines import LocalEngine
from service.cli.formats import human
from service.cli.formats.github import command
from service.cli.inputs import STDIN, InputError, by_extension, expand, format_for, read_source
from service.cli.results import ExitCode, judge
from service.markup import prose_view
from service.rulebook.book import RuleBook
from service.settings import PROJECT_ROOT
from service.text.offsets import LineIndex

DOCS = Path(__file__).parent / "fixtures" / "docs"
SEED_DIR = DOCS / "newsroom"
SEED_MD = SEED_DIR / "seed-article.md"
CLEAN_DIR = DOCS / "clean"
MARKUP_DIR = DOCS / "markup"
SCHEMA = json.loads((PROJECT_ROOT / "service" / "cli" / "result.schema.json").read_text(encoding="utf-8"))
REL = os.path.relpath  # paths as the command shows them (run from PROJECT_ROOT)


def rel(path: Path) -> str:
    return Path(REL(path, PROJECT_ROOT)).as_posix()


def invoke(
    args: list[str], env: dict[str, str | None] | None = None, input: str | bytes | None = None, config: bool = False
) -> Result:
    """``copydesk check ARGS``; unless ``config``, the repository's own .copydesk.toml is ignored."""
    extra = [] if config else ["--no-config"]
    return CliRunner().invoke(main, ["check", *extra, *args], env=env, input=input, catch_exceptions=False)


class Server:
    """A copydesk app served over a real socket, in a thread."""

    def __init__(self, app: Any) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()


class HeldScoring:
    """The app over a socket, holding each request to ``path`` (``POST /v1/score``) until the test
    is done with it: ``arrived`` is set when one is at the service, so a test can act while it waits."""

    def __init__(self, app: Any, path: str = "/v1/score") -> None:
        self.arrived, self._release = threading.Event(), threading.Event()

        def held(environ: dict[str, Any], start_response: Any) -> Any:
            if environ["PATH_INFO"] == path:
                self.arrived.set()
                self._release.wait(60)
            return app(environ, start_response)

        self.server = Server(held)
        self.url = self.server.url

    def __enter__(self) -> HeldScoring:
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.server.close()


def forwarding_to(url: str) -> Any:
    """A WSGI app that passes each request on to ``url`` (the session's LanguageTool) as it came."""

    def forward(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = environ.get("QUERY_STRING")
        answer = requests.request(
            environ["REQUEST_METHOD"],
            url.rstrip("/") + environ["PATH_INFO"] + (f"?{query}" if query else ""),
            data=environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)),
            headers={"Content-Type": environ.get("CONTENT_TYPE") or "text/plain"},
            timeout=120,
        )
        start_response(f"{answer.status_code} {answer.reason}", [("Content-Type", answer.headers["Content-Type"])])
        return [answer.content]

    return forward


@pytest.fixture(scope="module")
def server_url(app: Any) -> Iterator[str]:
    server = Server(app)
    yield server.url
    server.close()


@pytest.fixture(scope="module")
def local_env(languagetool_url: str, data_dir: Path) -> dict[str, str | None]:
    """Environment for the in-process engine: the session's LanguageTool, no service URL."""
    return {"COPYDESK_LANGUAGETOOL_URL": languagetool_url, "COPYDESK_DATA_DIR": str(data_dir), "COPYDESK_URL": None}


@pytest.fixture(autouse=True)
def _from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)


# ---------------------------------------------------------------------------------------------
# One real run per engine, every format at once
# ---------------------------------------------------------------------------------------------

FORMAT_FILES = {"json": "result.json", "sarif": "result.sarif", "junit": "result.xml", "rdjson": "result.rdjson"}


class Outputs:
    def __init__(self, result: Result, folder: Path) -> None:
        self.result = result
        self.human = result.stdout
        self.json = json.loads((folder / FORMAT_FILES["json"]).read_text(encoding="utf-8"))
        self.sarif = (folder / FORMAT_FILES["sarif"]).read_text(encoding="utf-8")
        self.junit = (folder / FORMAT_FILES["junit"]).read_text(encoding="utf-8")
        self.rdjson = json.loads((folder / FORMAT_FILES["rdjson"]).read_text(encoding="utf-8"))
        self.github = (folder / "github.txt").read_text(encoding="utf-8")


EMOJI_TEXT = "🎉🎉 Big day for the city.\n\nWe saw teh new bridge open on Monday morning.\n"


@pytest.fixture(scope="module")
def emoji_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("emoji") / "emoji.txt"
    path.write_text(EMOJI_TEXT, encoding="utf-8")
    return path


def _all_formats(tmp: Path, engine_args: list[str], env: dict[str, str | None] | None, emoji: Path) -> Outputs:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(PROJECT_ROOT)
        args = [*engine_args, "--format", "human", "--format", f"github={tmp / 'github.txt'}"]
        for name, file in FORMAT_FILES.items():
            args += ["--format", f"{name}={tmp / file}"]
        result = invoke([*args, rel(SEED_DIR), rel(CLEAN_DIR), rel(MARKUP_DIR), str(emoji)], env=env)
    return Outputs(result, tmp)


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory, local_env: dict[str, str | None], emoji_file: Path) -> Outputs:
    return _all_formats(tmp_path_factory.mktemp("in-process"), [], local_env, emoji_file)


@pytest.fixture(scope="module")
def through_url(tmp_path_factory: pytest.TempPathFactory, server_url: str, emoji_file: Path) -> Outputs:
    return _all_formats(
        tmp_path_factory.mktemp("through-url"), ["--url", server_url], {"COPYDESK_URL": None}, emoji_file
    )


@pytest.fixture(params=["in_process", "through_url"])
def outputs(request: pytest.FixtureRequest) -> Outputs:
    return request.getfixturevalue(request.param)


def files_by_path(outputs: Outputs) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in outputs.json["files"]}


def source_of(path: str) -> str:
    full = Path(path) if Path(path).is_absolute() else PROJECT_ROOT / path
    return full.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The acceptance case: the seed article as Markdown
# ---------------------------------------------------------------------------------------------


def _protected_spans(source: str) -> list[tuple[int, int]]:
    """Front matter, the code block and every URL of the seed Markdown."""
    spans = [(0, source.index("\n---\n", 4) + 5)]
    code = source.index("```html")
    spans.append((code, source.index("```\n", code + 3) + 3))
    spans += [(m.start(), m.end()) for m in re.finditer(r"https://[^)\s\"]+", source)]
    return spans


def test_seed_folder_fails_and_reports_the_phrases_where_they_are_in_the_markdown(outputs: Outputs) -> None:
    assert outputs.result.exit_code == ExitCode.BELOW_BAR, outputs.result.output
    path = rel(SEED_MD)
    seed = files_by_path(outputs)[path]
    assert seed["status"] == "fail" and seed["reasons"]
    source = SEED_MD.read_text(encoding="utf-8")
    lines = LineIndex(source)
    issues = [i for section in seed["report"]["checks"].values() for i in section["issues"]]
    assert issues

    # Every issue is placed in the Markdown file as it is: offset, text, line and column.
    for issue in issues:
        assert issue["field"] == "text"
        assert source[issue["offset"] : issue["offset"] + issue["length"]] == issue["text"]
        assert (issue["line"], issue["column"]) == lines.line_column(issue["offset"])

    # The phrases are reported at their own places in the prose, and shown as path:line:col.
    protected = _protected_spans(source)
    for phrase in ("left Jinping till the car", "know the meaning"):
        places = [
            m.start()
            for m in re.finditer(re.escape(phrase), source)
            if not any(start <= m.start() < end for start, end in protected)
        ]
        covering = [
            i for i in issues if any(i["offset"] < at + len(phrase) and at < i["offset"] + i["length"] for at in places)
        ]
        assert covering, phrase
        for issue in covering:
            assert f"{path}:{issue['line']}:{issue['column']} " in outputs.human

    # The front matter, the code block and the URLs produce nothing.
    for start, end in protected:
        assert not [i for i in issues if start <= i["offset"] < end], source[start:end][:60]


def test_the_same_files_give_the_same_findings_in_process_and_through_url(
    in_process: Outputs, through_url: Outputs
) -> None:
    assert in_process.result.exit_code == through_url.result.exit_code
    local, remote = files_by_path(in_process), files_by_path(through_url)
    assert set(local) == set(remote) and len(local) >= 7
    for path in local:
        a, b = local[path], remote[path]
        assert (a["status"], a["reasons"], a["format"]) == (b["status"], b["reasons"], b["format"]), path
        if a["report"] is None:
            continue
        report_a = {k: v for k, v in a["report"].items() if k != "meta"}
        report_b = {k: v for k, v in b["report"].items() if k != "meta"}
        assert report_a == report_b, path
    assert [e["engine"]["kind"] for e in (in_process.json, through_url.json)] == ["local", "remote"]


def test_clean_copy_passes(outputs: Outputs) -> None:
    files = files_by_path(outputs)
    clean = [path for path in sorted(files) if path.startswith(rel(CLEAN_DIR))]
    assert len(clean) == 3, sorted(files)
    for path in clean:
        assert files[path]["status"] == "pass", (path, files[path]["reasons"], files[path]["report"]["checks"])


def test_clean_folder_alone_exits_0(server_url: str) -> None:
    result = invoke(["--url", server_url, rel(CLEAN_DIR)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "3 files checked: 3 passed" in result.stdout


def test_the_human_summary_counts_one_issue_as_one(server_url: str) -> None:
    result = invoke(["--url", server_url, "--checks", "grammar", "-"], input="Residents said they was happy.\n")
    assert result.stdout.splitlines()[-1] == (
        "1 file checked: 0 passed, 1 below the bar, 0 not checked, 1 issue (exit 1)"
    ), result.output


# ---------------------------------------------------------------------------------------------
# Each output format, validated
# ---------------------------------------------------------------------------------------------


def test_json_result_matches_its_schema(outputs: Outputs) -> None:
    jsonschema.validate(outputs.json, SCHEMA, cls=jsonschema.Draft202012Validator)
    result = outputs.json
    assert result["version"] == 1 and result["exit_code"] == 1 and result["passed"] is False
    assert result["summary"]["files"] == len(result["files"])
    assert result["summary"]["issues"] == sum(
        len(s["issues"]) for f in result["files"] if f["report"] for s in f["report"]["checks"].values()
    )


def test_json_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


# SARIF 2.1.0 properties that sarif-pydantic does not model (it keeps them as extras).
SARIF_UNMODELLED = {"columnKind", "exitCode", "toolExecutionNotifications"}


def _extras(model: Any, where: str = "") -> list[str]:
    """Every property the SARIF model did not recognise, anywhere in the log (typos)."""
    found: list[str] = []
    if isinstance(model, BaseModel):
        found += [f"{where}.{key}" for key in (model.model_extra or {}) if key not in SARIF_UNMODELLED]
        for name in type(model).model_fields:
            found += _extras(getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        for n, item in enumerate(model):
            found += _extras(item, f"{where}[{n}]")
    elif isinstance(model, dict):
        for key, item in model.items():
            found += _extras(item, f"{where}.{key}")
    return found


def test_sarif_is_valid_2_1_0(outputs: Outputs) -> None:
    log = Sarif.model_validate_json(outputs.sarif)
    assert log.version == "2.1.0"
    assert _extras(log) == []
    (run,) = log.runs
    raw_run = json.loads(outputs.sarif)["runs"][0]
    assert raw_run["columnKind"] == "unicodeCodePoints"
    assert raw_run["invocations"][0]["exitCode"] == 1
    assert raw_run["invocations"][0]["executionSuccessful"] is True
    rules = run.tool.driver.rules or []
    assert rules and len({r.id for r in rules}) == len(rules)
    issues = {
        (f["path"], i["offset"], i["length"], i["rule"]["id"]): i
        for f in outputs.json["files"]
        if f["report"]
        for s in f["report"]["checks"].values()
        for i in s["issues"]
    }
    assert len(run.results or []) == len(issues)
    for result in run.results or []:
        assert result.rule_index is not None and rules[result.rule_index].id == result.rule_id
        assert result.level is not None and result.level.value in ("error", "warning", "note")
        assert result.message.text
        (location,) = result.locations or []
        physical = location.physical_location
        assert physical is not None and physical.region is not None and physical.artifact_location is not None
        region = physical.region
        uri = physical.artifact_location.uri
        assert uri is not None
        path = uri.removeprefix("file://") if uri.startswith("file:///") else uri
        issue = issues[(path, region.char_offset, region.char_length, result.rule_id)]
        assert (region.start_line, region.start_column) == (issue["line"], issue["column"])
        assert region.end_line is not None and region.end_column is not None
        assert (region.end_line, region.end_column) >= (region.start_line, region.start_column)
        assert region.snippet is not None and region.snippet.text == issue["text"]


def test_junit_stays_xml_with_a_control_character_in_a_file_name(
    tmp_path: Path, local_env: dict[str, str | None]
) -> None:
    odd = tmp_path / "draft\x01\x1b.txt"
    odd.write_text("He go home after the meeting on Tuesday.\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    invoke(["--format", f"junit={report}", "--checks", "grammar", str(odd)], env=local_env)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("name", "").endswith("draft\ufffd\ufffd.txt")


def test_junit_fails_a_file_below_the_bar_without_issues_where_it_lost_points(
    tmp_path: Path, local_env: dict[str, str | None]
) -> None:
    """A file can miss --min-score with no issue at all (the headline model's doubt costs the
    clickbait section points): its JUnit suite must still fail, or a CI view shows it green."""
    page = tmp_path / "page.md"
    page.write_text("# A good title for the page\n\nThis is a simple sentence that reads well.\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    result = invoke(["--format", f"junit={report}", "--format", "json", "--min-score", "100", str(page)],
                    env=local_env)
    assert result.exit_code == 1, result.output
    (checked,) = json.loads(result.stdout)["files"]
    assert checked["status"] == "fail" and not any(s["issues"] for s in checked["report"]["checks"].values())
    lost = {name for name, section in checked["report"]["checks"].items() if section["score"] < 100}
    assert lost
    root = ET.parse(report).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    failed = {case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None}
    assert failed == lost
    assert int(suite.get("failures", "0")) == int(root.get("failures", "0")) == len(lost)


def test_junit_is_one_suite_per_file_and_one_case_per_check(outputs: Outputs) -> None:
    root = ET.fromstring(outputs.junit)
    assert root.tag == "testsuites"
    # The attributes JUnit's schema (Jenkins' junit-10.xsd) gives <testsuites>: strict readers
    # refused the "skipped" it had.
    assert set(root.attrib) <= {"name", "time", "tests", "failures", "disabled", "errors"}
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == set(files_by_path(outputs))
    seed = suites[rel(SEED_MD)]
    assert [c.get("name") for c in seed.findall("testcase")] == ["grammar", "readability", "phrasing", "clickbait"]
    failures = seed.findall("testcase/failure")
    assert failures and int(seed.get("failures", "0")) == len(failures)
    listed = "\n".join(f.text or "" for f in failures)
    assert re.search(rf"^{re.escape(rel(SEED_MD))}:\d+:\d+ (error|warning|suggestion) \S+ .+$", listed, re.M)
    # The same line as the human format's first line of the issue (one function builds both).
    assert set(listed.splitlines()) <= set(outputs.human.splitlines())
    for path in files_by_path(outputs):
        if path.startswith(rel(CLEAN_DIR)):
            assert suites[path].findall("testcase/failure") == []
    assert int(root.get("tests", "0")) == sum(int(s.get("tests", "0")) for s in suites.values())


# Columns only for a span on one line: @actions/core says they cannot be sent for one over several.
GITHUB_ISSUE = re.compile(
    r"::(error|warning|notice) file=(?P<file>[^,:\r\n]+),line=(?P<line>\d+),(?:col=(?P<col>\d+),)?"
    r"endLine=(?P<end_line>\d+),(?:endColumn=(?P<end_col>\d+),)?title=(?P<title>[^,:\r\n]+)::(?P<message>[^\r\n]+)"
)
GITHUB_GATE = re.compile(r"::error file=(?P<file>[^,:\r\n]+),title=copydesk%3A below the bar::(?P<message>[^\r\n]+)")


def test_github_annotations(outputs: Outputs) -> None:
    lines = outputs.github.splitlines()
    assert lines
    placed = {
        (f["path"], i["line"], None if re.search(r"[\r\n]", i["text"]) else i["column"])
        for f in outputs.json["files"]
        if f["report"]
        for s in f["report"]["checks"].values()
        for i in s["issues"]
    }
    assert any(column is None for _, _, column in placed), "no finding over several lines to check"
    seen = set()
    failed = set()
    for line in lines:
        issue = GITHUB_ISSUE.fullmatch(line)
        gate = GITHUB_GATE.fullmatch(line)
        assert issue or gate, line
        if issue:
            one_line = issue["end_line"] == issue["line"]
            assert (issue["col"] is not None) == (issue["end_col"] is not None) == one_line, line
            seen.add((issue["file"], int(issue["line"]), int(issue["col"]) if one_line else None))
            if one_line:
                assert int(issue["end_col"]) >= int(issue["col"])
            assert int(issue["end_line"]) >= int(issue["line"])
        else:
            failed.add(gate["file"])  # type: ignore[index]
    assert seen == placed
    assert failed == {f["path"] for f in outputs.json["files"] if f["status"] == "fail"}


def test_github_escaping() -> None:
    line = command("warning", "50% done\r\nnext: yes, really", file="docs/a,b:c.md", line=3, title="x%y")
    assert line == "::warning file=docs/a%2Cb%3Ac.md,line=3,title=x%25y::50%25 done%0D%0Anext: yes, really"


# What GitHub Actions runs as a workflow command: a line that starts, after its spaces, with
# '::' (or '##[' for older runners), on standard output or standard error.
WORKFLOW_COMMAND = re.compile(r"\s*(::|##\[)")
GITHUB_COMMAND = re.compile(r"::(?P<level>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)")
HOSTILE_NAMES = ("::warning::x.md", "a\n::error::y.md", "##[error]z.md", "  ::add-mask::w.md")


def _github_property(value: str) -> str:
    """A property as the runner reads it back (its documented escapes, undone)."""
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_no_file_name_starts_a_github_workflow_command_in_any_format(
    tmp_path: Path, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file named '::warning::x.md' started a line of the human format, and of a JUnit report
    on standard output, and GitHub Actions ran it as a command; a line break in a name did the
    same from the middle of a name. Only the github format writes commands, escaped."""
    monkeypatch.chdir(tmp_path)
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_text("Their is a error in this sentence.\n", encoding="utf-8")
    args = ["--url", server_url, "--checks", "grammar", *HOSTILE_NAMES]
    for output in ("human", "json", "sarif", "junit", "rdjson"):
        result = invoke([*args, "--format", output])
        assert result.exit_code == ExitCode.BELOW_BAR, result.output
        commands = [line for line in result.output.splitlines() if WORKFLOW_COMMAND.match(line)]
        assert commands == [], output
    human = invoke([*args, "--format", "human"]).stdout
    assert "./::warning::x.md:1:1 error " in human and "a\\n::error::y.md:1:1 error " in human
    github = invoke([*args, "--format", "github"])
    files = set()
    for line in github.stdout.splitlines():
        command = GITHUB_COMMAND.fullmatch(line)
        assert command, line
        properties = dict(item.split("=", 1) for item in command["properties"].split(","))
        files.add(_github_property(properties["file"]))
    assert files == set(HOSTILE_NAMES)
    # Standard error too: the list of files that cannot be checked.
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_bytes(b"\xff")
    unreadable = invoke(args)
    assert unreadable.exit_code == ExitCode.USAGE
    assert unreadable.stderr.splitlines()[0] == "copydesk: error: 4 paths cannot be checked:"
    assert [line for line in unreadable.stderr.splitlines() if WORKFLOW_COMMAND.match(line)] == []


def test_rdjson_diagnostics(outputs: Outputs) -> None:
    body = outputs.rdjson
    assert body["source"] == {"name": "copydesk"}
    diagnostics = body["diagnostics"]
    issues = [d for d in diagnostics if "range" in d["location"]]
    assert issues
    for d in diagnostics:
        assert d["severity"] in ("ERROR", "WARNING", "INFO")
        assert d["message"] and d["code"]["value"] and d["location"]["path"]
    for d in issues:
        start, end = d["location"]["range"]["start"], d["location"]["range"]["end"]
        assert (
            start["line"] >= 1
            and start["column"] >= 1
            and (end["line"], end["column"]) >= (start["line"], start["column"])
        )
        for suggestion in d.get("suggestions", []):
            assert suggestion["range"] == d["location"]["range"] and isinstance(suggestion["text"], str)
    # reviewdog counts columns in UTF-8 bytes.
    emoji = [
        d for d in issues if d["location"]["path"].endswith("emoji.txt") and d["code"]["value"].startswith("MORFOLOGIK")
    ]
    assert emoji, [d["code"]["value"] for d in issues if d["location"]["path"].endswith("emoji.txt")]
    (typo,) = emoji
    line_text = EMOJI_TEXT.split("\n")[typo["location"]["range"]["start"]["line"] - 1]
    assert typo["location"]["range"]["start"]["column"] == len(line_text[: line_text.index("teh")].encode()) + 1
    assert any(s["text"] == "the" for s in typo["suggestions"])


def test_offsets_after_emoji_are_code_points(outputs: Outputs) -> None:
    files = files_by_path(outputs)
    (emoji,) = [f for p, f in files.items() if p.endswith("emoji.txt")]
    issues = [i for s in emoji["report"]["checks"].values() for i in s["issues"] if i["text"] == "teh"]
    assert issues and issues[0]["offset"] == EMOJI_TEXT.index("teh")


def test_human_format_shows_the_line_and_a_caret_under_the_span(in_process: Outputs) -> None:
    lines = in_process.human.splitlines()
    seed = next(f for f in in_process.json["files"] if f["path"] == rel(SEED_MD))
    shown_issues = 0
    for n, line in enumerate(lines):
        match = re.match(rf"^({re.escape(rel(SEED_MD))}):(\d+):(\d+) (error|warning|suggestion) (\S+) ", line)
        if not match:
            continue
        shown_issues += 1
        shown, caret = lines[n + 1], lines[n + 2]
        assert shown.startswith("    | ") and caret.startswith("    | ")
        start = caret.index("^")
        width = len(caret) - start
        assert caret[start:] == "^" * width
        issue = next(
            i
            for f in in_process.json["files"]
            if f["path"] == match[1]
            for s in f["report"]["checks"].values()
            for i in s["issues"]
            if (i["line"], i["column"], i["rule"]["id"]) == (int(match[2]), int(match[3]), match[5])
        )
        expected = issue["text"].split("\n")[0]
        assert shown[start : start + width] == expected[:width]
    assert shown_issues == seed["report"]["counts"]["total"] > 0
    assert "below the bar" in in_process.human
    assert re.search(r"files checked: \d+ passed, \d+ below the bar, 0 not checked", in_process.human)


def test_the_caret_counts_terminal_cells_not_code_points() -> None:
    """An accent written apart (e + U+0301) or a zero-width joiner takes no cell, a wide character
    two: the caret stood one cell right of "recieved" after "café" written so."""
    assert human._cells("cafe\u0301 ") == human._cells("café ") == 5
    assert human._cells("\u4e2d\u6587") == 4 and human._cells("a\u200db\ufe0f") == 2


def test_human_format_shows_a_long_span_in_part() -> None:
    """A finding over a paragraph of an HTML page written on one line (Yoast's subheading
    distribution over 2,538 words) printed the page, tens of thousands of characters; the span's first
    SPAN_SHOWN characters are shown, then an ellipsis."""
    line = "<p>" + "A sentence of the page goes on here. " * 500 + "</p>"
    shown, padding, width = human._window(line, 4, len(line) - 7)
    assert width == human.SPAN_SHOWN and shown == line[: 3 + human.SPAN_SHOWN] + "…" and padding == "   "
    short, _, short_width = human._window(line, 4, 10)  # a short span keeps its context on both sides
    assert short_width == 10 and short == line[: 3 + 10 + human.CONTEXT] + "…"


# ---------------------------------------------------------------------------------------------
# Exit codes
# ---------------------------------------------------------------------------------------------


def test_exit_codes_are_an_int_enum() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 130]


@pytest.mark.parametrize(
    "args",
    [
        ["no/such/file.md"],
        ["tests/fixtures/docs/**/*.adoc"],
        ["--checks", "grammar,spelling", "README.md"],
        ["--format", "yaml", "README.md"],
        ["--format", "json", "--format", "sarif", "README.md"],
        ["--fail-on", "fatal", "README.md"],
        ["--min-score", "120", "README.md"],
        ["--bogus", "README.md"],
        ["--url", "localhost:8000", "README.md"],
        ["--url", "http://[::1", "README.md"],
        ["--min-score", "nan", "README.md"],
        ["--timeout", "inf", "README.md"],
        ["--timeout", "nan", "README.md"],
    ],
    ids=[
        "missing-file",
        "glob-matches-nothing",
        "unknown-check",
        "unknown-format",
        "two-stdout",
        "fail-on",
        "score",
        "flag",
        "url-without-scheme",
        "url-unparsable",
        "score-nan",
        "timeout-inf",
        "timeout-nan",
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = invoke(args, env={"COPYDESK_URL": f"http://127.0.0.1:{free_port()}"})
    assert result.exit_code == ExitCode.USAGE, result.output


def test_a_service_url_that_is_no_url_is_a_usage_error_not_an_unreachable_service() -> None:
    """It exited 3, as a service that is down, when no request can ever go."""
    envs: list[dict[str, str | None]] = [
        {"COPYDESK_URL": url}
        # A space or a tab in the host (urlsplit takes the one, drops the other; requests refuses both).
        for url in ("localhost:8000", "ftp://example.org", "http://exa mple.org", "http://exa\tmple.org", "http://a<b")
    ]
    for env in envs:
        result = invoke(["README.md"], env=env)
        assert result.exit_code == ExitCode.USAGE, result.output
        assert "--url (or COPYDESK_URL)" in result.stderr and "not a service URL" in result.stderr


def test_the_apis_base_url_is_taken_for_the_service(tmp_path: Path, server_url: str) -> None:
    """A user who copies the API's base URL (``/v1``, or ``/v2`` as LanguageTool clients are given
    it) got 404s and exit 3, as from a service that is down; a path of a proxy's stays as it is."""
    for suffix in ("/v1", "/v1/", "/v2"):
        result = invoke(["--url", server_url + suffix, "--checks", "readability", "--format", "json",
                         rel(CLEAN_DIR / "notice.txt")])  # fmt: skip
        assert result.exit_code == ExitCode.OK, result.output
        assert json.loads(result.stdout)["engine"]["url"] == server_url
    (tmp_path / ".copydesk.toml").write_text(f'url = "{server_url}/v1"\n', encoding="utf-8")
    assert load_config(tmp_path / ".copydesk.toml").url == server_url
    assert parse_url("https://example.org/copydesk/") == "https://example.org/copydesk/"
    assert parse_url("https://example.org/copydesk/v1") == "https://example.org/copydesk"


def test_an_output_that_cannot_be_written_is_refused_before_the_run(tmp_path: Path, server_url: str) -> None:
    """It was a traceback and exit 1, which reads as copy below the bar; then an exit 2 after the
    whole run, with a JSON result on standard output that said exit code 0."""
    folder = invoke(["--url", server_url, "--format", f"json={tmp_path}", rel(CLEAN_DIR / "notice.txt")])
    assert folder.exit_code == ExitCode.USAGE and "is a folder; give a file name" in folder.stderr
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    blocked = tmp_path / "a-file" / "copydesk.sarif"
    result = invoke(["--url", server_url, "--format", "json", "--format", f"sarif={blocked}",
                     "--format", f"junit={tmp_path / 'reports' / 'junit.xml'}", rel(CLEAN_DIR / "notice.txt")])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"copydesk: error: --format sarif={blocked}: cannot be written: File exists ({tmp_path / 'a-file'})\n"
    )
    assert result.stdout == "" and not (tmp_path / "reports" / "junit.xml").exists()


def test_an_output_that_fails_while_written_exits_2_and_the_others_are_written(
    tmp_path: Path, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up during the run: the other outputs are still written."""
    full = tmp_path / "copydesk.sarif"
    write_text = Path.write_text

    def fail_on_full(self: Path, *args: Any, **kwargs: Any) -> int:
        if self == full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fail_on_full)
    result = invoke(["--url", server_url, "--format", "json", "--format", f"sarif={full}",
                     "--format", f"junit={tmp_path / 'junit.xml'}", rel(CLEAN_DIR / "notice.txt")])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"copydesk: error: --format sarif={full}: cannot be written: No space left on device\n"
    assert json.loads(result.stdout)["files"] and ET.parse(tmp_path / "junit.xml").getroot().tag == "testsuites"


def test_two_outputs_to_one_file_or_to_standard_output_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two formats to the same file: the last overwrote the others without a word. ``=-`` is
    standard output (it wrote a file named "-")."""
    monkeypatch.chdir(tmp_path)
    same = tmp_path / "out"
    cases = (
        (["json", "sarif"], "only one format can go to standard output"),
        (["json", "sarif=-"], "only one format can go to standard output"),
        ([f"json={same}", f"sarif={tmp_path / '.' / 'out'}"], f"two formats would be written to {same}"),
    )
    for formats, says in cases:
        result = invoke([arg for name in formats for arg in ("--format", name)] + [str(CLEAN_DIR / "notice.txt")])
        assert result.exit_code == ExitCode.USAGE and says in result.stderr, result.stderr
    assert not same.exists()
    dash = invoke(["--checks", "readability", "--format", f"human={tmp_path / 'h.txt'}", "--format", "json=-",
                   str(CLEAN_DIR / "notice.txt")])  # fmt: skip
    assert json.loads(dash.stdout)["files"] and not Path("-").exists(), dash.output  # "-" is standard output


def test_nothing_to_check_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke([])
    assert result.exit_code == ExitCode.USAGE
    assert "nothing to check" in result.stderr


def test_an_unknown_rule_is_refused_by_the_engine_with_exit_2(server_url: str) -> None:
    result = invoke(
        ["--url", server_url, "--disable", "no-such-pack.rule", "--format", "json", rel(CLEAN_DIR / "notice.txt")]
    )
    assert result.exit_code == ExitCode.USAGE
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "rejected" and "no-such-pack.rule" in file["error"]


def test_service_unreachable_exits_3_and_checks_nothing(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke(
        ["--url", url, "--format", "json", "--format", f"github={tmp_path / 'gh.txt'}", rel(SEED_DIR), rel(CLEAN_DIR)]
    )
    assert result.exit_code == ExitCode.UNAVAILABLE
    body = json.loads(result.stdout)
    jsonschema.validate(body, SCHEMA)
    statuses = [f["status"] for f in body["files"]]
    assert "pass" not in statuses and statuses.count("unavailable") >= 1
    assert set(statuses) <= {"unavailable", "not-checked"}
    assert body["passed"] is False and body["exit_code"] == 3
    assert "cannot be reached" in json.dumps(body)
    annotations = (tmp_path / "gh.txt").read_text(encoding="utf-8").splitlines()
    assert annotations and all(
        line.startswith("::error ") and "title=copydesk%3A not checked" in line for line in annotations
    )


def test_a_service_slower_than_the_timeout_is_not_called_unreachable(app: Any) -> None:
    with HeldScoring(app) as held:
        result = invoke(["--url", held.url, "--timeout", "0.5", "--format", "json", rel(CLEAN_DIR / "notice.txt")])
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "unavailable"
    assert file["error"] == (
        f"copydesk at {held.url} did not answer within 0.5 s (--timeout, or timeout in .copydesk.toml): "
        "a long file, or a busy service"
    )


def _answering(app: Any, answer: Callable[[bytes], Iterable[bytes]]) -> Any:
    """``app`` with each answer to ``POST /v1/score`` given as ``answer`` makes it of the report."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["PATH_INFO"] != "/v1/score":
            return app(environ, start_response)
        captured: dict[str, Any] = {}
        report = b"".join(app(environ, lambda status, headers, *_: captured.update(status=status)))
        pieces = answer(report)
        start_response(captured["status"], [("Content-Type", "application/json")])
        return pieces

    return wrapped


def test_the_timeout_bounds_the_reading_of_an_answer_sent_slowly(app: Any) -> None:
    """--timeout is the most one file waits: a socket's timeout bounds each wait for bytes only,
    so an answer trickled in (a slow proxy, a congested link) held the file until it was whole."""

    def trickled(report: bytes) -> Iterable[bytes]:
        size = len(report) // 40 + 1
        for start in range(0, len(report), size):
            time.sleep(0.25)  # about 10 s for the whole report
            yield report[start : start + size]

    slow = Server(_answering(app, trickled))
    try:
        started = time.monotonic()
        result = invoke(["--url", slow.url, "--timeout", "2", "--format", "json", rel(CLEAN_DIR / "notice.txt")])
        took = time.monotonic() - started
    finally:
        slow.close()
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["error"].startswith(f"copydesk at {slow.url} did not answer within 2 s"), file
    assert took < 8, took  # not the 10 s of the whole answer


@pytest.mark.parametrize(
    "answer",
    [lambda report: b"{}", lambda report: b"[]", lambda report: b'{"score": "high", "verdict": "pass"}',
     lambda report: re.sub(rb'"offset": ?\d+', b'"offset": "x"', report, count=1)],
    ids=["empty-object", "array", "no-score", "offset-not-a-number"],
)
def test_a_200_that_is_not_a_copydesk_report_is_not_checked(app: Any, answer: Callable[[bytes], bytes]) -> None:
    """Another server at the URL may answer 200 with JSON of its own: exit 3 with a message, where
    the gate printed a traceback (and exited 1, "below the bar", for an offset it could not read)."""
    server = Server(_answering(app, lambda report: [answer(report)]))
    try:
        result = invoke(["--url", server.url, "--format", "json", rel(SEED_MD)])
    finally:
        server.close()
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    assert "Traceback" not in result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "unavailable"
    assert "answered 200 with JSON that is not a copydesk report" in file["error"], file


@pytest.mark.parametrize("where", ["engine", "format"])
def test_a_bug_in_the_command_exits_3_never_a_gate_result(
    server_url: str, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Exit 1 says "below the bar": a bug while checking, or while writing the output, is exit 3."""

    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    if where == "engine":
        monkeypatch.setattr(commands, "judge", broken)
    else:
        monkeypatch.setitem(commands.FORMATTERS, "json", broken)
    result = invoke(["--url", server_url, "--format", "json", rel(SEED_MD)])
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    assert "RuntimeError: a bug" in result.stderr


def test_a_file_over_the_rate_limit_is_sent_again_after_the_wait_the_service_asks(
    languagetool_url: str, data_dir: Path
) -> None:
    limited = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "rate_limit": "1 per 2 seconds"})
    server = Server(limited)
    try:
        result = invoke(["--url", server.url, "--jobs", "1", "--checks", "readability", "--format", "json",
                         rel(CLEAN_DIR / "notice.txt"), rel(SEED_MD), rel(MARKUP_DIR)])
    finally:
        server.close()
        limited.extensions["copydesk"].scorer.close()
    assert result.exit_code != ExitCode.UNAVAILABLE, result.output
    statuses = [f["status"] for f in json.loads(result.stdout)["files"]]
    assert len(statuses) >= 3 and set(statuses) <= {"pass", "fail"}, statuses


def test_a_file_refused_by_a_busy_worker_is_sent_again_after_the_wait_it_asks(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """A worker that holds as many request bodies as it takes answers 503 busy with Retry-After,
    as the rate limit answers 429: the gate waits and sends the file again, where it reported
    the file unavailable (exit 3) while another client's bodies were in flight."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with gunicorn(busy_gunicorn_env(port, data_dir, languagetool_url), tmp_path / "gunicorn.log"):
        wait_for(base + "/readyz", 200, 120)
        quiet = fill_body_budget(base)
        leave = threading.Timer(2.0, lambda: [sock.close() for sock in quiet])  # their bodies are let go
        leave.start()
        result = invoke(["--url", base, "--checks", "readability", "--format", "json", rel(SEED_MD)])
        leave.join()
    assert result.exit_code != ExitCode.UNAVAILABLE, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] in ("pass", "fail"), file
    assert '"POST /v1/score 503"' in (tmp_path / "gunicorn.log").read_text()


def test_over_the_rate_limit_says_how_long_to_wait(languagetool_url: str, data_dir: Path) -> None:
    # A wait longer than --timeout (an hour against 120 s) is not waited out.
    limited = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "rate_limit": "1/hour"})
    server = Server(limited)
    try:
        result = invoke(["--url", server.url, "--jobs", "1", "--checks", "readability", "--format", "json",
                         rel(CLEAN_DIR / "notice.txt"), rel(SEED_MD)])
    finally:
        server.close()
        limited.extensions["copydesk"].scorer.close()
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    first, second = json.loads(result.stdout)["files"]
    assert first["status"] in ("pass", "fail") and second["status"] == "unavailable"
    assert "answered 429" in second["error"] and re.search(r"\(Retry-After: [1-9]\d*\)$", second["error"])


def test_service_with_languagetool_down_exits_3(data_dir: Path) -> None:
    down = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir, "TESTING": True})
    server = Server(down)
    try:
        result = invoke(["--url", server.url, "--format", "json", rel(CLEAN_DIR / "notice.txt")])
        readability_only = invoke(["--url", server.url, "--checks", "readability", rel(CLEAN_DIR / "notice.txt")])
    finally:
        server.close()
        down.extensions["copydesk"].scorer.close()
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "unavailable" and "503" in file["error"]
    assert readability_only.exit_code == ExitCode.OK, readability_only.output  # no LanguageTool needed


def test_in_process_the_embedded_languagetool_warms_the_files_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPYDESK_LANGUAGETOOL_WARM_LANGUAGES", raising=False)
    assert LocalEngine.settings_for(None).languagetool_warm_languages == ("en-US",)
    assert LocalEngine.settings_for("EN-us").languagetool_warm_languages == ("en-US",)
    assert LocalEngine.settings_for("en-GB").languagetool_warm_languages == ("en-US", "en-GB")
    monkeypatch.setenv("COPYDESK_LANGUAGETOOL_WARM_LANGUAGES", "de-DE")
    assert LocalEngine.settings_for("en-GB").languagetool_warm_languages == ("de-DE", "en-GB")


def test_in_process_with_languagetool_down_exits_3(local_env: dict[str, str | None]) -> None:
    env = {**local_env, "COPYDESK_LANGUAGETOOL_URL": f"http://127.0.0.1:{free_port()}"}
    result = invoke(["--format", "json", rel(CLEAN_DIR / "notice.txt")], env=env)
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "unavailable" and "grammar" in file["error"]


API_KEY = "k-ci-7e41b0"


@pytest.fixture(scope="module")
def keyed_url(languagetool_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copydesk service over a socket with API keys on (README "API keys")."""
    keys = tmp_path_factory.mktemp("keys") / "api-keys"
    keys.write_text(f"{API_KEY}\n", encoding="utf-8")
    keyed = create_app(
        {"languagetool_url": languagetool_url, "data_dir": data_dir, "api_keys_file": keys, "TESTING": True}
    )
    server = Server(keyed)
    yield server.url
    server.close()
    keyed.extensions["copydesk"].scorer.close()


def test_text_goes_to_the_service_as_utf8_not_escaped(
    languagetool_url: str, data_dir: Path, tmp_path: Path
) -> None:
    # 600 emoji: 2,400 bytes in UTF-8, 7,200 as JSON escapes; the body limit sits between the two.
    tight = create_app(
        {"languagetool_url": languagetool_url, "data_dir": data_dir, "max_body_bytes": 4_000, "TESTING": True}
    )
    server = Server(tight)
    try:
        document = tmp_path / "emoji.txt"
        document.write_text("The council met on Monday. " + "😀" * 600 + "\n", encoding="utf-8")
        result = invoke(["--url", server.url, "--checks", "readability", "--format", "json", str(document)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["files"][0]["status"] == "pass"
    finally:
        server.close()
        tight.extensions["copydesk"].scorer.close()


def test_the_api_key_comes_from_a_file_or_the_environment(tmp_path: Path, keyed_url: str) -> None:
    args = ["--url", keyed_url, "--checks", "readability", "--format", "json", rel(CLEAN_DIR / "notice.txt")]
    from_env = invoke(args, env={"COPYDESK_API_KEY": API_KEY})
    assert from_env.exit_code == ExitCode.OK, from_env.output
    key_file = tmp_path / "api-key"
    key_file.write_text(f"{API_KEY}\n", encoding="utf-8")
    from_file = invoke(["--api-key-file", str(key_file), *args], env={"COPYDESK_API_KEY": "k-ci-old"})
    assert from_file.exit_code == ExitCode.OK, from_file.output  # the command line wins over the environment


def test_a_401_says_the_key_is_missing_or_wrong_and_exits_2(keyed_url: str) -> None:
    args = ["--url", keyed_url, "--checks", "readability", "--format", "json", rel(CLEAN_DIR)]
    missing = invoke(args, env={"COPYDESK_API_KEY": ""})  # an empty variable (a fork's CI) is no key
    wrong = invoke(args, env={"COPYDESK_API_KEY": "k-ci-old"})
    for result, complaint in ((missing, "needs an API key"), (wrong, "refused the API key from COPYDESK_API_KEY")):
        assert result.exit_code == ExitCode.USAGE, result.output
        files = json.loads(result.stdout)["files"]
        assert {f["status"] for f in files} == {"rejected"}
        assert complaint in files[0]["error"] and "COPYDESK_API_KEY" in files[0]["error"], files[0]["error"]
    assert "k-ci-old" not in wrong.output


@pytest.mark.parametrize(
    ("content", "complaint"), [("", "must hold one API key"), (f"{API_KEY}\nk-ci-old\n", "must hold one API key")]
)
def test_an_api_key_file_without_one_key_exits_2(tmp_path: Path, keyed_url: str, content: str, complaint: str) -> None:
    key_file = tmp_path / "api-key"
    key_file.write_text(content, encoding="utf-8")
    result = invoke(["--url", keyed_url, "--api-key-file", str(key_file), rel(CLEAN_DIR)])
    assert result.exit_code == ExitCode.USAGE
    assert complaint in result.stderr and API_KEY not in result.stderr


def test_checking_in_this_process_reads_no_api_key(local_env: dict[str, str | None]) -> None:
    result = invoke(["--checks", "readability", rel(CLEAN_DIR / "notice.txt")],
                    env={**local_env, "COPYDESK_API_KEY": "two words"})
    assert result.exit_code == ExitCode.OK, result.output


# ---------------------------------------------------------------------------------------------
# Policy and configuration
# ---------------------------------------------------------------------------------------------


def _report(score: float, verdict: str, severities: list[str]) -> dict[str, Any]:
    issues = [{"severity": s} for s in severities]
    return {"score": score, "verdict": verdict, "checks": {"grammar": {"issues": issues}}}


def test_judge() -> None:
    from service.cli.config import Options

    assert judge(_report(90, "pass", ["warning"]), Options()) == []
    assert judge(_report(55, "fail", []), Options()) == ["score 55 has the verdict 'fail'"]
    assert judge(_report(55, "fail", []), Options(min_score=50)) == []
    assert judge(_report(70, "warn", []), Options(min_score=75)) == ["score 70 is below the minimum 75"]
    assert judge(_report(90, "pass", ["error", "error"]), Options()) == ["2 issues at error (fail-on: error)"]
    assert judge(_report(90, "pass", ["error"]), Options(fail_on="none")) == []
    assert judge(_report(90, "pass", ["suggestion", "warning"]), Options(fail_on="warning")) == [
        "1 issue at warning or worse (fail-on: warning)"
    ]
    assert len(judge(_report(90, "pass", ["suggestion"]), Options(fail_on="suggestion"))) == 1


# A readable headline and one impenetrable sentence: readability scores it well below 100.
STORY = (
    "# Council backs bus plan\n\n"
    "Notwithstanding the aforementioned considerations, the municipality's comprehensive infrastructural "
    "revitalization initiative necessitates unprecedented interdepartmental coordination, multijurisdictional "
    "authorization, and substantial supplementary appropriations.\n"
)


def _project(tmp_path: Path, config: str | None = None, pyproject: str | None = None) -> Path:
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "story.md").write_text(STORY, encoding="utf-8")
    if config is not None:
        (tmp_path / ".copydesk.toml").write_text(config, encoding="utf-8")
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path


def _policy(result: Result) -> dict[str, Any]:
    return json.loads(result.stdout)["policy"]


def test_config_file_sets_the_policy_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_url: str
) -> None:
    root = _project(tmp_path, config='paths = ["copy"]\nmin-score = 100\nchecks = ["readability"]\nfail-on = "none"\n')
    monkeypatch.chdir(root / "copy")  # found from a subfolder, relative paths resolved against the file
    strict = invoke(["--url", server_url, "--format", "json"], config=True)
    assert strict.exit_code == ExitCode.BELOW_BAR, strict.output
    body = json.loads(strict.stdout)
    assert body["policy"]["min_score"] == 100 and body["policy"]["checks"] == ["readability"]
    assert body["policy"]["config_file"] == str(root / ".copydesk.toml")
    assert [f["path"] for f in body["files"]] == ["story.md"]
    assert body["files"][0]["reasons"] == [f"score {body['files'][0]['report']['score']:g} is below the minimum 100"]

    lenient = invoke(["--url", server_url, "--format", "json", "--min-score", "0"], config=True)
    assert lenient.exit_code == ExitCode.OK, lenient.output
    assert _policy(lenient)["min_score"] == 0 and _policy(lenient)["checks"] == ["readability"]


def test_accepted_words_come_from_the_config_file_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_env: dict[str, str | None]
) -> None:
    root = _project(tmp_path, config='paths = ["copy"]\nchecks = ["grammar"]\naccept = ["copydesk"]\n')
    (root / "copy" / "story.md").write_text("We deploy copydesk behind gunicorn.\n", encoding="utf-8")
    monkeypatch.chdir(root / "copy")

    def flagged(*args: str) -> tuple[list[str], list[str]]:
        result = invoke(["--format", "json", *args], env=local_env, config=True)
        assert result.exit_code in (0, 1), result.output
        body = json.loads(result.stdout)
        return body["policy"]["accept"], [i["text"] for i in body["files"][0]["report"]["checks"]["grammar"]["issues"]]

    assert flagged() == (["copydesk"], ["gunicorn"])
    assert flagged("--accept", "Gunicorn", "--accept", "copydesk") == (["Gunicorn", "copydesk"], [])


def test_pyproject_table_and_which_file_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, pyproject='[project]\nname = "x"\n\n[tool.copydesk]\nmin-score = 42\n')
    assert find_config(root / "copy") == root / "pyproject.toml"
    assert load_config(root / "pyproject.toml").min_score == 42
    (root / ".copydesk.toml").write_text("min_score = 77\n", encoding="utf-8")
    assert find_config(root / "copy") == root / ".copydesk.toml"  # the dedicated file wins in a folder
    (root / "copy" / "pyproject.toml").write_text("[tool.copydesk]\njobs = 2\n", encoding="utf-8")
    assert find_config(root / "copy") == root / "copy" / "pyproject.toml"  # the nearest folder wins
    (root / "copy" / "pyproject.toml").write_text("[tool.black]\n", encoding="utf-8")
    assert find_config(root / "copy") == root / ".copydesk.toml"  # a pyproject without our table is not ours


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("min-scor = 80\n", "unknown key 'min-scor'"),
        ('fail-on = "fatal"\n', "fail-on: must be one of"),
        ('checks = ["grammar", "tone"]\n', "unknown check(s) tone"),
        ("jobs = 0\n", "jobs: must be a whole number"),
        ("min-score = [\n", "not valid TOML"),
        ("min-score = 80\nmin_score = 70\n", "'min-score' and 'min_score' are one key"),
        ('url = "localhost:8000"\n', "url: 'localhost:8000' is not a service URL"),
        ("timeout = inf\n", "timeout: must be a positive number"),
        ("timeout = nan\n", "timeout: must be a positive number"),
        # TOML's integers have no bound in Python, and no float holds this one: it was a traceback.
        ("timeout = 1" + "0" * 400 + "\n", "timeout: must be a positive number"),
        ("min-score = nan\n", "min-score: must be a number from 0 to 100"),
        ('extension = "qmd"\n', "extension: must be a table of extensions and formats"),
        ('extension = { "md.txt" = "text" }\n', "extension: 'md.txt' is not a file extension"),
        ('extension = { qmd = "latex" }\n', "extension: qmd: must be one of text, markdown"),
    ],
)
def test_bad_config_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str) -> None:
    root = _project(tmp_path, config=config)
    monkeypatch.chdir(root)
    result = invoke(["copy"], config=True)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.stderr
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(root / ".copydesk.toml")


def test_url_precedence_command_line_then_environment_then_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_url: str
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    root = _project(tmp_path, config=f'url = "{dead}"\nchecks = ["readability"]\nmin-score = 0\n')
    monkeypatch.chdir(root)
    from_config = invoke(["copy"], env={"COPYDESK_URL": None}, config=True)
    assert from_config.exit_code == ExitCode.UNAVAILABLE and dead in from_config.stdout
    assert invoke(["copy"], env={"COPYDESK_URL": server_url}, config=True).exit_code == ExitCode.OK  # env wins
    from_flag = invoke(["--url", dead, "copy"], env={"COPYDESK_URL": server_url}, config=True)
    assert from_flag.exit_code == ExitCode.UNAVAILABLE  # the command line wins
    ignored = invoke(["--url", server_url, "--format", "json", "copy"])  # --no-config: the file is not read
    assert ignored.exit_code in (ExitCode.OK, ExitCode.BELOW_BAR), ignored.output
    assert _policy(ignored)["checks"] is None and _policy(ignored)["config_file"] is None


def test_explicit_config_option(tmp_path: Path, server_url: str) -> None:
    root = _project(tmp_path)
    other = tmp_path / "gate.toml"
    other.write_text('min-score = 100\nchecks = ["readability"]\n', encoding="utf-8")
    result = invoke(["--url", server_url, "--config", str(other), "--format", "json", str(root / "copy")], config=True)
    assert result.exit_code == ExitCode.BELOW_BAR
    assert _policy(result)["config_file"] == str(other)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def test_folders_globs_and_excludes(tmp_path: Path) -> None:
    files = {
        "docs/a.md": "A.",
        "docs/b.html": "<p>B.</p>",
        "docs/sub/c.markdown": "C.",
        "docs/sub/d.txt": "D.",
        "docs/sub/e.py": "print('no')",
        "docs/.hidden.md": "no",
        "docs/.git/f.md": "no",
        "docs/drafts/g.md": "no",
        "notes.rst": "explicit files are always checked",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    def names(args: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
        return [
            p if isinstance(p, str) else p.relative_to(tmp_path).as_posix() for p in expand(args, tmp_path, exclude)
        ]

    assert names(["docs"]) == ["docs/a.md", "docs/b.html", "docs/drafts/g.md", "docs/sub/c.markdown", "docs/sub/d.txt"]
    assert names(["docs"], exclude=("docs/drafts",)) == [
        "docs/a.md",
        "docs/b.html",
        "docs/sub/c.markdown",
        "docs/sub/d.txt",
    ]
    # Written as a path from the current folder is written in a shell: the same patterns.
    for spelled in ("./docs/drafts", "docs/drafts/", "./docs/drafts/", "docs/./drafts", "docs/sub/../drafts"):
        assert names(["docs"], exclude=(spelled,)) == names(["docs"], exclude=("docs/drafts",)), spelled
    assert names(["docs"], exclude=("./docs/sub/*.txt",)) == names(["docs"], exclude=("docs/sub/*.txt",))
    assert "docs/sub/d.txt" not in names(["docs"], exclude=("./docs/sub/*.txt",))
    assert names(["docs"], exclude=("*.txt",)) == [
        "docs/a.md",
        "docs/b.html",
        "docs/drafts/g.md",
        "docs/sub/c.markdown",
    ]
    assert names(["docs/**/*.m*"]) == ["docs/a.md", "docs/drafts/g.md", "docs/sub/c.markdown"]
    assert names(["notes.rst", "docs/a.md", "docs", "-"])[:3] == ["notes.rst", "docs/a.md", "docs/b.html"]
    assert names(["docs/a.md", "docs/a.md", "-", "-"]) == ["docs/a.md", "-"]


def test_a_folder_or_a_pattern_counts_the_files_of_formats_it_does_not_read(tmp_path: Path) -> None:
    """A book keeps its chapters in AsciiDoc, a manual in Org: the gate read the Markdown,
    passed, and said nothing of the rest. The files a folder or a pattern leaves out are counted
    (once, however often they are found), unless they are hidden or excluded, or named, and so
    read as text. reStructuredText and MDX are read (as ``rst`` and ``mdx``), and Quarto's and R
    Markdown's pages as Markdown (a folder of them was "no files" before); Jupyter's notebooks
    are counted."""
    for name in (
        "docs/index.adoc", "docs/api.adoc", "docs/guide.md", "docs/sub/page.tex", "docs/.hidden.adoc",
        "docs/sub/tabs.mdx", "docs/drafts/old.adoc", "docs/conf.py", "docs/usage.rst", "book.org", "only-adoc/a.adoc",
        "only-adoc/b.ADOC", "docs/report.qmd", "docs/sub/analysis.Rmd", "docs/sub/explore.ipynb",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Text.", encoding="utf-8")

    def left_out(args: list[str], exclude: tuple[str, ...] = ()) -> dict[str, int]:
        found: set[Path] = set()
        expand(args, tmp_path, exclude, not_read=found)
        return by_extension(found)

    assert left_out(["docs"], exclude=("docs/drafts",)) == {".adoc": 2, ".ipynb": 1, ".tex": 1}
    assert left_out(["docs/**/*", "docs"]) == {".adoc": 3, ".ipynb": 1, ".tex": 1}
    assert left_out(["docs", "docs/index.adoc"]) == {".adoc": 2, ".ipynb": 1, ".tex": 1}
    assert left_out(["docs/guide.md", "book.org"]) == {}
    assert [p.name for p in expand(["docs"], tmp_path) if isinstance(p, Path)] == [
        "guide.md", "report.qmd", "usage.rst", "analysis.Rmd", "tabs.mdx"
    ]
    quarto = ["report.qmd", "analysis.Rmd"]
    assert [p.name for p in expand(["docs/**/*.?md"], tmp_path) if isinstance(p, Path)] == quarto
    assert format_for("docs/usage.rst") == format_for("notes.REST") == "rst"
    assert format_for("docs/report.qmd") == format_for("docs/sub/analysis.Rmd") == "markdown"
    assert format_for("docs/sub/tabs.mdx") == "mdx"
    with pytest.raises(InputError, match=r"in this folder \(it holds 2 \.adoc files, which copydesk does not read\)"):
        expand(["only-adoc"], tmp_path)
    with pytest.raises(InputError, match=r"files \(it holds 1 \.org file, which copydesk does not read\)"):
        expand(["*.org"], tmp_path)


def test_the_summary_says_what_was_left_out(tmp_path: Path, server_url: str) -> None:
    files = {"docs/guide.md": "# Guide\n\nRead it.\n", "docs/a.adoc": "A.", "docs/b.adoc": "B.", "docs/c.tex": "C."}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = tmp_path / "out.json"
    result = invoke(["--url", server_url, "--checks", "grammar", "-f", "human", "-f", f"json={report}", str(tmp_path)])
    assert result.stdout.splitlines()[-1] == (
        "1 file checked: 1 passed, 0 below the bar, 0 not checked, 0 issues; "
        "left out: 2 .adoc files and 1 .tex file (formats copydesk does not read) (exit 0)"
    ), result.output
    body = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(body, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert body["summary"]["not_read"] == {".adoc": 2, ".tex": 1}


@pytest.mark.parametrize(
    ("name", "source", "fmt", "line", "column"),
    [
        # Sphinx: its directives and roles are no prose.
        (
            "usage.rst",
            "Usage\n=====\n\n.. toctree::\n   :maxdepth: 2\n\nCall :func:`check` on teh text.\n",
            "rst",
            7,
            23,
        ),
        # Docusaurus: its imports, components and expressions are no prose.
        (
            "intro.mdx",
            "import Tabs from '@theme/Tabs';\n\n<Tabs groupId=\"os\" values={[{label: 'Linux', value: 'linux'}]}>\n"
            "Run it on {props.os} and read teh report.\n</Tabs>\n",
            "mdx",
            4,
            31,
        ),
        # R Markdown: a code chunk is a fence, an image's attributes and a span's brackets markup.
        (
            "analysis.Rmd",
            "---\ntitle: Sales\n---\n\n```{r}\n#| echo: false\nplot(teh_data)\n```\n\n"
            "![](plot.png){width=80%}\n\nThe [mean]{.smallcaps} rose, as teh plot shows.\n",
            "markdown",
            12,
            33,
        ),
    ],
)
def test_a_docs_page_is_read_in_the_format_of_its_extension(
    tmp_path: Path, server_url: str, name: str, source: str, fmt: str, line: int, column: int
) -> None:
    """A ``.rst`` file is read as reStructuredText, a ``.mdx`` file as MDX, a ``.Rmd`` file as
    Markdown, and a finding points at the word in the file."""
    page = tmp_path / "docs" / name
    page.parent.mkdir()
    page.write_text(source, encoding="utf-8")
    report = tmp_path / "out.json"
    invoke(["--url", server_url, "--checks", "grammar", "-f", f"json={report}", str(tmp_path / "docs")])
    (file,) = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert file["format"] == fmt
    issues = file["report"]["checks"]["grammar"]["issues"]
    assert [(i["text"], i["line"], i["column"]) for i in issues] == [("teh", line, column)]


def test_a_markdown_page_that_imports_a_component_is_read_as_mdx(tmp_path: Path) -> None:
    """Docusaurus reads its .md pages as MDX, and a page that pulls in a component says so with
    an import at its top level: read as Markdown, the import and the component's props were
    prose. An import in a code block, a quotation or a sentence is no sign; --format-in wins."""
    pages = {
        "install.md": "---\ntitle: Install\n---\nimport Tabs from '@theme/Tabs';\n\n<Tabs>\nRun it.\n</Tabs>\n",
        "README.md": "# Tool\n\n```js\nimport React from 'react';\n```\n\n> import x from 'y'\n\nWe import it.\n",
        "notes.txt": "import Tabs from '@theme/Tabs';\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def read_as(name: str, forced: str | None = None) -> str:
        return read_source(tmp_path / name, tmp_path, forced, None, None).format

    assert [read_as(name) for name in pages] == ["mdx", "markdown", "text"]
    assert read_as("install.md", "markdown") == "markdown"
    stdin = read_source(STDIN, tmp_path, None, pages["install.md"].encode(), "page.md")
    assert stdin.format == "mdx"


def test_the_run_gives_extensions_of_its_own_a_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_url: str
) -> None:
    """A site that keeps its pages as ``.page`` files could only name them one by one (a folder
    held "no .htm/.html/... files"), and Docusaurus' ``.md`` pages that use a component without
    importing it could only be read as MDX with every other file (``--format-in``). The config's
    ``extension`` table, or ``--extension EXT=FORMAT`` (which replaces it), gives an extension a
    format: folders and globs take its files, and one that names ``.md`` reads as it says, with
    no guess from an import."""
    root = _project(tmp_path, config='extension = { page = "markdown", ".MD" = "mdx" }\n')
    pages = {"guide.page": "# Guide\n\nRead **teh** guide.\n", "tabs.md": "<Tabs>\nRead it {props.os}.\n</Tabs>\n",
             "import.md": "import Tabs from '@theme/Tabs';\n\nRead it.\n", "notes.text": "Read it.\n"}
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)

    def read(*args: str) -> dict[str, tuple[str, list[str]]]:
        result = invoke(["--url", server_url, "--checks", "grammar", "-f", "json", *args], config=True)
        assert result.exit_code in (ExitCode.OK, ExitCode.BELOW_BAR), result.output
        return {f["path"]: (f["format"], [i["text"] for i in f["report"]["checks"]["grammar"]["issues"]])
                for f in json.loads(result.stdout)["files"]}

    assert read("docs") == {
        "docs/guide.page": ("markdown", ["teh"]), "docs/import.md": ("mdx", []), "docs/notes.text": ("text", []),
        "docs/tabs.md": ("mdx", []),
    }
    # Read as Markdown, the import and the expression are prose.
    assert read("--extension", "md=markdown", "docs/*.md") == {
        "docs/import.md": ("markdown", ["import"]), "docs/tabs.md": ("markdown", ["os"]),
    }
    assert read("--extension", "page=text", "docs/*.page")["docs/guide.page"][0] == "text"
    no_page = invoke(["--url", server_url, "--no-config", "docs/*.page"])
    assert no_page.exit_code == ExitCode.USAGE and "the pattern matches no .htm/.html/" in no_page.stderr
    for bad, message in (("page", "'page': give EXT=FORMAT"), ("a/b=text", "'a/b' is not a file extension")):
        result = invoke(["--url", server_url, "--extension", bad, "docs"], config=True)
        assert result.exit_code == ExitCode.USAGE and message in result.stderr, result.output


def test_a_recursive_glob_does_not_follow_links_to_folders(tmp_path: Path) -> None:
    """As a folder walk does not: two links to a parent folder made ``glob.glob``'s ``**`` run forever."""
    for name in ("docs/a.md", "docs/sub/b.md", "shared/c.md", "docs[1]/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Text.", encoding="utf-8")
    (tmp_path / "docs" / "shared").symlink_to(tmp_path / "shared", target_is_directory=True)

    def names(args: list[str], cwd: Path = tmp_path) -> list[str]:
        return [Path(p).relative_to(tmp_path).as_posix() for p in expand(args, cwd)]

    assert names(["docs/**/*.md"]) == names(["docs"]) == ["docs/a.md", "docs/sub/b.md"]
    (tmp_path / "docs" / "sub" / "up").symlink_to("..", target_is_directory=True)
    (tmp_path / "docs" / "sub" / "top").symlink_to("../..", target_is_directory=True)
    assert names(["docs/**/*.md"]) == ["docs/a.md", "docs/sub/b.md"]
    assert names(["docs/**.md"]) == ["docs/a.md"]  # '**' inside a name is '*', as glob.glob reads it
    # Only the argument is a pattern: a folder called 'docs[1]' above it is just a name.
    assert names(["*.md"], cwd=tmp_path / "docs[1]") == ["docs[1]/d.md"]


def test_config_excludes_are_relative_to_the_config_file_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_url: str
) -> None:
    (tmp_path / ".copydesk.toml").write_text(
        'paths = ["docs"]\nexclude = ["docs/drafts"]\nchecks = ["readability"]\nmin-score = 100\n', encoding="utf-8"
    )
    (tmp_path / "docs" / "drafts").mkdir(parents=True)
    (tmp_path / "docs" / "notes.md").write_text("", encoding="utf-8")  # empty: skipped, so it passes
    (tmp_path / "docs" / "drafts" / "bad.md").write_text(STORY, encoding="utf-8")

    def checked(folder: Path, *args: str) -> tuple[int, list[Path]]:
        monkeypatch.chdir(folder)
        result = invoke(["--url", server_url, "--format", "json", *args], config=True)
        return result.exit_code, [(folder / f["path"]).resolve() for f in json.loads(result.stdout)["files"]]

    only_notes = (ExitCode.OK, [(tmp_path / "docs" / "notes.md").resolve()])
    assert checked(tmp_path) == only_notes
    assert checked(tmp_path / "docs") == only_notes
    # On the command line a pattern is relative to the current folder, and replaces the file's.
    assert checked(tmp_path / "docs", "--exclude", "drafts/bad.md") == only_notes
    assert checked(tmp_path, "--exclude", "drafts/bad.md")[0] == ExitCode.BELOW_BAR


def test_force_exclude_holds_the_config_for_files_named_as_pre_commit_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".copydesk.toml").write_text(
        'exclude = ["docs/drafts", "requirements.txt"]\nchecks = ["readability"]\nmin-score = 100\n',
        encoding="utf-8",
    )
    (tmp_path / "docs" / "drafts").mkdir(parents=True)
    (tmp_path / "docs" / "notes.md").write_text("The council met on Monday.\n", encoding="utf-8")
    (tmp_path / "docs" / "drafts" / "bad.md").write_text(STORY, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("flask==3.1.0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # No engine is needed to check nothing: an unreachable URL shows that none is opened.
    url = "http://127.0.0.1:9"

    def run(*args: str) -> Result:
        return invoke(["--url", url, "--format", "json", *args], config=True)

    named = ["docs/notes.md", "docs/drafts/bad.md", "requirements.txt"]
    assert run(*named).exit_code == ExitCode.UNAVAILABLE  # a file named is checked, excluded or not
    only_excluded = run("--force-exclude", "docs/drafts/bad.md", "requirements.txt")
    assert only_excluded.exit_code == ExitCode.OK, only_excluded.output
    assert json.loads(only_excluded.stdout)["files"] == []
    kept = run("--force-exclude", *named)
    assert kept.exit_code == ExitCode.UNAVAILABLE  # notes.md is kept (and the service is down)
    assert [f["path"] for f in json.loads(kept.stdout)["files"]] == ["docs/notes.md"]


def test_a_glob_on_the_command_line(server_url: str) -> None:
    result = invoke(
        ["--url", server_url, "--checks", "readability", "--format", "json", "tests/fixtures/docs/*/*.html"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == [rel(CLEAN_DIR / "library-hours.html"), rel(MARKUP_DIR / "budget.html")]
    assert {f["format"] for f in files} == {"html"}


def test_a_file_name_that_is_not_utf8_is_written_as_every_output_can_write_it(tmp_path: Path, server_url: str) -> None:
    """Python holds such a name's bytes as lone surrogates: SARIF crashed on it (exit 3), a JSON
    report to a file left it empty and exited 1 on a file that passed, and the JSON and GitHub
    outputs on stdout were not UTF-8. Each writes U+FFFD for the bytes, as JUnit did."""
    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/ba\xffd.md", "w", encoding="utf-8") as named_in_latin1:
        named_in_latin1.write("# Hi\n\nThe team is good.\n")
    sarif, report = tmp_path / "o.sarif", tmp_path / "o.json"
    result = invoke(["--url", server_url, str(folder), "-f", "github", "-f", f"sarif={sarif}", "-f", f"json={report}"])
    assert result.exit_code == ExitCode.OK, result.output
    result.stdout_bytes.decode("utf-8")  # strictly UTF-8
    (shown,) = [f["path"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]]
    assert shown.endswith("/docs/ba\ufffdd.md")
    json.loads(sarif.read_text(encoding="utf-8"))


def test_a_sarif_findings_fingerprint_holds_when_text_is_added_above_it(tmp_path: Path, server_url: str) -> None:
    """The fingerprint hashed the finding's offset: a paragraph added at the top gave every
    finding below a new one, and code scanning closed its alerts and opened new ones. Two findings
    of one rule on the same words are told apart by their order."""
    story = "The team recieved the award.\n\nThey recieved it again in May.\n"
    for name, text in (("before", story), ("after", "A new first paragraph was added here.\n\n" + story)):
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    marks = {}
    for name in ("before", "after"):
        result = invoke(["--url", server_url, "--checks", "grammar", "-f", "sarif", str(tmp_path / f"{name}.md")])
        results = json.loads(result.stdout)["runs"][0]["results"]
        marks[name] = [(r["ruleId"], r["partialFingerprints"]["copydeskIssue/v2"]) for r in results]
    spelled = [mark for rule, mark in marks["before"] if rule.startswith("MORFOLOGIK")]
    assert len(spelled) == len(set(spelled)) == 2
    assert marks["before"] == [m for m in marks["after"] if m in marks["before"]] and len(marks["before"]) >= 2


def test_stdin_with_a_name_and_empty_files(tmp_path: Path, server_url: str) -> None:
    markdown = SEED_MD.read_text(encoding="utf-8")
    (tmp_path / "empty.md").write_text("\n  \n", encoding="utf-8")
    # Only code and markup: no prose, skipped as an empty file is (the service refuses it).
    (tmp_path / "snippet.md").write_text("```sh\nmake run\n```\n<!-- a comment -->\n", encoding="utf-8")
    result = invoke(
        ["--url", server_url, "--format", "json", "--stdin-filename", "story.md", "-", str(tmp_path / "empty.md"),
         str(tmp_path / "snippet.md")],
        input=markdown,
    )
    assert result.exit_code == ExitCode.BELOW_BAR, result.output
    stdin, empty, snippet = json.loads(result.stdout)["files"]
    assert (stdin["path"], stdin["format"], stdin["status"]) == ("story.md", "markdown", "fail")
    assert stdin["report"]["meta"]["text_length"] == len(markdown)
    assert (empty["status"], empty["report"]) == ("skipped", None)
    assert (snippet["status"], snippet["report"]) == ("skipped", None)

    plain = invoke(["--url", server_url, "--checks", "readability", "--format", "json", "-"], input="A short note.\n")
    assert plain.exit_code == ExitCode.OK, plain.output
    assert json.loads(plain.stdout)["files"][0]["format"] == "text"


@pytest.mark.parametrize(
    "environ", [{"PYTHONIOENCODING": "utf-8:strict"}, {"LC_ALL": "C.UTF-8"}], ids=["strict", "surrogateescape"]
)
def test_stdin_that_is_not_utf8_is_refused_as_a_file_is(
    tmp_path: Path, server_url: str, environ: dict[str, str]
) -> None:
    latin1 = "café\n".encode("latin-1")
    (tmp_path / "latin1.txt").write_bytes(latin1)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))

    def run(argument: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "service.cli", "check", "--no-config", "--url", server_url, argument]
        return subprocess.run(
            command, input=latin1, capture_output=True, timeout=120, env={**env, **environ}, cwd=tmp_path
        )

    from_stdin, from_file = run("-"), run("latin1.txt")
    assert from_file.returncode == from_stdin.returncode == ExitCode.USAGE, from_stdin.stderr
    assert from_file.stderr.replace(b"latin1.txt", b"stdin") == from_stdin.stderr
    assert b"stdin: not UTF-8 text" in from_stdin.stderr


def test_every_file_that_cannot_be_read_is_named_in_one_run(tmp_path: Path, server_url: str) -> None:
    """A tree with several used to take one run per file: the first stopped the command."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a-latin1.md").write_bytes("Caf\xe9.\n".encode("latin-1"))
    (tmp_path / "docs" / "b-fine.md").write_text("A short note.\n", encoding="utf-8")
    (tmp_path / "docs" / "c-binary.txt").write_bytes(bytes(range(256)))
    result = invoke(["--url", server_url, str(tmp_path / "docs")])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "copydesk: error: 2 paths cannot be checked:",
        f"  {tmp_path / 'docs' / 'a-latin1.md'}: not UTF-8 text (invalid continuation byte at byte 3)",
        f"  {tmp_path / 'docs' / 'c-binary.txt'}: not UTF-8 text (invalid start byte at byte 128)",
    ]


def run_cli(
    args: list[str], cwd: Path, prefix: tuple[str, ...] = (), timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``copydesk check --no-config ARGS`` as a real process in ``cwd`` (``prefix`` runs it)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "service.cli", "check", "--no-config", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.getenv("PYTHONPATH")]))},
    )


def run_cli_bound_by_permissions(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``run_cli`` where file permissions hold. The tests run as root, whom they do not bind, so
    the command then runs without the two capabilities that let root past them: a real
    ``Permission denied`` from the kernel, nothing patched."""
    if os.geteuid() != 0:
        return run_cli(args, cwd)
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) runs the command without root's power over file permissions"
    return run_cli(args, cwd, prefix=(setpriv, "--bounding-set=-dac_override,-dac_read_search"))


def test_a_folder_that_cannot_be_listed_is_named_never_passed_over(tmp_path: Path, server_url: str) -> None:
    """A folder the gate could not list was left out in silence, and the run passed on the rest;
    a file named in a folder it could not search was a traceback and exit 1 (below the bar)."""
    for name in ("docs/a.md", "docs/private/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("A short note.\n", encoding="utf-8")
    (tmp_path / "docs" / "private").chmod(0)
    try:
        args = ["--url", server_url, "--checks", "readability"]
        named = run_cli_bound_by_permissions([*args, "docs/private/b.md", "docs"], tmp_path)
        assert (named.returncode, named.stdout) == (ExitCode.USAGE, ""), named.stderr
        assert named.stderr.splitlines() == [
            "copydesk: error: 2 paths cannot be checked:",
            "  docs/private/b.md: cannot be read: Permission denied",
            "  docs/private: cannot be listed: Permission denied",
        ]
        globbed = run_cli_bound_by_permissions([*args, "docs/**/*.md"], tmp_path)
        assert (globbed.returncode, globbed.stdout) == (ExitCode.USAGE, ""), globbed.stderr
        assert globbed.stderr == "copydesk: error: docs/private: cannot be listed: Permission denied\n"
        # Left out on purpose, it is not listed at all.
        excluded = run_cli_bound_by_permissions([*args, "--exclude", "docs/private", "docs", "docs/**/*.md"], tmp_path)
        assert excluded.returncode == ExitCode.OK, excluded.stderr
        assert "1 file checked: 1 passed" in excluded.stdout
    finally:
        (tmp_path / "docs" / "private").chmod(0o755)


def test_a_named_pipe_or_a_socket_is_refused_never_opened(tmp_path: Path, server_url: str) -> None:
    """Opening a named pipe waits for a writer: one in a docs folder held the gate for good (a
    named one was "no such file or folder"). Each is named, and none is read."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("A short note.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "docs" / "socket.md"))
        args = ["--url", server_url, "--checks", "readability"]
        walked = run_cli([*args, "docs"], tmp_path, timeout=60)
        named = run_cli([*args, "docs/pipe.md"], tmp_path, timeout=60)
        excluded = run_cli([*args, "--exclude", "pipe.md", "--exclude", "socket.md", "docs"], tmp_path, timeout=60)
    advice = "not a regular file (exclude it, or send its text to '-')"
    assert (walked.returncode, walked.stdout) == (ExitCode.USAGE, ""), walked.stderr
    assert walked.stderr.splitlines() == [
        "copydesk: error: 2 paths cannot be checked:",
        f"  docs/pipe.md: a named pipe, {advice}",
        f"  docs/socket.md: a socket, {advice}",
    ]
    assert named.returncode == ExitCode.USAGE
    assert named.stderr == f"copydesk: error: docs/pipe.md: a named pipe, {advice}\n"
    assert excluded.returncode == ExitCode.OK and "1 file checked: 1 passed" in excluded.stdout, excluded.stderr


def test_a_link_is_reported_by_its_own_path(tmp_path: Path, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the schema says (the path as given): it was the target's, and a broken link named a
    file that does not exist."""
    (tmp_path / "docs" / "v2").mkdir(parents=True)
    (tmp_path / "docs" / "v2" / "guide.md").write_text("A short note.\n", encoding="utf-8")
    (tmp_path / "docs" / "v2" / "notes.md").write_text("Another note.\n", encoding="utf-8")
    (tmp_path / "docs" / "latest.md").symlink_to("v2/guide.md")
    (tmp_path / "current").symlink_to("docs/v2", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = invoke(["--url", server_url, "--format", "json", "docs/latest.md", "current"])
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/latest.md", "current/notes.md"]
    (tmp_path / "docs" / "gone.md").symlink_to("v1/guide.md")
    result = invoke(["--url", server_url, "docs"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "copydesk: error: docs/gone.md: cannot be read: No such file or directory\n"


def test_stdin_drops_a_byte_order_mark_as_files_do(tmp_path: Path, server_url: str) -> None:
    text = "A short note.\n"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    args = ["--url", server_url, "--checks", "readability", "--format", "json"]
    from_stdin = invoke([*args, "-"], input=b"\xef\xbb\xbf" + text.encode())
    from_file = invoke([*args, str(tmp_path / "bom.txt")])
    for result in (from_stdin, from_file):
        assert result.exit_code == ExitCode.OK, result.output
        assert json.loads(result.stdout)["files"][0]["report"]["meta"]["text_length"] == len(text)


def test_format_in_forces_the_format(server_url: str) -> None:
    result = invoke(
        ["--url", server_url, "--checks", "readability", "--format-in", "text", "--format", "json", rel(SEED_MD)]
    )
    (file,) = json.loads(result.stdout)["files"]
    assert file["format"] == "text"


def test_progress_bar_goes_to_stderr_when_asked(server_url: str) -> None:
    result = invoke(["--url", server_url, "--checks", "readability", "--progress", "--format", "json", rel(CLEAN_DIR)])
    assert result.exit_code == ExitCode.OK
    assert "/3 [" in result.stderr and "file" in result.stderr and "/3 [" not in result.stdout


# ---------------------------------------------------------------------------------------------
# As a real process and as an installed command
# ---------------------------------------------------------------------------------------------


def test_a_real_process_through_url(server_url: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-m",
            "service.cli",
            "check",
            "--no-config",
            "--url",
            server_url,
            "--format",
            "github",
            rel(SEED_DIR),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        },
    )
    assert done.returncode == ExitCode.BELOW_BAR, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(GITHUB_ISSUE.fullmatch(line) or GITHUB_GATE.fullmatch(line) for line in lines)
    assert any(f"file={rel(SEED_MD)}," in line for line in lines)

    version = subprocess.run(
        [sys.executable, "-m", "service.cli", "--version"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.returncode == 0 and version.stdout.startswith("copydesk, version ")


def interrupt(process: subprocess.Popen[str], taken_by: str) -> None:
    """SIGINT, as Ctrl-C sends it: the kernel hands it to any of the process's threads that does
    not block it; ``kill`` with a thread's id offers it to that thread first (Linux)."""
    threads = [int(tid) for tid in os.listdir(f"/proc/{process.pid}/task")]
    os.kill(process.pid if taken_by == "main thread" else max(set(threads) - {process.pid}), signal.SIGINT)


def interrupted_cli(args: list[str], env: dict[str, str | None]) -> subprocess.Popen[str]:
    """``copydesk check`` as a child that Ctrl-C stops, with ``env`` over this process's."""
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "check", "--no-config", *args, "--format", "json", rel(SEED_DIR)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k not in env},
            **{k: v for k, v in env.items() if v is not None},
        },
        # A shell's background jobs ignore SIGINT, and a child keeps that: give it the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def children(pid: int) -> list[int]:
    """The processes that any thread of ``pid`` started."""
    return [int(child) for tid in os.listdir(f"/proc/{pid}/task")
            for child in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]


def running(pid: int) -> bool:
    """Whether ``pid`` runs: a process that has ended but not been reaped yet (a zombie) does not."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def busy(pid: int, seconds: float = 1.0) -> bool:
    """Whether the main thread of ``pid`` ran in the next ``seconds`` (its CPU time grew)."""

    def cpu_time() -> int:
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime and stime: the stat's 14th and 15th fields

    before = cpu_time()
    time.sleep(seconds)
    return cpu_time() != before


def assert_stopped_at_once(process: subprocess.Popen[str], interrupted: float) -> None:
    stdout, stderr = process.communicate(timeout=120)
    waited = time.monotonic() - interrupted
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert stderr.strip().endswith("copydesk: interrupted") and "Traceback" not in stderr
    assert stdout == ""
    assert waited < 10, f"the command exited {waited:.0f} s after Ctrl-C"


@pytest.mark.parametrize("taken_by", ["main thread", "another thread"])
@pytest.mark.parametrize("engine", ["through_url", "in_process"])
def test_ctrl_c_stops_at_once_with_exit_130_while_a_file_is_in_flight(
    app: Any, languagetool_url: str, local_env: dict[str, str | None], engine: str, taken_by: str
) -> None:
    """SIGINT while a file is at the service, or at LanguageTool: CI must not read an interrupted
    run as a verdict (click's own exit was 1, copy below the bar), and the run must not wait for
    the files in flight. It did: up to --timeout (120 s) for a file at the service, and for every
    piece of a long file at LanguageTool, since Python joins a pool's threads at exit; and, when
    one of the command's other threads took the signal, until a file was done (40 s once in CI)."""
    if engine == "through_url":
        held, env = HeldScoring(app), {"COPYDESK_URL": None}
    else:  # the session's LanguageTool, behind a proxy that holds its checks
        held = HeldScoring(forwarding_to(languagetool_url), path="/v2/check")
        env = {**local_env, "COPYDESK_LANGUAGETOOL_URL": held.url}
    with held:
        process = interrupted_cli(["--url", held.url] if engine == "through_url" else [], env)
        assert held.arrived.wait(120), "no file reached the engine"
        interrupted = time.monotonic()
        interrupt(process, taken_by)
        assert_stopped_at_once(process, interrupted)


def test_ctrl_c_while_the_embedded_languagetool_starts_exits_130_at_once(data_dir: Path, tmp_path: Path) -> None:
    """The command waits for the LanguageTool it starts (up to its start-up timeout): Ctrl-C
    taken by another of its threads (the one reading the server's output) was heard only once
    the server was ready, or the timeout passed. Here a JVM that never answers (its ``java``
    sleeps) holds the wait open; it goes with the command."""
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    java.chmod(0o755)
    env = {"COPYDESK_URL": None, "COPYDESK_LANGUAGETOOL_URL": None, "COPYDESK_DATA_DIR": str(data_dir),
           "COPYDESK_LANGUAGETOOL_PORT": str(free_port()), "COPYDESK_LANGUAGETOOL_JAVA": str(java),
           "COPYDESK_LANGUAGETOOL_STARTUP_TIMEOUT": "60"}
    process = interrupted_cli([], env)
    try:
        deadline = time.monotonic() + 60
        while not (servers := children(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        (server,) = servers
        while busy(process.pid) and time.monotonic() < deadline:  # the command builds its checks
            pass
        interrupted = time.monotonic()
        interrupt(process, "another thread")
        assert_stopped_at_once(process, interrupted)
    finally:
        process.kill()
        process.communicate()
    while running(server) and time.monotonic() < interrupted + 20:
        time.sleep(0.1)
    assert not running(server), "the embedded LanguageTool outlived the command"


HEAVY_IMPORTS = ("nltk", "scipy", "sklearn")  # what only the readability check in this process needs


def test_checking_through_a_service_does_not_import_what_only_local_checks_need(server_url: str) -> None:
    """NLTK, and the SciPy and scikit-learn it imports, took 2 of the 3 s the command needed to
    start, with --url too, where no check runs in the process."""
    script = (
        "import sys\n"
        "from service.cli import main\n"
        "try:\n"
        f"    main(['check', '--no-config', '--url', {server_url!r}, '--checks', 'readability', {rel(CLEAN_DIR)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"print(sorted(name for name in {HEAVY_IMPORTS!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_console_script_is_declared() -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["copydesk"] == "service.cli:main"
    assert "check" in main.commands  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Dogfood and CI recipes
# ---------------------------------------------------------------------------------------------


def test_the_repository_docs_pass_their_own_gate(local_env: dict[str, str | None]) -> None:
    config = tomllib.loads((PROJECT_ROOT / ".copydesk.toml").read_text(encoding="utf-8"))
    assert config["paths"] == ["README.md", "docs/"]
    result = invoke(["--format", "human"], env=local_env, config=True)
    assert result.exit_code == ExitCode.OK, result.output


def test_the_guides_config_example_loads_and_names_real_rules(tmp_path: Path) -> None:
    """Users copy the example in docs/cli.md: a rule it names that no pack has makes every file exit 2."""
    guide = (PROJECT_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", guide, flags=re.DOTALL)
    (tmp_path / ".copydesk.toml").write_text(example, encoding="utf-8")
    options = load_config(tmp_path / ".copydesk.toml")
    assert options.disable, "the example shows how to turn a rule off"
    assert RuleBook.load().unknown_selectors([*options.enable, *options.disable]) == []


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_github_workflow_is_valid_and_checks_the_docs_through_compose() -> None:
    workflow = PROJECT_ROOT / ".github" / "workflows" / "copydesk.yml"
    done = _check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["docs"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "docker compose up" in runs and "--wait" in runs
    assert re.search(r"copydesk check\s+--url http://localhost:8000\s+--format github\s+--format sarif=(\S+)", runs)
    sarif_file = re.search(r"--format sarif=(\S+)", runs)[1]  # type: ignore[index]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == sarif_file


def test_gitlab_example_is_valid() -> None:
    example = PROJECT_ROOT / "examples" / "gitlab-ci.yml"
    done = _check_jsonschema("vendor.gitlab-ci", example)
    assert done.returncode == 0, done.stdout + done.stderr
    job = yaml.safe_load(example.read_text(encoding="utf-8"))["copydesk"]
    assert "copydesk check" in " ".join(job["script"])
    assert job["artifacts"]["reports"]["junit"] == "copydesk-junit.xml"


# The identify tags pre-commit matches on (https://github.com/pre-commit/identify) that the hook uses.
PRE_COMMIT_TAGS = {"markdown", "mdx", "html", "rst", "plain-text", "text"}
PRE_COMMIT_HOOK_KEYS = {
    "id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types", "always_run",
    "fail_fast", "verbose", "pass_filenames", "require_serial", "description", "language_version",
    "minimum_pre_commit_version", "args", "stages", "additional_dependencies",
}  # fmt: skip


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert set(hook) <= PRE_COMMIT_HOOK_KEYS
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "copydesk" and hook["language"] == "python"
    # pre-commit names every staged file: the config's exclude patterns must hold for them.
    assert hook["entry"] == "copydesk check --force-exclude"
    assert set(hook["types_or"]) <= PRE_COMMIT_TAGS and {"markdown", "mdx", "html", "rst"} <= set(hook["types_or"])
    assert hook["require_serial"] is True
    # The entry is the console script pyproject declares.
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts


def test_docs_render_every_suppression_example_as_code() -> None:
    """docs/cli.md shows the comments inside code, so they document and switch nothing off."""
    guide = (PROJECT_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "copydesk-disable" in guide
    assert prose_view(guide, "markdown").suppressions == ()
