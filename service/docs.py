"""The API reference at ``/docs/``: Swagger UI 5 rendering ``openapi.yaml``.

Why Swagger UI 5 from ``flask-swagger-ui``: our contract is OpenAPI 3.1, which Swagger UI
reads from 5.0 on (4.x, as in ``swagger-ui-bundle``, shows "Unable to render this
definition"). ``flask-swagger-ui`` is a wheel that carries the unmodified Swagger UI ``dist``
files (Apache-2.0, its LICENSE alongside) and follows Swagger UI's releases, so the assets
come hash-pinned from PyPI like every other dependency and nothing is fetched from a CDN:
newsroom networks and these machines are often offline. We use only its files, not its
blueprint. The start-up script is a file of its own (no inline script), so the page keeps
the same Content-Security-Policy as the playground.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, redirect, send_from_directory

from .conditional import conditional, revalidated

docs = Blueprint("docs", __name__)

SWAGGER_UI_DIR = Path(flask_swagger_ui.__file__).parent / "dist"

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>copydesk API reference</title>
  <link rel="icon" type="image/png" href="favicon-32x32.png">
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="swagger-ui-bundle.js"></script>
  <script src="start.js"></script>
</body>
</html>
"""

# validatorUrl null: Swagger UI would otherwise send the spec to an outside validator.
START = """window.ui = SwaggerUIBundle({
  url: "../openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
"""


# The files of Swagger UI the page loads (and its licence). The others in the wheel are not
# served: oauth2-redirect.html (and its script), whose only use is an OAuth flow this API does not
# have, is where Swagger UI's past cross-site scripting flaws were.
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"})


@docs.get("/docs")
def docs_root() -> Response:
    # Relative, as the page's own links are: behind a proxy that serves the app under a path
    # prefix, an absolute /docs/ would leave the prefix out.
    return redirect("docs/")  # type: ignore[return-value]


@docs.get("/docs/")
def docs_page() -> Response:
    return revalidated(PAGE, "text/html", "the API reference")


@docs.get("/docs/start.js")
def docs_start() -> Response:
    return revalidated(START, "text/javascript", "start.js")


# The route names them, so a path outside them is a 404 for every method (OPTIONS too).
@docs.get(f"/docs/<any({', '.join(map(repr, sorted(ASSETS)))}):asset>")
def docs_asset(asset: str) -> Response:
    response = send_from_directory(SWAGGER_UI_DIR, asset, conditional=False)
    return conditional(response, asset, accept_ranges=True, complete_length=response.content_length)
