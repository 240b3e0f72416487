"""What every request passes through on its way in and out, whatever its endpoint: its
request id and clock, the API key, the rate limit, its one JSON log line and its metrics.

The endpoints (``service.api``, ``service.web``, ...) know nothing of this: ``install``
registers hooks around them, in the order a request meets them. The id and the clock come
first, so even a refused request has both in its answer and its log line; then the key;
then the limit, counted per key (per client address when the service has no keys), so the
key is known before it. ``/healthz``, ``/readyz``, the playground and its files, the
contract and ``/docs/`` stay open; ``/metrics`` has keys of its own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask_limiter import Limiter
from limits.errors import ConfigurationError
from werkzeug.exceptions import Unauthorized

from ..cache import REDIS_TIMEOUT
from ..findings import Document
from ..settings import SettingsError
from . import logs
from .keys import KeysFile, presented_key
from .metrics import LANGUAGETOOL_RESTARTS, ScoringMetrics, count_request, metrics, route

# Endpoints (Flask's names) anyone may call; everything else the app serves needs an API
# key when keys are on. Paths the app does not serve fall through to their 404 or 405.
# LanguageTool's clients ask for the languages and the limit (language_tool_python does, without
# a key) and send their key with checks, as LanguageTool's own server expects it. configinfo is
# not open: LanguageTool loads a language's rules to list them, and a client asking for one
# language after another fills its heap (its Java client can post the key with the language).
OPEN_ENDPOINTS = frozenset(
    {"api.healthz", "api.readyz", "api.openapi_spec", "web.playground", "web.asset",
     "lt_api.healthcheck", "lt_api.languages", "lt_api.info", "lt_api.maxtextlength"}
)
OPEN_BLUEPRINTS = frozenset({"docs"})
METRICS_ENDPOINT = "metrics.scrape"
# Where LanguageTool's own clients put their key: a request parameter.
LANGUAGETOOL_KEY_PARAMETER = "apiKey"


class KeyRefused(Unauthorized):
    """401 with the ``WWW-Authenticate`` challenge of RFC 6750 (bearer tokens)."""

    def __init__(self, realm: str, missing: bool, kind: str = "API key", parameter: str | None = None) -> None:
        if missing:
            ways = "Authorization: Bearer <key> or X-API-Key: <key>"
            if parameter:
                ways += f", or the {parameter} parameter"
            detail = f"This endpoint needs {'an' if kind[0] in 'AEIOU' else 'a'} {kind}: send {ways}."
            self.challenge = f'Bearer realm="{realm}"'
        else:
            detail = f"The {kind} is not valid."
            self.challenge = f'Bearer realm="{realm}", error="invalid_token"'
        super().__init__(detail)

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", self.challenge)]


class Edge:
    """The hooks, with what they need: the keys files and the rate limiter (each optional)."""

    def __init__(self, api_keys: KeysFile | None, metrics_keys: KeysFile | None) -> None:
        self.api_keys = api_keys
        self.metrics_keys = metrics_keys
        self.limiter: Limiter | None = None

    def guard(self) -> None:
        """Refuse a request without a valid key, where keys are asked for."""
        if request.method == "OPTIONS" or request.url_rule is None:
            return  # preflights carry no credentials; unknown paths get their 404/405
        endpoint = request.endpoint or ""
        if endpoint == METRICS_ENDPOINT:
            # An API key does not open /metrics: the message says which key it asks for.
            keys, realm, kind = self.metrics_keys, "copydesk-metrics", "metrics key (COPYDESK_METRICS_KEYS_FILE)"
        elif not needs_key(endpoint):
            return
        else:
            keys, realm, kind = self.api_keys, "copydesk", "API key"
        if keys is None:
            return
        g.keyed = True  # the answer is its key holder's: see finish
        parameter = LANGUAGETOOL_KEY_PARAMETER if endpoint.startswith("lt_api.") else None
        key = presented_key(parameter)
        if key is None:
            raise KeyRefused(realm, missing=True, kind=kind, parameter=parameter)
        found = keys.current().match(key)
        if found is None:
            raise KeyRefused(realm, missing=False, kind=kind)
        g.client = f"key:{found}"

    def finish(self, response: Response) -> Response:
        """Last thing for every answer the app makes: Retry-After on a 429, ``Cache-Control:
        no-store`` on an error and ``private`` on an answer behind a key, the id echoed, the log
        line, the metrics.

        A shared cache may keep a GET's 200 without ``Cache-Control`` (RFC 9111 gives it a heuristic
        lifetime; CDNs and Varnish do). It gives no one else the answer to a request with
        ``Authorization`` (RFC 9111, 3.5), but a key in ``X-API-Key`` is a header like any other to
        it: the answer it kept for a key holder (``GET /v1/rules``, ``GET /v2/check``) went to
        clients without a key. An error answers one request (its ``request_id``), and a cache may
        keep a 404 or a 405 as it keeps a 200 (RFC 9110, 15.1): a 404 that a replica of the
        previous release gave for a file outlived a rolling upgrade."""
        if response.status_code >= 400:
            response.headers.setdefault("Cache-Control", "no-store")
        if g.get("keyed"):
            response.headers.setdefault("Cache-Control", "private")
        if response.status_code == 429 and self.limiter is not None:
            limit = self.limiter.current_limit
            wait = 1
            if limit is not None:
                # The storage rounds the reset time up a second: never more than the window.
                wait = min(math.ceil(limit.reset_at - time.time()), limit.limit.get_expiry())
            response.headers["Retry-After"] = str(max(1, wait))
        endpoint = route(request.url_rule)
        seconds = logs.finish(response, endpoint)
        count_request(endpoint, request.method, response.status_code, seconds)
        return response


def needs_key(endpoint: str) -> bool:
    """Whether the API's keys guard this endpoint (and its rate limit applies)."""
    blueprint = endpoint.split(".", 1)[0] if "." in endpoint else ""
    return endpoint not in OPEN_ENDPOINTS and blueprint not in OPEN_BLUEPRINTS and endpoint != METRICS_ENDPOINT


def rate_limited() -> bool:
    return request.method != "OPTIONS" and request.url_rule is not None and needs_key(request.endpoint or "")


def client() -> str:
    """Who a rate limit counts: the key (by its name, KeyRing.match), or the client's address."""
    return g.get("client") or "address:" + (request.remote_addr or "unknown")


class Watch(ScoringMetrics):
    """The scorer's observer: the metrics, and the request's log line (text length, checks,
    verdict, cache), never the text."""

    def report_started(self, document: Document, checks: Sequence[str]) -> None:
        if has_request_context():
            logs.note(text_length=len(document.text), checks=list(checks))

    def report_finished(self, report: Mapping[str, Any]) -> None:
        super().report_finished(report)
        if has_request_context():
            logs.note(verdict=report["verdict"], complete=report["complete"], cache=report["meta"].get("cache"))


def _limiter(app: Flask, limit: str, storage_url: str) -> Limiter:
    """One budget per client across the whole API (an application limit), not one per route.

    A shared storage that fails or is slow must not fail the API: the limiter then counts in
    this worker's memory (as ``memory://`` does) and asks the storage again now and then. Redis
    gets the shared cache's timeouts, not its client's 5 s, which a Redis that stops answering
    would cost every request. A URL the ``limits`` library cannot use stops the start; the message does
    not quote it, since it may hold a password."""
    scheme = storage_url.partition("://")[0]
    options = {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT} if "redis" in scheme else {}
    try:
        return Limiter(
            client,
            app=app,
            application_limits=[limit],
            application_limits_exempt_when=lambda: not rate_limited(),
            storage_uri=storage_url,
            storage_options=options,
            in_memory_fallback_enabled=True,
            strategy="moving-window",
            headers_enabled=False,
            key_prefix="copydesk",
        )
    except (ConfigurationError, ValueError) as exc:
        reason = str(exc).replace(storage_url, f"{scheme}://...")
        raise SettingsError(f"COPYDESK_RATE_LIMIT_STORAGE_URL cannot be used: {reason}") from None


def install(app: Flask, services: Any) -> Edge:
    """Register /metrics and the hooks around every request; watch the scorer and the
    LanguageTool supervisor. Bad keys files or rate-limit settings stop the start."""
    settings = services.settings
    edge = Edge(
        KeysFile(settings.api_keys_file, "COPYDESK_API_KEYS_FILE") if settings.api_keys_file else None,
        KeysFile(settings.metrics_keys_file, "COPYDESK_METRICS_KEYS_FILE") if settings.metrics_keys_file else None,
    )
    app.register_blueprint(metrics)
    app.before_request(logs.begin)
    app.before_request(edge.guard)
    if settings.rate_limit:
        edge.limiter = _limiter(app, settings.rate_limit, settings.rate_limit_storage_url)
    app.after_request(edge.finish)
    app.extensions["copydesk-edge"] = edge
    services.scorer.observer = Watch()
    if services.supervisor is not None:
        services.supervisor.on_restart = LANGUAGETOOL_RESTARTS.inc
    return edge
