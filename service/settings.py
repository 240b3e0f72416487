"""Every COPYDESK_* setting in one place: its type, default and meaning.

Settings come from environment variables (``COPYDESK_`` + the upper-case field name);
``create_app(config)`` may override any of them by field name, which is how tests
configure an app. The README's settings table is checked against this module by a test.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_type_hints

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "COPYDESK_"
# COPYDESK_* variables that are not settings of the service: the CLI's --url and the API key it sends.
NOT_SETTINGS = frozenset({"COPYDESK_URL", "COPYDESK_API_KEY"})

# The languages copydesk can score. Its rule packs, readability formulas and clickbait
# model are English-only, so this is LanguageTool's English variants and nothing more.
SUPPORTED_LANGUAGES = ("en", "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA")
_SUPPORTED_BY_LOWER = {code.lower(): code for code in SUPPORTED_LANGUAGES}
# Threads per worker for the probes and the metrics scrape, beside COPYDESK_THREADS (service.serving).
OPERATOR_THREADS = 2


def supported_language(code: str) -> str | None:
    """``code`` as :data:`SUPPORTED_LANGUAGES` spells it, in whatever case it was sent; None
    when copydesk cannot score that language."""
    return _SUPPORTED_BY_LOWER.get(code.lower())


def is_english(code: str) -> bool:
    """An English code of LanguageTool's ("en", "en-US", "EN-gb", "en-IN", ...)."""
    lower = code.lower()
    return lower == "en" or lower.startswith("en-")


# What COPYDESK_LOG_LEVEL may be: the levels of Python's logging, which gunicorn uses too.
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


class SettingsError(ValueError):
    """A setting has a value copydesk cannot use; the message names the variable."""


def _doc(default: Any, text: str, *, factory: Any = None) -> Any:
    if factory is not None:
        return field(default_factory=factory, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@dataclass(frozen=True)
class Settings:
    languagetool_url: str | None = _doc(
        None,
        "URL of a running LanguageTool server (e.g. the compose sidecar). Unset: copydesk starts "
        "and supervises its own server on 127.0.0.1, one per host, shared by all workers.",
    )
    languagetool_home: Path = _doc(
        PROJECT_ROOT / ".cache" / "languagetool",
        "Folder whose lib/ holds the LanguageTool jars (written by scripts/fetch-languagetool).",
    )
    languagetool_port: int = _doc(8081, "Port of the embedded LanguageTool server (127.0.0.1 only).")
    languagetool_java: str = _doc("java", "Java 17+ executable used to run the embedded server.")
    languagetool_heap: str = _doc(
        "1g",
        "Maximum Java heap (-Xmx) of the embedded server, and of the LanguageTool container of `docker-compose.yml`.",
    )
    languagetool_timeout: float = _doc(
        20.0, "Seconds to wait for one LanguageTool check before the grammar section is unavailable."
    )
    languagetool_piece_chars: int = _doc(
        10_000,
        "Longest piece of text (code points) sent to LanguageTool in one check (a paragraph that opens in "
        "lower case goes with the sentence before it, which LanguageTool reads it after); longer texts (`/v2`'s "
        "too) are cut at paragraphs (then sentences), so no check holds the server long or fills its heap.",
    )
    languagetool_parallel: int = _doc(
        2,
        "Pieces of one request checked by LanguageTool at the same time (its share of the server). A request "
        "alone in its worker has its new text cut into this many checks; while others wait on LanguageTool, it "
        "goes in as few checks as `COPYDESK_LANGUAGETOOL_PIECE_CHARS` allows.",
    )
    languagetool_startup_timeout: float = _doc(
        120.0, "Seconds the embedded server may take to start and warm up before readiness fails."
    )
    languagetool_warm_languages: tuple[str, ...] = _doc(
        ("en-US",),
        "Comma-separated languages in which LanguageTool must have checked a sentence before it counts as "
        "ready (the embedded server: `/readyz` is 503 until then; the LanguageTool image's health check). It "
        "builds a language's rules at its first check in it (German: about 14 s on a two-core host, "
        "`bench/results/warmup.md`, past its 15 s limit on a busy one): list every language your /v2 clients "
        "send. Each adds that time to the start and its rules to the heap; codes LanguageTool does not know are "
        "logged and skipped.",
    )
    languagetool_languages: tuple[str, ...] = _doc(
        ("*",),
        "Comma-separated languages /v2 clients may have LanguageTool check (`language`, `motherTongue`, "
        "`/v2/configinfo`; `/v2/languages` lists these): LanguageTool's codes, and `auto` for its language "
        "detection. `*`: every language it knows. LanguageTool keeps the rules of each language it is asked for "
        "in its heap (up to 145 MB each; 1.7 GB live for all 60, against 171 MB for English): a 1 GB server asked "
        "for one language after another is full after about 16 and dies. List the languages your writers use, and "
        "size `COPYDESK_LANGUAGETOOL_HEAP` for them; with `auto` the texts choose, which bounds nothing.",
    )
    languagetool_level: str = _doc(
        "default", "LanguageTool rule level: 'default', or 'picky' for more style findings."
    )
    max_body_bytes: int = _doc(
        8_000_000,
        "Largest request body accepted; larger ones get 413 before they are read (a text of "
        "COPYDESK_MAX_TEXT_CHARS in JSON, with room for escapes).",
    )
    body_timeout: float = _doc(
        30.0,
        "Seconds a client has to send a whole request body; slower ones get 408. Bodies are read "
        "before a thread is given to the request, so slow clients cannot hold the service.",
    )
    worker_max_rss_mb: int = _doc(
        224,
        "Resident size (MB) above which a worker that has just served a request body over 1 MB "
        "retires gracefully, one worker at a time, and the master forks a fresh one (0: never); a book-length text "
        "otherwise leaves a worker that much larger. A worker's steady state is about 180 to 200 MB.",
    )
    max_text_chars: int = _doc(
        1_000_000, "Longest text (title included), in code points; longer ones get 413."
    )
    report_cache_bytes: int = _doc(
        32_000_000,
        "Bytes of complete reports each worker keeps, least recently used out; an identical request is "
        "answered from them (0: off).",
    )
    paragraph_cache_bytes: int = _doc(
        32_000_000,
        "Bytes of LanguageTool answers per paragraph each worker keeps, least recently used out; only "
        "paragraphs not in it go to LanguageTool (0: off, every text goes whole).",
    )
    memo_entries: int = _doc(
        4096,
        "Sentences, paragraphs and headlines whose local results each worker remembers, least recently used "
        "out, in each of its memos (readability counts, clarity readings, sentence splits, rule-book matches, "
        "headline scores); memos of single words keep 4 or 16 times as many. 0: off, every text is read whole.",
    )
    cache_url: str | None = _doc(
        None,
        "`redis://` URL of a Redis server that holds the report and paragraph caches for every worker and "
        "replica (unset: each worker keeps its own, in memory). A Redis that fails or is slow means no "
        "cache, never an error.",
    )
    cache_ttl: int = _doc(604_800, "Seconds an entry lives in the shared cache (COPYDESK_CACHE_URL).")
    cache_max_entry_bytes: int = _doc(
        8_000_000,
        "Largest entry (a report, a paragraph's answer) the shared cache (COPYDESK_CACHE_URL) keeps; a larger "
        "report is not cached. Reading an entry back must take well under the 250 ms after which Redis counts "
        "as down for 10 s: 8 MB took 21 to 35 ms from a Redis on the same host, and its transfer alone "
        "takes 64 ms on a gigabit link.",
    )
    pass_score: float = _doc(80.0, "Overall score at or above which the verdict is 'pass'.")
    warn_score: float = _doc(60.0, "Overall score at or above which the verdict is 'warn' (below: 'fail').")
    readability_target_grade: float = _doc(
        9.0, "US school grade the copy should be readable at (general news: about 9)."
    )
    # The readability section's clarity measures (README, "Clarity"); a request may override
    # each under `readability`, by the name without the `readability_` prefix.
    readability_hard_sentence_margin: float = _doc(
        4.0, "Grades above the target beyond which a sentence of 12+ words is hard (Hemingway's yellow)."
    )
    readability_very_hard_sentence_margin: float = _doc(
        4.0, "Further grades above 'hard' beyond which a sentence is very hard (Hemingway's red)."
    )
    readability_passive_good: float = _doc(10.0, "Passive sentences, percent: at or below is good (Yoast).")
    readability_passive_poor: float = _doc(15.0, "Passive sentences, percent: above is poor (Yoast).")
    readability_adverbs_good: float = _doc(
        1.5, "Manner adverbs and `-ly` intensifiers per 100 words: at or below is good (the allowance)."
    )
    readability_adverbs_poor: float = _doc(3.0, "Manner adverbs and `-ly` intensifiers per 100 words: above is poor.")
    readability_long_sentence_words: int = _doc(20, "A sentence with more words than this is long (Yoast).")
    readability_long_sentences_good: float = _doc(25.0, "Long sentences, percent: at or below is good (Yoast).")
    readability_long_sentences_poor: float = _doc(30.0, "Long sentences, percent: above is poor (Yoast).")
    readability_long_paragraph_words: int = _doc(150, "A paragraph with more words than this is long (Yoast).")
    readability_very_long_paragraph_words: int = _doc(
        200, "A paragraph with more words than this is very long: poor (Yoast)."
    )
    readability_repeated_starts: int = _doc(
        3, "This many sentences in a row starting with the same word are a finding (Yoast)."
    )
    readability_transitions_good: float = _doc(
        30.0, "Sentences with a transition word, percent: at or above is good (Yoast)."
    )
    readability_transitions_poor: float = _doc(
        20.0, "Sentences with a transition word, percent: below is poor (Yoast)."
    )
    readability_transitions_min_words: int = _doc(
        200, "Texts shorter than this many words are not judged on transition words (Yoast)."
    )
    readability_subheading_words: int = _doc(
        300, "More words than this without a subheading are a finding (Yoast)."
    )
    readability_variety_good: float = _doc(
        5.0, "Standard deviation of sentence lengths in words: at or above is good."
    )
    readability_variety_poor: float = _doc(
        3.0, "Standard deviation of sentence lengths in words: below is poor."
    )
    readability_same_length_run: int = _doc(
        5, "This many sentences in a row of nearly the same length are a finding."
    )
    readability_same_length_tolerance: int = _doc(
        2, "Sentences whose lengths differ by at most this many words have nearly the same length."
    )
    readability_reading_wpm: float = _doc(
        238.0, "Silent reading speed for the reading time, words per minute (Brysbaert 2019)."
    )
    readability_speaking_wpm: float = _doc(
        150.0, "Speaking speed for the speaking time, words per minute (unhurried read-aloud pace)."
    )
    data_dir: Path = _doc(
        Path.home() / ".cache" / "copydesk",
        "Writable folder for data copydesk derives at start-up (the offline NLTK cmudict corpus).",
    )
    rules_dir: str | None = _doc(
        None, "Extra rule-pack folders (os.pathsep-separated) loaded after the built-in packs."
    )
    disabled_rules: tuple[str, ...] = _doc(
        (), "Comma-separated packs or rule IDs disabled by default (a request may enable them).",
        factory=tuple,
    )
    clickbait_threshold: float = _doc(
        0.5,
        "Probability at or above which the headline model calls a headline clickbait (0-1). The "
        "model's probabilities are calibrated for copy that is a quarter clickbait, so 0.5 is "
        "'more likely clickbait than not' there; bench/results/clickbait.md has the curves.",
    )
    check_threads: int = _doc(4, "Threads per worker that run a report's checks concurrently.")
    cors_origins: str = _doc(
        "*",
        "Comma-separated origins (scheme://host[:port]) whose pages may call the LanguageTool-compatible "
        "API (/v2) from a browser; `*` lets any page call it (it takes no cookies).",
    )
    bind: str = _doc("127.0.0.1:8000", "Address `gunicorn` listens on: host:port (`[::]:8000` for IPv6), `unix:PATH` or `fd://N`.")
    workers: int = _doc(2, "`gunicorn` worker processes.")
    threads: int = _doc(
        4,
        "Threads per `gunicorn` worker that run requests (connections wait on the event loop, not on them); "
        f"the probes and `/metrics` have {OPERATOR_THREADS} more of their own.",
    )
    keepalive: int = _doc(
        75,
        "Seconds an idle client connection is kept open for its next request (a new one, for its first "
        "request's headers). Keep it longer than the "
        "idle timeout of the proxy or load balancer in front (60 s for nginx's upstream connections and "
        "for AWS load balancers): a proxy that reuses a connection copydesk is closing answers 502.",
    )
    log_level: str = _doc("info", "Log level of copydesk and `gunicorn`: debug, info, warning, error or critical.")
    # Production (issue 14): API keys, the metrics' own keys, rate limits.
    api_keys_file: Path | None = _doc(
        None,
        "File of API keys, one per line: the key itself or `sha256:<hex>` of it (a line starting with `#` is a "
        "comment; a `#` after a key is part of it). "
        "Set: every API call needs one of them (`Authorization: Bearer <key>` or `X-API-Key`); unset: no keys.",
    )
    metrics_keys_file: Path | None = _doc(
        None, "File of keys (same format) that `GET /metrics` asks for; unset: /metrics is open."
    )
    rate_limit: str | None = _doc(
        None,
        "Requests each API key (or client address, without keys) may make to the API, e.g. `60/minute` "
        "or `10/second;600/hour`; unset: no limit.",
    )
    rate_limit_storage_url: str = _doc(
        "memory://",
        "Where rate-limit counters live: `memory://` counts in each worker process (so a client gets up to "
        "`COPYDESK_WORKERS` times the limit per host); a shared storage URL that the `limits` library knows "
        "counts once for all.",
    )

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
        """Defaults, then ``COPYDESK_*`` variables, then ``overrides`` (by field name).

        An unknown ``COPYDESK_*`` variable or override is refused, never ignored: a typo in
        ``COPYDESK_LANGUAGETOOL_URL`` must not quietly start a JVM instead.
        """
        environ = os.environ if environ is None else environ
        hints = get_type_hints(cls)
        known = {PREFIX + name.upper() for name in hints}
        unknown = sorted(k for k in environ if k.startswith(PREFIX) and k not in known and k not in NOT_SETTINGS)
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(unknown)}; the README's settings table lists them")
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            name = PREFIX + f.name.upper()
            raw = environ.get(name)
            if raw is not None and raw != "":
                values[f.name] = _parse(name, raw, hints[f.name])
        for key, value in (overrides or {}).items():
            name = key.lower().removeprefix(PREFIX.lower())
            if name not in hints:
                raise SettingsError(f"unknown setting {key!r}; known: {', '.join(hints)}")
            values[name] = value
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.languagetool_level not in ("default", "picky"):
            raise SettingsError("COPYDESK_LANGUAGETOOL_LEVEL must be 'default' or 'picky'")
        if not 0 <= self.warn_score <= self.pass_score <= 100:
            raise SettingsError("need 0 <= COPYDESK_WARN_SCORE <= COPYDESK_PASS_SCORE <= 100")
        for name in (
            "max_body_bytes", "max_text_chars", "check_threads", "workers", "threads", "languagetool_parallel",
            "cache_ttl", "cache_max_entry_bytes", "keepalive",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{PREFIX}{name.upper()} must be at least 1")
        for name in ("report_cache_bytes", "paragraph_cache_bytes", "memo_entries", "worker_max_rss_mb"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must not be negative (0 turns it off)")
        if not 0 < self.clickbait_threshold < 1:
            raise SettingsError("COPYDESK_CLICKBAIT_THRESHOLD must be between 0 and 1 (exclusive)")
        for name in ("languagetool_timeout", "languagetool_startup_timeout", "body_timeout"):
            if not getattr(self, name) > 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must be a positive number of seconds")
        if self.languagetool_url is not None:
            _check_languagetool_url(self.languagetool_url)
        if not 1 <= self.languagetool_port <= 65535:
            raise SettingsError("COPYDESK_LANGUAGETOOL_PORT must be a TCP port (1 to 65535)")
        if not re.fullmatch(r"[1-9][0-9]*[kKmMgGtT]?", self.languagetool_heap):
            raise SettingsError("COPYDESK_LANGUAGETOOL_HEAP must be a size as Java's -Xmx takes it (1g, 1536m)")
        if self.log_level.upper() not in logging.getLevelNamesMapping():  # "warn" works too, as it did
            raise SettingsError(f"COPYDESK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        if self.cache_url:
            _check_redis_url(self.cache_url)
        _check_bind(self.bind)
        _check_cors_origins(self.cors_origin_list)
        if not self.languagetool_languages:
            raise SettingsError("COPYDESK_LANGUAGETOOL_LANGUAGES must name at least one language, or `*` for all")
        if not self.languagetool_warm_languages:
            raise SettingsError("COPYDESK_LANGUAGETOOL_WARM_LANGUAGES must name at least one language (en-US: /v1's)")
        if self.languagetool_piece_chars < 1000:
            raise SettingsError("COPYDESK_LANGUAGETOOL_PIECE_CHARS must be at least 1000")
        readability = {
            f.name.removeprefix(READABILITY_PREFIX): getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name.startswith(READABILITY_PREFIX)
        }
        for name, message in readability_problems(readability):
            raise SettingsError(f"{PREFIX}{(READABILITY_PREFIX + name).upper()} {message}")
        if self.rate_limit is not None:
            from limits import parse_many

            try:
                parse_many(self.rate_limit)
            except ValueError as exc:
                raise SettingsError(
                    f"COPYDESK_RATE_LIMIT={self.rate_limit!r} is not a rate limit such as '60/minute' "
                    "or '10/second;600/hour'"
                ) from exc

    def affecting_reports(self) -> dict[str, Any]:
        """The settings a report depends on (not where or how the service runs): part of the
        report cache's key."""
        operational = {
            "bind", "workers", "threads", "keepalive", "log_level", "data_dir", "languagetool_url", "languagetool_home",
            "languagetool_port", "languagetool_java", "languagetool_heap", "languagetool_timeout",
            "languagetool_startup_timeout", "languagetool_warm_languages", "languagetool_languages",
            "languagetool_parallel", "max_body_bytes", "body_timeout", "check_threads", "report_cache_bytes",
            "paragraph_cache_bytes", "memo_entries", "cors_origins", "cache_url", "cache_ttl", "cache_max_entry_bytes",
            "worker_max_rss_mb",
            "api_keys_file", "metrics_keys_file", "rate_limit", "rate_limit_storage_url",
        }
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in operational}

    def allows_language(self, code: str) -> bool:
        """Whether /v2 clients may have LanguageTool check ``code`` (COPYDESK_LANGUAGETOOL_LANGUAGES)."""
        return self._allowed_languages is None or code.lower() in self._allowed_languages

    @functools.cached_property
    def _allowed_languages(self) -> frozenset[str] | None:
        """COPYDESK_LANGUAGETOOL_LANGUAGES in lower case, read once (every /v2 request filters
        LanguageTool's languages with it); None for `*`, every language."""
        allowed = frozenset(entry.lower() for entry in self.languagetool_languages)
        return None if "*" in allowed else allowed

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def rules_dirs(self) -> list[Path]:
        return [Path(p) for p in (self.rules_dir or "").split(os.pathsep) if p]

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) for every setting, in declaration order."""
        rows = []
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            if isinstance(default, Path):
                shown = _home_relative(default)
            elif default is None or default == ():
                shown = "(unset)"
            elif isinstance(default, tuple):
                shown = ",".join(default)
            else:
                shown = str(default)
            rows.append((PREFIX + f.name.upper(), shown, f.metadata["doc"]))
        return rows


# ---------------------------------------------------------------------------------------------
# Readability thresholds: checked the same way as settings and as a request's own values
# ---------------------------------------------------------------------------------------------

READABILITY_PREFIX = "readability_"
# (lower, higher): the first may not exceed the second.
_READABILITY_ORDER = (
    ("passive_good", "passive_poor"),
    ("adverbs_good", "adverbs_poor"),
    ("long_sentences_good", "long_sentences_poor"),
    ("long_paragraph_words", "very_long_paragraph_words"),
    ("transitions_poor", "transitions_good"),
    ("variety_poor", "variety_good"),
)
# Percentages, and rates per 100 words (there are no more adverbs than words).
_READABILITY_PERCENT = frozenset(
    {
        "passive_good",
        "passive_poor",
        "adverbs_good",
        "adverbs_poor",
        "long_sentences_good",
        "long_sentences_poor",
        "transitions_good",
        "transitions_poor",
    }
)
_READABILITY_AT_LEAST = {
    "long_sentence_words": 1,
    "long_paragraph_words": 1,
    "very_long_paragraph_words": 1,
    "repeated_starts": 2,
    "subheading_words": 1,
    "same_length_run": 2,
    # A reading time is words / speed: a speed near zero would make it overflow to infinity.
    "reading_wpm": 1,
    "speaking_wpm": 1,
}
# Where a count would run away (a run of a million sentences is no longer a threshold).
_READABILITY_AT_MOST = {"repeated_starts": 100, "same_length_run": 100}


def readability_integers() -> frozenset[str]:
    """The readability thresholds that are whole numbers (by name, without the prefix)."""
    hints = get_type_hints(Settings)
    return frozenset(
        name.removeprefix(READABILITY_PREFIX)
        for name, kind in hints.items()
        if name.startswith(READABILITY_PREFIX) and kind is int
    )


def finite_number(value: object) -> bool:
    """Whether ``value`` is a number a setting, a request field or a ``copydesk check`` option can
    hold: an int or a float (not a bool, which Python counts as an int), neither nan nor infinite,
    and no larger than a float holds (JSON and TOML allow 1 followed by 400 zeros, which
    ``float()`` refuses with an ``OverflowError``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def readability_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(name, message)`` for each readability threshold (by name without the prefix) that
    cannot be used: its type, its range, and the order of each pair whose values are both given.
    Settings and a score request's ``readability`` object are checked by this one function."""
    found: list[tuple[str, str]] = []
    integers = readability_integers()
    for name, value in values.items():
        if name in integers:
            if isinstance(value, bool) or not isinstance(value, int):
                found.append((name, "must be a whole number"))
                continue
        elif not finite_number(value):
            found.append((name, "must be a number"))
            continue
        if value < 0:
            found.append((name, "must not be negative"))
        elif name in _READABILITY_PERCENT and value > 100:
            found.append((name, "is a percentage: at most 100"))
        elif name in _READABILITY_AT_LEAST and value < _READABILITY_AT_LEAST[name]:
            found.append((name, f"must be at least {_READABILITY_AT_LEAST[name]}"))
        elif name in _READABILITY_AT_MOST and value > _READABILITY_AT_MOST[name]:
            found.append((name, f"must be at most {_READABILITY_AT_MOST[name]}"))
    bad = {name for name, _ in found}
    for low, high in _READABILITY_ORDER:
        if low in values and high in values and not ({low, high} & bad) and values[low] > values[high]:
            found.append((low, f"must not be greater than {high} ({values[high]})"))
    return found


# What no URL holds (white space, control characters: urlsplit drops a tab or a line break
# without a word) and what no host name holds besides (characters RFC 3986 leaves out of URLs).
# urlsplit takes them; the HTTP client refuses the URL at the first request.
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_NOT_IN_HOST = re.compile(r'["<>\\^`{|}]')


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL of a host, with a port that is one if it names one: the
    URLs of a service a client can send to (LanguageTool for the service, copydesk for the CLI)."""
    try:
        parts = urllib.parse.urlsplit(url)
        return (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and not _NOT_IN_URL.search(url)
            and not _NOT_IN_HOST.search(parts.hostname or "")
            and parts.port != 0
        )
    except ValueError:  # a bracketed host that is no address, a port that is not a number
        return False


def _check_languagetool_url(url: str) -> None:
    """Refuse a COPYDESK_LANGUAGETOOL_URL that is not an http(s) URL of a host: without its scheme
    (``languagetool:8010``) the grammar check and /readyz still reached the server while /v2
    could not, so the service ran half working and said it was ready."""
    if not is_http_url(url):
        raise SettingsError("COPYDESK_LANGUAGETOOL_URL must be an http:// or https:// URL, such as http://languagetool:8010")


def _check_bind(bind: str) -> None:
    """Refuse a COPYDESK_BIND that `gunicorn` cannot listen on, in the setting's own name: a port
    past 65535 stopped the start with a traceback, and a value without a port (``bogus``) made
    `gunicorn` look up ``bogus:8000`` five times before it gave up in its own words."""
    if bind.startswith("unix:") and len(bind) > len("unix:"):
        return
    if re.fullmatch(r"fd://[0-9]+", bind):
        return
    address = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]\s]+):([0-9]{1,5})", bind)  # host or [IPv6], then port
    if address and 1 <= int(address[2]) <= 65535:
        return
    raise SettingsError(
        f"COPYDESK_BIND={bind!r} is not an address to listen on: host:port (127.0.0.1:8000, 0.0.0.0:8000, "
        "[::]:8000), unix:PATH or fd://N"
    )


def _check_cors_origins(origins: list[str]) -> None:
    """Refuse a COPYDESK_CORS_ORIGINS entry that no browser's ``Origin`` header can equal: an
    origin is scheme://host[:port] with nothing after it, so ``https://cms.example.com/`` (as
    copied from an address bar) let no page in, and said nothing."""
    for origin in origins:
        if origin == "*":
            continue
        try:
            parts = urllib.parse.urlsplit(origin)
            valid = bool(parts.scheme and parts.netloc) and not (parts.path or parts.query or parts.fragment)
        except ValueError:
            valid = False
        if not valid:
            raise SettingsError(
                f"COPYDESK_CORS_ORIGINS: {origin!r} is not an origin: scheme://host[:port] with no path, "
                "such as https://cms.example.com (or `*` for any page)"
            )


def _check_redis_url(url: str) -> None:
    """Refuse a COPYDESK_CACHE_URL that the Redis client cannot read (a port that is not a number,
    a database that is not one), where it would stop the start with a traceback. The message
    does not quote the URL, which may hold a password."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("COPYDESK_CACHE_URL must be a redis://, rediss:// or unix:// URL")
    from redis.connection import parse_url

    try:
        parse_url(url)
    except ValueError as exc:
        raise SettingsError(f"COPYDESK_CACHE_URL is not a Redis URL: {exc}") from None


def _home_relative(path: Path) -> str:
    if path.is_relative_to(PROJECT_ROOT):
        return "./" + str(path.relative_to(PROJECT_ROOT))
    if path.is_relative_to(Path.home()):
        return "~/" + str(path.relative_to(Path.home()))
    return str(path)


def _parse(name: str, raw: str, kind: Any) -> Any:
    text = str(kind)
    try:
        if kind is int:
            return int(raw)
        if kind is float:
            number = float(raw)
            if not finite_number(number):
                raise ValueError(raw)
            return number
        if kind is Path or Path in get_args(kind):
            return Path(raw).expanduser()
        if "tuple" in text:
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return raw
    except ValueError as exc:
        kind_name = "finite number" if kind is float else getattr(kind, "__name__", kind)
        raise SettingsError(f"{name}={raw!r} is not a valid {kind_name}") from exc
