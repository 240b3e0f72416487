"""The vocabulary every check shares: a document in, a section of findings out.

Each analyzer in ``service.checks`` implements :class:`Check`. Keeping this one small
interface is what lets the scorer run the checks concurrently and merge their results
without knowing anything about LanguageTool, textstat or rule packs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

CheckName = Literal["grammar", "readability", "phrasing", "clickbait"]
CHECK_NAMES: tuple[CheckName, ...] = ("grammar", "readability", "phrasing", "clickbait")

Severity = Literal["error", "warning", "suggestion"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "suggestion")

# Penalty points per finding, used by every density-based section score.
SEVERITY_WEIGHT: dict[str, float] = {"error": 1.0, "warning": 0.5, "suggestion": 0.2}


@dataclass(frozen=True)
class Finding:
    """One problem in the text, located in code points of the string it was found in.

    ``field`` says which string that is: the request's ``text`` or its ``title``.
    Line, column, context and the flagged span are derived later, in one place
    (``service.text``), so analyzers only have to get ``offset`` and ``length`` right.
    """

    check: CheckName
    rule_id: str
    description: str
    category: str
    source: str
    severity: Severity
    message: str
    offset: int
    length: int
    replacements: tuple[str, ...] = ()
    field: Literal["text", "title"] = "text"
    link: str | None = None
    extra: dict[str, Any] | None = None


@dataclass(frozen=True)
class Document:
    """What the client asked us to score.

    For Markdown or HTML, ``text`` is the prose view (``service.markup``): the source with
    everything that is not prose blanked out, so it has the source's length and every offset
    into it is also an offset into ``source``, the markup as sent. ``suppressions`` come from
    the source's ``copydesk-disable`` comments.
    """

    text: str
    title: str | None = None
    language: str = "en-US"
    options: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    suppressions: tuple[Any, ...] = ()

    @property
    def original(self) -> str:
        """The text as the client sent it, which offsets and issue spans refer to."""
        return self.text if self.source is None else self.source


def unsuppressed(findings: list[Finding], document: Document) -> list[Finding]:
    """Drop findings that the document's suppression comments switch off (before scoring)."""
    if not document.suppressions:
        return findings
    from .markup import is_suppressed

    return [
        f
        for f in findings
        if f.field != "text" or not is_suppressed(f.rule_id, f.check, f.offset, document.suppressions)
    ]


@dataclass
class SectionResult:
    """A check's answer: its findings, its 0-100 score and whatever else it reports."""

    findings: list[Finding]
    score: float
    details: dict[str, Any] = field(default_factory=dict)


class CheckUnavailable(Exception):
    """Raised by a check whose backend (e.g. LanguageTool) cannot answer right now."""


class Check(Protocol):
    name: ClassVar[CheckName]

    def run(self, document: Document) -> SectionResult: ...


def density_score(findings: list[Finding], words: int, scale: float) -> float:
    """A bounded, monotone, length-normalised score.

    ``points`` is the severity-weighted number of findings; per 100 words (a text is
    counted as at least 50 words so a one-liner is not judged on a single slip) it
    decays the score exponentially: ``100 * exp(-density / scale)``. More or worse
    findings can only lower it; the same findings in a longer text weigh less.
    """
    points = sum(SEVERITY_WEIGHT[f.severity] for f in findings)
    density = points * 100.0 / max(words, 50)
    return round(100.0 * math.exp(-density / scale), 1)
