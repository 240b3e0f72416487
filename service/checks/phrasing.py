"""Phrasing findings: the rule packs whose check is ``phrasing`` (translationese, style,
boilerplate and any user pack), run by the shared rule engine in ``patterns``."""

from __future__ import annotations

from typing import ClassVar

from ..findings import Document, Finding, SectionResult, density_score, unsuppressed
from ..text import word_count
from .patterns import RuleBook

# Score decay: 1.5 severity points per 100 words bring the phrasing score to 100/e (about 37).
SCORE_SCALE = 1.5


def rule_findings(book: RuleBook, document: Document, check: str) -> list[Finding]:
    """Findings of one check's packs in the text, and in the title when one is sent."""
    enable, disable = document.options.get("enable", ()), document.options.get("disable", ())
    findings = book.check(document.text, checks=(check,), enable=enable, disable=disable)
    if document.title:
        findings += book.check(document.title, checks=(check,), enable=enable, disable=disable, field="title")
    return unsuppressed(findings, document)


class PhrasingCheck:
    name: ClassVar[str] = "phrasing"

    def __init__(self, book: RuleBook) -> None:
        self.book = book

    def run(self, document: Document) -> SectionResult:
        findings = rule_findings(self.book, document, "phrasing")
        words = word_count(document.text) + word_count(document.title or "")
        return SectionResult(findings=findings, score=density_score(findings, words, SCORE_SCALE))
