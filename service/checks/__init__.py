"""The analyzers behind each section of a copydesk report.

Each module implements the :class:`service.findings.Check` protocol: a document in, a
``SectionResult`` (findings, a 0-100 score, details) out, so the scorer can run them
side by side without knowing their back ends:

- ``grammar``: spelling, grammar and style findings from a LanguageTool server.
- ``readability``: textstat grade-level metrics, hard-to-read sentences and the clarity
  measures (``clarity/``: Hemingway's and Yoast's).
- ``phrasing``: the phrasing rule packs (translationese, style, boilerplate, your own).
- ``clickbait``: the headline model and the clickbait rule packs.
"""

from __future__ import annotations

from ..findings import Document, Finding
from ..rulebook.selectors import selects


def unsuppressed(findings: list[Finding], document: Document) -> list[Finding]:
    """Drop the findings that the document's ``copydesk-disable`` comments switch off; each
    check does this before it scores, so a suppressed finding never costs points."""
    if not document.suppressions:
        return findings

    def suppressed(finding: Finding) -> bool:
        return finding.field == "text" and any(
            s.start <= finding.offset < s.end
            and (not s.selectors or any(selects(sel, finding.rule_id, finding.check) for sel in s.selectors))
            for s in document.suppressions
        )

    return [f for f in findings if not suppressed(f)]
