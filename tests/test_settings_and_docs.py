"""Settings parse as documented, and the README, the spec and the code agree."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from support import languagetool_properties

from service.lt_request import category_id
from service.settings import NOT_SETTINGS, PREFIX, PROJECT_ROOT, Settings, SettingsError

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SPEC = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_defaults_without_environment() -> None:
    settings = Settings.load(environ={})
    assert settings.languagetool_url is None
    assert settings.max_body_bytes == 8_000_000
    assert settings.max_text_chars == 1_000_000
    assert settings.disabled_rules == ()
    assert settings.languagetool_warm_languages == ("en-US",)
    assert settings.languagetool_languages == ("*",) and settings.allows_language("uk-UA")


def test_environment_variables_are_parsed_by_type() -> None:
    settings = Settings.load(
        environ={
            "COPYDESK_LANGUAGETOOL_URL": "http://lt:8010",
            "COPYDESK_MAX_TEXT_CHARS": "500",
            "COPYDESK_PASS_SCORE": "85.5",
            "COPYDESK_DATA_DIR": "~/x",
            "COPYDESK_DISABLED_RULES": "style, translationese.kindly",
            "COPYDESK_RULES_DIR": "/a:/b",
            "COPYDESK_LANGUAGETOOL_WARM_LANGUAGES": "en-US, de-DE",
            "COPYDESK_LANGUAGETOOL_LANGUAGES": "en-US,auto",
        }
    )
    assert settings.languagetool_url == "http://lt:8010"
    assert settings.max_text_chars == 500
    assert settings.pass_score == 85.5
    assert settings.data_dir == Path.home() / "x"
    assert settings.disabled_rules == ("style", "translationese.kindly")
    assert settings.rules_dirs == [Path("/a"), Path("/b")]
    assert settings.languagetool_warm_languages == ("en-US", "de-DE")
    assert settings.allows_language("EN-us") and settings.allows_language("auto")
    assert not settings.allows_language("en-GB")


@pytest.mark.parametrize(
    ("environ", "overrides"),
    [({"COPYDESK_LANGUAGETOOL_ULR": "http://lt:8010"}, {}), ({}, {"languagetool_ulr": "http://lt:8010"})],
)
def test_unknown_settings_are_refused_not_ignored(environ: dict[str, str], overrides: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="(?i)languagetool_ulr"):
        Settings.load(environ=environ, overrides=overrides)


@pytest.mark.parametrize(
    "environ", [{"COPYDESK_URL": "http://copydesk:8000"}, {"COPYDESK_API_KEY": "k-ci-7e41b0"}], ids=["url", "api-key"]
)
def test_the_cli_variables_are_not_settings(environ: dict[str, str]) -> None:
    """A CI job sets them beside the service's own, or for the in-process engine."""
    assert Settings.load(environ=environ) == Settings.load(environ={})


def test_every_copydesk_name_in_the_project_is_a_setting_or_a_category() -> None:
    """The service refuses an unknown ``COPYDESK_*`` variable, so a script, an example or a test
    helper that reads one of its own (a browser path, a CI image) stops the service beside it:
    a GitLab job passes its variables to its service containers too."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True)
    known = {PREFIX + field.name.upper() for field in dataclasses.fields(Settings)} | NOT_SETTINGS
    packs = {path.stem for path in (PROJECT_ROOT / "service" / "rules").glob("*.yaml")} | {"readability"}
    known |= {category_id(f"{pack}.x") for pack in packs}
    known |= {
        "COPYDESK_READABILITY_",  # the prefix of the readability thresholds, named as such
        "COPYDESK_LANGUAGETOOL_ULR",  # the misspelt setting this module's test wants refused
        "COPYDESK_HOUSE_STYLE",  # the category of a pack named house-style (tests/test_lt_api.py)
    }
    found: dict[str, str] = {}
    for name in tracked.stdout.decode().split("\0"):
        path = PROJECT_ROOT / name
        if not name or not path.is_file() or path.suffix in {".gz", ".png", ".ico", ".woff2"}:
            continue
        for match in re.finditer(r"COPYDESK_[A-Z0-9_]+", path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(match.group(), name)
    assert {word: where for word, where in found.items() if word not in known} == {}
    assert len(found) > 60  # the scan saw the settings table


def test_overrides_win_over_the_environment() -> None:
    settings = Settings.load(environ={"COPYDESK_WORKERS": "3"}, overrides={"workers": 5})
    assert settings.workers == 5


@pytest.mark.parametrize(
    "environ",
    [
        {"COPYDESK_MAX_BODY_BYTES": "lots"},
        {"COPYDESK_MAX_BODY_BYTES": "0"},
        {"COPYDESK_LANGUAGETOOL_LEVEL": "pedantic"},
        {"COPYDESK_PASS_SCORE": "50", "COPYDESK_WARN_SCORE": "70"},
        {"COPYDESK_LANGUAGETOOL_WARM_LANGUAGES": " , "},
        {"COPYDESK_LANGUAGETOOL_LANGUAGES": ","},
        # Each of these started a service that refused every body (408), or failed later in
        # words that named no setting.
        {"COPYDESK_BODY_TIMEOUT": "0"},
        {"COPYDESK_BODY_TIMEOUT": "nan"},
        {"COPYDESK_LANGUAGETOOL_TIMEOUT": "inf"},
        {"COPYDESK_LANGUAGETOOL_STARTUP_TIMEOUT": "-5"},
        {"COPYDESK_LOG_LEVEL": "verbose"},
        {"COPYDESK_CACHE_URL": "redis://127.0.0.1:six/0"},
        # This one half worked (/v2 could not reach LanguageTool); the others failed the JVM's start.
        {"COPYDESK_LANGUAGETOOL_URL": "languagetool:8010"},
        {"COPYDESK_LANGUAGETOOL_URL": "http://languagetool:port"},
        {"COPYDESK_LANGUAGETOOL_URL": "http://[::1"},  # urlsplit's own ValueError was a traceback
        {"COPYDESK_LANGUAGETOOL_HEAP": "lots"},
        {"COPYDESK_LANGUAGETOOL_PORT": "70000"},
        {"COPYDESK_BIND": "127.0.0.1:0"},
        {"COPYDESK_BIND": "::1:8000"},  # an IPv6 address goes in brackets
        {"COPYDESK_BIND": "unix:"},
        {"COPYDESK_CORS_ORIGINS": "cms.example.org"},
        {"COPYDESK_CORS_ORIGINS": "https://cms.example.org?page=1"},
    ],
)
def test_bad_settings_are_refused_with_the_variable_named(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=re.escape(next(iter(environ)))):
        Settings.load(environ=environ)


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "[::]:8000", "[::1]:8080", "copydesk:80", "unix:/run/copydesk.sock",
                                  "fd://3"])
@pytest.mark.parametrize("origins", ["*", "https://cms.example.org, http://localhost:3000",
                                     "chrome-extension://abcdefghijklmnop"])
def test_listening_addresses_and_origins_that_work_are_taken(bind: str, origins: str) -> None:
    settings = Settings.load(environ={"COPYDESK_BIND": bind, "COPYDESK_CORS_ORIGINS": origins})
    assert settings.bind == bind and settings.cors_origins == origins


def test_readme_documents_every_setting_with_its_default() -> None:
    """The README's settings table is the one `scripts/settings-table` writes from the code:
    a meaning edited in the README alone went back to the code's at the next rewrite."""
    for name, default, meaning in Settings.documentation():
        row = re.search(rf"^\| `{name}` \| `(.*?)` \| (.*) \|$", README, re.MULTILINE)
        assert row, f"{name} is not in the README's settings table"
        assert row.group(1) == default, f"{name}: README says {row.group(1)!r}, code says {default!r}"
        assert row.group(2) == meaning, f"{name}: README and service/settings.py describe it differently"
    documented = set(re.findall(r"^\| `(COPYDESK_\w+)` \|", README, re.MULTILINE))
    assert documented == {name for name, _, _ in Settings.documentation()}


def test_readme_mentions_every_endpoint_of_the_spec() -> None:
    for path, operations in SPEC["paths"].items():
        assert "options" in operations, f"{path} does not document OPTIONS"
        for method in operations:
            if method not in ("options", "head", "parameters"):  # the README says these once for every path
                assert f"{method.upper()} {path}" in README, f"{method.upper()} {path} is not in the README"
        assert ("head" in operations) == ("get" in operations), f"{path}: HEAD is answered wherever GET is"
    assert "`OPTIONS` on any path the service answers gives 204 with `Allow`" in README
    assert "`HEAD` wherever `GET` is answered gives the GET's status and headers without the body" in README


def _schemas(node: object) -> list[dict]:
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _schemas(value))]
    if isinstance(node, list):
        return [found for value in node for found in _schemas(value)]
    return []


def test_every_enum_of_a_string_in_the_spec_holds_strings() -> None:
    """YAML 1.1 reads a bare off, on, yes or no as a boolean: `enum: [hit, miss, off]` once let the
    spec refuse the service's own `"cache": "off"`."""
    enums = [schema["enum"] for schema in _schemas(SPEC) if schema.get("type") == "string" and "enum" in schema]
    assert enums
    for enum in enums:
        assert all(isinstance(value, str) for value in enum), enum


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert (PROJECT_ROOT / ".ci" / "run").read_text().strip().endswith("exec make test")


def test_spec_and_code_agree_on_languages_and_checks() -> None:
    from service.findings import CHECK_NAMES
    from service.settings import SUPPORTED_LANGUAGES

    schemas = SPEC["components"]["schemas"]
    assert tuple(schemas["Language"]["enum"]) == SUPPORTED_LANGUAGES
    assert tuple(schemas["CheckName"]["enum"]) == CHECK_NAMES


def test_readme_rule_pack_table_matches_the_loaded_packs() -> None:
    from service.rulebook.book import RuleBook

    rows = dict(re.findall(r"^\| `([a-z]+)` \| (?:phrasing|clickbait) \| (\d+) \|", README, re.MULTILINE))
    assert rows == {pack["name"]: str(pack["rule_count"]) for pack in RuleBook.load().packs}


def test_readme_architecture_names_modules_that_exist() -> None:
    section = README.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"service/[\w/]*(?:\.py|/)", section))
    assert len(named) >= 15
    missing = sorted(path for path in named if not (PROJECT_ROOT / path).exists())
    assert not missing, missing
    packages = {p.name for p in (PROJECT_ROOT / "service").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    unexplained = sorted(name for name in packages if f"service/{name}/" not in section)
    assert not unexplained, f"packages the Architecture section does not place: {unexplained}"


def test_languagetool_gives_up_before_copydesk_stops_waiting() -> None:
    """A check copydesk has given up on must not keep a LanguageTool thread busy."""
    properties = languagetool_properties()
    settings = Settings.load(environ={})
    assert int(properties["maxCheckTimeMillis"]) < settings.languagetool_timeout * 1000
    assert 2 * settings.languagetool_piece_chars <= int(properties["maxTextLength"])  # UTF-16 units


def test_the_spec_is_a_valid_openapi_document() -> None:
    from openapi_spec_validator import validate

    validate(SPEC)


def test_the_readme_seed_report_is_what_the_service_answers(client, seed_text: str, seed_title: str) -> None:
    """scripts/readme-seed-report rewrites the block when the seed's figures move."""
    block = re.search(r"An abridged real response:\n\n```json\n(.*?)\n```", README, re.DOTALL)
    assert block, "the README shows an abridged seed report"
    shown = json.loads(re.sub(r"\[\s*\.\.\.\s*\]", "[]", re.sub(r",\s*\.\.\.", "", block.group(1))))
    report = client.post("/v1/score", json={"text": seed_text, "title": seed_title}).json
    for key in ("score", "verdict", "complete"):
        assert shown[key] == report[key], key
    assert shown["counts"]["by_check"] == report["counts"]["by_check"]
    assert shown["counts"]["by_severity"] == report["counts"]["by_severity"]
    for name, section in shown["checks"].items():
        assert section["score"] == report["checks"][name]["score"], name
        if section["issues"]:  # the readability issues are left out
            assert section["issues"][:1] == report["checks"][name]["issues"][:1], name
    headline = report["checks"]["clickbait"]["headline"]
    assert shown["checks"]["clickbait"]["headline"]["probability"] == headline["probability"]
    clarity = report["checks"]["readability"]["clarity"]
    assert shown["checks"]["readability"]["clarity"]["passive_voice"] == clarity["passive_voice"]
    assert shown["meta"]["versions"] == report["meta"]["versions"]


def test_the_readmes_contents_list_every_section_in_order() -> None:
    headings = re.findall(r"^## (.+)$", README, re.M)
    listed = re.findall(r"^- \[(.+)\]\(#([\w-]+)\)$", README.split("## ", 1)[0], re.M)
    assert [title for title, _ in listed] == headings
    for title, anchor in listed:  # GitHub's anchors: lower case, punctuation dropped, spaces as dashes
        assert anchor == re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
