"""Grammar, spelling, punctuation and style findings from a LanguageTool server.

The server is remote (the compose sidecar, or the one per host that
``service.languagetool.supervisor`` runs); this module only talks HTTP to it through
``language_tool_python``. LanguageTool counts offsets in UTF-16 units; they are turned
into code points here, with ``service.text.offsets.Utf16Index``, and nowhere else.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from typing import Any, ClassVar

import language_tool_python
import requests
from language_tool_python.exceptions import LanguageToolError

from ..findings import Annotated, BackendUnavailable, Document, Finding, SectionResult, density_score
from ..text.offsets import Utf16Index
from ..text.segments import word_count
from . import unsuppressed

# LanguageTool's issue types (its "issueType", from the Localization Quality Issue Type
# vocabulary) mapped to copydesk's three severities.
SEVERITY_BY_ISSUE_TYPE = {
    "misspelling": "error",
    "grammar": "error",
    "typographical": "warning",
    "duplication": "warning",
    "inconsistency": "warning",
    "locale-violation": "warning",
    "terminology": "warning",
    "uncategorized": "warning",
    "style": "suggestion",
    "register": "suggestion",
    "whitespace": "suggestion",
    "non-conformance": "suggestion",
}
MAX_REPLACEMENTS = 5
MARKUP_DISABLED_RULES = ("WHITESPACE_RULE",)
READY_TIMEOUT = 3.0
# Score decay: 3 severity points per 100 words bring the grammar score to 100/e (about 37).
SCORE_SCALE = 3.0


class _RawLanguageTool(language_tool_python.LanguageTool):
    """language-tool-python's remote client, returning LanguageTool's JSON matches as sent.

    ``LanguageTool.check`` adjusts offsets for astral characters with a class-level cache
    shared by all threads and leaves lengths in UTF-16 units; we need the raw matches to
    convert both ourselves. Relies on ``_query_server``/``_create_params`` of the pinned
    language-tool-python 3.4.0 (the emoji offset tests fail if that changes).
    """

    def __init__(self, language: str, remote_server: str, timeout: float, picky: bool) -> None:
        # Set before the library's constructor, which already asks the server for its
        # languages; the library reads the timeout through self (its default is 300 s).
        self._TIMEOUT = timeout  # type: ignore[misc]
        super().__init__(language, remote_server=remote_server)
        self._picky = picky

    def check_raw(
        self,
        text: str,
        disabled_rules: tuple[str, ...] = (),
        annotation: tuple[Annotated, ...] = (),
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any]:
        """One ``/v2/check``: of ``text``, or of the annotated text when ``annotation`` is given
        (then ``text`` is the source the annotation cuts up, and offsets point into it).
        ``parameters`` (``CheckOptions.languagetool``) replace this library client's own (language, level)."""
        url = urllib.parse.urljoin(self._url, "check")
        params = {"text": text, **dict(parameters)} if parameters else self._create_params(text)
        if annotation:
            del params["text"]
            params["data"] = json.dumps({"annotation": [_annotation_part(part) for part in annotation]})
        if disabled_rules:
            params["disabledRules"] = ",".join(disabled_rules)
        return self._query_server(url, params, num_tries=1, method="post")


def _annotation_part(part: Annotated) -> dict[str, str]:
    if part.markup:
        return {"markup": part.text, "interpretAs": part.interpret_as}
    return {"text": part.text}


class GrammarCheck:
    name: ClassVar[str] = "grammar"

    def __init__(self, server_url: str, timeout: float, level: str) -> None:
        self.server_url = server_url.rstrip("/") + "/"
        self.timeout = timeout
        self.picky = level == "picky"
        self._clients: dict[tuple[str, float], _RawLanguageTool] = {}
        self._lock = threading.Lock()
        self.server_version: str | None = None
        self._languages: list[dict[str, str]] | None = None

    def _client(self, language: str, timeout: float) -> _RawLanguageTool:
        # One client per language and timeout: a client's settings are per instance, so
        # sharing one across requests is safe only because nothing mutates it after creation.
        # The constructor asks the server for its languages: do that outside the lock, so a
        # server that does not answer holds up each request for its own timeout only.
        key = (language, timeout)
        with self._lock:
            client = self._clients.get(key)
        if client is not None:
            return client
        try:
            client = _RawLanguageTool(language, self.server_url, timeout, self.picky)
        except (LanguageToolError, requests.RequestException, OSError) as exc:
            raise BackendUnavailable(f"LanguageTool at {self.server_url} is not answering: {exc}") from exc
        with self._lock:
            return self._clients.setdefault(key, client)

    def check_text(
        self,
        text: str,
        language: str,
        disabled_rules: tuple[str, ...] = (),
        timeout: float | None = None,
        accept: frozenset[str] = frozenset(),
        annotation: tuple[Annotated, ...] = (),
    ) -> list[Finding]:
        """LanguageTool's matches as findings, in code points of ``text`` (with ``annotation``,
        the markup source it cuts up); spelling matches on an ``accept`` word (case-folded) are
        left out, because the client listed that word as correct (a house dictionary)."""
        return self.check_answer(text, language, disabled_rules, timeout, accept, annotation)[0]

    def check_answer(
        self,
        text: str,
        language: str,
        disabled_rules: tuple[str, ...] = (),
        timeout: float | None = None,
        accept: frozenset[str] = frozenset(),
        annotation: tuple[Annotated, ...] = (),
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> tuple[list[Finding], dict[str, Any]]:
        """``check_text``, with ``parameters`` sent as they are (``CheckOptions.languagetool``), plus
        the rest of LanguageTool's answer (software, warnings, language; empty for blank text)."""
        if not text.strip():
            return [], {}
        try:
            answer = self._client(language, timeout or self.timeout).check_raw(
                text, disabled_rules, annotation, parameters
            )
        except (LanguageToolError, requests.RequestException, OSError) as exc:
            raise BackendUnavailable(f"LanguageTool check failed: {exc}") from exc
        if not isinstance(answer, dict) or "matches" not in answer:
            raise BackendUnavailable("LanguageTool sent an answer without matches")
        self.server_version = answer.get("software", {}).get("version", self.server_version)
        index = Utf16Index(text)
        findings = []
        for match in answer["matches"]:
            finding = self._finding(match, index)
            if accept and match.get("rule", {}).get("issueType") == "misspelling":
                if text[finding.offset : finding.offset + finding.length].casefold() in accept:
                    continue
            findings.append(finding)
        return findings, {key: value for key, value in answer.items() if key != "matches"}

    def run(self, document: Document) -> SectionResult:
        # Markup goes to LanguageTool as annotated text; the spaces around markup it skips are
        # not the writer's, so the whitespace rule stays off for markup documents.
        parameters = document.options.languagetool
        disabled = MARKUP_DISABLED_RULES if document.annotation and not parameters else ()
        findings, native = self.check_answer(
            document.original,
            document.language,
            disabled,
            accept=document.options.accept,
            annotation=document.annotation,
            parameters=parameters,
        )
        findings = unsuppressed(findings, document)
        return SectionResult(
            findings=findings,
            score=density_score(findings, word_count(document.text), SCORE_SCALE),
            details={"server_version": self.server_version},
            native=native,
        )

    @staticmethod
    def _finding(match: dict[str, Any], index: Utf16Index) -> Finding:
        rule = match.get("rule", {})
        offset, length = index.span(int(match["offset"]), int(match["length"]))
        issue_type = rule.get("issueType", "uncategorized")
        rule_id = rule.get("id", "UNKNOWN")
        if rule.get("subId"):
            rule_id = f"{rule_id}[{rule['subId']}]"
        return Finding(
            check="grammar",
            rule_id=rule_id,
            description=rule.get("description", ""),
            category=rule.get("category", {}).get("id", "MISC"),
            source="languagetool",
            severity=SEVERITY_BY_ISSUE_TYPE.get(issue_type, "warning"),  # type: ignore[arg-type]
            message=match.get("message", ""),
            offset=offset,
            length=length,
            replacements=tuple(r["value"] for r in match.get("replacements", [])[:MAX_REPLACEMENTS]),
            link=(rule.get("urls") or [{}])[0].get("value"),
            native=match,
        )

    def ready(self, language: str = "en-US") -> tuple[bool, str]:
        """Whether LanguageTool answers a real check now, and why not if it does not.

        Probes answer within READY_TIMEOUT seconds, so health checkers (Docker's allows 5 s)
        get a 503 with the reason rather than a timeout of their own.
        """
        try:
            self.check_text("copydesk readiness probe.", language, timeout=min(READY_TIMEOUT, self.timeout))
        except BackendUnavailable as exc:
            return False, str(exc)
        return True, "LanguageTool answers"

    def languages(self) -> list[dict[str, str]]:
        """LanguageTool's languages (``GET /v2/languages``: name, code, longCode), asked once."""
        if self._languages is None:
            self._languages = self.server_answer("languages")
        return self._languages

    def server_answer(self, path: str) -> Any:
        """LanguageTool's own JSON answer to ``GET /v2/<path>`` (``languages``, ``info``), for the
        LanguageTool-compatible API; BackendUnavailable when it does not give one."""
        try:
            response = requests.get(urllib.parse.urljoin(self.server_url, f"v2/{path}"), timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise BackendUnavailable(f"LanguageTool did not answer GET /v2/{path}: {exc}") from exc
