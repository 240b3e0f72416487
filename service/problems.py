"""RFC 9457 problem details: the one error body every failure turns into.

Handlers raise :class:`Problem` (or let Werkzeug raise an HTTP error); ``register``
installs the handlers that render both as ``application/problem+json``. Anything else
becomes a 500 whose body says nothing about the code: the traceback goes to the log only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import WebsocketMismatch

from .score_request import FieldError, RequestError, TextTooLong

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:copydesk:problem:"
# The field problems a 422 lists: an 8 MB body of 800,000 unknown fields was answered with all of
# them, 56 MB built in 2.8 s, and a worker grew by 500 MB for it.
MAX_LISTED_ERRORS = 100


class Problem(Exception):
    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def invalid(errors: Sequence[FieldError]) -> Problem:
    """422 for a well-formed request whose fields are missing or wrong: lists every problem, up
    to MAX_LISTED_ERRORS of them, and says how many more there are: only the listed ones are
    turned into the body's ``errors`` and ``detail``, whoever found them."""
    listed = [{"field": e.field, "message": e.message} for e in errors[:MAX_LISTED_ERRORS]]
    more = len(errors) - len(listed)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in listed)
    if more > 0:
        detail += f"; and {more} more (the first {len(listed)} are listed)"
    return Problem(422, "invalid-request", "Request fields are invalid", detail, errors=listed)


def request_problem(error: RequestError) -> Problem:
    """The problem for a request that ``service.score_request`` refused: 413 when the text is
    too long, else 422 with every field problem."""
    if isinstance(error, TextTooLong):
        return Problem(
            413,
            "text-too-long",
            "Text too long",
            f"The text and title have {error.length} characters; the limit is {error.limit} "
            "(COPYDESK_MAX_TEXT_CHARS). Split the document and score the parts.",
        )
    return invalid(error.errors)


def problem_json(status: int, kind: str, title: str, detail: str, instance: str, **extra: Any) -> bytes:
    """The one problem body, for the Flask app and for the layers in front of it (``serving``)."""
    body = {"type": TYPE_PREFIX + kind, "title": title, "status": status, "detail": detail, "instance": instance}
    return json.dumps({**body, **extra}).encode()


def problem_response(problem: Problem) -> Response:
    extra = dict(problem.extra)
    if problem.errors:
        extra["errors"] = problem.errors
    # The request's id (``service.edge.logs`` sets it first thing), so a client can quote it.
    if g.get("request_id"):
        extra["request_id"] = g.request_id
    body = problem_json(problem.status, problem.kind, problem.title, problem.detail, request.path, **extra)
    response = Response(body, status=problem.status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(problem.headers)
    return response


# The kind of a bare HTTP error, whether Werkzeug raised it in the app or gunicorn answered it
# before the app (``service.serving``): one name per status, as openapi.yaml lists them.
_HTTP_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    412: "precondition-failed",
    413: "body-too-large",
    414: "uri-too-long",
    415: "unsupported-media-type",
    416: "range-not-satisfiable",
    429: "rate-limited",
    431: "headers-too-large",
    500: "internal-error",
    501: "not-implemented",
    503: "busy",  # only the HTTP server's own 503 (service.serving): the app's name their kind
}


def body_too_large(size: int | None, limit: int, exact: bool = True) -> str:
    """The detail of every 413 for a body over ``COPYDESK_MAX_BODY_BYTES``, whoever refuses it:
    the body reader under gunicorn, or the app served without it. ``exact``: the size was
    declared (Content-Length); else it is what had arrived, or unknown (None)."""
    if size is None:
        said = f"larger than {limit} bytes"
    else:
        said = f"{size} bytes" if exact else f"at least {size} bytes"
    return f"The request body is {said}; the limit is {limit} bytes (COPYDESK_MAX_BODY_BYTES)."


def http_kind(status: int) -> str:
    return _HTTP_KINDS.get(status, f"http-{status}")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    # What the error says about itself (WWW-Authenticate on a 401, ...), not its HTML body's type.
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(sorted(error.valid_methods))  # type: ignore[attr-defined]
    detail = error.description or ""
    if status == 413:
        detail = body_too_large(None, request.max_content_length or 0, exact=False)
    elif isinstance(error, WebsocketMismatch):
        detail = "copydesk speaks no WebSocket: send the request without 'Upgrade: websocket'."
    elif status == 429:
        detail = f"Over the rate limit of {detail} (COPYDESK_RATE_LIMIT): try again after Retry-After seconds."
    return problem_response(
        Problem(status, http_kind(status), error.name, detail, headers=headers)
    )


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error while handling %s %s", request.method, request.path)
    return problem_response(
        Problem(500, "internal-error", "Internal Server Error", "copydesk failed unexpectedly; the error is logged.")
    )


def register(app: Flask) -> None:
    app.register_error_handler(Problem, problem_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
