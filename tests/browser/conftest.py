"""Fixtures for the browser tests: copydesk served over a real socket, and a real Chromium.

The service runs in werkzeug's threaded server on a free port, built by ``create_app`` with
the session's real LanguageTool. Chromium is Debian's (``make test`` installs it through
``scripts/install-browser-deps``), driven by Playwright for Python; Playwright's own browser
download is never used. A missing browser or axe-core fails the tests: they are never skipped.

Every page is watched: its console errors, uncaught exceptions, and any request that would
leave the service's origin (those are recorded and aborted, never sent).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright
from support import free_port
from werkzeug.serving import BaseWSGIServer, make_server

from service import create_app

CHROMIUM = Path(os.environ.get("COPYDESK_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# Headless, and none of Chromium's own traffic (updates, sync, safe browsing, QUIC probes):
# these machines have no network but the package registries, and the tests check that the
# page itself sends nothing outside the service.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
]


@dataclass
class LiveServer:
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def serve(config: dict) -> LiveServer:
    app = create_app(config)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=f"copydesk-{port}", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def live_server(languagetool_url: str, data_dir: Path) -> Iterator[LiveServer]:
    """copydesk with the session's real LanguageTool."""
    live = serve({"languagetool_url": languagetool_url, "data_dir": data_dir})
    yield live
    live.stop()


@pytest.fixture(scope="session")
def server_without_languagetool(data_dir: Path) -> Iterator[LiveServer]:
    """copydesk whose LanguageTool URL points at a closed port: grammar cannot run (a real 503)."""
    closed = free_port()  # bound and released: nothing listens there
    live = serve({"languagetool_url": f"http://127.0.0.1:{closed}", "data_dir": data_dir, "languagetool_timeout": 5})
    yield live
    live.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/install-browser-deps)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (scripts/install-browser-deps)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class Watched:
    """A page and what it did that a test may have to refuse."""

    page: Page
    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self, expected_statuses: tuple[int, ...] = ()) -> None:
        """No request left the origin; no console error, except Chromium's own line for an
        HTTP error status the test provoked on purpose (e.g. 413)."""
        assert self.foreign_requests == [], self.foreign_requests
        assert self.page_errors == [], self.page_errors
        expected = tuple(f"the server responded with a status of {status}" for status in expected_statuses)
        unexpected = [text for text in self.console_errors if not (expected and any(e in text for e in expected))]
        assert unexpected == [], unexpected


def _watch(browser: Browser, origin: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=origin)
    page = context.new_page()
    watched = Watched(page, origin)

    def gatekeeper(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            watched.foreign_requests.append(url)
            route.abort()

    context.route("**/*", gatekeeper)
    page.on("console", lambda message: watched.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: watched.page_errors.append(str(error)))
    page.set_default_timeout(30_000)
    yield watched
    context.close()


@pytest.fixture()
def watched(browser: Browser, live_server: LiveServer) -> Iterator[Watched]:
    yield from _watch(browser, live_server.url)


@pytest.fixture()
def watched_without_languagetool(browser: Browser, server_without_languagetool: LiveServer) -> Iterator[Watched]:
    yield from _watch(browser, server_without_languagetool.url)
