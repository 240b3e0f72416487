"""Turn a document into a report: run the checks concurrently, place issues, score, decide.

No Flask here: ``/v1`` calls :meth:`Scorer.score_encoded`, ``/v2`` :meth:`Scorer.run`, the CLI
and the tests :meth:`Scorer.score`.
The LanguageTool round trip is the slow part, so every check is submitted to a thread
pool at once and a report costs about one LanguageTool check, not the sum of all checks.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, overload

from .cache import Store, fingerprint
from .checks.grammar import without_twins
from .findings import CHECK_NAMES, SEVERITIES, BackendUnavailable, Check, Document, Finding, SectionResult
from .text.english import english_or_unknown
from .text.offsets import LineIndex, context

# How much each section counts towards the overall score (renormalised over the sections
# that were requested and could run).
SECTION_WEIGHTS = {"grammar": 0.3, "readability": 0.2, "phrasing": 0.3, "clickbait": 0.2}

# Issues a report's JSON is written in at a time (``_json_parts``).
ISSUE_BATCH = 1000


class IncompleteReport(Exception):
    """A requested check could not run and the request did not allow a partial report."""

    def __init__(self, reasons: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in reasons.items()))
        self.reasons = dict(reasons)


@dataclass(frozen=True)
class Thresholds:
    pass_score: float
    warn_score: float

    def verdict(self, score: float) -> str:
        if score >= self.pass_score:
            return "pass"
        return "warn" if score >= self.warn_score else "fail"


def overall_score(section_scores: Mapping[str, float]) -> float:
    """Weighted mean of the section scores that exist; 100 when no section ran."""
    total_weight = sum(SECTION_WEIGHTS[name] for name in section_scores)
    if not total_weight:
        return 100.0
    return round(sum(SECTION_WEIGHTS[n] * s for n, s in section_scores.items()) / total_weight, 1)


class ScoreObserver(Protocol):
    """Told what the scorer does, as it does it: how the service's metrics and request log
    learn about checks and reports without this layer knowing about either."""

    def report_started(self, document: Document, checks: Sequence[str]) -> None: ...

    def check_finished(self, check: str, seconds: float) -> None: ...

    def check_unavailable(self, check: str, error: BackendUnavailable) -> None: ...

    def report_finished(self, report: Mapping[str, Any]) -> None: ...


class QuietObserver:
    """The observer of a scorer nobody watches (the CLI, the tests)."""

    def report_started(self, document: Document, checks: Sequence[str]) -> None:
        pass

    def check_finished(self, check: str, seconds: float) -> None:
        pass

    def check_unavailable(self, check: str, error: BackendUnavailable) -> None:
        pass

    def report_finished(self, report: Mapping[str, Any]) -> None:
        pass


@dataclass
class CheckRun:
    """What the requested checks of one document gave: each section's result, the sections
    that could not run (and why), and how long each took (ms)."""

    requested: list[str]
    results: dict[str, SectionResult] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class Scorer:
    def __init__(
        self,
        checks: Mapping[str, Check],
        thresholds: Thresholds,
        versions: Mapping[str, str | None],
        threads: int,
        reports: Store | None = None,
        configuration: str = "",
        observer: ScoreObserver | None = None,
    ) -> None:
        self.checks = dict(checks)
        self.thresholds = thresholds
        self.versions = dict(versions)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="copydesk-check")
        # Complete reports by report_key; `configuration` fingerprints what else decides a
        # report (settings, rule packs), so a changed pack or threshold never gets an old one.
        self.reports = reports
        self.configuration = configuration
        self.observer: ScoreObserver = observer or QuietObserver()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def report_key(self, document: Document, checks: Collection[str] = CHECK_NAMES) -> str:
        """What identifies a complete report: the document as read, its options, the checks,
        the versions (LanguageTool's when grammar is one of them) and the configuration."""
        requested = [name for name in CHECK_NAMES if name in checks]
        return fingerprint(
            document.format,
            document.original,
            document.text,
            document.title,
            document.title_offset,
            document.title_from_markup,
            document.language,
            document.options,
            document.suppressions,
            requested,
            {**self.versions, "languagetool": self._languagetool_version(requested, ask=True)},
            self.configuration,
        )

    def score(
        self, document: Document, checks: Collection[str] = CHECK_NAMES, allow_partial: bool = False
    ) -> dict[str, Any]:
        """The report; a complete one is cached (``meta.cache`` says ``hit`` or ``miss``)."""
        report = self._scored(document, checks, allow_partial, encoded=False)[0]
        for section in report["checks"].values():
            section["issues"] = list(section["issues"])
        return report

    def score_encoded(
        self, document: Document, checks: Collection[str] = CHECK_NAMES, allow_partial: bool = False
    ) -> tuple[dict[str, Any], list[bytes], str]:
        """``score``, the report as compact JSON in parts (for the HTTP answer, which then sends
        the bytes the report cache keeps instead of encoding the report a second time; joined
        only when the cache takes them, so a report too large for it is never held twice) and its
        ``report_key`` as it stands after the checks (LanguageTool's version, part of the key,
        is the one its answers to them told). The report's sections hold their issues as
        :class:`Issues`, made from the findings as they are read."""
        report, body, key = self._scored(document, checks, allow_partial, encoded=True)
        assert body is not None
        return report, body, key

    def _scored(
        self, document: Document, checks: Collection[str], allow_partial: bool, encoded: bool
    ) -> tuple[dict[str, Any], list[bytes] | None, str]:
        started = time.perf_counter()
        key = self.report_key(document, checks)
        version = self._languagetool_version()
        if self.reports is not None and (cached := self.reports.get(key)) is not None:
            self.observer.report_started(document, [name for name in CHECK_NAMES if name in checks])
            report = json.loads(cached)
            report["meta"]["cache"] = "hit"
            report["meta"]["timings_ms"] = {"total": round((time.perf_counter() - started) * 1000, 1)}
            self.observer.report_finished(report)
            return report, [_compact(report)] if encoded else None, key
        report = self._score(document, checks, allow_partial, started)
        # LanguageTool's version is part of the key: when the checks' answers tell another than
        # the key above has (none, if it did not answer when asked), the report goes under the key
        # with theirs (hashing the text again).
        if self._languagetool_version() != version:
            key = self.report_key(document, checks)
        store = self.reports if report["complete"] else None  # only a complete report is kept
        parts = None
        if encoded or store is not None:
            parts = list(_json_parts(report))
            # Joined only for the cache: a report too large for it is never held twice over.
            if store is not None and store.takes(sum(map(len, parts))):
                parts = [b"".join(parts)]
                store.put(key, parts[0])
        self.observer.report_finished(report)
        return report, parts, key

    def run(self, document: Document, checks: Collection[str] = CHECK_NAMES, allow_partial: bool = False) -> CheckRun:
        """Run the requested checks concurrently; IncompleteReport if one cannot run and
        ``allow_partial`` is false. ``score`` builds the /v1 report on this, the
        LanguageTool-compatible API its own answer."""
        requested = [name for name in CHECK_NAMES if name in checks]
        self.observer.report_started(document, requested)
        # Grammar first: it is the long pole, so it should be on the wire before anything else.
        futures: dict[str, Future[tuple[SectionResult, float]]] = {
            name: self._pool.submit(self._timed, self.checks[name], document) for name in requested
        }
        run = CheckRun(requested)
        for name, future in futures.items():
            try:
                result, elapsed = future.result()
            except BackendUnavailable as exc:
                run.unavailable[name] = str(exc)
                self.observer.check_unavailable(name, exc)
                continue
            run.results[name] = result
            run.timings[name] = elapsed
            self.observer.check_finished(name, elapsed / 1000)
        if run.unavailable and not allow_partial:
            raise IncompleteReport(run.unavailable)
        return run

    def _score(
        self, document: Document, checks: Collection[str], allow_partial: bool, started: float
    ) -> dict[str, Any]:
        run = self.run(document, checks, allow_partial)
        requested, results, timings, unavailable = run.requested, run.results, run.timings, run.unavailable
        if "grammar" in results:
            ours = [f for name, result in results.items() if name != "grammar" for f in result.findings]
            results["grammar"] = without_twins(results["grammar"], ours, document)
        sections: dict[str, dict[str, Any]] = {}

        lines = {"text": LineIndex(document.text), "title": LineIndex(document.title or "")}
        reported: list[Finding] = []
        for name in requested:
            if name in unavailable:
                sections[name] = {"status": "unavailable", "score": None, "issues": [], "error": unavailable[name]}
                continue
            result = results[name]
            findings = place_title_findings(result.findings, document)
            reported += findings
            sections[name] = {
                "status": "ok",
                "score": result.score,
                "issues": Issues(findings, document, lines),
                **result.details,
            }

        score = overall_score({n: r.score for n, r in results.items()})
        timings["total"] = (time.perf_counter() - started) * 1000
        return {
            "score": score,
            "verdict": self.thresholds.verdict(score),
            "complete": not unavailable,
            "counts": counts(reported),
            "checks": sections,
            "meta": {
                "language": document.language,
                "english": english_or_unknown(document.text),
                "text_length": len(document.text),
                "title_length": len(document.title) if document.title is not None else None,
                "checks": requested,
                "timings_ms": {k: round(v, 1) for k, v in timings.items()},
                "versions": {**self.versions, "languagetool": self._languagetool_version(requested)},
                "thresholds": {"pass": self.thresholds.pass_score, "warn": self.thresholds.warn_score},
                "cache": "miss" if self.reports is not None else "off",
            },
        }

    def _languagetool_version(self, checks: Collection[str] = ("grammar",), ask: bool = False) -> str | None:
        """LanguageTool's version, known from its first answer on (``ask``: asked of it before);
        None for ``checks`` without grammar, whose report (its key, its meta) depends on no
        LanguageTool."""
        if "grammar" not in checks:
            return None
        grammar = self.checks.get("grammar")
        if ask and hasattr(grammar, "ask_version"):
            return grammar.ask_version()
        return getattr(grammar, "server_version", None)

    @staticmethod
    def _timed(check: Check, document: Document) -> tuple[SectionResult, float]:
        started = time.perf_counter()
        result = check.run(document)
        return result, (time.perf_counter() - started) * 1000


class Issues(Sequence[dict[str, Any]]):
    """A section's issues, each made from its finding when it is read: the JSON of a report is
    written :data:`ISSUE_BATCH` issues at a time (``_json_parts``), so a report of 200,000 grammar
    findings never holds them all as dicts (some 170 MB) beside its JSON."""

    def __init__(self, findings: Sequence[Finding], document: Document, lines: Mapping[str, LineIndex]) -> None:
        self.findings = findings
        self._document = document
        self._lines = lines

    def __len__(self) -> int:
        return len(self.findings)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [issue_json(f, self._document, self._lines) for f in self.findings[index]]
        return issue_json(self.findings[index], self._document, self._lines)


def rule_sources(issues: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """The ``rule.source`` of each issue, read from the findings when the issues are
    :class:`Issues` (making 200,000 issue dicts to read one field of each took 1.6 s)."""
    if isinstance(issues, Issues):
        return (finding.source for finding in issues.findings)
    return (issue["rule"]["source"] for issue in issues)


def _json_parts(value: Any) -> Iterator[bytes]:
    """``value`` as compact JSON (ASCII only: the report as the API sends it and the report
    cache keeps it), in parts: issues a batch at a time, down to the dicts that
    hold more than a batch of them (the report, its ``checks``, a section); the rest whole."""
    if isinstance(value, Issues) and len(value) > ISSUE_BATCH:
        yield b"["
        for start in range(0, len(value), ISSUE_BATCH):
            yield (b"," if start else b"") + _compact(value[start : start + ISSUE_BATCH])[1:-1]
        yield b"]"
    elif isinstance(value, dict) and _holds_many_issues(value):
        yield b"{"
        for n, (key, item) in enumerate(value.items()):
            yield (b"," if n else b"") + _compact(key) + b":"
            yield from _json_parts(item)
        yield b"}"
    else:
        yield _compact(value)


def _holds_many_issues(value: Mapping[str, Any]) -> bool:
    return any(
        isinstance(item, Issues) and len(item) > ISSUE_BATCH or isinstance(item, dict) and _holds_many_issues(item)
        for item in value.values()
    )


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=_issue_list).encode()


def _issue_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, Issues):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def place_title_findings(findings: list[Finding], document: Document) -> list[Finding]:
    """Point title findings into the text where the title stands in it (``title_offset``), each
    text finding's edges on those of the markup (``Document.on_markup_edges``), and list title
    findings first, then the text's in order of position."""
    at = document.title_offset
    placed = [
        replace(f, field="text", offset=f.offset + at) if f.field == "title" and at is not None else f
        for f in findings
    ]
    if document.annotation:
        placed = [_on_markup_edges(f, document) if f.field == "text" else f for f in placed]
    placed.sort(key=lambda f: (f.field != "title", f.offset, f.length, f.rule_id))
    return placed


def _on_markup_edges(finding: Finding, document: Document) -> Finding:
    start, end = document.on_markup_edges(finding.offset, finding.offset + finding.length)
    if (start, end) == (finding.offset, finding.offset + finding.length):
        return finding
    return replace(finding, offset=start, length=end - start)


def issue_json(finding: Finding, document: Document, lines: Mapping[str, LineIndex]) -> dict[str, Any]:
    """The one issue shape of every check, modelled on LanguageTool's /v2/check match."""
    source_text = document.title if finding.field == "title" and document.title is not None else document.original
    line, column = lines[finding.field].line_column(finding.offset)
    fingerprint = f"{finding.rule_id}|{finding.field}|{finding.offset}|{finding.length}"
    issue: dict[str, Any] = {
        "id": hashlib.blake2b(fingerprint.encode(), digest_size=6).hexdigest(),
        "check": finding.check,
        "rule": {
            "id": finding.rule_id,
            "description": finding.description,
            "category": finding.category,
            "source": finding.source,
        },
        "severity": finding.severity,
        "message": finding.message,
        "field": finding.field,
        "offset": finding.offset,
        "length": finding.length,
        "line": line,
        "column": column,
        "text": source_text[finding.offset : finding.offset + finding.length],
        "replacements": list(finding.replacements),
        "context": context(source_text, finding.offset, finding.length),
    }
    if finding.link:
        issue["rule"]["url"] = finding.link
    if finding.extra:
        issue.update(finding.extra)
    return issue


def counts(findings: Collection[Finding]) -> dict[str, Any]:
    """The report's ``counts``: its issues by check, severity and category."""
    by_check = Counter(f.check for f in findings)
    by_severity = Counter(f.severity for f in findings)
    return {
        "total": by_check.total(),
        "by_check": {name: by_check[name] for name in CHECK_NAMES},
        "by_severity": {sev: by_severity[sev] for sev in SEVERITIES},
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
    }
