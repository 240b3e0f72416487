"""Docker files, checked statically (no Docker engine here): hadolint, the compose-spec
schema, and that the images install with the same scripts `make` and CI run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from service.settings import PROJECT_ROOT

DOCKERFILES = ["Dockerfile", "Dockerfile.languagetool"]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is a dev dependency (requirements-dev.lock); install it with `make test`"
    return path


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_hadolint_finds_nothing(dockerfile: str) -> None:
    result = subprocess.run([tool("hadolint"), "--no-color", dockerfile], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_matches_the_compose_spec() -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_images_install_with_the_scripts_ci_runs() -> None:
    api = (PROJECT_ROOT / "Dockerfile").read_text()
    languagetool = (PROJECT_ROOT / "Dockerfile.languagetool").read_text()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "RUN scripts/install-python-deps python requirements.lock" in api
    assert "scripts/install-python-deps" in makefile
    assert "RUN scripts/fetch-languagetool" in languagetool
    assert "scripts/fetch-languagetool" in makefile
    assert "COPY service/languagetool/pom.xml" in languagetool


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_images_run_as_non_root_with_a_healthcheck(dockerfile: str) -> None:
    lines = (PROJECT_ROOT / dockerfile).read_text().splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in lines)


def test_compose_wires_the_api_to_a_healthy_languagetool() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    api, languagetool = compose["services"]["api"], compose["services"]["languagetool"]
    assert api["depends_on"]["languagetool"]["condition"] == "service_healthy"
    assert api["environment"]["COPYDESK_LANGUAGETOOL_URL"] == "http://languagetool:8010"
    assert languagetool["build"]["dockerfile"] == "Dockerfile.languagetool"
    assert "--port\", \"8010\"" in (PROJECT_ROOT / "Dockerfile.languagetool").read_text()
    rules_volume = [v for v in api["volumes"] if v.endswith(":/etc/copydesk/rules:ro")]
    assert rules_volume and api["environment"]["COPYDESK_RULES_DIR"] == "/etc/copydesk/rules"
    assert (PROJECT_ROOT / rules_volume[0].split(":")[0]).is_dir()
