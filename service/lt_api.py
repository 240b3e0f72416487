"""The LanguageTool-compatible HTTP API (``/v2``): every LanguageTool client gets copydesk's findings.

Thin, like ``service.api``: read the parameters the way LanguageTool's server does (a POST body is
form-encoded whatever its Content-Type says, as LTeX labels it ``application/json``; query
parameters are read too and win), call down, write the answer. Errors are plain text
``Error: ...`` with LanguageTool's status codes, because LanguageTool clients show that text.
"""

from __future__ import annotations

import logging
import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask_cors import CORS
from flask_cors.core import get_cors_headers, get_cors_options, probably_regex
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from .edge.logs import REQUEST_ID_HEADER
from .findings import BackendUnavailable, LanguageToolRefused
from .lt_matches import languagetool_answer
from .lt_request import LanguageToolRequestError, configinfo_language, nameable, parse_check_request
from .problems import body_too_large
from .scoring import IncompleteReport
from .settings import Settings

log = logging.getLogger(__name__)

lt_api = Blueprint("lt_api", __name__)

# Every path this API serves starts so (service.serving answers its refusals here in its dialect).
PATH_PREFIX = "/v2/"

# How long browsers may cache a preflight answer (seconds).
PREFLIGHT_MAX_AGE = 600

# A check's matches are written this many at a time (see _answer).
MATCHES_PER_CHUNK = 1_000


def init_app(app: Flask, settings: Settings) -> None:
    """Register ``/v2`` and let pages from ``COPYDESK_CORS_ORIGINS`` call it (preflight included)."""
    app.register_blueprint(lt_api)
    app.after_request(_vary_on_origin)  # before flask-cors's hook, so it runs after it
    CORS(app, resources={PATH_PREFIX + "*": _cors_options(settings)})


def _vary_on_origin(response: Response) -> Response:
    """``Vary: Origin`` on every ``/v2`` answer: its CORS headers depend on the request's Origin
    (no ``Access-Control-Allow-Origin`` for an origin COPYDESK_CORS_ORIGINS leaves out). flask-cors
    says so only for a list of origins, not for one: a shared cache then gave the answer it kept
    for another page, without the header, to the allowed origin's page, which could not read it."""
    if request.path.startswith(PATH_PREFIX):
        response.vary.add("Origin")
    return response


def _cors_options(settings: Settings) -> dict[str, Any]:
    # The methods /v2 answers (flask-cors would name PUT, PATCH and DELETE too). A page reads only
    # the headers CORS calls safe unless they are exposed: the wait of a 429 or a 503, and the id
    # to quote when reporting a problem, are for the page too.
    return {"origins": [_as_written(origin) for origin in settings.cors_origin_list], "max_age": PREFLIGHT_MAX_AGE,
            "methods": ["GET", "HEAD", "POST"], "expose_headers": ["Retry-After", REQUEST_ID_HEADER]}


def _as_written(origin: str) -> str | re.Pattern[str]:
    """An origin of COPYDESK_CORS_ORIGINS for flask-cors, which reads one with a character
    regular expressions use (the "[" of an IPv6 address) as a regular expression, unanchored at
    its end: "http://[::1]:8080" let "http://1:8080" in and not itself. Such an origin goes as
    a pattern that matches it alone; "*" stays every origin."""
    if origin == "*" or not probably_regex(origin):
        return origin
    return re.compile(re.escape(origin) + r"\Z", re.IGNORECASE)


def cors_headers(app: Flask, headers: Headers, method: str) -> list[tuple[str, str]]:
    """The CORS headers flask-cors gives ``/v2``'s answers to a request with these headers, for
    the refusals ``service.serving`` sends before the app sees the request: a page allowed to
    call ``/v2`` can read those too."""
    options = get_cors_options(app, _cors_options(app.extensions["copydesk"].settings))
    found = [(name, str(value)) for name, value in get_cors_headers(options, headers, method).items(multi=True)]
    return found if any(name == "Vary" for name, _ in found) else [*found, ("Vary", "Origin")]  # as _vary_on_origin


def _services() -> Any:
    return current_app.extensions["copydesk"]


@lt_api.route("/v2/check", methods=["GET", "POST"])
def check() -> Response:
    services = _services()
    languages = _languages()
    check_request = parse_check_request(
        _parameters(),
        rules=services.rulebook,
        languages=languages,
        detection=services.settings.allows_language("auto"),
        max_text_chars=services.settings.max_text_chars,
    )
    document, checks = check_request.document, check_request.checks
    run = services.scorer.run(document, checks, allow_partial=check_request.allow_incomplete)
    return _answer(languagetool_answer(check_request, run, languages, services.languagetool.server_version))


def _answer(answer: dict[str, Any]) -> Response:
    """``jsonify(answer)``'s bytes, written a thousand matches at a time, its length sent. An
    answer can be hundreds of MB (a text of unknown words, each with hundreds of replacements;
    jsonify held it three times over: one string, a copy with its newline, their bytes). One of
    more than MATCHES_PER_CHUNK matches is written twice, once to count its bytes and once as
    the server sends them, so the worker never holds it whole."""
    dumps = current_app.json.dumps
    if len(answer.get("matches", ())) <= MATCHES_PER_CHUNK:
        return Response(list(_written(answer, dumps)), mimetype="application/json")
    length = sum(len(chunk) for chunk in _written(answer, dumps))
    return Response(_written(answer, dumps), mimetype="application/json", headers={"Content-Length": str(length)})


def _written(answer: dict[str, Any], dumps: Callable[..., str]) -> Iterator[bytes]:
    """``answer`` as compact JSON: each key and its value, but the matches a batch at a time."""

    def compact(value: Any) -> str:
        return dumps(value, separators=(",", ":"))

    for n, (key, value) in enumerate(answer.items()):
        head = ("{" if n == 0 else ",") + compact(key) + ":"
        if key != "matches":
            yield (head + compact(value)).encode()
            continue
        yield (head + "[").encode()
        for start in range(0, len(value), MATCHES_PER_CHUNK):
            yield (("," if start else "") + compact(value[start : start + MATCHES_PER_CHUNK])[1:-1]).encode()
        yield b"]"
    yield b"}\n"


@lt_api.get("/v2/languages")
def languages() -> Response:
    return jsonify(_allowed(_services().languagetool.languages()))


@lt_api.get("/v2/info")
def info() -> Response:
    return jsonify(_services().languagetool.server_answer("info"))


@lt_api.route("/v2/maxtextlength", methods=["GET", "POST"])
def maxtextlength() -> Response:
    return Response(str(_max_text_length()), mimetype="text/plain")


@lt_api.route("/v2/configinfo", methods=["GET", "POST"])
def configinfo() -> Response:
    """LanguageTool's rules for a language, with the limit a client must keep to (copydesk's
    own rules are listed by ``GET /v1/rules``). LanguageTool's Java client posts ``language``."""
    language = configinfo_language(_parameters(), _languages())
    return Response(_services().languagetool.configinfo(language, _max_text_length()), mimetype="application/json")


def _max_text_length() -> int:
    """The longest text a client can send: LanguageTool's limit (a longer text goes to it whole), or
    COPYDESK_MAX_TEXT_CHARS when that is lower (code points, never more than UTF-16 units)."""
    return min(_services().languagetool.max_text_length(), _services().settings.max_text_chars)


@lt_api.route("/v2/healthcheck", methods=["GET", "HEAD"])
def healthcheck() -> Response:
    ok, _ = _services().ready()
    if not ok:
        raise BackendUnavailable("LanguageTool is not answering")
    return Response("OK", mimetype="text/plain")


def _languages() -> list[dict[str, str]] | None:
    """LanguageTool's languages that clients may ask for (COPYDESK_LANGUAGETOOL_LANGUAGES), as a
    request may name them (``lt_request.nameable``), or None when it cannot be asked (copydesk's
    English codes then)."""
    try:
        every = _services().languagetool.languages()
    except BackendUnavailable:
        return None
    return nameable(every, _allowed(every))


def _allowed(languages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Those of LanguageTool's languages that COPYDESK_LANGUAGETOOL_LANGUAGES lets clients ask for."""
    settings = _services().settings
    return [entry for entry in languages if settings.allows_language(entry["longCode"])]


def _parameters() -> dict[str, str]:
    """The request's parameters as LanguageTool reads them: the POST body form-encoded whatever its
    Content-Type says (multipart form data aside), then the query string, whose values win; a
    parameter sent twice has its last value, in the body and in the query alike. Bytes that are
    not UTF-8, raw or %-escaped, read as U+FFFD, as LanguageTool reads them: so the text checked,
    and every offset after such a byte, is LanguageTool's."""
    query = dict(_form(request.query_string))
    if request.method != "POST":
        return query
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise LanguageToolRequestError(
            body_too_large(request.content_length, limit),
            status=413,
        )
    if request.mimetype == "multipart/form-data":
        body = dict(request.form.items(multi=True))
    else:
        body = dict(_form(request.get_data(as_text=False)))
    return {**body, **query}


# A "%" that does not open an escape ("100% sure", "%zz", a "%" at the end): Java's URLDecoder,
# which LanguageTool reads a form with, refuses it, where parse_qsl keeps it as it is.
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _form(encoded: bytes) -> list[tuple[str, str]]:
    """Form fields; a name without ``=`` is no field at all for LanguageTool (``text=`` is an empty
    one). A broken escape in a field is LanguageTool's 400, not a text checked with a "%" in it."""
    decoded = encoded.decode("utf-8", errors="replace")
    fields = "&".join(field for field in decoded.split("&") if "=" in field)
    if _BROKEN_ESCAPE.search(fields):
        raise LanguageToolRequestError(
            f"Could not decode query. Query length: {len(decoded)} Request method: {request.method}"
        )
    return urllib.parse.parse_qsl(fields, keep_blank_values=True, errors="replace")


def error_text(message: str) -> str:
    """An error as LanguageTool words it: its clients show the body as it is."""
    return f"Error: {message}"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_text(message), status=status, mimetype="text/plain", headers=headers)


@lt_api.errorhandler(LanguageToolRequestError)
def _refused(error: LanguageToolRequestError) -> Response:
    return _error(error.status, str(error))


@lt_api.errorhandler(LanguageToolRefused)
def _refused_by_languagetool(error: LanguageToolRefused) -> Response:
    return Response(error.text, status=error.status, mimetype="text/plain")


@lt_api.errorhandler(IncompleteReport)
def _incomplete(error: IncompleteReport) -> Response:
    # The reasons name internal addresses: they go to the log, not to the client.
    log.warning("LanguageTool-compatible API: %s", error)
    return _error(
        503,
        "LanguageTool could not check the text right now. Try again later, or send "
        "allowIncompleteResults=true to get copydesk's own findings meanwhile.",
        headers={"Retry-After": "10"},
    )


@lt_api.errorhandler(BackendUnavailable)
def _unavailable(error: BackendUnavailable) -> Response:
    log.warning("LanguageTool-compatible API: %s", error)
    return _error(503, "LanguageTool is not answering right now. Try again later.", headers={"Retry-After": "5"})


@lt_api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    # Headers the error carries (WWW-Authenticate on a 401 from service.edge) go with it.
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    message = error.description or error.name
    if error.code == 429:
        message = f"Too many requests: over the rate limit of {message} (COPYDESK_RATE_LIMIT)"
    return _error(error.code or 500, message, headers=headers)


@lt_api.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error while handling %s %s", request.method, request.path)
    return _error(500, "Internal Error: copydesk failed unexpectedly; the error is logged.")
