"""Shared fixtures: one real LanguageTool server for the session, the app, and a client
that validates every response it receives against ``openapi.yaml``.

The server is the one ``scripts/fetch-languagetool`` installs (``make test`` runs it
first), started by copydesk's own supervisor on a free port. If it cannot start, the
tests that need it fail: they are never skipped.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from support import FIXTURES, ContractClient, SilentServer, free_port

from service import create_app
from service.languagetool.supervisor import LanguageToolSupervisor
from service.settings import Settings
from service.text import memo


@pytest.fixture()
def memos_sized() -> Iterator[Callable[[int], None]]:
    """``memo.keep`` for one test; every memo goes back to the setting's default after it."""
    yield memo.keep
    memo.keep(Settings.memo_entries)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_title(seed_text: str) -> str:
    return seed_text.splitlines()[0]


@pytest.fixture(scope="session")
def languagetool_url() -> Iterator[str]:
    """A real LanguageTool server, started from the Maven Central jars for this session.

    ``LANGUAGETOOL_TEST_URL`` names one that is already running instead (a developer's, to save
    the start-up while iterating); CI never sets it.
    """
    running = os.environ.get("LANGUAGETOOL_TEST_URL")
    if running:
        yield running
        return
    settings = Settings.load()
    # Every language the tests check long texts in is built before the first test: a language's
    # first check can pass LanguageTool's own 15 s limit (German's, of 12,000 characters, did).
    supervisor = LanguageToolSupervisor.from_settings(
        dataclasses.replace(settings, languagetool_port=free_port(), languagetool_startup_timeout=180.0,
                            languagetool_warm_languages=("en-US", "en-GB", "en", "de-AT"))
    )
    supervisor.start()
    if not supervisor.wait_ready():
        supervisor.stop()
        pytest.fail(f"LanguageTool did not become ready; its last output:\n{supervisor.output_tail()}")
    yield supervisor.url
    supervisor.stop()


@pytest.fixture()
def silent_server() -> Iterator[SilentServer]:
    with SilentServer() as server:
        yield server


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("copydesk-data")


@pytest.fixture(scope="session")
def app(languagetool_url: str, data_dir: Path):
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "TESTING": True})
    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


@pytest.fixture()
def client(app) -> FlaskClient:
    return app.test_client()
