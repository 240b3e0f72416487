"""Conditional GETs of the files the service serves (the playground's, Swagger UI's, the
contract's).

Werkzeug's ``make_conditional`` compares ``If-Match`` strongly, as it should, but takes ``*``
for no match, although it matches any current representation (RFC 9110, 13.1.1), and lets a
matching ``If-Match`` override a matching ``If-None-Match``, which RFC 9110's order
(13.2.2) evaluates after it: 200 where 304 was due. It also leaves the file in a 412's body.
:func:`conditional` decides ``If-Match`` itself, as a problem, and leaves the rest (``If-None-Match``,
``If-Modified-Since``, ranges) to Werkzeug.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from werkzeug.exceptions import PreconditionFailed, RequestedRangeNotSatisfiable


def revalidated(body: str | bytes, mimetype: str, name: str) -> Response:
    """A small file served whole and revalidated on every use (``no-cache``, a strong ETag of its
    bytes): a browser or proxy that holds it downloads it again only when it changed, with a new
    release or a setting written into it, as the playground page carries two."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return conditional(response, name)


def conditional(response: Response, name: str, **ranges: Any) -> Response:
    """``response`` (a file named ``name``, with its ETag) as the request's preconditions make
    it: 412 (raised, so it is a problem body) when ``If-Match`` names neither ``*`` nor the
    file's ETag, else 304 or a range where Werkzeug's ``make_conditional`` (given ``ranges``)
    decides so (416, raised too, where it cannot answer the range)."""
    tag, weak = response.get_etag()
    wanted = request.if_match
    if wanted and not (wanted.star_tag or (tag is not None and not weak and wanted.is_strong(tag))):
        current = response.headers.get("ETag")
        response.close()  # the file it would have sent
        raise PreconditionFailed(f"If-Match does not name the current version of {name}: {current}.")
    environ = {key: value for key, value in request.environ.items() if key != "HTTP_IF_MATCH"}
    try:
        return response.make_conditional(environ, **ranges)
    except RequestedRangeNotSatisfiable:
        response.close()  # the file it would have sent a part of: closed now, not when collected
        raise
