"""Docker: the files checked statically (hadolint, the compose-spec schema, the scripts the
images install with, the build context), then `make compose-check`, which builds both images
and runs them with compose for real (it installs and starts a Docker engine when needed)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from support import free_port, gunicorn_setting
from werkzeug.serving import make_server

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


@pytest.mark.parametrize("compose_file", ["docker-compose.yml", "docker-compose.keys.yml"])
def test_compose_file_matches_the_compose_spec(compose_file: str) -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", compose_file],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_images_install_with_the_scripts_ci_runs() -> None:
    api = (PROJECT_ROOT / "Dockerfile").read_text()
    languagetool = (PROJECT_ROOT / "Dockerfile.languagetool").read_text()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    # the wheels `make wheelhouse` downloads with the same script
    assert ("scripts/install-python-deps --wheelhouse wheelhouse /opt/venv/bin/python wheelhouse/requirements.lock"
            in api)
    assert "COPY requirements.lock .cache/wheelhouse* wheelhouse/" in api
    assert "scripts/install-python-deps --download .cache/wheelhouse" in makefile
    # the jars `make languagetool` fetches with the same script (a no-op in the build then)
    assert "&& scripts/fetch-languagetool /opt/languagetool" in languagetool
    assert "COPY service/languagetool/pom.xml .cache/languagetool/lib* /opt/languagetool/lib/" in languagetool
    assert "scripts/fetch-languagetool" in makefile


@pytest.mark.parametrize(("dockerfile", "arg", "default"), [
    ("Dockerfile", "PYTHON_IMAGE", "python:3.11-slim-bookworm"),
    ("Dockerfile.languagetool", "JAVA_IMAGE", "eclipse-temurin:17-jre"),
])
def test_base_images_are_build_args_defaulting_to_the_public_images(dockerfile: str, arg: str, default: str) -> None:
    text = (PROJECT_ROOT / dockerfile).read_text()
    assert f"ARG {arg}={default}\n" in text
    froms = [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]
    assert froms and all(image == f"${{{arg}}}" for image in froms), froms
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    args = [s["build"]["args"] for s in compose["services"].values() if s["build"]["dockerfile"] == dockerfile]
    assert args == [{arg: f"${{{arg}:-{default}}}"}]


def context_files() -> set[str]:
    """The files a build context holds under .dockerignore (the engine's rule: the last
    matching pattern wins; a folder's pattern covers what is inside it)."""
    patterns = [line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    kept = set()
    for path in PROJECT_ROOT.rglob("*"):
        if not path.is_file() or ".git" in path.parts or ".venv" in path.parts:
            continue
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        prefixes = [relative] + ["/".join(relative.split("/")[:n]) for n in range(1, relative.count("/") + 1)]
        included = True
        for pattern in patterns:
            negated, glob = pattern.startswith("!"), pattern.lstrip("!").rstrip("/")
            glob = glob.replace("**/", "*/") if glob.startswith("**/") else glob
            if any(fnmatch.fnmatchcase(p, glob) or fnmatch.fnmatchcase(p, glob.removeprefix("*/"))
                   for p in prefixes):
                included = negated
        if included:
            kept.add(relative)
    return kept


def test_build_context_holds_what_the_images_copy_and_little_else() -> None:
    kept = context_files()
    for dockerfile in DOCKERFILES:
        for line in (PROJECT_ROOT / dockerfile).read_text().splitlines():
            if line.startswith("COPY ") and "--from=" not in line:
                for source in line.split()[1:-1]:
                    if "*" not in source:  # globs name optional folders (wheels, jars)
                        assert any(f == source or f.startswith(source.rstrip("/") + "/") for f in kept), source
    outside = {f.split("/")[0] for f in kept} - {"service", "scripts", ".cache", "openapi.yaml", "requirements.lock"}
    assert not outside, outside
    assert not [f for f in kept if f.startswith("scripts/") and f not in (
        "scripts/install-python-deps", "scripts/fetch-languagetool", "scripts/languagetool-ready")]
    assert not [f for f in kept if f.startswith(".cache/") and not re.match(
        r"\.cache/(wheelhouse/|languagetool/lib/)", f)]
    assert not [f for f in kept if "__pycache__" in f]


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_images_run_as_non_root_with_a_healthcheck(dockerfile: str) -> None:
    lines = (PROJECT_ROOT / dockerfile).read_text().splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in lines)


def test_the_api_images_healthcheck_asks_where_copydesk_bind_listens(app) -> None:
    """The check asked port 8000 whatever COPYDESK_BIND said: an API moved to another port with
    `docker run -e COPYDESK_BIND=0.0.0.0:9000` served, and Docker called it unhealthy. Here the
    image's check runs against the service itself, on a port of its own."""
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    command = json.loads(re.search(r"^\s*CMD (\[.*\])$", text[text.index("HEALTHCHECK "):], re.M).group(1))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_port
        cases = ((f"0.0.0.0:{port}", True), (f"127.0.0.1:{port}", True), (f"0.0.0.0:{free_port()}", False))
        for bind, healthy in cases:
            env = os.environ | {"COPYDESK_BIND": bind}
            done = subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, timeout=30)
            assert (done.returncode == 0) == healthy, (bind, done.stderr[-300:])
    finally:
        server.shutdown()
        server.server_close()


def test_languagetool_image_is_ready_after_a_check_in_each_warm_language(languagetool_url: str) -> None:
    """scripts/languagetool-ready (the image's health check, the chart's probes) against a real
    LanguageTool: each language of COPYDESK_LANGUAGETOOL_WARM_LANGUAGES is checked; one that
    LanguageTool refuses (400) is named and skipped; a server that does not answer is not ready."""
    script = str(PROJECT_ROOT / "scripts" / "languagetool-ready")
    port = str(urlsplit(languagetool_url).port)

    def ready(port: str, languages: str, within: float = 0) -> subprocess.CompletedProcess[str]:
        """The script's answer; with ``within``, probed again (as the health check does) until it
        passes or that many seconds are gone: the server's first check in a language can pass
        its 15 s limit on a busy host (it answers 500, and the script says not ready)."""
        env = {"PATH": os.environ["PATH"], "COPYDESK_LANGUAGETOOL_WARM_LANGUAGES": languages}
        deadline = time.monotonic() + within
        while True:
            result = subprocess.run([script, port], env=env, capture_output=True, text=True, timeout=60)
            if result.returncode == 0 or time.monotonic() > deadline:
                return result
            time.sleep(2)

    assert ready(port, "en-US", within=120).returncode == 0
    skipped = ready(port, "xx, en-US,,de-DE", within=180)
    assert (skipped.returncode, skipped.stderr) == (0, "LanguageTool does not know the warm language 'xx'; skipped\n")
    assert ready(str(free_port()), "en-US").returncode == 1


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


def test_compose_sizes_languagetool_and_bounds_its_languages_from_the_environment() -> None:
    """The README tells an operator to list the languages /v2 may ask for and size the heap for
    them; under compose neither could be set (the image's 1 GB, every language)."""
    services = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]
    options = services["languagetool"]["environment"]["JAVA_TOOL_OPTIONS"]
    assert "-Xmx${COPYDESK_LANGUAGETOOL_HEAP:-1g}" in options.split() and "-XX:+ExitOnOutOfMemoryError" in options
    languages = services["api"]["environment"]["COPYDESK_LANGUAGETOOL_LANGUAGES"]
    assert languages == "${COPYDESK_LANGUAGETOOL_LANGUAGES:-*}"


def test_compose_lets_the_api_finish_its_requests_on_a_stop(tmp_path: Path) -> None:
    """Docker kills a container 10 s after its stop signal unless told otherwise; gunicorn's
    workers may take their graceful timeout to finish the requests in flight."""
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    grace = compose["services"]["api"]["stop_grace_period"]
    assert grace.endswith("s") and int(grace[:-1]) >= int(gunicorn_setting("graceful_timeout", tmp_path)) + 5


def test_compose_publishes_the_api_on_loopback_only_by_default() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["api"]["ports"] == ["${API_PUBLISH:-127.0.0.1:8000}:8000"]
    assert "ports" not in compose["services"]["languagetool"]


def test_the_keys_override_mounts_the_file_the_api_reads_read_only() -> None:
    """docker-compose.keys.yml adds to `api` only: the keys file, read-only, where
    COPYDESK_API_KEYS_FILE says, from ./copydesk.keys (never committed) or API_KEYS_FILE."""
    base = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    keys = yaml.safe_load((PROJECT_ROOT / "docker-compose.keys.yml").read_text())
    assert set(keys) == {"services"} and set(keys["services"]) == {"api"} <= set(base["services"])
    api = keys["services"]["api"]
    [volume] = api["volumes"]
    source, target, mode = volume.rsplit(":", 2)
    assert (source, mode) == ("${API_KEYS_FILE:-./copydesk.keys}", "ro")
    assert api["environment"] == {"COPYDESK_API_KEYS_FILE": target}
    assert "copydesk.keys" in (PROJECT_ROOT / ".gitignore").read_text().splitlines()


def test_compose_up_for_real() -> None:
    """`make compose-check`: both images built from the repository, run by compose, the seed
    article scored through the published port, custom rules through the volume, non-root."""
    log = PROJECT_ROOT / ".cache" / "docker" / "compose-check.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        result = subprocess.run(["make", "--no-print-directory", "compose-check"], cwd=PROJECT_ROOT,
                                stdout=out, stderr=subprocess.STDOUT, timeout=3600)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-60:])
    assert result.returncode == 0, f"make compose-check failed (full log: {log}):\n{tail}"
    assert "compose-check: passed in" in tail, tail
