"""The analyzers behind each section of a copydesk report.

Each module implements the :class:`service.findings.Check` protocol: a document in, a
``SectionResult`` (findings, a 0-100 score, details) out, so the scorer can run them
side by side without knowing their back ends:

- ``grammar``: spelling, grammar and style findings from a LanguageTool server.
- ``readability``: textstat grade-level metrics and hard-to-read sentences.
- ``patterns``: newsroom phrasing rules (wordiness, clichés, jargon) from rule packs.
- ``clickbait``: how much a headline reads like clickbait.
"""
