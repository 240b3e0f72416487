"""Swagger UI for ``openapi.yaml``, served from the swagger-ui-bundle package.

These machines (and many newsroom networks) are offline, so the UI's assets come from
an installed Python package, never from a CDN.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

docs = Blueprint("docs", __name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>copydesk API</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "../openapi.yaml",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
"""


@docs.get("/docs")
def docs_root() -> Response:
    return redirect(url_for("docs.docs_page"))  # type: ignore[return-value]


@docs.get("/docs/")
def docs_page() -> Response:
    return Response(PAGE, mimetype="text/html")


@docs.get("/docs/<path:asset>")
def docs_asset(asset: str) -> Response:
    return send_from_directory(str(swagger_ui_path), asset)
