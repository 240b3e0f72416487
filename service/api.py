"""The HTTP layer: parse and validate a request, call the scorer, serialise the answer.

Nothing here knows how a check works; every failure is raised as a ``Problem`` and
rendered by ``service.problems``.
"""

from __future__ import annotations

import codecs
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from .conditional import revalidated
from .problems import Problem, body_too_large, invalid, request_problem
from .score_request import (
    FieldError,
    RequestError,
    TooManyJsonValues,
    fields_from_query,
    load_json,
    parse_headlines,
    parse_score_request,
)
from .scoring import IncompleteReport
from .settings import PROJECT_ROOT

api = Blueprint("api", __name__)

# A report goes to the server this many bytes at a time. The server's socket transport copies
# what it is handed and cannot send at once (and joins it to the headers first): one write of an
# 80 MB report (200,000 issues) held it two more times over (bench.garbage).
REPORT_CHUNK_BYTES = 1 << 20

OPENAPI_FILE = PROJECT_ROOT / "openapi.yaml"


def _services() -> Any:
    return current_app.extensions["copydesk"]


@api.post("/v1/score")
def score() -> Response:
    services = _services()
    try:
        score_request = parse_score_request(
            _read_payload(), max_text_chars=services.settings.max_text_chars, rules=services.rulebook,
            thresholds=services.readability,
        )
    except RequestError as exc:
        raise request_problem(exc) from exc
    scorer = services.scorer
    # Only a tag the client was given counts; "*" ("any representation") says nothing about
    # which report the client holds. The key is computed here only for a client that sends tags:
    # it hashes the whole text, which the scorer does anyway.
    tags = request.if_none_match
    if tags and not tags.star_tag:
        held = scorer.report_key(score_request.document, score_request.checks)
        if tags.contains_weak(held):
            return Response(status=304, headers={"ETag": f'W/"{held}"'})
    try:
        report, parts, etag = scorer.score_encoded(
            score_request.document, score_request.checks, allow_partial=score_request.allow_partial
        )
    except IncompleteReport as exc:
        raise Problem(
            503,
            "check-unavailable",
            "A requested check could not run",
            f"{exc}. Send \"allow_partial\": true to get the other sections anyway.",
            unavailable=sorted(exc.reasons),
            headers={"Retry-After": "10"},
        ) from exc
    length = sum(map(len, parts))
    response = Response(_chunks(parts), mimetype="application/json", headers={"Content-Length": str(length)})
    if report["complete"]:
        # The key names everything the report depends on, so a client that holds it is current
        # (the key after the checks, with the LanguageTool version that answered them).
        # Weak: reports under one key are equivalent, not byte for byte the same (meta.cache and
        # meta.timings_ms differ), which a strong tag would promise (RFC 9110, 8.8.1).
        response.set_etag(etag, weak=True)
    return response


def _chunks(parts: list[bytes]) -> Iterator[bytes]:
    """The report's parts, REPORT_CHUNK_BYTES at most at a time; each part let go of once it
    is sent (the list is emptied), so a long report shrinks as a slow client reads it."""
    parts.reverse()
    while parts:
        part = parts.pop()
        for start in range(0, len(part), REPORT_CHUNK_BYTES):
            yield part[start : start + REPORT_CHUNK_BYTES]


@api.post("/v1/clickbait")
def clickbait() -> Response:
    """Headline-only scoring for bulk archive work: the model, no LanguageTool."""
    services = _services()
    try:
        wanted = parse_headlines(_read_payload(accept_plain_text=False))
    except RequestError as exc:
        raise request_problem(exc) from exc
    model = services.clickbait.model
    threshold = services.clickbait.threshold_for(wanted.threshold)
    return jsonify(
        {
            "results": services.clickbait.score_headlines(wanted.headlines, threshold),
            "model_version": model.version,
            "threshold": threshold,
        }
    )


@api.get("/v1/rules")
def rules() -> Response:
    book = _services().rulebook
    return jsonify({"packs": book.packs, "rules": book.describe()})


@api.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@api.get("/readyz")
def readyz() -> Response:
    services = _services()
    ok, reason = services.ready()
    if not ok:
        raise Problem(503, "not-ready", "LanguageTool is not ready", reason, headers={"Retry-After": "5"})
    # No key guards this probe, so it says nothing of where LanguageTool is: its URL may name an
    # internal host, and a password (basic auth in COPYDESK_LANGUAGETOOL_URL).
    return jsonify({"status": "ready", "languagetool": {"version": services.languagetool.server_version}})


@api.get("/openapi.yaml")
def openapi_spec() -> Response:
    return revalidated(OPENAPI_FILE.read_bytes(), "application/yaml", "openapi.yaml")


# Python's codecs that no HTTP client means by a charset: they decode by Python's own rules
# (backslash escapes, domain names) or always fail.
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"})


def _json_error(error: Exception) -> str:
    """What is wrong with a JSON body, in words for the client (not Python's advice)."""
    if isinstance(error, UnicodeDecodeError):
        return f"The body is not UTF-8 (byte {error.start})."
    if isinstance(error, json.JSONDecodeError):
        return f"The body is not valid JSON: {error}"
    if isinstance(error, RecursionError):
        return "The body's JSON is nested too deeply."
    return "The body's JSON has a number too long to read (more than 4,300 digits)."


def _read_payload(accept_plain_text: bool = True) -> dict[str, Any]:
    """The request as a dict of fields, from a JSON object or a text/plain body."""
    length = request.content_length
    if length is not None and length > (request.max_content_length or length):
        # Refuse before reading a byte of the body.
        raise Problem(
            413,
            "body-too-large",
            "Request body too large",
            body_too_large(length, request.max_content_length or length),
        )
    mimetype = request.mimetype
    if mimetype == "application/json":
        if request.args:
            read = "read only with a text/plain body" if accept_plain_text else "not read here"
            raise invalid(
                [FieldError(name, f"query parameters are {read}; put it in the JSON") for name in sorted(request.args)]
            )
        try:
            # RFC 8259 (8.1) lets a parser ignore a byte order mark, which Windows tools write.
            payload = load_json(request.get_data().decode("utf-8").removeprefix("\ufeff"))
        except TooManyJsonValues as exc:
            raise Problem(413, "body-too-large", "Request body too large", str(exc)) from exc
        except (ValueError, RecursionError) as exc:
            raise Problem(400, "malformed-json", "Malformed JSON", _json_error(exc)) from exc
        if not isinstance(payload, dict):
            raise invalid([FieldError("(body)", "must be a JSON object")])
        return payload
    if mimetype == "text/plain" and accept_plain_text:
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            if codecs.lookup(charset).name in _NOT_CHARSETS:
                raise LookupError(charset)
            text = request.get_data().decode(charset)
        except LookupError as exc:
            detail = f"The body names a character set copydesk does not know: {charset!r}."
            raise Problem(400, "malformed-text", "Malformed text", detail) from exc
        except (UnicodeError, ValueError) as exc:
            detail = f"The body is not in the character set it names ({charset})."
            raise Problem(400, "malformed-text", "Malformed text", detail) from exc
        try:
            # Read strictly: Werkzeug's request.args writes U+FFFD for bytes that are not UTF-8,
            # which would be a title nobody sent.
            query = urllib.parse.parse_qsl(
                request.query_string.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
            )
        except UnicodeDecodeError as exc:
            detail = "A query parameter is not UTF-8 (once its %-escapes are decoded)."
            raise Problem(400, "malformed-text", "Malformed text", detail) from exc
        try:
            return fields_from_query(text, query)
        except RequestError as exc:
            raise request_problem(exc) from exc
    accepted = "application/json or text/plain" if accept_plain_text else "application/json"
    raise Problem(
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        f"Content-Type {mimetype or '(none)'} is not accepted here: send {accepted}.",
    )
