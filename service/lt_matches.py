"""The answer of the LanguageTool-compatible API: LanguageTool's own ``/v2/check`` answer with
copydesk's findings added as matches in the same shape.

LanguageTool's matches go out as LanguageTool wrote them (``Finding.native``), so every field a
client reads survives; copydesk's findings are written the way LanguageTool's
``RuleMatchesAsJsonSerializer`` writes a match. Offsets count UTF-16 units, as LanguageTool's
and every JavaScript client's do; ``service.text.offsets`` converts them.
"""

from __future__ import annotations

import bisect
from typing import Any

from .checks.clickbait import MODEL_RULE_ID
from .checks.grammar import without_twins_of
from .findings import Document, Finding
from .lt_request import CheckRequest, category_id
from .scoring import CheckRun
from .settings import is_english
from .text.english import reads_as_english
from .text.offsets import Utf16Index, languagetool_context
from .text.segments import Span, sentences

# Rule categories (of the packs' rules) whose warnings are wrong usage a reader stumbles on (a
# calque, "should of"): LanguageTool's clients mark those as grammar, the rest as style.
GRAMMAR_CATEGORIES = frozenset({"usage", "translationese"})
# What LanguageTool names a language it cannot check (language=auto on Hebrew): "zz".
NO_LANGUAGE = {"name": "NoopLanguage", "longCode": "zz"}
INCOMPLETE_REASON = (
    "Results are incomplete: LanguageTool did not answer in time, or at all; only copydesk's own findings are listed."
)


def languagetool_answer(
    request: CheckRequest, run: CheckRun, languages: list[dict[str, str]] | None, version: str | None
) -> dict[str, Any]:
    """LanguageTool's answer to the request plus copydesk's matches, sorted by offset.

    ``languages`` (LanguageTool's list) and ``version`` fill the software and language sections
    when LanguageTool itself did not answer (``allowIncompleteResults=true``).
    """
    document = request.document
    grammar = run.results.get("grammar")
    native = dict(grammar.native) if grammar is not None and grammar.native else _stand_in(request, languages, version)
    if "grammar" in run.unavailable:
        native["warnings"] = {"incompleteResults": True, "incompleteResultsReason": INCOMPLETE_REASON}
    index = Utf16Index(document.original)
    matches = [_native_match(f, index) for f in grammar.findings] if grammar is not None else []
    if is_english(native["language"]["code"]):
        starts = _SentenceIndex(document)
        for name, result in run.results.items():
            if name != "grammar":
                ours = result.findings
                if grammar is not None:
                    ours = without_twins_of(ours, grammar.findings)
                matches += [
                    _copydesk_match(f, document.original, index, starts)
                    for f in ours
                    if f.field == "text" and request.wants(f)
                ]
    matches.sort(key=lambda match: match["offset"])  # stable: LanguageTool's first at one offset
    answer: dict[str, Any] = {}
    for key, value in native.items():
        answer[key] = value
        if key == "language":
            answer["matches"] = matches
    answer.setdefault("matches", matches)
    return answer


def _native_match(finding: Finding, index: Utf16Index) -> dict[str, Any]:
    """LanguageTool's match as it sent it, its span taken from the finding (the same span)."""
    match = dict(finding.native or {})
    match["offset"], match["length"] = index.utf16_span(finding.offset, finding.length)
    return match


def issue_type(finding: Finding) -> str:
    """``grammar`` for an error (only a pack of your own sets that severity) and for wrong usage at
    warning level, else ``style``: copydesk never says ``misspelling``, which clients treat as an
    unknown word to add to a dictionary."""
    if finding.severity == "error" or (finding.severity == "warning" and finding.category in GRAMMAR_CATEGORIES):
        return "grammar"
    return "style"


def _copydesk_match(finding: Finding, text: str, index: Utf16Index, starts: _SentenceIndex) -> dict[str, Any]:
    offset, length = index.utf16_span(finding.offset, finding.length)
    pack = finding.rule_id.split(".", 1)[0]
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "description": finding.description,
        "issueType": issue_type(finding),
    }
    if finding.link:
        rule["urls"] = [{"value": finding.link}]
    rule["category"] = {"id": category_id(finding.rule_id), "name": f"copydesk: {pack}"}
    # A hard sentence or a clickbait headline is judged whole: while the writer is still typing
    # it, the match may not stand (LanguageTool's -1: "no estimate").
    whole = finding.check == "readability" or finding.rule_id == MODEL_RULE_ID
    return {
        "message": finding.message,
        "shortMessage": finding.description,
        "replacements": [{"value": value} for value in finding.replacements],
        "offset": offset,
        "length": length,
        "context": languagetool_context(text, finding.offset, finding.length),
        "sentence": starts.sentence_at(finding.offset),
        "type": {"typeName": "Other"},
        "rule": rule,
        "ignoreForIncompleteSentence": whole,
        "contextForSureMatch": -1 if whole else 0,
    }


class _SentenceIndex:
    """The sentence (trimmed, as LanguageTool gives it) a finding starts in: of annotated text,
    as LanguageTool reads it, each markup part as what it is interpreted as (the prose view has
    blanks there, and none of an entity's character)."""

    def __init__(self, document: Document) -> None:
        self._text = document.text
        self._spans = sentences(self._text)
        self._starts = [span.start for span in self._spans]
        self._parts = document.annotation
        self._part_starts = document.part_starts

    def sentence_at(self, offset: int) -> str:
        n = bisect.bisect_right(self._starts, offset) - 1
        if n < 0:
            return ""
        span = self._spans[n]
        return (self._as_read(span) if self._parts else span.of(self._text)).strip()

    def _as_read(self, span: Span) -> str:
        read = []
        first = max(0, bisect.bisect_right(self._part_starts, span.start) - 1)
        for k in range(first, len(self._parts)):
            start = self._part_starts[k]
            if start >= span.end:
                break
            part = self._parts[k]
            if part.markup:
                read.append(part.interpret_as)
            else:
                read.append(part.text[max(0, span.start - start) : span.end - start])
        return "".join(read)


def _stand_in(request: CheckRequest, languages: list[dict[str, str]] | None, version: str | None) -> dict[str, Any]:
    """The software, warnings and language sections when LanguageTool did not answer (it was down
    and the client allowed incomplete results): what copydesk knows."""
    if request.language == "auto" and not reads_as_english(request.document.text):
        entry = NO_LANGUAGE  # no language copydesk can tell, nor check
    else:
        code = request.document.language if request.language == "auto" else request.language
        known = {entry["longCode"].lower(): entry for entry in languages or []}
        entry = known.get(code.lower(), {"name": code, "longCode": code})
    name, code = entry["name"], entry["longCode"]
    return {
        "software": {
            "name": "LanguageTool",
            "version": version or "",
            "buildDate": "",
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": name,
            "code": code,
            "detectedLanguage": {"name": name, "code": code, "confidence": 0.0, "source": ""},
        },
    }
