"""How gunicorn serves the app: connections on an event loop, requests on threads.

gunicorn's threaded worker gives a thread to every connection from its first byte to its
last, so ten clients that trickle a request a byte a second hold every thread and the
service stops answering (slowloris). Here gunicorn's asyncio worker owns the sockets: a
slow or stalled client costs a coroutine, not a thread. :class:`BufferedBody` reads each
request body completely, within ``COPYDESK_MAX_BODY_BYTES`` and ``COPYDESK_BODY_TIMEOUT``,
before the Flask app (WSGI, run on ``COPYDESK_THREADS`` threads by ``a2wsgi``) sees the
request, so no thread ever waits for a client. A chunked body over the limit gets the same
413 as a declared one, instead of being cut short.

The health probes and the metrics scrape (:data:`OPERATOR_PATHS`) run on threads of their
own (:class:`OperatorLane`): a worker whose request threads are all busy with checks answers
them without waiting for one, so it is not taken out of its Service for being busy, and
scrapes have no gaps.

gunicorn answers requests it cannot parse (a request line over ``limit_request_line``,
bad headers) itself; :class:`Worker` makes those answers problem+json as well.
"""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import gc
import logging
import os
import re
import resource
import signal
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO, Any

from a2wsgi import WSGIMiddleware
from gunicorn.asgi import protocol as gunicorn_protocol
from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers import gasgi
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from . import create_app, lt_api
from .edge import logs
from .edge.metrics import count_request, route
from .problems import PROBLEM_MEDIA_TYPE, body_too_large, http_kind, problem_json
from .rulebook.loading import RulePackError
from .settings import OPERATOR_THREADS, Settings, SettingsError
from .web import SECURITY_HEADERS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)

# After a request body larger than this, the worker gives the memory it grew back to the system.
TRIM_AFTER_BYTES = 1_000_000
# How long a worker that retires (COPYDESK_WORKER_MAX_RSS_MB) waits for its requests in flight.
# gunicorn's graceful timeout (30 s) is for a stop the master asks for; a worker retires by its
# own choice, and a book-length check on a busy LanguageTool takes minutes.
RETIREMENT_WAIT_SECONDS = 600
# Set in a worker process once it has asked itself to stop (its SIGTERM is then a retirement).
RETIRING = threading.Event()
# Request bodies a worker holds at once (read, or in the app), per request thread, each up to
# COPYDESK_MAX_BODY_BYTES; a body that would pass that gets 503 with this Retry-After (seconds).
BODIES_PER_THREAD = 2
BUSY_RETRY_AFTER = 5
# Descriptors a worker keeps for what is not a client's connection: LanguageTool's and Redis's
# sockets, the files it reads, its pipes (an idle worker has 17 open).
FD_RESERVE = 64
# What operators' tools poll: the probes (LanguageTool's own among them) and the metrics scrape.
# They run on OPERATOR_THREADS threads per worker (settings: COPYDESK_THREADS' doc names it).
OPERATOR_PATHS = frozenset({"/healthz", "/readyz", "/v2/healthcheck", "/metrics"})
# A request target in absolute form: a scheme, "://" and an authority, before the path.
_ABSOLUTE_FORM = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_ABSOLUTE_FORM_BYTES = re.compile(_ABSOLUTE_FORM.pattern.encode())
# What gunicorn's own error answers say (their messages can quote the malformed request).
_PROTOCOL_ERRORS = {
    400: "The request is not valid HTTP/1.1.",
    413: "The request body is too large.",
    414: "The request line is longer than the server accepts.",
    431: "The request headers are larger than the server accepts.",
    500: "The server failed to answer the request.",
    501: "The server does not implement what the request asks for.",
    503: "The server has as many connections open as it takes: try again after Retry-After seconds.",
}


class BufferedBody:
    """ASGI middleware: the whole body first, then the app.

    A body declared or found to be larger than ``max_bytes`` gets 413 (before it is read,
    when ``Content-Length`` says so); one that does not arrive within ``timeout`` seconds
    gets 408; one in a coding copydesk does not decode gets 415 (a content coding) or 501
    (a transfer coding beside chunked), unread, where it would otherwise reach the app as
    compressed bytes; all in the error dialect of the path (:meth:`_refuse`). The app then sees
    a complete body with its ``Content-Length``, and a target in absolute form as its path.

    The bodies a worker holds at once, being read or in the app, add up to at most
    ``max_held_bytes``: past that, a body gets 503 with ``Retry-After``. Bodies are read before
    the app checks the key, so without that bound clients without a key could make a worker
    hold as many bodies of ``max_bytes`` as they open connections, until it ran out of memory.
    """

    flask_app: Any = None

    def __init__(
        self, app: ASGIApp, max_bytes: int, timeout: float, max_rss_mb: int = 0, retiring: IO[bytes] | None = None,
        max_held_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_held_bytes = max_bytes * BODIES_PER_THREAD if max_held_bytes is None else max_held_bytes
        self.held_bytes = 0  # of every body of this worker now (one event loop: no lock needed)
        self.timeout = timeout
        self.max_rss_mb = max_rss_mb
        # A file the master opened before forking: the worker that retires locks it (see _first_to_retire).
        self.retiring = retiring
        self.retired = False  # this worker (each has its copy after the fork) has asked to retire

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = _origin_form(scope)
        started = time.perf_counter()
        declared = _content_length(scope)
        codings = _codings(scope)
        if codings.transfer:
            # gunicorn takes gzip, deflate and compress before chunked as known names and decodes none.
            detail = "copydesk decodes no transfer coding but chunked: send the body without gzip, deflate or compress."
            await self._refuse(send, scope, started, 501, "not-implemented", "Not Implemented", detail)
            return
        if codings.content and (declared or codings.chunked):
            detail = "copydesk reads request bodies without a content coding (Content-Encoding): send it uncompressed."
            await self._refuse(send, scope, started, 415, "unsupported-media-type", "Unsupported Media Type", detail,
                               [("Accept-Encoding", "identity")])
            return
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, scope, started, 413, "body-too-large", "Request body too large",
                               body_too_large(declared, self.max_bytes, exact=True))
            return
        held = _Held()  # the bytes of this body that count against max_held_bytes, until the app is done
        body = b""
        try:
            try:
                async with asyncio.timeout(self.timeout):
                    body = await self._read(receive, held)
            except TimeoutError:
                detail = f"The request body did not arrive within {self.timeout:g} s (COPYDESK_BODY_TIMEOUT)."
                await self._refuse(send, scope, started, 408, "body-timeout", "Request body timed out", detail)
                return
            except _Disconnected:
                return
            except _TooLarge as exc:
                await self._refuse(send, scope, started, 413, "body-too-large", "Request body too large",
                                   body_too_large(exc.size, self.max_bytes, exact=False))
                return
            except _Busy:
                detail = ("copydesk holds as many request bodies as it takes at once (COPYDESK_MAX_BODY_BYTES for "
                          "each of twice COPYDESK_THREADS in every worker): try again after Retry-After seconds.")
                await self._refuse(send, scope, started, 503, "busy", "Too many request bodies at once", detail,
                                   [("Retry-After", str(BUSY_RETRY_AFTER))])
                return

            scope = dict(scope)
            headers = [(k, v) for k, v in scope["headers"]
                       if k.lower() not in (b"content-length", b"transfer-encoding")]
            scope["headers"] = [*headers, (b"content-length", str(len(body)).encode())]
            delivered = False

            async def replay() -> Message:
                nonlocal delivered
                if not delivered:
                    delivered = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()  # only a disconnect is left to hear

            await self.app(scope, replay, send)
        finally:
            self.held_bytes -= held.bytes
            body = b""
            if held.bytes > TRIM_AFTER_BYTES:  # served, refused or abandoned: the heap grew all the same
                self._after_large_body()

    def _after_large_body(self) -> None:
        _give_back_memory()
        rss = _resident_mb()
        if self.max_rss_mb and rss > self.max_rss_mb and not self.retired:
            # What is left is Python's own fragmented heap: only a new process gives it back.
            # SIGTERM is gunicorn's graceful exit (requests in flight finish); the master
            # forks a fresh worker from the preloaded app.
            if not _first_to_retire(self.retiring):
                log.info("worker %s stays for now: %.0f MB resident, but another worker is retiring",
                         os.getpid(), rss)
                return
            log.warning("worker %s retires: %.0f MB resident, over COPYDESK_WORKER_MAX_RSS_MB=%d",
                        os.getpid(), rss, self.max_rss_mb)
            self.retired = True  # once: two large bodies in flight would each ask again
            RETIRING.set()
            os.kill(os.getpid(), signal.SIGTERM)

    async def _read(self, receive: Receive, held: _Held) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge(size)
            if self.held_bytes + len(chunk) > self.max_held_bytes:
                raise _Busy
            self.held_bytes += len(chunk)
            held.bytes += len(chunk)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(
        self, send: Send, scope: Scope, started: float, status: int, kind: str, title: str, detail: str,
        extra_headers: list[tuple[str, str]] | None = None,
    ) -> None:
        """A problem body, or on the LanguageTool-compatible API what the app itself answers
        there: LanguageTool's plain-text error, which its clients show as it is, with the CORS
        headers that let an allowed page read it. Like the app's answers, it carries the
        request's id, the security headers and an error's ``Cache-Control: no-store`` (a cache may
        keep a 501, which one request's codings earned, for everyone), and is logged and counted
        under its route."""
        path, method = scope.get("path", ""), scope.get("method", "")
        asked = Headers([(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]])
        rid = logs.new_request_id(asked.get(logs.REQUEST_ID_HEADER))
        headers = [("Connection", "close"), (logs.REQUEST_ID_HEADER, rid), ("Cache-Control", "no-store"),
                   *SECURITY_HEADERS.items(), *(extra_headers or ())]
        endpoint = self._route(path, method)
        # LanguageTool's words where the app has a route of that API; a path or method /v2 does
        # not have gets a problem body, as the app answers it.
        if path.startswith(lt_api.PATH_PREFIX) and endpoint != route(None):
            body, media_type = lt_api.error_text(detail).encode(), "text/plain; charset=utf-8"
            if self.flask_app is not None:
                headers += lt_api.cors_headers(self.flask_app, asked, method)
        else:
            body = problem_json(status, kind, title, detail, instance=path, request_id=rid)
            media_type = PROBLEM_MEDIA_TYPE
        headers += [("Content-Type", media_type), ("Content-Length", str(len(body)))]
        await send({"type": "http.response.start", "status": status,
                    "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]})
        await send({"type": "http.response.body", "body": body})
        seconds = time.perf_counter() - started
        logs.line(method, path, endpoint, status, seconds, rid)
        count_request(endpoint, method, status, seconds)

    def _route(self, path: str, method: str) -> str:
        """The route the app would have given the request (its metrics' and log's label)."""
        if self.flask_app is None:
            return route(None)
        try:
            rule, _ = self.flask_app.url_map.bind("copydesk").match(path, method, return_rule=True)
        except HTTPException:  # not found, method not allowed, a redirect
            return route(None)
        return route(rule)


class OperatorLane:
    """ASGI: the requests of :data:`OPERATOR_PATHS` to ``operators``, all others to ``requests``.

    Both are the same Flask app on separate thread pools, so a probe meets the same hooks (key,
    log line, metrics, headers) as any request, but never waits in the queue behind checks, where
    a busy worker's probes waited until checks ended: long enough for a readiness probe to time
    out and take a busy, healthy worker out of its Service. One readiness probe at a time waits
    on LanguageTool (``LanguageToolClient.ready``), so the other thread stays free.
    """

    def __init__(self, requests: ASGIApp, operators: ASGIApp) -> None:
        self.requests = requests
        self.operators = operators

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane = self.operators if scope.get("path") in OPERATOR_PATHS else self.requests
        await lane(scope, receive, send)


def _max_connections(configured: int) -> int:
    """The connections a worker keeps open at once: ``worker_connections``, or fewer when the
    process may open fewer descriptors, keeping FD_RESERVE of them for everything else."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(1, min(configured, soft - FD_RESERVE))


def _first_to_retire(retiring: IO[bytes] | None) -> bool:
    """Whether this worker may retire now: workers retire one at a time, so that one always
    accepts while another finishes its requests in flight. The first takes a POSIX lock on the
    master's file and keeps it (only this process's exit releases it); others are refused it
    and retire after a later large body."""
    if retiring is None:
        return True
    try:
        fcntl.lockf(retiring, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _give_back_memory() -> None:
    """Return the heap a large request grew to the system (glibc keeps freed memory for reuse,
    so one book-length text would otherwise leave the worker that much larger for good)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _load_libc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return None


_LIBC = _load_libc()


class _Disconnected(Exception):
    pass


class _Busy(Exception):
    """The worker holds ``max_held_bytes`` of bodies already."""


@dataclass
class _Held:
    bytes: int = 0


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _origin_form(scope: Scope) -> Scope:
    """The request with its target as the path the app routes. A server must take ``GET
    http://host/path`` (RFC 9112, 3.2.2: the absolute form, which clients send through some
    proxies) as ``/path``; gunicorn's ASGI parser passes the whole URL on as the path, which the
    app cannot route. The slashes a path starts with are one, as Werkzeug reads them: the
    refusals here (``//v2/check``'s in LanguageTool's words) and the operators' lane
    (``//healthz``) decide on the path the app will see."""
    found = _ABSOLUTE_FORM.match(scope.get("path", ""))
    if found is not None:
        raw = scope.get("raw_path") or b""
        raw_found = _ABSOLUTE_FORM_BYTES.match(raw)
        scope = {**scope, "path": scope["path"][found.end():] or "/",
                 "raw_path": (raw[raw_found.end():] or b"/") if raw_found else raw}
    path = scope.get("path", "")
    if path.startswith("//"):
        raw = scope.get("raw_path") or b""
        scope = {**scope, "path": "/" + path.lstrip("/"), "raw_path": b"/" + raw.lstrip(b"/") if raw else raw}
    return scope


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class _Codings:
    """What the request says its body is coded in, beyond what copydesk reads (chunked framing)."""

    transfer: bool  # a transfer coding other than chunked
    content: bool  # a content coding (gzip, br, ...)
    chunked: bool


def _codings(scope: Scope) -> _Codings:
    transfer = content = chunked = False
    for name, value in scope["headers"]:
        name = name.lower()
        if name not in (b"transfer-encoding", b"content-encoding"):
            continue  # the other headers (cookies among them) are not read on every request
        codings = {c.strip().lower() for c in value.decode("latin-1").split(",")} - {""}
        if name == b"transfer-encoding":
            chunked = chunked or "chunked" in codings
            transfer = transfer or bool(codings - {"chunked", "identity"})
        else:
            content = content or bool(codings - {"identity"})
    return _Codings(transfer, content, chunked)


def application() -> ASGIApp:
    """What gunicorn serves: ``gunicorn -c python:service.gunicorn_conf "service.serving:application()"``."""
    settings = Settings.load()
    try:
        flask_app = create_app()
    except (SettingsError, RulePackError) as exc:
        # A setting that stops the start (a keys file, a rule pack, a storage URL): gunicorn prints
        # a RuntimeError from loading the app as one "Error: ..." line and exits 1, as it does for
        # the settings its config reads, where anything else is a traceback of the whole start.
        raise RuntimeError(str(exc)) from None
    served = BufferedBody(
        OperatorLane(WSGIMiddleware(flask_app, workers=settings.threads),
                     WSGIMiddleware(flask_app, workers=OPERATOR_THREADS)),
        settings.max_body_bytes,
        settings.body_timeout,
        settings.worker_max_rss_mb,
        tempfile.TemporaryFile(),  # opened in the master, which preloads the app: shared by its workers
        max_held_bytes=BODIES_PER_THREAD * settings.threads * settings.max_body_bytes,
    )
    served.flask_app = flask_app  # gunicorn's master stops the embedded LanguageTool through it
    return served


class ProblemProtocol(ASGIProtocol):
    """gunicorn's HTTP protocol, answering the requests it cannot parse with problem+json,
    closing the connection after an answer that says so, and known to its worker while open (see
    :meth:`Worker._shutdown`)."""

    worker: Worker
    _app_closes = False  # the response in progress says Connection: close

    def connection_made(self, transport: Any) -> None:
        self.worker.connections.add(self)
        super().connection_made(transport)
        if len(self.worker.connections) > self.worker.max_connections:
            # gunicorn's asyncio worker accepts every connection: clients that open many and send
            # nothing held a descriptor each for COPYDESK_KEEPALIVE seconds, until the worker could
            # neither accept nor reach LanguageTool. Past the bound, a connection gets 503 at once.
            self._send_error_response(503, "too many connections", [("Retry-After", str(BUSY_RETRY_AFTER))])
            self._keepalive_timeout()  # closes, and ends gunicorn's wait for a request on it
            return
        # gunicorn times out the wait for a next request only: a connection that never finished
        # its first request's headers stayed open for good, a descriptor each. It gets the same
        # keep-alive time, cancelled as gunicorn cancels it, once the headers are in.
        self._arm_keepalive_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.connections.discard(self)
        super().connection_lost(exc)

    def close_if_idle(self) -> None:
        """Close the connection if it is waiting for its next request and no application call
        of it is still running, as gunicorn's keep-alive timer does when it runs out."""
        if self._awaiting_request and not self._finishing_calls and not self._closed:
            self._keepalive_timeout()

    async def _serve_http_request(self, request: Any, sockname: Any, peername: Any) -> bool:
        """gunicorn's keep-alive decision, except that a response of the app announcing
        ``Connection: close`` (the refusals of :class:`BufferedBody`) closes the connection, as
        RFC 9112 (section 9.6) requires. gunicorn sends that header on but kept the connection
        for its next request whenever the refused body had arrived whole: a client that took the
        header at its word left it idle, holding one of the worker's connections for
        COPYDESK_KEEPALIVE seconds."""
        self._app_closes = False
        keepalive = await super()._serve_http_request(request, sockname, peername)
        return keepalive and not self._app_closes

    def _send_response_start(self, status: int, headers: Any, request: Any, close: bool = False) -> None:
        # ASGI headers are bytes; the app's ``Connection`` header is only ever BufferedBody's.
        self._app_closes = any(name.lower() == b"connection" and b"close" in value.lower() for name, value in headers)
        super()._send_response_start(status, headers, request, close=close)

    def _is_websocket_upgrade(self, request: Any) -> bool:
        """Never: copydesk speaks no WebSocket, so a handshake goes to the app as the HTTP request
        it also is, and gets its 400 problem there (Werkzeug's routing refuses a WebSocket
        request to an HTTP route). gunicorn would otherwise hand it to the WSGI app as a
        WebSocket, which that cannot take: a bare 403 without a body, or 426 for a version."""
        return False

    def _send_error_response(self, status: int, message: str, extra_headers: Any = ()) -> None:
        detail = _PROTOCOL_ERRORS.get(status, "The request cannot be served.")
        body = problem_json(status, http_kind(status), HTTPStatus(status).phrase, detail, instance="")
        extra = "".join(f"{name}: {value}\r\n" for name, value in extra_headers)
        # Date: an origin server must send it with a 4xx (RFC 9110, 6.6.1). no-store: a cache may
        # keep a 414 or a 501 for everyone, which one request's line or codings earned.
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            f"Date: {http_date()}\r\nCache-Control: no-store\r\n"
            "Content-Type: application/problem+json\r\n"
            f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
        )
        self._safe_write(head.encode("latin-1"))
        self._safe_write(body)


class Worker(gasgi.ASGIWorker):
    """gunicorn's asyncio worker with :class:`ProblemProtocol`, which stops without waiting for
    idle connections.

    The worker builds its protocol by the module-level name ``gasgi.ASGIProtocol``; this
    worker process points that name at ours, and fills in the reason phrases gunicorn's status
    lines lack. All rely on internals of the pinned gunicorn (27.0.1); tests send a malformed
    request line, stop a worker holding an idle connection and read a 412's status line.
    """

    connections: set[ProblemProtocol]
    max_connections: int

    def init_process(self) -> None:
        gasgi.ASGIProtocol = ProblemProtocol  # type: ignore[misc]
        # gunicorn's status lines carry a reason phrase only for the statuses it lists: copydesk's
        # 412 went out as "412 Unknown", which operators read in curl -v and proxies' logs.
        for status in HTTPStatus:
            gunicorn_protocol._REASON_PHRASES.setdefault(status.value, status.phrase)
        self.connections = set()
        self.max_connections = _max_connections(self.cfg.worker_connections)
        super().init_process()

    async def _shutdown(self) -> None:
        """Stop accepting, close the connections that only wait for a next request, then let
        gunicorn wait for the requests in flight. gunicorn alone waits for every open connection,
        up to graceful_timeout (30 s), and forks no replacement before this worker has exited: a
        connection a client or a proxy keeps alive would keep the worker's place empty that long
        each time a worker retires (COPYDESK_WORKER_MAX_RSS_MB), and every place, when all
        retire at once.

        A retiring worker waits for its requests in flight up to RETIREMENT_WAIT_SECONDS instead,
        beating its heartbeat meanwhile, since gunicorn's wait does not and the master would take
        it for hung after ``timeout``. A stop the master asks for meanwhile still ends within the
        master's own graceful timeout: it kills the workers that outlast it."""
        for server in self.servers:
            server.close()
        for connection in list(self.connections):
            connection.close_if_idle()
        if not RETIRING.is_set():
            await super()._shutdown()
            return
        self.cfg.set("graceful_timeout", RETIREMENT_WAIT_SECONDS)  # this process's copy
        heartbeat = asyncio.ensure_future(self._beat())
        try:
            await super()._shutdown()
        finally:
            heartbeat.cancel()

    async def _beat(self) -> None:
        while True:
            self.notify()
            await asyncio.sleep(1.0)
