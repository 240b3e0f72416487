"""One JSON object per log line, for copydesk, gunicorn and the embedded LanguageTool alike,
and one line per request.

The standard library does the logging; :class:`JsonFormatter` only shapes the record (a
dependency for that was not worth it). A request's line says what was asked and how it went
(method, path, endpoint, status, duration, request id, and for a report its text length,
checks, verdict and cache) and never what was sent: no text, no title, no query string (a
``text/plain`` request carries its title there), no header, so no API key.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# What a client's request id may be: an id, not a message (a UUID, a trace id, a ULID fit).
# Anything else is replaced by one of ours, so the log and the echo carry only these.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
request_log = logging.getLogger("copydesk.request")


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, pid, message, and the record's extra
    fields (``log.info(..., extra={...})``); a traceback as one escaped string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        entry.update((k, v) for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_"))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str) -> None:
    """JSON lines on stderr, unless logging is configured already (gunicorn configures it from
    ``service.gunicorn_conf``, with this formatter; pytest captures it)."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())


def request_id() -> str | None:
    """This request's id (the client's when it is a valid one), once ``begin`` has run."""
    return g.get("request_id")


def new_request_id(sent: str | None) -> str:
    """The id a request goes by: the one its client sent when that is an id, else a new one."""
    return sent if sent and REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def begin() -> None:
    """First thing for every request: its clock and its id."""
    g.request_started = time.perf_counter()
    g.request_id = new_request_id(request.headers.get(REQUEST_ID_HEADER))


def note(**fields: Any) -> None:
    """Add fields to this request's log line (what the scorer learnt: text length, verdict...)."""
    g.setdefault("request_fields", {}).update(fields)


def finish(response: Response, endpoint: str) -> float:
    """Echo the id, write the request's line; returns the request's duration in seconds."""
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    rid = g.get("request_id")
    if rid:
        response.headers[REQUEST_ID_HEADER] = rid
    line(request.method, request.path, endpoint, response.status_code, seconds, rid, **g.get("request_fields", {}))
    return seconds


def line(method: str, path: str, endpoint: str, status: int, seconds: float, rid: str | None, **fields: Any) -> None:
    """A request's log line: the app's (``finish``), and the serving layer's for a body it
    refused before the app saw the request."""
    fields = {
        "method": method,
        "path": path,
        "endpoint": endpoint,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "request_id": rid,
        **fields,
    }
    request_log.info("%s %s %s", method, path, status, extra=fields)
