"""Prometheus metrics, correct across gunicorn's worker processes.

prometheus-client's multiprocess mode: when ``PROMETHEUS_MULTIPROC_DIR`` names a folder
before the library is first imported, every process (the gunicorn master, which supervises
LanguageTool, and each worker) writes its values to files of its own there, and a scrape,
answered by whichever worker, adds them all up. ``service.gunicorn_conf`` sets that folder
(a fresh temporary one per run when unset) and marks dead workers. Without it (one process:
tests, the CLI) the values live in the process and the default registry serves them.

Labels stay bounded: an endpoint is its route (``/web/{asset}``, not the path asked for),
methods outside HTTP's usual ones count as ``other``, packs are the loaded ones.
"""

from __future__ import annotations

import re
from collections import Counter as Counter_
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, Response
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.routing import Rule

from ..findings import BackendUnavailable, Document
from ..scoring import rule_sources

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# From a health check to a long text on a busy LanguageTool (its timeout is 20 s by default).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)

REQUESTS = Counter(
    "copydesk_http_requests",
    "HTTP requests answered by the app, or refused before it (a body too large or too slow), by route, method "
    "and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "copydesk_http_request_duration_seconds", "Time from a request reaching the service to its answer, by route.",
    ["endpoint", "method"], buckets=LATENCY_BUCKETS,
)
CHECK_DURATION = Histogram(
    "copydesk_check_duration_seconds", "Time one check of a report took, by check.", ["check"],
    buckets=LATENCY_BUCKETS,
)
LANGUAGETOOL_FAILURES = Counter(
    "copydesk_languagetool_failures",
    "Grammar sections LanguageTool could not check: reason=timeout (too slow) or error (refused, failed, unreachable).",
    ["reason"],
)
REPORT_CACHE = Counter(
    "copydesk_report_cache", "Reports looked up in the report cache, by result (hit or miss).", ["result"]
)
REPORTS = Counter("copydesk_reports", "Reports made or served, by verdict and completeness.", ["verdict", "complete"])
FINDINGS = Counter(
    "copydesk_findings",
    "Findings in the reports served, by check and pack (languagetool, textstat, clarity, model or a rule pack).",
    ["check", "pack"],
)
LANGUAGETOOL_RESTARTS = Counter(
    "copydesk_languagetool_restarts", "Times the supervisor restarted the embedded LanguageTool after it exited."
)

_CONVERTER = re.compile(r"<(?:[^<>:]+:)?(\w+)>")

metrics = Blueprint("metrics", __name__)


def multiprocess() -> bool:
    """Whether this process writes its values to PROMETHEUS_MULTIPROC_DIR (decided when
    prometheus-client was imported)."""
    return bool(getattr(values.ValueClass, "_multiprocess", False))


@metrics.get("/metrics")
def scrape() -> Response:
    if multiprocess():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    response = Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})
    response.headers["Cache-Control"] = "no-store"
    return response


def route(rule: Rule | None) -> str:
    """A request's route (its ``url_rule``) as the contract writes it (``/web/{asset}``), or
    ``(unmatched)``."""
    return _CONVERTER.sub(r"{\1}", rule.rule) if rule is not None else "(unmatched)"


def count_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(endpoint, method, str(status)).inc()
    LATENCY.labels(endpoint, method).observe(seconds)


class ScoringMetrics:
    """The scorer's observer (``service.scoring.ScoreObserver``) that keeps the metrics."""

    def report_started(self, document: Document, checks: Sequence[str]) -> None:
        pass

    def check_finished(self, check: str, seconds: float) -> None:
        CHECK_DURATION.labels(check).observe(seconds)

    def check_unavailable(self, check: str, error: BackendUnavailable) -> None:
        if check == "grammar":
            LANGUAGETOOL_FAILURES.labels("timeout" if error.timed_out else "error").inc()

    def report_finished(self, report: Mapping[str, Any]) -> None:
        cache = report["meta"].get("cache")
        if cache in ("hit", "miss"):
            REPORT_CACHE.labels(cache).inc()
        REPORTS.labels(report["verdict"], str(report["complete"]).lower()).inc()
        found = Counter_(
            (name, source.removeprefix("copydesk:"))
            for name, section in report["checks"].items()
            for source in rule_sources(section["issues"])
        )
        for (check, pack), n in found.items():
            FINDINGS.labels(check, pack).inc(n)
