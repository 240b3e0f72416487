"""The playground at ``GET /``: a page an editor can use without curl, served by the service.

The page is plain HTML, CSS and JavaScript modules in ``static/``: no build step, no CDN,
nothing to install in the browser, so it works offline and on any copydesk. It talks to
``POST /v1/score`` only. Assets are served flat under ``/web/<name>``; the route knows only
the files of ``static/`` with an allowed type (``ASSETS``, also the enum in openapi.yaml), so
nothing else in the package can be fetched and any other name is a 404 for every method.

The page is the file with two settings written into its ``html`` element: whether /v1 asks
for an API key, and the longest text it takes (``COPYDESK_MAX_TEXT_CHARS``, for the page's
character count).

``security_headers`` is the one place that adds the response headers every page needs; the
app factory installs it as an ``after_request`` hook for every response, API and pages alike.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app

from ..conditional import revalidated

web = Blueprint("web", __name__)

STATIC_DIR = Path(__file__).parent / "static"
# Declared here rather than guessed from the platform's mime.types, so the type (and the
# contract in openapi.yaml) is the same on every machine; module scripts need a JS type.
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
ASSETS = sorted(path.name for path in STATIC_DIR.iterdir() if path.suffix in MEDIA_TYPES)

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
    """Whether /v1 asks for an API key (``COPYDESK_API_KEYS_FILE`` is set), so the page shows
    its key field from the start. The page also shows it by itself when /v1/score answers 401."""
    return current_app.extensions["copydesk"].settings.api_keys_file is not None


@web.get("/")
def playground() -> Response:
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    if api_keys_required():
        page = page.replace('data-api-keys="off"', 'data-api-keys="on"', 1)
    # The page counts the headline and article against the limit /v1/score holds them to, before
    # they are sent: the service's own setting, so a changed limit needs no change to the page.
    limit = current_app.extensions["copydesk"].settings.max_text_chars
    page = page.replace('data-max-text-chars=""', f'data-max-text-chars="{limit:d}"', 1)
    return revalidated(page, "text/html", "the playground")


@web.get(f"/web/<any({', '.join(ASSETS)}):asset>")
def asset(asset: str) -> Response:
    path = STATIC_DIR / asset
    media_type = MEDIA_TYPES[path.suffix]
    # The files are small: read them whole, and let an ETag spare the browser a download.
    return revalidated(path.read_bytes(), media_type, asset)
