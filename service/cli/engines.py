"""The two ways ``copydesk check`` gets a report: from a running service, or in this process.

Both take the same request body (the JSON of ``POST /v1/score``) and give back the same
report, so a CI job against the compose service and a writer's laptop agree:

* :class:`RemoteEngine` posts it to ``{url}/v1/score``;
* :class:`LocalEngine` builds the services the app builds (``service.build_services``,
  which uses ``COPYDESK_LANGUAGETOOL_URL`` or starts the embedded LanguageTool) and turns
  the body into a Document with the HTTP layer's own parser
  (``score_request.parse_score_request``), so the markup view, validation and defaults
  cannot drift apart.

Failures are sorted into the two kinds a gate must tell apart: :class:`RequestRejected`
(the request is wrong: an unknown rule, a text over the limit; exit 2), its kind
:class:`ServiceRefusedKey` (a 401: the API key is missing or wrong, so no other file is sent) and
:class:`EngineUnavailable` (the checks could not run: no server, a 503, LanguageTool down,
an incomplete report; exit 3). Neither ever turns into a pass.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import requests
import urllib3

from ..findings import SEVERITIES
from ..problems import TYPE_PREFIX
from ..score_request import RequestError, parse_score_request
from ..scoring import IncompleteReport
from ..settings import finite_number
from .config import API_KEY_VARIABLE, ApiKey, Options
from .inputs import Source

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

# The longest the command's main thread sleeps at a time while it waits (wait_interruptibly).
WAKE_SECONDS = 0.25


def wait_interruptibly(wait: Callable[[float], bool], timeout: float | None = None) -> bool:
    """``wait(seconds)`` called in short slices until it returns True, or False once ``timeout``
    has passed. The kernel hands Ctrl-C to any of the process's threads, and Python runs the
    handler in the main thread only when that thread wakes: one long wait slept through Ctrl-C
    until a file was done (40 s once in CI) or LanguageTool had started."""
    deadline = float("inf") if timeout is None else time.monotonic() + timeout
    while not wait(max(0.0, min(WAKE_SECONDS, deadline - time.monotonic()))):
        if time.monotonic() >= deadline:
            return False
    return True


class EngineUnavailable(Exception):
    """The checks could not run (exit 3)."""


class RequestRejected(Exception):
    """The engine refused the request as invalid (exit 2)."""


class ServiceRefusedKey(RequestRejected):
    """The service answered 401: the API key is missing or wrong (exit 2, a configuration problem)."""


class Engine(Protocol):
    kind: str
    url: str | None

    def score(self, payload: dict[str, Any]) -> dict[str, Any]: ...

    def close(self) -> None: ...


def request_body(source: Source, options: Options) -> dict[str, Any]:
    """The ``POST /v1/score`` body for one file; defaults are left to the service."""
    body: dict[str, Any] = {"text": source.text, "format": source.format}
    if options.checks:
        body["checks"] = list(options.checks)
    if options.language:
        body["language"] = options.language
    rules = {k: list(v) for k, v in (("enable", options.enable), ("disable", options.disable)) if v}
    if rules:
        body["rules"] = rules
    if options.accept:
        body["accept"] = list(options.accept)
    return body


def _incomplete(report: dict[str, Any]) -> str | None:
    if report.get("complete", True):
        return None
    sections = report.get("checks", {})
    down = [f"{name}: {s.get('error', 'unavailable')}" for name, s in sections.items() if s.get("status") != "ok"]
    return "the report is incomplete (" + ("; ".join(down) or "a check did not run") + ")"


def _not_a_report(report: Any) -> str | None:
    """What keeps a 200's JSON from being a ``/v1`` report, in the fields the gate reads; None
    for a report. Another server at the URL (a proxy's page, another API) may answer 200 with
    JSON of its own, which must be "not checked" (exit 3), never a traceback or a verdict."""
    if not isinstance(report, dict):
        return "not a JSON object"
    if not finite_number(report.get("score")) or report.get("verdict") not in ("pass", "warn", "fail"):
        return "no score and verdict"
    checks = report.get("checks", {})
    if not isinstance(checks, dict) or not all(isinstance(section, dict) for section in checks.values()):
        return "its checks are not sections"
    for name, section in checks.items():
        issues = section.get("issues", [])
        if not isinstance(issues, list) or not all(_is_issue(issue) for issue in issues):
            return f"an issue of {name} lacks what an issue has"
    return None


def _is_issue(issue: Any) -> bool:
    if not isinstance(issue, dict):
        return False
    offset, length, rule = issue.get("offset"), issue.get("length"), issue.get("rule")
    return (
        all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (offset, length))
        and issue.get("severity") in SEVERITIES
        and isinstance(issue.get("check"), str)
        and isinstance(issue.get("message"), str)
        and isinstance(rule, dict)
        and isinstance(rule.get("id"), str)
        and isinstance(issue.get("replacements", []), list)
    )


@dataclass(frozen=True)
class _Answer:
    """The service's answer to one request, read whole within the file's time."""

    status_code: int
    reason: str
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


# The most of an answer read at a time: the time left is checked between reads.
_READ_BYTES = 1 << 16


class RemoteEngine:
    """A copydesk service over HTTP."""

    kind = "remote"

    def __init__(self, url: str, timeout: float, api_key: ApiKey | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.api_key = api_key
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "copydesk-cli"
        if api_key is not None:
            self._session.headers["Authorization"] = f"Bearer {api_key.value}"

    def score(self, payload: dict[str, Any]) -> dict[str, Any]:
        endpoint = f"{self.url}/v1/score"
        # UTF-8 as it is: requests' json= escapes every non-ASCII character, six bytes for a
        # letter and twelve for an emoji, so a text within the character limit could pass the
        # body limit (413).
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        deadline = time.monotonic() + self.timeout
        while True:
            response = self._post(endpoint, body, deadline)
            # Over the rate limit, or a worker holding as many bodies as it takes (503 busy): wait
            # as the service asks and send the file again, as long as that stays within the
            # file's --timeout; a tree bigger than the limit then takes longer, where it failed
            # (exit 3) at the first refusal.
            wait = _seconds(response.headers.get("Retry-After")) if _passes_soon(response) else None
            if wait is None or time.monotonic() + wait >= deadline:
                break
            log.info("%s answered %d: sending the file again in %g s", endpoint, response.status_code, wait)
            time.sleep(wait)
        if response.status_code == 200:
            try:
                report = response.json()
            except ValueError as exc:
                raise EngineUnavailable(f"{endpoint} answered 200 without a JSON report") from exc
            wrong = _not_a_report(report)
            if wrong:
                raise EngineUnavailable(f"{endpoint} answered 200 with JSON that is not a copydesk report: {wrong}")
            reason = _incomplete(report)
            if reason:
                raise EngineUnavailable(reason)
            return report
        if response.status_code == 401:
            raise ServiceRefusedKey(self._key_refusal())
        detail = _problem_detail(response)
        if 400 <= response.status_code < 500 and response.status_code not in (404, 408, 429):
            raise RequestRejected(f"{endpoint} refused the request ({response.status_code}): {detail}")
        retry_after = response.headers.get("Retry-After", "").strip()
        if retry_after:  # a 429's detail says to wait that long, and the header is not shown otherwise
            detail = f"{detail} (Retry-After: {retry_after[:40]})"
        raise EngineUnavailable(f"{endpoint} answered {response.status_code}: {detail}")

    def _post(self, endpoint: str, body: bytes, deadline: float) -> _Answer:
        """The answer to one POST, whole by ``deadline``. A socket's timeout bounds each wait for
        bytes, not the answer: a service that sends its answer slowly held a file for as long as
        it kept sending, whatever --timeout said."""
        try:
            response = self._session.post(
                endpoint, data=body, headers={"Content-Type": "application/json"},
                timeout=max(0.001, deadline - time.monotonic()), stream=True,
            )
        except requests.ReadTimeout as exc:  # it was reached, and is slow: not "cannot be reached"
            raise self._late() from exc
        except requests.RequestException as exc:
            raise EngineUnavailable(f"copydesk at {self.url} cannot be reached: {exc}") from exc
        with response:
            connection = response.raw.connection
            content = bytearray()
            try:
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise self._late()
                    if connection is not None and connection.sock is not None:
                        connection.sock.settimeout(left)
                    chunk = response.raw.read1(_READ_BYTES, decode_content=True)
                    if not chunk:
                        break
                    content += chunk
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                if time.monotonic() >= deadline:
                    raise self._late() from exc
                raise EngineUnavailable(f"copydesk at {self.url} broke off its answer: {exc}") from exc
            return _Answer(response.status_code, response.reason or "", response.headers, bytes(content))

    def _late(self) -> EngineUnavailable:
        return EngineUnavailable(
            f"copydesk at {self.url} did not answer within {self.timeout:g} s (--timeout, or timeout in "
            ".copydesk.toml): a long file, or a busy service"
        )

    def _key_refusal(self) -> str:
        if self.api_key is None:
            return (
                f"copydesk at {self.url} needs an API key (401): set {API_KEY_VARIABLE}, "
                "or give --api-key-file a file that holds the key"
            )
        return (
            f"copydesk at {self.url} refused the API key from {self.api_key.source} (401): "
            "it is not one of the service's keys"
        )

    def close(self) -> None:
        self._session.close()


def _seconds(retry_after: str | None) -> float | None:
    """A ``Retry-After`` in seconds (at least one, so retries cannot spin); None for none, or for
    an HTTP date, which copydesk does not send."""
    value = (retry_after or "").strip()
    return max(1.0, float(value)) if value.isascii() and value.isdigit() else None


def _passes_soon(response: _Answer) -> bool:
    """A refusal that the same request meets no more after Retry-After: the rate limit (429), or a
    worker that holds as many request bodies as it takes (503 ``busy``). A 503 for a check that
    could not run (LanguageTool down) is not one: the gate reports it (exit 3)."""
    if response.status_code == 429:
        return True
    if response.status_code != 503:
        return False
    try:
        problem = response.json()
    except ValueError:
        return False
    return isinstance(problem, dict) and problem.get("type") == TYPE_PREFIX + "busy"


def _problem_detail(response: _Answer) -> str:
    """The useful part of an RFC 9457 problem body (or of whatever else came back)."""
    try:
        problem = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason or "no detail"
    if not isinstance(problem, dict):
        return str(problem)[:300]
    detail = problem.get("detail") or problem.get("title") or ""
    errors = problem.get("errors") or []
    listed = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict))
    return detail if not listed or listed in detail else f"{detail} ({listed})"


class LocalEngine:
    """The scorer in this process, built exactly as the app builds it."""

    kind = "local"

    def __init__(self, language: str | None = None) -> None:
        from .. import build_services
        from ..languagetool.supervisor import LanguageToolNotInstalled
        from ..settings import SettingsError

        self.url = None
        try:
            settings = self.settings_for(language)
        except SettingsError as exc:
            raise RequestRejected(f"settings: {exc}") from exc
        try:
            self.services = build_services(settings)
        except LanguageToolNotInstalled as exc:
            raise EngineUnavailable(str(exc)) from exc
        supervisor = self.services.supervisor
        if supervisor is not None and not wait_interruptibly(
            supervisor.wait_ready, settings.languagetool_startup_timeout
        ):
            self.close()
            raise EngineUnavailable(
                f"the embedded LanguageTool did not start within {settings.languagetool_startup_timeout:.0f} s; "
                f"its last output:\n{supervisor.output_tail()}"
            )
        self.languagetool_url = supervisor.url if supervisor is not None else settings.languagetool_url

    @staticmethod
    def settings_for(language: str | None) -> Settings:
        """The service's settings, with ``language`` (the files') among the languages an embedded
        LanguageTool checks a sentence in before it is ready: its first check in a language can
        pass LanguageTool's 15 s limit on a busy machine, and the gate would report the file as
        not checked (checking this repository's en-GB docs on a loaded machine did)."""
        from ..settings import Settings

        settings = Settings.load()
        warm = settings.languagetool_warm_languages
        if language is None or language.lower() in (code.lower() for code in warm):
            return settings
        return Settings.load(overrides={"languagetool_warm_languages": (*warm, language)})

    def score(self, payload: dict[str, Any]) -> dict[str, Any]:
        services = self.services
        try:
            request = parse_score_request(
                payload, max_text_chars=services.settings.max_text_chars, rules=services.rulebook,
                thresholds=services.readability,
            )
        except RequestError as exc:
            raise RequestRejected(str(exc)) from exc
        try:
            report = services.scorer.score(request.document, request.checks, allow_partial=False)
        except IncompleteReport as exc:
            raise EngineUnavailable(f"a check could not run: {exc}") from exc
        # The same JSON the service would send: tuples become lists, and nothing is shared.
        report = json.loads(json.dumps(report))
        reason = _incomplete(report)
        if reason:
            raise EngineUnavailable(reason)
        return report

    def close(self) -> None:
        services = getattr(self, "services", None)
        if services is None:
            return
        services.scorer.close()
        if services.supervisor is not None:
            services.supervisor.stop()


def open_engine(options: Options, api_key: ApiKey | None = None) -> Engine:
    """The engine the options ask for: remote with a URL (sending ``api_key``), else local
    (which has no keys to check)."""
    if options.url:
        return RemoteEngine(options.url, options.timeout, api_key)
    return LocalEngine(options.language)
