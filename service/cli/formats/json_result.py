"""copydesk's own machine-readable result: a small, versioned object around the service's reports.

``version`` is bumped on any incompatible change; ``service/cli/result.schema.json`` is its
JSON Schema, and the tests validate real output against it. Each file carries the
service's report unchanged (``Report`` in ``openapi.yaml``), plus the gate's decision.
"""

from __future__ import annotations

import json
from typing import Any

from ..results import Run

RESULT_VERSION = 1


def result_object(run: Run) -> dict[str, Any]:
    options = run.options
    return {
        "version": RESULT_VERSION,
        "tool": {"name": "copydesk", "version": run.version},
        "engine": {"kind": run.engine_kind, "url": run.engine_url},
        "policy": {
            "min_score": options.min_score,
            "fail_on": options.fail_on,
            "checks": list(options.checks) or None,
            "enable": list(options.enable),
            "disable": list(options.disable),
            "accept": list(options.accept),
            "language": options.language,
            "config_file": str(options.config_file) if options.config_file else None,
        },
        "exit_code": int(run.exit_code),
        "passed": int(run.exit_code) == 0,
        "error": run.error,
        "summary": {**run.counts(), "not_read": run.not_read},
        "files": [
            {
                "path": result.path,
                "format": result.source.format,
                "status": result.status,
                "reasons": result.reasons,
                "error": result.error,
                "report": result.report,
            }
            for result in run.files
        ],
    }


def render(run: Run, color: bool) -> str:
    return json.dumps(result_object(run), indent=2, ensure_ascii=False) + "\n"
