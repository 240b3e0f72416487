"""The HTTP layer: parse and validate a request, call the scorer, serialise the answer.

Nothing here knows how a check works; every failure is raised as a ``Problem`` and
rendered by ``service.problems``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from .findings import CHECK_NAMES, Document
from .markup import FORMATS, prose_view
from .problems import Problem, invalid
from .scoring import ChecksUnavailable
from .settings import PROJECT_ROOT, SUPPORTED_LANGUAGES

api = Blueprint("api", __name__)

OPENAPI_FILE = PROJECT_ROOT / "openapi.yaml"
SCORE_FIELDS = {"text", "title", "language", "checks", "allow_partial", "rules", "format", "accept"}
# The spelling accept-list of one request (a house dictionary: names, product words).
MAX_ACCEPTED_WORDS = 5000
MAX_ACCEPTED_WORD_CHARS = 100
PLAIN_TEXT_PARAMETERS = {"title", "language", "checks", "allow_partial", "format", "accept"}
MAX_HEADLINES = 10_000
MAX_HEADLINE_CHARS = 1_000
_LANGUAGE_BY_LOWER = {code.lower(): code for code in SUPPORTED_LANGUAGES}


def _services() -> Any:
    return current_app.extensions["copydesk"]


@api.post("/v1/score")
def score() -> Response:
    services = _services()
    payload = _read_payload()
    document, checks, allow_partial = document_from_request(payload, services.settings.max_text_chars)
    check_rule_selectors(document, services.rulebook)
    try:
        report = services.scorer.score(document, checks, allow_partial=allow_partial)
    except ChecksUnavailable as exc:
        raise Problem(
            503,
            "check-unavailable",
            "A requested check could not run",
            f"{exc}. Send \"allow_partial\": true to get the other sections anyway.",
            unavailable=sorted(exc.reasons),
            headers={"Retry-After": "10"},
        ) from exc
    return jsonify(report)


@api.post("/v1/clickbait")
def clickbait() -> Response:
    """Headline-only scoring for bulk archive work: the model, no LanguageTool."""
    services = _services()
    payload = _read_payload(accept_plain_text=False)
    errors = [{"field": name, "message": "unknown field"} for name in sorted(set(payload) - {"headlines"})]
    headlines = payload.get("headlines")
    if (
        not isinstance(headlines, list)
        or not 1 <= len(headlines) <= MAX_HEADLINES
        or not all(isinstance(h, str) and 1 <= len(h) <= MAX_HEADLINE_CHARS for h in headlines)
    ):
        errors.append(
            {
                "field": "headlines",
                "message": f"must be a list of 1 to {MAX_HEADLINES} strings of 1 to {MAX_HEADLINE_CHARS} characters",
            }
        )
    if errors:
        raise invalid(errors)
    model = services.clickbait.model
    return jsonify(
        {
            "results": services.clickbait.score_headlines(headlines),
            "model_version": model.version,
            "threshold": services.clickbait.threshold,
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
    ok, reason = services.grammar.ready()
    if not ok:
        raise Problem(503, "not-ready", "LanguageTool is not ready", reason, headers={"Retry-After": "5"})
    grammar = services.grammar
    return jsonify({"status": "ready", "languagetool": {"url": grammar.server_url, "version": grammar.server_version}})


@api.get("/openapi.yaml")
def openapi_spec() -> Response:
    return Response(OPENAPI_FILE.read_bytes(), mimetype="application/yaml")


def _read_payload(accept_plain_text: bool = True) -> dict[str, Any]:
    """The request as a dict of fields, from a JSON object or a text/plain body."""
    length = request.content_length
    if length is not None and length > (request.max_content_length or length):
        # Refuse before reading a byte of the body.
        raise Problem(
            413,
            "body-too-large",
            "Request body too large",
            f"The request body is {length} bytes; the limit is {request.max_content_length} bytes "
            "(COPYDESK_MAX_BODY_BYTES).",
        )
    mimetype = request.mimetype
    if mimetype == "application/json":
        try:
            payload = json.loads(request.get_data().decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise Problem(400, "malformed-json", "Malformed JSON", f"The body is not valid UTF-8 JSON: {exc}") from exc
        if not isinstance(payload, dict):
            raise invalid([{"field": "(body)", "message": "must be a JSON object"}])
        return payload
    if mimetype == "text/plain" and accept_plain_text:
        try:
            text = request.get_data().decode(request.mimetype_params.get("charset", "utf-8"))
        except (UnicodeDecodeError, LookupError) as exc:
            raise Problem(400, "malformed-text", "Malformed text", f"The body cannot be decoded: {exc}") from exc
        unknown = sorted(set(request.args) - PLAIN_TEXT_PARAMETERS)
        if unknown:
            raise invalid([{"field": name, "message": "unknown query parameter"} for name in unknown])
        payload: dict[str, Any] = {"text": text, **request.args.to_dict()}
        for listed in ("checks", "accept"):
            if listed in payload:
                payload[listed] = [item.strip() for item in payload[listed].split(",") if item.strip()]
        if "allow_partial" in payload:
            flag = payload["allow_partial"].lower()
            if flag not in ("true", "false"):
                raise invalid([{"field": "allow_partial", "message": "must be true or false"}])
            payload["allow_partial"] = flag == "true"
        return payload
    accepted = "application/json or text/plain" if accept_plain_text else "application/json"
    raise Problem(
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        f"Content-Type {mimetype or '(none)'} is not accepted here: send {accepted}.",
    )


def document_from_request(payload: dict[str, Any], max_text_chars: int) -> tuple[Document, list[str], bool]:
    """Validate every field of a score request, reporting all problems at once, and build the
    Document the scorer takes (the prose view, for Markdown and HTML).

    Unknown fields are refused. The CLI's in-process engine calls this too, so both engines
    read a file the same way.
    """
    errors: list[dict[str, str]] = []

    def error(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    for name in sorted(set(payload) - SCORE_FIELDS):
        error(name, "unknown field")

    title = payload.get("title")
    if title is not None and not isinstance(title, str):
        error("title", "must be a string")
        title = None
    text = payload.get("text")
    if text is None:
        if not title:
            error("text", "is required (it may be left out only when a title is sent)")
        text = ""
    elif not isinstance(text, str):
        error("text", "must be a string")
        text = ""
    elif not text.strip() and not (title and title.strip()):
        error("text", "must contain some non-whitespace text")

    language = payload.get("language", "en-US")
    if not isinstance(language, str):
        error("language", "must be a string")
    elif language.lower() not in _LANGUAGE_BY_LOWER:
        error("language", f"{language!r} is not supported; use one of {', '.join(SUPPORTED_LANGUAGES)}")
    else:
        language = _LANGUAGE_BY_LOWER[language.lower()]

    checks = payload.get("checks", list(CHECK_NAMES))
    if not isinstance(checks, list) or not checks or not all(isinstance(c, str) for c in checks):
        error("checks", f"must be a non-empty list drawn from {', '.join(CHECK_NAMES)}")
        checks = []
    else:
        unknown = [c for c in checks if c not in CHECK_NAMES]
        if unknown:
            error("checks", f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECK_NAMES)}")
        if len(set(checks)) != len(checks):
            error("checks", "lists a check more than once")

    fmt = payload.get("format", "text")
    if fmt not in FORMATS:
        error("format", f"must be one of {', '.join(FORMATS)}")

    allow_partial = payload.get("allow_partial", False)
    if not isinstance(allow_partial, bool):
        error("allow_partial", "must be true or false")

    rules = payload.get("rules", {})
    enable: list[str] = []
    disable: list[str] = []
    if not isinstance(rules, dict) or set(rules) - {"enable", "disable"}:
        error("rules", "must be an object with optional 'enable' and 'disable' lists")
    else:
        for key, target in (("enable", enable), ("disable", disable)):
            value = rules.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                error(f"rules.{key}", "must be a list of pack names or rule ids")
            else:
                target.extend(value)

    accept = payload.get("accept", [])
    if (
        not isinstance(accept, list)
        or len(accept) > MAX_ACCEPTED_WORDS
        or not all(isinstance(word, str) and 0 < len(word.strip()) <= MAX_ACCEPTED_WORD_CHARS for word in accept)
    ):
        error(
            "accept",
            f"must be a list of at most {MAX_ACCEPTED_WORDS} words, each 1 to {MAX_ACCEPTED_WORD_CHARS} characters",
        )
        accept = []

    if errors:
        raise invalid(errors)

    length = len(text) + len(title or "")
    if length > max_text_chars:
        raise Problem(
            413,
            "text-too-long",
            "Text too long",
            f"The text and title have {length} characters; the limit is {max_text_chars} "
            "(COPYDESK_MAX_TEXT_CHARS). Split the document and score the parts.",
        )
    options = {
        "enable": tuple(enable),
        "disable": tuple(disable),
        "format": fmt,
        "accept": frozenset(word.strip().casefold() for word in accept),
    }
    if fmt == "text":
        return Document(text=text, title=title, language=language, options=options), list(checks), allow_partial
    view = prose_view(text, fmt)
    document = Document(
        text=view.text,
        title=title if title is not None else view.title,
        language=language,
        options=options,
        source=text,
        suppressions=view.suppressions,
    )
    return document, list(checks), allow_partial


def check_rule_selectors(document: Document, rulebook: Any) -> None:
    """422 for any enable/disable selector that names no loaded pack or rule."""
    unknown = rulebook.unknown_selectors([*document.options["enable"], *document.options["disable"]])
    if unknown:
        raise invalid(
            [{"field": "rules", "message": f"unknown pack or rule {s!r} (GET /v1/rules lists them)"} for s in unknown]
        )
