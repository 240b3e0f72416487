"""Grammar, spelling, punctuation and style findings from a LanguageTool server.

The server is remote (the compose sidecar, or the one per host that
``service.languagetool.supervisor`` runs); this module only talks HTTP to it through
``language_tool_python``. LanguageTool counts offsets in UTF-16 units; they are turned
into code points here, with ``service.text.offsets.Utf16Index``, and nowhere else.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import math
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import language_tool_python
import requests
from language_tool_python.exceptions import LanguageToolError

from ..cache import MemoryStore, Store, fingerprint
from ..findings import (
    Annotated,
    BackendUnavailable,
    Document,
    Finding,
    LanguageToolRefused,
    SectionResult,
    density_score,
    renumbered,
)
from ..languagetool.pieces import Piece, batches, plan
from ..text.offsets import Utf16Index
from ..text.segments import word_count
from . import unsuppressed

log = logging.getLogger(__name__)

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
# LanguageTool's rule list for a language (GET /v2/configinfo) is about 1 MB of JSON that takes
# it most of a second and a share of its heap to build: each worker keeps this many bytes of
# them (several languages) and asks for one at a time.
CONFIGINFO_BYTES = 8_000_000
# What LanguageTool says about itself (its languages, its limit, its rules) is asked again after
# this many seconds, and at once when a check's answer names another version: LanguageTool can be
# upgraded, or restarted with other settings, behind a copydesk that keeps running.
ABOUT_SECONDS = 300.0
# A check answered this recently makes the server ready without a probe.
RECENT_ANSWER = 30.0
# A text shorter than this goes to LanguageTool in one check, not split for speed.
SPLIT_CHARS = 2000
# LanguageTool's answers that refuse a request as it was sent, to be passed on to a /v2 client.
REFUSALS = (400, 413)
# Score decay: 3 severity points per 100 words bring the grammar score to 100/e (about 37).
SCORE_SCALE = 3.0


class _RawLanguageTool(language_tool_python.LanguageTool):
    """language-tool-python's remote client, returning LanguageTool's JSON matches as sent.

    ``LanguageTool.check`` adjusts offsets for astral characters with a class-level cache
    shared by all threads and leaves lengths in UTF-16 units; we need the raw matches to
    convert both ourselves. Relies on ``_create_params`` and ``_proxies`` of the pinned
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
        parts: tuple[Annotated, ...],
        disabled_rules: tuple[str, ...] = (),
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any]:
        """One ``/v2/check`` of these parts: as plain ``text`` when they are one prose part,
        else as annotated ``data`` (offsets then point into the parts' texts joined).
        ``parameters`` (``CheckOptions.languagetool``) replace this library client's own (language, level)."""
        url = urllib.parse.urljoin(self._url, "check")
        text = parts[0].text if len(parts) == 1 and not parts[0].markup else ""
        params = {"text": text, **dict(parameters)} if parameters else self._create_params(text)
        if len(parts) > 1 or parts[0].markup:
            del params["text"]
            params["data"] = json.dumps({"annotation": [_annotation_part(part) for part in parts]})
        if disabled_rules:
            params["disabledRules"] = ",".join(disabled_rules)
        # Posted here rather than through the library's _query_server, which keeps the answer's
        # text but not its status: 400 and 413 are LanguageTool refusing the request as sent (a
        # parameter, a text over its maxTextLength). Other codes (429: busy; 401, 403, 404 or 408
        # from a proxy in front of it) say it could not check, which asking later may mend.
        with requests.post(url, data=params, timeout=self._TIMEOUT, proxies=self._proxies) as response:
            if response.status_code in REFUSALS:
                raise LanguageToolRefused(response.status_code, response.content.decode("utf-8", "replace"))
            try:
                return response.json()
            except ValueError as exc:  # LanguageTool's errors are plain text
                raise LanguageToolError(f"{response.status_code}: {response.text[:200]}") from exc


def _timed_out(exc: BaseException) -> bool:
    """Whether a request to LanguageTool failed by timing out (language_tool_python wraps the
    requests error in its own)."""
    return isinstance(exc, requests.Timeout) or isinstance(exc.__cause__, requests.Timeout)


def _annotation_part(part: Annotated) -> dict[str, str]:
    if part.markup:
        return {"markup": part.text, "interpretAs": part.interpret_as}
    return {"text": part.text}


def _split(
    check: Piece, units: list[Piece], matches: list[dict[str, Any]]
) -> list[tuple[Piece, list[dict[str, Any]], bool]]:
    """The matches of one check of joined ``units``, per unit, with offsets (UTF-16, as
    LanguageTool sent them) from the unit's start; and whether no match runs out of the unit."""
    index = Utf16Index(check.text)
    starts = [index.to_utf16(unit.start - check.start) for unit in units]
    ends = [*starts[1:], index.to_utf16(len(check.text))]
    split: list[tuple[Piece, list[dict[str, Any]], bool]] = [(unit, [], True) for unit in units]
    for match in matches:
        offset = int(match["offset"])
        n = max(0, bisect.bisect_right(starts, offset) - 1)
        unit, kept, whole = split[n]
        kept.append({**match, "offset": offset - starts[n]})
        if offset + int(match["length"]) > ends[n]:
            split[n] = (unit, kept, False)
    return split


class GrammarCheck:
    name: ClassVar[str] = "grammar"

    def __init__(
        self,
        server_url: str,
        timeout: float,
        level: str,
        piece_chars: int,
        parallel: int,
        paragraphs: Store | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/") + "/"
        self.timeout = timeout
        self.picky = level == "picky"
        # A long text goes as pieces of at most piece_chars, at most `parallel` of one request
        # at a time, so one request never holds more than that share of the server.
        self.piece_chars = piece_chars
        self.parallel = parallel
        # Reports of this worker waiting on LanguageTool now (see _share).
        self._waiting = 0
        # LanguageTool's matches per paragraph (see _check_paragraphs); None: every text goes whole.
        self.paragraphs = paragraphs
        self._clients: dict[tuple[str, float], _RawLanguageTool] = {}
        self._lock = threading.Lock()
        self.server_version: str | None = None
        self._answered_at = -math.inf  # time.monotonic() of the last answer
        self._failed_at = -math.inf  # and of the last check LanguageTool did not answer
        self._probing = threading.Lock()  # held by the readiness probe in flight (see ready)
        self._last_probe: tuple[bool, str] | None = None
        self._languages: list[dict[str, str]] | None = None
        self._max_text_length: int | None = None
        self._configinfo = MemoryStore(CONFIGINFO_BYTES)
        self._about_since = time.monotonic()  # when the three above were last emptied
        self._configinfo_lock = threading.Lock()

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
            log.warning("LanguageTool at %s is not answering: %s", self.server_url, exc)
            timed_out = _timed_out(exc)
            if not timed_out:  # a busy server is slow, not gone (see ready)
                self._failed_at = time.monotonic()
            raise BackendUnavailable("LanguageTool is not answering", timed_out=timed_out) from exc
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
        view: str | None = None,
    ) -> list[Finding]:
        """LanguageTool's matches as findings, in code points of ``text`` (with ``annotation``,
        the markup source it cuts up, and ``view`` its prose view); spelling matches on an
        ``accept`` word (case-folded) are left out, because the client listed that word as
        correct (a house dictionary). The text goes as the pieces ``pieces.plan`` makes."""
        return self.check_answer(text, language, disabled_rules, timeout, accept, annotation, view)[0]

    def check_answer(
        self,
        text: str,
        language: str,
        disabled_rules: tuple[str, ...] = (),
        timeout: float | None = None,
        accept: frozenset[str] = frozenset(),
        annotation: tuple[Annotated, ...] = (),
        view: str | None = None,
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> tuple[list[Finding], dict[str, Any]]:
        """``check_text``, plus the rest of LanguageTool's answer (software, warnings, language)
        for a LanguageTool-API client's check (empty otherwise). With ``parameters`` (``CheckOptions.languagetool``,
        a LanguageTool-API client's) the text goes whole, as the client would send it to LanguageTool:
        masking or cutting it could change LanguageTool's answer, which that client gets unchanged;
        LanguageTool's maxCheckTimeMillis and COPYDESK_LANGUAGETOOL_TIMEOUT still bound the check;
        a blank text goes too, since that client gets LanguageTool's answer (its sentence ranges,
        a whitespace match)."""
        if not text.strip() and not parameters:
            return [], {}
        client = self._client(language, timeout or self.timeout)
        if parameters:
            pieces = [Piece(0, annotation or (Annotated(text),))]
            answers = [self._check_piece(client, pieces[0], disabled_rules, parameters)]
            native = {key: value for key, value in answers[0].items() if key != "matches"}
        elif self.paragraphs is None:
            pieces = plan(text, annotation, text if view is None else view, self.piece_chars)
            answers = self._check_pieces(client, pieces, disabled_rules)
            native = {}
        else:
            pieces, answers = self._check_paragraphs(client, text, annotation, view, language, disabled_rules)
            native = {}
        findings = []
        for piece, answer in zip(pieces, answers, strict=True):
            index = Utf16Index(piece.text)
            for match in answer["matches"]:
                finding = self._finding(match, index, piece.start)
                if accept and match.get("rule", {}).get("issueType") == "misspelling":
                    if text[finding.offset : finding.offset + finding.length].casefold() in accept:
                        continue
                findings.append(finding)
        return findings, native

    def _check_pieces(
        self, client: _RawLanguageTool, pieces: list[Piece], disabled_rules: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """LanguageTool's answer for each piece, at most ``parallel`` at a time."""
        if len(pieces) == 1:
            return [self._check_piece(client, pieces[0], disabled_rules)]
        with ThreadPoolExecutor(max_workers=max(1, min(self.parallel, len(pieces)))) as pool:
            return list(pool.map(lambda piece: self._check_piece(client, piece, disabled_rules), pieces))

    def _check_paragraphs(
        self,
        client: _RawLanguageTool,
        text: str,
        annotation: tuple[Annotated, ...],
        view: str | None,
        language: str,
        disabled_rules: tuple[str, ...],
    ) -> tuple[list[Piece], list[dict[str, Any]]]:
        """Each paragraph's matches, from the paragraph cache or from LanguageTool.

        A paragraph's key is its annotated text with everything else LanguageTool's answer
        depends on (language, level, disabled rules, server version), so an edited paragraph
        is a new key and only it goes to the server; the paragraphs that do go are joined
        again into checks of up to ``piece_chars``. A match is kept with the paragraph it
        starts in, its offset counted from that paragraph; a paragraph with a match that runs
        into the next one is not cached. LanguageTool's text-level rules see the paragraphs
        checked together, not the whole text (README, "Caches"; bench.paragraph_parity).
        """
        store = self.paragraphs
        assert store is not None
        units = plan(text, annotation, text if view is None else view, self.piece_chars, paragraphs=True)

        def key(unit: Piece, version: str) -> str:
            return fingerprint("languagetool-paragraph", renumbered(unit.parts), language, self.picky, disabled_rules,
                               version)

        # The server version is known from its first answer on: until then, nothing is cached.
        version = self.server_version
        found: list[dict[str, Any] | None] = []
        for unit in units:
            cached = store.get(key(unit, version)) if version is not None else None
            found.append(json.loads(cached) if cached is not None else None)
        missing = [unit for unit, answer in zip(units, found, strict=True) if answer is None]
        # LanguageTool checks one text on one thread: what it has to check goes in checks of
        # about equal size (at most piece_chars, down to SPLIT_CHARS), as many as a multiple of
        # `parallel`, so a single report keeps every thread the service gives it busy to the end.
        size = sum(len(unit.text) for unit in missing)
        with self._share() as parallel:
            count = max(1, math.ceil(math.ceil(size / self.piece_chars) / parallel)) * parallel
            checks = batches(missing, max(SPLIT_CHARS, math.ceil(size / count)))
            answers = self._check_pieces(client, [check for check, _ in checks], disabled_rules)
        answered_by = self.server_version  # the version that gave these answers
        position = {unit.start: n for n, unit in enumerate(units)}
        for (check, run), answer in zip(checks, answers, strict=True):
            for unit, matches, whole in _split(check, run, answer["matches"]):
                n = position[unit.start]
                found[n] = {"matches": matches}
                if whole and answered_by is not None:
                    store.put(key(unit, answered_by), json.dumps(found[n], separators=(",", ":")).encode())
        return units, found  # type: ignore[return-value]  # every None was filled

    @contextlib.contextmanager
    def _share(self) -> Iterator[int]:
        """How many checks a report's new text is cut into to run at once: ``parallel`` while no
        other report of this worker waits on LanguageTool, else one (or as few as ``piece_chars``
        allows). Alone, a report's pieces keep the server's threads busy and it is answered
        sooner; among others, the server's threads are busy anyway and each extra check only adds
        LanguageTool's fixed cost per check (bench.speed: throughput at concurrency 8 rose from
        0.78x to 0.9x of raw LanguageTool's when texts went whole)."""
        with self._lock:
            others = self._waiting
            self._waiting += 1
        try:
            yield self.parallel if others == 0 else 1
        finally:
            with self._lock:
                self._waiting -= 1

    def _check_piece(
        self,
        client: _RawLanguageTool,
        piece: Piece,
        disabled_rules: tuple[str, ...],
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any]:
        try:
            answer = client.check_raw(piece.parts, disabled_rules, parameters)
        except LanguageToolRefused as exc:
            if parameters:  # the client's parameters and text, sent whole: LanguageTool's refusal is the answer
                raise
            log.warning("LanguageTool refused a piece of %d characters with %d: %s", len(piece.text), exc.status, exc)
            if exc.status != 413:
                raise BackendUnavailable("LanguageTool could not check the text") from exc
            raise BackendUnavailable(
                "LanguageTool refuses pieces this long: set COPYDESK_LANGUAGETOOL_PIECE_CHARS under its maxTextLength"
            ) from exc
        except (LanguageToolError, requests.RequestException, OSError) as exc:
            if _timed_out(exc):  # a busy server is slow, not gone (see ready)
                raise BackendUnavailable(
                    f"LanguageTool did not answer within {client._TIMEOUT:g} s", timed_out=True
                ) from exc
            self._failed_at = time.monotonic()
            log.warning("LanguageTool check failed: %s", exc)
            raise BackendUnavailable("LanguageTool could not check the text") from exc
        if not isinstance(answer, dict) or "matches" not in answer:
            raise BackendUnavailable("LanguageTool sent an answer without matches")
        version = answer.get("software", {}).get("version", self.server_version)
        if version != self.server_version:
            if self.server_version is not None:
                log.info("LanguageTool %s answers where %s did", version, self.server_version)
                self._forget_about()
            self.server_version = version
        self._answered_at = time.monotonic()
        return answer

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
            view=document.text,
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
    def _finding(match: dict[str, Any], index: Utf16Index, shift: int) -> Finding:
        """A match as a finding; ``index`` converts its UTF-16 span within its piece, which
        starts ``shift`` code points into the text."""
        rule = match.get("rule", {})
        offset, length = index.span(int(match["offset"]), int(match["length"]))
        offset += shift
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
        """Whether LanguageTool is up and answering, and why not if it is not.

        A check answered in the last RECENT_ANSWER seconds, with none failed since, says so (a
        busy server is a ready one: readiness must not flap under load; a check that could not
        reach it, not one that timed out, is how copydesk learns an external LanguageTool went
        away). Before the first answer, a real check proves the rules are loaded; after it,
        LanguageTool's own healthcheck, which needs no check thread, says whether it is still up.
        Probes answer within READY_TIMEOUT seconds, so health checkers (Docker's allows 5 s) get
        a 503 with the reason, not a timeout. One probe runs at a time: while it waits, other
        callers get the answer of the probe before it at once, so a burst of readiness requests
        (they need no key) neither holds every thread that answers probes nor multiplies
        LanguageTool's load.
        """
        since = time.monotonic() - self._answered_at
        if since < RECENT_ANSWER and self._failed_at < self._answered_at:
            return True, f"LanguageTool answered a check {since:.0f} s ago"
        last = self._last_probe
        if last is not None:
            if not self._probing.acquire(blocking=False):
                return last
        else:
            self._probing.acquire()
        try:
            if last is None and self._last_probe is not None:
                return self._last_probe  # the probe this caller waited for has answered
            self._last_probe = self._probe(language)
            return self._last_probe
        finally:
            self._probing.release()

    def _probe(self, language: str) -> tuple[bool, str]:
        probe_timeout = min(READY_TIMEOUT, self.timeout)
        if self._answered_at == -math.inf:
            try:
                self.check_text("copydesk readiness probe.", language, timeout=probe_timeout)
            except BackendUnavailable as exc:
                return False, str(exc)
            return True, "LanguageTool answers checks"
        try:
            response = requests.get(urllib.parse.urljoin(self.server_url, "v2/healthcheck"), timeout=probe_timeout)
        except requests.RequestException as exc:
            log.warning("LanguageTool healthcheck at %s failed: %s", self.server_url, exc)
            return False, "LanguageTool is not answering"
        if response.status_code != 200:
            return False, "LanguageTool is overloaded or not healthy"
        return True, "LanguageTool is healthy"

    def languages(self) -> list[dict[str, str]]:
        """LanguageTool's languages (``GET /v2/languages``: name, code, longCode), kept (ABOUT_SECONDS)."""
        self._forget_about(older_than=ABOUT_SECONDS)
        if self._languages is None:
            self._languages = self.server_answer("languages")
        return self._languages

    def max_text_length(self) -> int:
        """The longest text LanguageTool checks (``GET /v2/maxtextlength``: its maxTextLength, in
        UTF-16 units of the text without markup), kept (ABOUT_SECONDS)."""
        self._forget_about(older_than=ABOUT_SECONDS)
        if self._max_text_length is None:
            self._max_text_length = int(self.server_answer("maxtextlength"))
        return self._max_text_length

    def configinfo(self, language: str, max_text_length: int) -> bytes:
        """LanguageTool's rules for ``language`` (``GET /v2/configinfo``) with ``max_text_length``
        as the limit a client keeps to, as JSON. Kept (CONFIGINFO_BYTES), and asked for one at a
        time: clients that ask again and again, or many at once, must not load LanguageTool (a
        burst of them filled its 1 GB heap while it checked a long text, and it died)."""
        key = f"{language}\n{max_text_length}"
        self._forget_about(older_than=ABOUT_SECONDS)
        body = self._configinfo.get(key)
        if body is not None:
            return body
        with self._configinfo_lock:
            body = self._configinfo.get(key)  # asked for while this request waited
            if body is None:
                answer = self.server_answer("configinfo", {"language": language})
                answer.setdefault("parameter", {})["maxTextLength"] = max_text_length
                body = json.dumps(answer, separators=(",", ":")).encode()
                self._configinfo.put(key, body)
        return body

    def _forget_about(self, older_than: float = 0.0) -> None:
        """Empty what LanguageTool said about itself (languages, limit, rules), if kept for longer
        than ``older_than`` seconds, so it is asked again."""
        if time.monotonic() - self._about_since >= older_than:
            self._languages, self._max_text_length = None, None
            self._configinfo = MemoryStore(CONFIGINFO_BYTES)
            self._about_since = time.monotonic()

    def server_answer(self, path: str, params: dict[str, str] | None = None) -> Any:
        """LanguageTool's own answer to ``GET /v2/<path>`` (``languages``, ``info``,
        ``configinfo``: JSON; ``maxtextlength``: a number), for the LanguageTool-compatible API;
        BackendUnavailable when it does not give one."""
        try:
            url = urllib.parse.urljoin(self.server_url, f"v2/{path}")
            response = requests.get(url, params=params, timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("LanguageTool did not answer GET /v2/%s: %s", path, exc)
            raise BackendUnavailable(f"LanguageTool did not answer GET /v2/{path}") from exc
