"""A score request, as JSON fields or CLI options, turned into a Document and what to run.

This is the only place where the fields of a request are validated: the HTTP layer maps
:class:`RequestError` to a 422 problem (and :class:`TextTooLong` to a 413), the CLI maps it
to exit code 2. It knows nothing about Flask, so every entry point (``/v1/score``, the
LanguageTool-compatible API, ``copydesk check``) reads a request the same way.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .checks.clarity.thresholds import ReadabilityThresholds, problems
from .checks.grammar import accept_key
from .findings import CHECK_NAMES, CheckName, CheckOptions, Document
from .markup import FORMATS, Format, Unreadable, prose_view
from .settings import SUPPORTED_LANGUAGES, supported_language
from .text import segments
from .text.segments import Span

SCORE_FIELDS = (
    "text", "title", "language", "checks", "allow_partial", "rules", "format", "accept", "readability",
    "clickbait_threshold",
)
# With a text/plain body the text is the body and the other fields come as query parameters.
QUERY_FIELDS = ("title", "language", "checks", "allow_partial", "format", "accept", "clickbait_threshold")
LISTED = ("checks", "accept")  # lists, comma-separated in a query
DEFAULT_LANGUAGE = "en-US"
# The spelling accept-list of one request (a house dictionary: names, product words).
MAX_ACCEPTED_WORDS = 5000
MAX_ACCEPTED_WORD_CHARS = 100
# Selectors in each of ``rules.enable`` and ``rules.disable``: every rule is matched against every
# selector, so without a bound one body of short selectors held a thread for minutes (200,000
# took 42 s). The built-in packs have about 220 distinct selectors.
MAX_RULE_SELECTORS = 1000
# Values (arrays, objects, strings, numbers) a JSON body may hold. Python's objects for them take
# up to 26 times the body's bytes: 8 MB of `[[],[],...]` grew a worker by 183 MB, and four such
# bodies on a worker's threads passed a pod's memory limit. Real requests hold far fewer: 10,000
# headlines, 5,000 accepted words, and about 16,000 commas and quotes per million characters of
# text.
MAX_JSON_VALUES = 250_000


class TooManyJsonValues(ValueError):
    """A JSON text that may hold more than MAX_JSON_VALUES values, refused before it is parsed."""

    def __init__(self, bound: int) -> None:
        super().__init__(
            f"The JSON may hold some {bound:,} values (counting its commas, brackets, braces and pairs of quotes); "
            f"copydesk parses at most {MAX_JSON_VALUES:,}."
        )


def load_json(text: str, *, first_value: bool = False) -> Any:
    """:func:`json.loads`, after a count that sizes what the parse would build: about one comma,
    bracket, brace or pair of quotes per value (those inside strings count too, so prose counts
    more than it holds). The count is a few passes of C over the text: no parse, and no regular
    expression that a hostile text could make slow.

    With ``first_value``, the first JSON value of the text, whatever follows it, as Jackson's
    ``readTree`` reads LanguageTool's ``data`` parameter (``NaN`` and ``Infinity`` are no values
    there either)."""
    bound = text.count(",") + text.count("[") + text.count("{") + text.count('"') // 2 + 1
    if bound > MAX_JSON_VALUES:
        raise TooManyJsonValues(bound)
    if first_value:
        return _STRICT_DECODER.raw_decode(text.lstrip(" \t\r\n"))[0]
    return json.loads(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_STRICT_DECODER = json.JSONDecoder(parse_constant=_no_constant)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class RequestError(ValueError):
    """A request whose fields are missing or wrong: every problem at once, by field."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class TextTooLong(RequestError):
    """Text and title together are longer than the service accepts."""

    def __init__(self, length: int, limit: int) -> None:
        self.length, self.limit = length, limit
        super().__init__(
            [FieldError("text", f"text and title have {length} characters; the limit is {limit}")]
        )


class KnowsSelectors(Protocol):
    """The rule book, as far as a request needs it: which selectors name no pack or rule."""

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]: ...


@dataclass(frozen=True)
class ScoreRequest:
    document: Document
    checks: tuple[CheckName, ...]
    allow_partial: bool = False


def parse_score_request(
    fields: Mapping[str, Any], *, max_text_chars: int, rules: KnowsSelectors, thresholds: ReadabilityThresholds
) -> ScoreRequest:
    """Validate every field, reporting all problems at once, and build the Document (the prose
    view, for Markdown and HTML). Unknown fields are refused, never ignored. ``thresholds`` are
    the service's readability thresholds, which the request's ``readability`` overrides."""
    errors: list[FieldError] = [FieldError(name, "unknown field") for name in sorted(set(fields) - set(SCORE_FIELDS))]

    def check(name: str, parse: Any, default: Any) -> Any:
        if name not in fields:
            return default
        try:
            return parse(fields[name])
        except RequestError as exc:
            errors.extend(exc.errors)
            return default

    title = check("title", _title, None)
    text = check("text", _text, None)
    if "text" not in fields and not title:
        errors.append(FieldError("text", "is required (it may be left out only when a title is sent)"))
    elif isinstance(text, str) and _blank(text) and not title:
        errors.append(FieldError("text", "must contain some non-whitespace text"))
    language = check("language", parse_language, DEFAULT_LANGUAGE)
    checks = check("checks", parse_checks, CHECK_NAMES)
    fmt = check("format", parse_format, "text")
    allow_partial = check("allow_partial", _flag, False)
    enable, disable = check("rules", _rules, ((), ()))
    accept = check("accept", _accept, frozenset())
    readability = check("readability", lambda value: _readability(value, thresholds), ())
    clickbait_threshold = check("clickbait_threshold", parse_clickbait_threshold, None)
    unknown = rules.unknown_selectors([*enable, *disable])
    errors += [FieldError("rules", f"unknown pack or rule {s!r} (GET /v1/rules lists them)") for s in unknown]
    if errors:
        raise RequestError(errors)

    text = text or ""
    length = len(text) + len(title or "")
    if length > max_text_chars:
        raise TextTooLong(length, max_text_chars)
    options = CheckOptions(
        enable=tuple(enable),
        disable=tuple(disable),
        accept=accept,
        readability=readability,
        clickbait_threshold=clickbait_threshold,
    )
    try:
        document = build_document(text, title, fmt, language, options)
    except Unreadable as exc:
        raise RequestError([FieldError("text", f"cannot be read as {fmt}: {exc}")]) from exc
    if not has_prose(document):
        no_prose = f"has no prose to check when read as {fmt} (only markup, code or comments)"
        raise RequestError([FieldError("text", no_prose)])
    return ScoreRequest(document, tuple(checks), allow_partial)


def has_prose(document: Document) -> bool:
    """Whether there is any prose to check: a text of only markup, code or comments is refused
    as a blank one is (a report of no words would pass it with 100)."""
    return not _blank(document.text) or bool(document.title)


def build_document(
    source: str,
    title: str | None,
    fmt: Format,
    language: str = DEFAULT_LANGUAGE,
    options: CheckOptions | None = None,
) -> Document:
    """The Document for ``source`` read as ``fmt``: its prose view, and where its title stands in it."""
    view = prose_view(source, fmt)
    from_markup = title is None and view.title is not None
    if from_markup:
        title, title_offset = view.title, view.title_offset
    else:
        title_offset = _title_offset(title, view.text, view.title, view.title_offset)
    return Document(
        text=view.text,
        title=title,
        title_offset=title_offset,
        title_from_markup=from_markup,
        language=language,
        options=options or CheckOptions(),
        format=fmt,
        source=None if view.text is source else source,  # plain text is its own view
        annotation=view.annotation,
        suppressions=view.suppressions,
        headings=tuple(Span(*heading) for heading in view.headings),
        blocks=tuple(Span(*block) for block in view.blocks),
        in_document_links=tuple(Span(*link) for link in view.in_document_links),
        table_cells=tuple(Span(*cell) for cell in view.table_cells),
        list_items=tuple(Span(*item) for item in view.list_items),
        code_blocks=tuple(Span(*code) for code in view.code_blocks),
        captions=tuple(Span(*caption) for caption in view.captions),
        links=tuple(Span(*link) for link in view.links),
        labelled=tuple(Span(*block) for block in view.labelled),
    )


def _title_offset(title: str | None, text: str, heading: str | None, heading_offset: int | None) -> int | None:
    """Where a sent title stands in the text: the heading the reader found, or the text's first
    line, when it says the same as a reader sees it (``segments.as_shown``: a page's ``<h1>``
    repeating its title with "&amp;" or an ``<em>`` in it); else nowhere (it is scored on its
    own)."""
    wanted = segments.as_shown(title or "")
    if not wanted:
        return None
    if heading is not None and segments.as_shown(heading) == wanted:
        return heading_offset
    first = segments.first_line(text)
    return first.start if first is not None and segments.as_shown(first.of(text)) == wanted else None


# --------------------------------------------------------------------------------------------
# One field each (the CLI's options use the same functions)
# --------------------------------------------------------------------------------------------


def _invalid(name: str, message: str) -> RequestError:
    return RequestError([FieldError(name, message)])


# A field "with some non-whitespace text" (the spec's pattern) is one with a character that is
# neither in ECMAScript's \\s, which the spec's patterns use (U+FEFF among them), nor in Python's
# (U+001C to U+001F and U+0085 too): what either calls blank is blank.
_BLANK = re.compile(r"[\s\ufeff]*")


def _blank(value: str) -> bool:
    return _BLANK.fullmatch(value) is not None


def _title(value: Any) -> str | None:
    if value is None:
        return None
    value = _text(value, "title")
    if _blank(value):
        raise _invalid("title", "must contain some non-whitespace text (leave it out if there is none)")
    return value


def _text(value: Any, name: str = "text") -> str:
    if not isinstance(value, str):
        raise _invalid(name, "must be a string")
    _refuse_surrogates(name, value)
    return value


# What a JSON string (or a /v2 form field) can carry that is not a character: a surrogate code
# point in a Python string is a lone one (JSON's "\ud83d" without its pair; json pairs the others).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(name: str, value: str) -> None:
    """A JSON string can carry a lone UTF-16 surrogate ("\\ud800"): not a character, so no
    check can read it; say where it is rather than fail later."""
    found = LONE_SURROGATE.search(value)
    if found:
        raise _invalid(
            name,
            f"has a lone surrogate (U+{ord(found.group()):04X}) at code point {found.start()}: "
            "send valid Unicode (a surrogate pair stands for one character only as a pair)",
        )


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid("allow_partial", "must be true or false")
    return value


def parse_language(value: Any) -> str:
    """A supported language code, in its canonical case ("en-us" -> "en-US")."""
    if not isinstance(value, str):
        raise _invalid("language", "must be a string")
    code = supported_language(value)
    if code is None:
        raise _invalid("language", f"{value!r} is not supported; use one of {', '.join(SUPPORTED_LANGUAGES)}")
    return code


def parse_checks(value: Any) -> tuple[CheckName, ...]:
    """A non-empty list of known checks, each once."""
    if not isinstance(value, list | tuple) or not value or not all(isinstance(c, str) for c in value):
        raise _invalid("checks", f"must be a non-empty list drawn from {', '.join(CHECK_NAMES)}")
    unknown = [c for c in value if c not in CHECK_NAMES]
    if unknown:
        raise _invalid("checks", f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECK_NAMES)}")
    if len(set(value)) != len(value):
        raise _invalid("checks", "lists a check more than once")
    return tuple(value)


def parse_format(value: Any) -> Format:
    if value not in FORMATS:
        raise _invalid("format", f"must be one of {', '.join(FORMATS)}")
    return value


def _rules(value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) - {"enable", "disable"}:
        raise _invalid("rules", "must be an object with optional 'enable' and 'disable' lists")
    lists = []
    for key in ("enable", "disable"):
        listed = value.get(key, [])
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise _invalid(f"rules.{key}", "must be a list of pack names or rule ids")
        if len(listed) > MAX_RULE_SELECTORS:
            raise _invalid(f"rules.{key}", f"lists {len(listed)} packs or rules; the limit is {MAX_RULE_SELECTORS}")
        lists.append(tuple(listed))
    return lists[0], lists[1]


def _accept(value: Any) -> frozenset[str]:
    if (
        not isinstance(value, list)
        or len(value) > MAX_ACCEPTED_WORDS
        or not all(isinstance(w, str) and len(w) <= MAX_ACCEPTED_WORD_CHARS and not _blank(w) for w in value)
        or any(LONE_SURROGATE.search(word) for word in value)
    ):
        raise _invalid(
            "accept",
            f"must be a list of at most {MAX_ACCEPTED_WORDS} words, each 1 to {MAX_ACCEPTED_WORD_CHARS} characters",
        )
    return frozenset(accept_key(word) for word in value)


def _readability(value: Any, service: ReadabilityThresholds) -> tuple[tuple[str, float], ...]:
    """Readability thresholds for this request, by name (the settings without their
    ``COPYDESK_READABILITY_`` prefix, lower case); each checked like the setting it overrides,
    and together with the ``service``'s others (a passive_good above the service's passive_poor
    is refused, as the two settings would be)."""
    names = ReadabilityThresholds.names()
    if not isinstance(value, dict) or len(value) > len(names):
        raise _invalid("readability", f"must be an object whose keys are among {', '.join(names)}")
    errors = [FieldError(f"readability.{key}", "unknown threshold") for key in sorted(set(value) - set(names))]
    integers = ReadabilityThresholds.integer_names()
    known = {key: value[key] for key in names if key in value}
    for key in integers & set(known):  # 25.0 from a JSON encoder that writes floats is 25
        if isinstance(known[key], float) and known[key].is_integer():
            known[key] = int(known[key])
    errors += [FieldError(f"readability.{name}", message) for name, message in problems(known)]
    if not errors:
        for name, message in service.with_overrides(known).problems():
            if name in known:
                errors.append(FieldError(f"readability.{name}", message))
            else:
                errors.append(FieldError("readability", f"the service's {name} ({getattr(service, name)}) {message}"))
    if errors:
        raise RequestError(errors)
    return tuple((key, known[key]) for key in names if key in known)


def parse_clickbait_threshold(value: Any, field: str = "clickbait_threshold") -> float:
    """A probability strictly between 0 and 1 at or above which the headline model says clickbait
    (the same range ``COPYDESK_CLICKBAIT_THRESHOLD`` allows)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise _invalid(field, "must be a number between 0 and 1 (exclusive)")
    return float(value)


MAX_HEADLINES = 10_000
MAX_HEADLINE_CHARS = 1_000


@dataclass(frozen=True)
class HeadlineRequest:
    headlines: list[str]
    threshold: float | None = None  # None: the service's (COPYDESK_CLICKBAIT_THRESHOLD)


def parse_headlines(fields: Mapping[str, Any]) -> HeadlineRequest:
    """The headlines of a ``POST /v1/clickbait`` request, and its own threshold if it sends one."""
    errors = [FieldError(name, "unknown field") for name in sorted(set(fields) - {"headlines", "threshold"})]
    threshold = None
    if "threshold" in fields:
        try:
            threshold = parse_clickbait_threshold(fields["threshold"], "threshold")
        except RequestError as exc:
            errors.extend(exc.errors)
    headlines = fields.get("headlines")
    if (
        not isinstance(headlines, list)
        or not 1 <= len(headlines) <= MAX_HEADLINES
        or not all(isinstance(h, str) and 1 <= len(h) <= MAX_HEADLINE_CHARS for h in headlines)
    ):
        errors.append(
            FieldError(
                "headlines", f"must be a list of 1 to {MAX_HEADLINES} strings of 1 to {MAX_HEADLINE_CHARS} characters"
            )
        )
    else:
        for n, headline in enumerate(headlines):
            try:
                _refuse_surrogates(f"headlines[{n}]", headline)
                if _blank(headline):
                    # As a blank title on /v1/score: there is no headline to judge.
                    raise _invalid(f"headlines[{n}]", "must contain some non-whitespace text")
            except RequestError as exc:
                errors.extend(exc.errors)
    if errors:
        raise RequestError(errors)
    return HeadlineRequest(headlines, threshold)


def fields_from_query(text: str, query: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The fields of a text/plain request: the body is the text, the rest are query parameters
    (each once; lists comma-separated, ``allow_partial`` as ``true``/``false``)."""
    pairs = list(query)
    names = [name for name, _ in pairs]
    errors = [FieldError(name, "unknown query parameter") for name in sorted(set(names) - set(QUERY_FIELDS))]
    repeated = sorted(name for name, times in Counter(names).items() if times > 1 and name in QUERY_FIELDS)
    for name in repeated:
        items = ", its items comma-separated" if name in LISTED else ""
        errors.append(FieldError(name, f"is sent more than once: send it once{items}"))
    if errors:
        raise RequestError(errors)
    fields: dict[str, Any] = {"text": text, **dict(pairs)}
    for listed in LISTED:
        if listed in fields:
            fields[listed] = [item.strip() for item in fields[listed].split(",") if item.strip()]
    if "clickbait_threshold" in fields:
        try:
            fields["clickbait_threshold"] = float(fields["clickbait_threshold"])
        except ValueError:
            pass  # left as text: the field's parser refuses it with its own message
    if "allow_partial" in fields:
        flag = fields["allow_partial"].lower()
        if flag not in ("true", "false"):
            raise _invalid("allow_partial", "must be true or false")
        fields["allow_partial"] = flag == "true"
    return fields
