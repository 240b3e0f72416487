"""The LanguageTool server as copydesk talks to it: checks, readiness, and what it says about itself.

One :class:`LanguageToolClient` per process talks HTTP to the server (the compose sidecar, or
the one per host that ``service.languagetool.supervisor`` runs) through
``language_tool_python``. The grammar check (``service.checks.grammar``) sends it pieces and
turns the matches into findings; ``/readyz`` asks it whether the server is ready, and the
LanguageTool-compatible ``/v2`` passes on what the server says about itself (languages, info,
limit, rules). They share one client because they share what it learns: the server's version,
when it last answered a check, whether a check could not reach it.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import language_tool_python
import requests
from language_tool_python.exceptions import LanguageToolError

from ..cache import MemoryStore
from ..findings import MAX_REPLACEMENTS, Annotated, BackendUnavailable, LanguageToolRefused
from .pieces import Piece

log = logging.getLogger(__name__)
# A user and password in a URL (COPYDESK_LANGUAGETOOL_URL may hold them, for a LanguageTool behind
# basic auth): what this module logs quotes the URL, and the errors of the libraries under it do.
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


class _WithoutUserinfo(logging.Filter):
    """Log lines of this module without a URL's user and password."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = _USERINFO.sub("", message), None
        return True


log.addFilter(_WithoutUserinfo())
logging.getLogger(language_tool_python.server.__name__).addFilter(_WithoutUserinfo())  # its debug lines quote URLs

READY_TIMEOUT = 3.0
# What the readiness probe before the first answer asks LanguageTool to check.
PROBE_TEXT = "copydesk readiness probe."
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
# After a probe for LanguageTool's version went unanswered, the next is not sent for this many
# seconds (until then, the first answer to a check tells it).
VERSION_RETRY = 10.0
# LanguageTool's answers that refuse a request as it was sent, to be passed on to a /v2 client.
REFUSALS = (400, 413)


class RawLanguageTool(language_tool_python.LanguageTool):
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
        ``parameters`` (``CheckOptions.languagetool``) replace this library client's own (language, level);
        without them (copydesk's own check), each match keeps what a finding reads of it."""
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
            if response.status_code == 500 and "ruleValues" in params:
                _refuse_rule_value_of_another_type(response.text)
            try:
                hook = _AnswerReader(cut=not parameters)
                return json.loads(response.content, object_hook=hook)
            except ValueError as exc:  # LanguageTool's errors are plain text
                raise LanguageToolError(f"{response.status_code}: {response.text[:200]}") from exc


# What LanguageTool's 500 says when a rule's value in ruleValues is of another type than the
# rule takes ("TOO_LONG_SENTENCE:f1.5"; the value itself is readable: lt_request._rule_values).
_CAST_FAILED = re.compile(r"ClassCastException: class java\.lang\.(\w+) cannot be cast to class java\.lang\.(\w+)")


def _refuse_rule_value_of_another_type(answer: str) -> None:
    """A 500 for a rule value of the wrong type fails every check with it: the client's request
    is wrong, not the server, so it is a 400 (which nobody retries), in copydesk's words."""
    cast = _CAST_FAILED.search(answer)
    if cast is not None:
        given, taken = cast.groups()
        example = ": a whole number, as in 'TOO_LONG_SENTENCE:40'" if taken == "Integer" else ""
        raise LanguageToolRefused(
            400,
            f"Error: 'ruleValues' has a value of a type its rule does not take (LanguageTool reads it "
            f"as {given}, the rule takes {taken}{example})",
        )


# What copydesk's own check reads of a LanguageTool match (``GrammarCheck._finding``).
FINDING_FIELDS = ("offset", "length", "message", "replacements", "rule")
# The fields of a match that many matches of one answer have alike: each occurrence of an unknown
# word has the same hundreds of replacements ("$$a": 468), every match of a rule the same rule,
# every match in a sentence the same sentence.
SHARED_FIELDS = ("rule", "replacements", "message", "shortMessage", "type", "sentence")


class _AnswerReader:
    """An object hook for one answer of LanguageTool: a match's SHARED_FIELDS, when an earlier
    match of the answer had the same, are that earlier object, held once (nothing changes them
    once read). For copydesk's own check (``cut``), a match also keeps only FINDING_FIELDS, and
    at most MAX_REPLACEMENTS replacements, cut as it is read so the rest is freed at once and
    never reaches a finding or the paragraph cache. Held whole, such answers made a worker hold
    3 GB for one ``/v1`` report and 4.7 GB for one ``/v2`` check of 115,000 characters of lines of
    short unknown words."""

    def __init__(self, cut: bool) -> None:
        self.cut = cut
        self._seen: dict[Any, Any] = {}

    def __call__(self, node: dict[str, Any]) -> dict[str, Any]:
        if "rule" not in node or "offset" not in node:  # not a match: a part of one, or the answer
            return node
        if self.cut:
            node = {key: node[key] for key in FINDING_FIELDS if key in node}
            if isinstance(node.get("replacements"), list):
                node["replacements"] = node["replacements"][:MAX_REPLACEMENTS]
        for key in SHARED_FIELDS:
            if key in node:
                node[key] = self._seen.setdefault((key, _frozen(node[key])), node[key])
        return node


def _frozen(value: Any) -> Any:
    """A read JSON value as a key that equals another's exactly when the values are the same
    (``True``, ``1`` and ``1.0`` apart)."""
    if isinstance(value, dict):
        return ("{", *((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("[", *(_frozen(item) for item in value))
    return value if type(value) in (str, int) else (type(value).__name__, value)


def _timed_out(exc: BaseException) -> bool:
    """Whether a request to LanguageTool failed by timing out (language_tool_python wraps the
    requests error in its own), copydesk's wait or LanguageTool's own maxCheckTimeMillis (its
    500 says the check "took longer than" that): a busy server, not one that is gone."""
    if isinstance(exc, LanguageToolError) and "took longer than" in str(exc):
        return True
    return isinstance(exc, requests.Timeout) or isinstance(exc.__cause__, requests.Timeout)


def _annotation_part(part: Annotated) -> dict[str, str]:
    if part.markup:
        return {"markup": part.text, "interpretAs": part.interpret_as}
    return {"text": part.text}


class LanguageToolClient:
    """One LanguageTool server: its checks, its readiness, and what it says about itself (kept)."""

    def __init__(self, server_url: str, timeout: float, level: str) -> None:
        self.server_url = server_url.rstrip("/") + "/"
        self.timeout = timeout
        self.picky = level == "picky"
        self._per_language: dict[tuple[str, float], RawLanguageTool] = {}
        self._lock = threading.Lock()
        self.server_version: str | None = None
        self._answered_at = -math.inf  # time.monotonic() of the last answer
        self._failed_at = -math.inf  # and of the last check LanguageTool did not answer
        self._probing = threading.Lock()  # held by the readiness probe in flight (see ready)
        self._last_probe: tuple[bool, str] | None = None
        self._version_lock = threading.Lock()  # held by the probe that asks for the version
        self._version_asked_at = -math.inf  # time.monotonic() of the last such probe
        self._languages: list[dict[str, str]] | None = None
        self._languages_before: list[dict[str, str]] | None = None  # the last list it gave, kept for good
        self._max_text_length: int | None = None
        self._configinfo = MemoryStore(CONFIGINFO_BYTES)
        self._about_since = time.monotonic()  # when the three above were last emptied
        self._configinfo_lock = threading.Lock()
        # Whether the embedded server is up: its supervisor's readiness, which the master sets
        # and every worker reads (None for a server copydesk does not run). While it restarts, a
        # check is answered unavailable at once rather than sent to a server still starting.
        self.up: Callable[[], bool] | None = None

    def for_language(self, language: str, timeout: float) -> RawLanguageTool:
        """The library's client that checks ``language`` within ``timeout`` seconds."""
        # One per language and timeout: a library client's settings are per instance, so
        # sharing one across requests is safe only because nothing mutates it after creation.
        # The constructor asks the server for its languages: do that outside the lock, so a
        # server that does not answer holds up each request for its own timeout only.
        key = (language, timeout)
        with self._lock:
            tool = self._per_language.get(key)
        if tool is not None:
            return tool
        self._refuse_while_starting()
        try:
            tool = RawLanguageTool(language, self.server_url, timeout, self.picky)
        except (LanguageToolError, requests.RequestException, OSError) as exc:
            log.warning("LanguageTool at %s is not answering: %s", self.server_url, exc)
            timed_out = _timed_out(exc)
            if not timed_out:  # a busy server is slow, not gone (see ready)
                self._failed_at = time.monotonic()
            raise BackendUnavailable("LanguageTool is not answering", timed_out=timed_out) from exc
        with self._lock:
            return self._per_language.setdefault(key, tool)

    def _refuse_while_starting(self) -> None:
        if self.up is not None and not self.up():
            raise BackendUnavailable("LanguageTool is starting")

    def check(
        self,
        tool: RawLanguageTool,
        piece: Piece,
        disabled_rules: tuple[str, ...] = (),
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any]:
        """LanguageTool's answer (``/v2/check``) for one piece, checked by ``tool``; what it did not
        answer as BackendUnavailable, except a refusal of a LanguageTool-API client's ``parameters``,
        which is that client's answer. Each answer tells the server's version and that it is up."""
        self._refuse_while_starting()
        try:
            answer = tool.check_raw(piece.parts, disabled_rules, parameters)
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
                waited = (
                    "LanguageTool stopped at its own time limit for a check (maxCheckTimeMillis)"
                    if isinstance(exc, LanguageToolError)
                    else f"LanguageTool did not answer within {tool._TIMEOUT:g} s"
                )
                raise BackendUnavailable(waited, timed_out=True) from exc
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

    def ask_version(self) -> str | None:
        """LanguageTool's version, asked for with a probe check if no answer has told it yet. Keys
        of cached reports and paragraphs name it: a worker that has checked nothing yet must still
        find what others cached, and answer 304 to a tag another worker gave. None when
        LanguageTool does not answer (its checks will say so); one probe at a time, and not again
        for VERSION_RETRY seconds after one failed."""
        if self.server_version is not None:
            return self.server_version
        with self._version_lock:
            if self.server_version is None and time.monotonic() - self._version_asked_at >= VERSION_RETRY:
                self._version_asked_at = time.monotonic()
                try:
                    self._probe_check("en-US")
                except BackendUnavailable as exc:
                    log.warning("LanguageTool did not tell its version: %s", exc)
        return self.server_version

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

    @property
    def _probe_timeout(self) -> float:
        return min(READY_TIMEOUT, self.timeout)

    def _probe_check(self, language: str) -> None:
        """PROBE_TEXT checked within READY_TIMEOUT (BackendUnavailable if not): before the first
        answer, what says LanguageTool is up (``ready``) and tells its version (``ask_version``)."""
        self.check(self.for_language(language, self._probe_timeout), Piece(0, (Annotated(PROBE_TEXT),)))

    def _probe(self, language: str) -> tuple[bool, str]:
        if self._answered_at == -math.inf:
            try:
                self._probe_check(language)
            except BackendUnavailable as exc:
                return False, str(exc)
            return True, "LanguageTool answers checks"
        try:
            healthcheck = urllib.parse.urljoin(self.server_url, "v2/healthcheck")
            response = requests.get(healthcheck, timeout=self._probe_timeout)
        except requests.RequestException as exc:
            log.warning("LanguageTool healthcheck at %s failed: %s", self.server_url, exc)
            return False, "LanguageTool is not answering"
        if response.status_code != 200:
            return False, "LanguageTool is overloaded or not healthy"
        return True, "LanguageTool is healthy"

    def languages(self) -> list[dict[str, str]]:
        """LanguageTool's languages (``GET /v2/languages``: name, code, longCode), kept (ABOUT_SECONDS).
        Asked again after that, within READY_TIMEOUT: a server that does not answer then (hung,
        or busy) leaves the list it gave before in use for as long again, so a check does not
        first wait COPYDESK_LANGUAGETOOL_TIMEOUT for the list and then as long for itself."""
        self._forget_about(older_than=ABOUT_SECONDS)
        if self._languages is None:
            if self._languages_before is None:
                self._languages = self.server_answer("languages")
            else:
                try:
                    self._languages = self.server_answer("languages", timeout=min(READY_TIMEOUT, self.timeout))
                except BackendUnavailable:
                    self._languages = self._languages_before
            self._languages_before = self._languages
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

    def server_answer(self, path: str, params: dict[str, str] | None = None, timeout: float | None = None) -> Any:
        """LanguageTool's own answer to ``GET /v2/<path>`` (``languages``, ``info``,
        ``configinfo``: JSON; ``maxtextlength``: a number), for the LanguageTool-compatible API;
        BackendUnavailable when it does not give one (within ``timeout``, else the client's)."""
        try:
            url = urllib.parse.urljoin(self.server_url, f"v2/{path}")
            response = requests.get(url, params=params, timeout=self.timeout if timeout is None else timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("LanguageTool did not answer GET /v2/%s: %s", path, exc)
            raise BackendUnavailable(f"LanguageTool did not answer GET /v2/{path}") from exc
