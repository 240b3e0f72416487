"""Fixtures for the browser tests: copydesk over a socket with the session's real
LanguageTool (also one whose LanguageTool is a closed port, and ones with settings of a test's
own), and a real Chromium.

Chromium is Debian's (``make test`` installs it through ``scripts/install-browser-deps``),
driven by Playwright for Python; Playwright's own browser download is never used. A missing
browser or axe-core fails the tests: they are never skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browsing import AXE, CHROMIUM, CHROMIUM_ARGS, LiveServer, Watched, serve, watch
from playwright.sync_api import Browser, Playwright, sync_playwright
from support import free_port

# The live server's COPYDESK_MAX_TEXT_CHARS (the default, 1,000,000, is slow to type into a page).
MAX_TEXT_CHARS = 100_000


@pytest.fixture(scope="session")
def live_server(languagetool_url: str, data_dir: Path) -> Iterator[LiveServer]:
    """copydesk with the session's real LanguageTool, and a text limit a browser fills quickly."""
    live = serve({"languagetool_url": languagetool_url, "data_dir": data_dir, "max_text_chars": MAX_TEXT_CHARS})
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


@pytest.fixture()
def watched(browser: Browser, live_server: LiveServer) -> Iterator[Watched]:
    yield from watch(browser, live_server.url)


@pytest.fixture()
def watched_without_languagetool(browser: Browser, server_without_languagetool: LiveServer) -> Iterator[Watched]:
    yield from watch(browser, server_without_languagetool.url)


@pytest.fixture()
def watched_with(browser: Browser, languagetool_url: str, data_dir: Path) -> Iterator[Callable[..., Watched]]:
    """A watched page on a copydesk of its own, with settings the session's server does not
    have (``watched_with(rate_limit="1/minute")``); both go when the test ends."""
    opened: list[tuple[LiveServer, Iterator[Watched]]] = []

    def open_with(**settings: object) -> Watched:
        live = serve({"languagetool_url": languagetool_url, "data_dir": data_dir, **settings})
        pages = watch(browser, live.url)
        opened.append((live, pages))
        return next(pages)

    yield open_with
    for live, pages in opened:
        next(pages, None)  # closes the browser context
        live.stop()
