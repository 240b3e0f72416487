"""Shared fixtures: one real LanguageTool server for the session, the app, and a client
that validates every response it receives against ``openapi.yaml``.

The server is the one ``scripts/fetch-languagetool`` installs (``make test`` runs it
first), started by copydesk's own supervisor on a free port. If it cannot start, the
tests that need it fail: they are never skipped.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound

from service import create_app
from service.languagetool.supervisor import LanguageToolSupervisor
from service.settings import PROJECT_ROOT, Settings

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = OpenAPI.from_file_path(str(PROJECT_ROOT / "openapi.yaml"))
PROBLEM_SCHEMA = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text())["components"]["schemas"]["Problem"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_title(seed_text: str) -> str:
    return seed_text.splitlines()[0]


@pytest.fixture(scope="session")
def languagetool_url() -> Iterator[str]:
    """A real LanguageTool server, started from the Maven Central jars for this session."""
    settings = Settings.load()
    supervisor = LanguageToolSupervisor(
        home=settings.languagetool_home, port=free_port(), java=settings.languagetool_java, startup_timeout=180
    )
    supervisor.start()
    if not supervisor.wait_ready():
        supervisor.stop()
        pytest.fail(f"LanguageTool did not become ready; see {supervisor.log_file}")
    yield supervisor.url
    supervisor.stop()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("copydesk-data")


def validate_against_spec(response) -> None:
    """Every response the tests receive must match openapi.yaml (status, media type, body).

    Paths and methods the spec does not list must still answer with a problem body.
    """
    try:
        SPEC.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        assert response.status_code in (404, 405), response.status_code
        assert response.mimetype == "application/problem+json"
        jsonschema.validate(response.get_json(), PROBLEM_SCHEMA)


class ContractClient(FlaskClient):
    """A test client that checks each response against the OpenAPI contract."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if not getattr(response.request, "path", "").startswith("/docs/"):
            validate_against_spec(response)
        return response


@pytest.fixture(scope="session")
def app(languagetool_url: str, data_dir: Path):
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "TESTING": True})
    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


@pytest.fixture()
def client(app) -> FlaskClient:
    return app.test_client()
