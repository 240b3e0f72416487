"""Phrasing findings: the rule packs whose check is ``phrasing`` (translationese, style,
boilerplate and any user pack), run by the rule book."""

from __future__ import annotations

from typing import ClassVar

from ..findings import Document, Finding, SectionResult, density_score
from ..rulebook.book import RuleBook
from . import unsuppressed

# Score decay: 1.5 severity points per 100 words bring the phrasing score to 100/e (about 37).
SCORE_SCALE = 1.5


def rule_findings(book: RuleBook, document: Document, check: str) -> list[Finding]:
    """Findings of one check's packs in the text (headline rules on its headlines), and in the
    title when it is not part of the text."""
    selection = {"checks": (check,), "enable": document.options.enable, "disable": document.options.disable}
    findings = book.check(document, **selection)
    if document.separate_title:
        findings += book.check(document.separate_title, field="title", **selection)
    return unsuppressed(findings, document)


class PhrasingCheck:
    name: ClassVar[str] = "phrasing"

    def __init__(self, book: RuleBook) -> None:
        self.book = book

    def run(self, document: Document) -> SectionResult:
        findings = rule_findings(self.book, document, "phrasing")
        return SectionResult(findings=findings, score=density_score(findings, document.word_count, SCORE_SCALE))
