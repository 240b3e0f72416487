"""What the browser tests share: copydesk served over a real socket, and a watched page.

The service runs in werkzeug's threaded server on a free port, built by ``create_app``.
A watched page records its console errors, uncaught exceptions, and every request that would
leave the service's origin (recorded and aborted, never sent).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route
from support import free_port
from werkzeug.serving import BaseWSGIServer, make_server

from service import create_app

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
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


def watch(browser: Browser, origin: str) -> Iterator[Watched]:
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
