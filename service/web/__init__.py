"""The playground at ``GET /``: a page an editor can use without curl, served by the service.

The page is plain HTML, CSS and JavaScript modules in ``static/``: no build step, no CDN,
nothing to install in the browser, so it works offline and on any copydesk. It talks to
``POST /v1/score`` only. Assets are served flat under ``/web/<name>`` from an allow-list of
file types, so nothing else in the package can be fetched.

``security_headers`` is the one place that adds the response headers every page needs; the
app factory installs it as an ``after_request`` hook for every response, API and pages alike.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, request
from werkzeug.security import safe_join

web = Blueprint("web", __name__)

STATIC_DIR = Path(__file__).parent / "static"
# Declared here rather than guessed from the platform's mime.types, so the type (and the
# contract in openapi.yaml) is the same on every machine; module scripts need a JS type.
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}

# The pages load scripts, styles and images from the service only and talk to it only;
# no inline script or style, no framing, no plugins. Swagger UI at /docs/ lives within it
# too, apart from the data: images its stylesheet embeds.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(response: Response) -> Response:
    """Add the security headers to every response (a handler may set its own first)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def api_keys_required() -> bool:
    """Whether /v1 asks for an API key, so the page shows its key field from the start.

    API keys do not exist yet: the task that adds them answers here. Until then the page
    also shows the field by itself when /v1/score answers 401.
    """
    return False


@web.get("/")
def playground() -> Response:
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    if api_keys_required():
        page = page.replace('data-api-keys="off"', 'data-api-keys="on"', 1)
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@web.get("/web/<asset>")
def asset(asset: str) -> Response:
    media_type = MEDIA_TYPES.get(Path(asset).suffix)
    path = safe_join(str(STATIC_DIR), asset)
    if media_type is None or path is None or not Path(path).is_file():
        abort(404)
    # The files are small: read them whole, and let an ETag spare the browser a download.
    response = Response(Path(path).read_bytes(), mimetype=media_type)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)
