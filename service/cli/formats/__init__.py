"""Output formats of ``copydesk check``: one module each, all reading the same :class:`~service.cli.results.Run`.

``human`` is for terminals; ``json`` is copydesk's own versioned result object
(``service/cli/result.schema.json``); ``github``, ``sarif``, ``junit`` and ``rdjson`` are what
GitHub Actions, code scanning, test-report viewers and reviewdog read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..results import Run
from . import github, human, json_result, junit, rdjson, sarif

Renderer = Callable[[Run, bool], str]

FORMATTERS: dict[str, Renderer] = {
    "human": human.render,
    "json": json_result.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "rdjson": rdjson.render,
}
OUTPUT_FORMATS = tuple(FORMATTERS)

__all__ = ["FORMATTERS", "OUTPUT_FORMATS", "Renderer"]
