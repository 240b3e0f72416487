"""A LanguageTool ``/v2/check`` request read the way LanguageTool reads it: its parameters become
a Document, the checks to run and the rules that are on; or one :class:`LanguageToolRequestError`.

No Flask here: the HTTP layer hands over the parameters as one mapping (form body and query
merged as LanguageTool merges them). A refusal carries LanguageTool's own status and wording
(400 for a bad parameter, 413 for a text over the limit), because LanguageTool clients show
that text to the writer as it is.

copydesk's rules answer to the same switches as LanguageTool's: ``enabledRules`` and
``disabledRules`` take copydesk rule ids (``translationese.till-place``), and each pack is a
category (``COPYDESK_TRANSLATIONESE``) for ``enabledCategories``/``disabledCategories``.
LanguageTool gets every switch as sent and ignores the ids it does not know, so its own
answer is the one it would give the client directly.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .checks.clarity import RULE_IDS as CLARITY_RULE_IDS
from .checks.clarity import SAME_START_RULE
from .checks.clickbait import MODEL_RULE_ID
from .checks.readability import HARD_SENTENCE_RULE_ID
from .findings import CHECK_NAMES, Annotated, CheckName, CheckOptions, Document, Finding, is_placeholder
from .rulebook.book import PACK_CHECKS, RuleBook
from .score_request import DEFAULT_LANGUAGE, LONE_SURROGATE, TooManyJsonValues, build_document, load_json
from .settings import is_english, supported_language
from .text.segments import JOINER, MASKED_WORD, is_word_character

# The parameters LanguageTool gets as the client sent them (copydesk reads some of them too), so
# its answer is the one it would give that client directly.
FORWARDED = (
    "language",
    "motherTongue",
    "preferredVariants",
    "enabledRules",
    "disabledRules",
    "enabledCategories",
    "disabledCategories",
    "enabledOnly",
    "level",
    "allowIncompleteResults",
    "mode",
    "ruleValues",
    "noopLanguages",
    "preferredLanguages",
    "textSessionId",
    "useragent",
)
# Names from LanguageTool's first API that it refuses with a pointer to the new name.
RENAMED = {
    "enabled": "You specified 'enabled' but the parameter is now called 'enabledRules' in v2 of the API",
    "disabled": "You specified 'disabled' but the parameter is now called 'disabledRules' in v2 of the API",
    "preferredvariants": "You specified 'preferredvariants' but the parameter is now called 'preferredVariants' "
    "(uppercase 'V') in v2 of the API",
    "autodetect": "You specified 'autodetect' but automatic language detection is now activated with "
    "'language=auto' in v2 of the API",
}
LEVELS = ("default", "picky", "academic", "clarity", "professional", "creative", "customer", "jobapp",
          "objective", "elegant")
CATEGORY_PREFIX = "COPYDESK_"
# What Java's String.trim drops from both ends: every character up to U+0020.
_JAVA_TRIMMED = "".join(map(chr, range(0x21)))
# What Java's Integer.parseInt reads: a sign and decimal digits of any script, within 32 bits.
_JAVA_INT = re.compile(r"[+-]?\d+")
_JAVA_INT_RANGE = range(-(2**31), 2**31)
# A rule value as clients send it: an id and a number of at most nine digits, which Java reads.
_PLAIN_RULE_VALUE = re.compile(r"[^:]*:[ ]*[+-]?[0-9]{1,9}[ ]*(?::.*)?", re.DOTALL)
# What Java's Float.parseFloat and Double.parseDouble read (after trimming): their documented
# grammar, written so that no two branches can match the same digits (linear on any input).
_JAVA_FLOAT = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?"
    r"|0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?)"
)


class LanguageToolRequestError(ValueError):
    """A request LanguageTool would refuse: its HTTP ``status`` and LanguageTool's wording."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def category_id(rule_id: str) -> str:
    """The LanguageTool category of a copydesk rule: one per pack, named after the first part of
    its id (``style.in-order-to`` -> ``COPYDESK_STYLE``), so it never shares an id with
    LanguageTool's own categories (``STYLE``)."""
    return CATEGORY_PREFIX + rule_id.split(".", 1)[0].upper().replace("-", "_")


@dataclass(frozen=True)
class RuleSelection:
    """``enabledRules``, ``disabledRules``, ``enabledCategories``, ``disabledCategories`` and
    ``enabledOnly`` as LanguageTool applies them (``Tools.selectRules``, then
    ``JLanguageTool.ignoreRule``), for copydesk's rules."""

    enabled_rules: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    enabled_categories: frozenset[str] = frozenset()
    disabled_categories: frozenset[str] = frozenset()
    enabled_only: bool = False

    def is_active(self, rule_id: str, category: str, default_on: bool = True) -> bool:
        disabled = enabled = False
        if self.enabled_only and self.enabled_categories and category not in self.enabled_categories:
            disabled = True
        if rule_id in self.disabled_rules:
            disabled = True
        if rule_id in self.enabled_rules:
            disabled, enabled = False, True
        elif self.enabled_only and self.enabled_rules:
            disabled = True
        if category in self.disabled_categories and category not in self.enabled_categories:
            return enabled  # a switched-off category keeps only the rules enabled by name
        return not disabled and (default_on or enabled)


@dataclass(frozen=True)
class CopydeskRule:
    """A rule whose findings copydesk adds to LanguageTool's: a pack's rule, the headline model
    or the hard-sentence check."""

    id: str
    check: CheckName
    default_on: bool
    in_pack: bool = False  # a rule of the rule book, which a request's disable can name

    @property
    def category(self) -> str:
        return category_id(self.id)


@functools.lru_cache(maxsize=4)
def copydesk_rules(book: RuleBook) -> tuple[CopydeskRule, ...]:
    """Every rule copydesk can add, with whether it is on when a request says nothing. Made once
    per book (its rules are read-only once loaded): made in every request, it took 1.3 of the
    1.7 ms that reading a /v2 request cost."""
    default_on = {rule.id for rule in book.active(PACK_CHECKS)}
    rules = [CopydeskRule(rule.id, rule.check, rule.id in default_on, True) for rule in book.rules]  # type: ignore[arg-type]
    rules.append(CopydeskRule(MODEL_RULE_ID, "clickbait", True))
    rules.append(CopydeskRule(HARD_SENTENCE_RULE_ID, "readability", True))
    rules += [CopydeskRule(rule_id, "readability", True) for rule_id in CLARITY_RULE_IDS]
    return tuple(rules)


# LanguageTool's text-level rules that a copydesk finding can be the twin of (``same_as_languagetool``).
TEXT_LEVEL_TWINS = frozenset({SAME_START_RULE})


@dataclass(frozen=True)
class CheckRequest:
    document: Document
    checks: tuple[CheckName, ...]
    selection: RuleSelection
    # The language as sent ("auto", "en-US", "de-DE", ...); copydesk's own checks run on English only.
    language: str
    allow_incomplete: bool = False
    # mode=allButTextLevelOnly: LanguageTool's text-level rules answer the client's other request
    # (textLevelOnly), so a finding of ours with such a twin waits for it there.
    text_level_elsewhere: bool = False

    def wants(self, finding: Finding) -> bool:
        """Whether a finding of a copydesk rule belongs in the answer (the rule book has
        already left out the rules that are off by default and not enabled)."""
        if self.text_level_elsewhere and TEXT_LEVEL_TWINS.intersection(finding.same_as_languagetool):
            return False
        return self.selection.is_active(finding.rule_id, category_id(finding.rule_id))


def parse_check_request(
    params: Mapping[str, str],
    *,
    rules: RuleBook,
    languages: Sequence[Mapping[str, str]] | None,
    detection: bool = True,
    max_text_chars: int,
) -> CheckRequest:
    """Read LanguageTool's parameters, refusing what LanguageTool refuses with its words.

    ``languages`` are LanguageTool's entries (``GET /v2/languages``: name, code, longCode) that
    clients may ask for, as ``nameable`` gives them, or None when it cannot be asked: then no code
    is refused here (the check itself then finds LanguageTool down, and the client gets 503, as
    for English, not a 400 that calls its language unknown). ``detection``: whether ``auto`` may
    be asked for. ``text`` and ``data`` are held to ``max_text_chars`` (code points of the text
    with its markup), as ``/v1`` is.
    """
    parts, source = _text_or_data(params)
    if not params.get("language"):
        raise LanguageToolRequestError(
            "Missing 'language' parameter, e.g. 'language=en-US' for American English or 'language=fr' for French"
        )
    for name, message in RENAMED.items():
        if name in params:
            raise LanguageToolRequestError(message)
    if len(source) > max_text_chars:
        raise LanguageToolRequestError(
            f"Your text exceeds the limit of {max_text_chars} characters (it's {len(source)} characters). "
            "Please submit a shorter text.",
            status=413,
        )
    language = params["language"]
    if "preferredVariants" in params and language != "auto":
        raise LanguageToolRequestError("You specified 'preferredVariants' but you didn't specify 'language=auto'")
    if "preferredVariants" in params and any(
        re.fullmatch("-+", variant) for variant in _java_split(params["preferredVariants"], r",[ \t\n\x0b\f\r]*")
    ):
        # LanguageTool answers this with a 500 (Internal Error: Index 0 out of bounds).
        raise LanguageToolRequestError(
            "'preferredVariants' has a variant with no language before its dash: name one, as in 'en-GB,de-AT'"
        )
    if "-" in params.get("preferredLanguages", ""):
        # LanguageTool answers this with a 500 (Internal Error), in these words.
        raise LanguageToolRequestError(
            "'preferredLanguages' may only contain language codes without variants, as in 'en,de'"
        )
    if language == "auto" and not detection:
        raise LanguageToolRequestError(
            "Language detection ('language=auto') is off on this server (COPYDESK_LANGUAGETOOL_LANGUAGES): "
            f"name the language, one of: {_long_codes(languages or ())}."
        )
    for code in (language, params.get("motherTongue")):
        if code is not None and code != "auto":
            _known_language(code, languages)
    selection = _selection(params)
    level = params.get("level")
    if level is not None and level not in LEVELS:
        raise LanguageToolRequestError(
            f"Unknown value '{level}' for parameter 'level'. Valid values: {', '.join(LEVELS)}"
        )
    if "ruleValues" in params:
        _rule_values(params["ruleValues"])

    english = language == "auto" or is_english(language)
    catalogue = copydesk_rules(rules)
    enable = tuple(r.id for r in catalogue if not r.default_on and selection.is_active(r.id, r.category, False))
    # The pack rules the client turned off are left out of the check, not only out of the answer:
    # a rule left in still superseded the findings of the rules it covers (a promo line's rule
    # hid the glued domain in it), which the client then never got.
    disable = tuple(
        r.id for r in catalogue if r.in_pack and r.default_on and not selection.is_active(r.id, r.category, True)
    )
    options = CheckOptions(
        enable=enable, disable=disable, languagetool=tuple((k, params[k]) for k in FORWARDED if k in params)
    )
    # The Document's language is copydesk's (its checks are English-only); LanguageTool reads
    # the language as sent, from the options.
    own_language = supported_language(language) or DEFAULT_LANGUAGE
    if parts is None:
        document = build_document(source, None, "text", own_language, options)
    else:
        document = annotated_document(parts, own_language, options)
    checks: tuple[CheckName, ...] = ("grammar",)
    # LanguageTool's text-level rules read the whole text, the others a sentence at a time; a
    # client that splits one check into those two (the browser extension: each changed paragraph
    # with allButTextLevelOnly, the whole text with textLevelOnly) gets copydesk's findings once.
    if english and params.get("mode") != "textLevelOnly":
        active = {r.check for r in catalogue if selection.is_active(r.id, r.category, r.default_on)}
        checks += tuple(name for name in CHECK_NAMES if name in active)
    return CheckRequest(
        document=document,
        checks=checks,
        selection=selection,
        language=language,
        allow_incomplete=params.get("allowIncompleteResults") == "true",
        text_level_elsewhere=params.get("mode") == "allButTextLevelOnly",
    )


def _rule_values(value: str) -> None:
    """Refuse a ``ruleValues`` that LanguageTool cannot read. It answers such a one with a 500
    ("Internal Error: Index 1 out of bounds", or a Java number error), which reads as a server
    down and would be retried; here it is a 400 that says what is wrong. LanguageTool splits the
    value at commas and each pair at colons as Java does, then reads what follows the first
    colon as its ``RuleOption.stringToObjects`` does (:func:`_rule_option_readable`)."""
    for pair in _java_split(value, ","):
        if _PLAIN_RULE_VALUE.fullmatch(pair):
            continue  # the usual RULE_ID:40, at a fraction of the cost of reading it as below
        parts = _java_split(pair, ":")
        if len(parts) < 2 or not _rule_option_readable(parts[1]):
            shown = pair if len(pair) <= 60 else pair[:60] + "..."
            raise LanguageToolRequestError(
                "'ruleValues' must be rule ids with a value each that LanguageTool reads, as in "
                f"'TOO_LONG_SENTENCE:40,OTHER_RULE:3'; '{shown}' is not"
            )


def _rule_option_readable(value: str) -> bool:
    """Whether LanguageTool reads ``value`` as rule options: its parts between semicolons, each
    trimmed and typed by its first letter (``s`` text, ``b`` yes or no, ``f``/``d`` a Java
    number, ``c`` a character, ``i`` a Java ``int``; anything else is read whole as an ``int``)."""
    return all(_rule_option_part_readable(part.strip(_JAVA_TRIMMED)) for part in _java_split(value, ";"))


def _rule_option_part_readable(part: str) -> bool:
    if not part:
        return False
    kind, rest = part[0], part[1:]
    if kind in "sb":
        return True
    if kind in "fd":
        return _JAVA_FLOAT.fullmatch(rest.strip(_JAVA_TRIMMED)) is not None
    if kind == "c":
        return rest != ""
    return _java_int(rest if kind == "i" else part)


def _java_int(text: str) -> bool:
    """Whether Java's ``Integer.parseInt`` reads ``text`` (any decimal digits, leading zeros
    included, within 32 bits)."""
    if not _JAVA_INT.fullmatch(text):
        return False
    digits = text.lstrip("+-")
    significant = "".join(itertools.dropwhile(lambda digit: unicodedata.digit(digit) == 0, digits))
    return len(significant) <= 10 and int(text[: len(text) - len(digits)] + (significant or "0")) in _JAVA_INT_RANGE


def _java_split(value: str, separator: str) -> list[str]:
    """``value.split(separator)`` as Java's ``String.split`` gives it (``separator`` is a regular
    expression): trailing empty parts dropped, but ``""`` is one empty part."""
    if value == "":
        return [""]
    parts = re.split(separator, value)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def configinfo_language(params: Mapping[str, str], languages: Sequence[Mapping[str, str]] | None) -> str:
    """The ``language`` of ``GET /v2/configinfo``, refused as LanguageTool refuses it (``auto`` too:
    the rules listed are one language's)."""
    language = params.get("language")
    if not language:
        raise LanguageToolRequestError("'language' parameter missing")
    _known_language(language, languages)
    return language


def nameable(every: Sequence[Mapping[str, str]], allowed: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The ``allowed`` of LanguageTool's languages (``every`` it has) as a request may name them,
    for ``_known_language``: by ``longCode``, or by ``code`` where LanguageTool reads that code as
    the same language (``pl`` is pl-PL). ``en`` is not en-US to LanguageTool but English of no
    country, a language of its own in its heap: such a code counts only when allowed itself, so
    those entries carry their long code in its place."""
    long_codes = {entry["longCode"].lower() for entry in every}
    allowed_long_codes = {entry["longCode"].lower() for entry in allowed}
    return [
        {**entry, "code": entry["longCode"]}
        if entry["code"].lower() in long_codes and entry["code"].lower() not in allowed_long_codes
        else dict(entry)
        for entry in allowed
    ]


def _known_language(code: str, languages: Sequence[Mapping[str, str]] | None) -> None:
    """Refuse a code LanguageTool does not know, in its words. LanguageTool takes an entry's
    ``code`` (``pl``, answered as pl-PL) as well as its ``longCode``, in any case, and so do its
    clients (language_tool_python); when it cannot be asked (``languages`` None), refuse nothing."""
    if not code.strip():
        raise LanguageToolRequestError("langCode cannot be empty or whitespace only")
    if languages is None:
        return
    if code.lower() not in {entry[key].lower() for entry in languages for key in ("code", "longCode")}:
        raise LanguageToolRequestError(
            f"'{code}' is not a language code known to LanguageTool. "
            f"Supported language codes are: {_long_codes(languages)}."
        )


def _long_codes(languages: Sequence[Mapping[str, str]]) -> str:
    """The codes listed when one is refused: the ``longCode``s, as LanguageTool lists them."""
    return ", ".join(sorted({entry["longCode"] for entry in languages}))


def annotated_document(parts: tuple[Annotated, ...], language: str, options: CheckOptions) -> Document:
    """The Document for LanguageTool's annotated text: the source is every part as written, and
    the prose view (the text copydesk's checks read) keeps the text parts and blanks the markup,
    keeping its length, so offsets into either are the same."""
    source = "".join(part.text for part in parts)
    view = "".join(
        _markup_view(part, _inside_word(parts, n)) if part.markup else part.text for n, part in enumerate(parts)
    )
    return Document(text=view, language=language, options=options, source=source, annotation=parts)


def _inside_word(parts: Sequence[Annotated], n: int) -> bool:
    """Whether markup part ``n`` reads as nothing between two word characters of the prose
    ("**foo**bar": LanguageTool reads "foobar"), so the view joins them as the Markdown and HTML
    readers do (``segments.JOINER``)."""
    part = parts[n]
    if part.interpret_as or not (0 < n < len(parts) - 1):
        return False
    before, after = parts[n - 1], parts[n + 1]
    return (
        not before.markup
        and not after.markup
        and is_word_character(before.text[-1:])
        and is_word_character(after.text[:1])
    )


def _markup_view(part: Annotated, inside_word: bool = False) -> str:
    """Markup blanked to spaces, keeping its line breaks, plus as many more as the reader sees in
    its place (``interpretAs: "\\n\\n"`` between two blocks) where it has room for them; a
    placeholder word (``Dummy0``: code the client masked) is a ``MASKED_WORD``; markup inside a
    word (``inside_word``) is written as ``JOINER`` characters."""
    if inside_word:
        return "".join(ch if ch in "\r\n" else JOINER for ch in part.text)
    chars = [ch if ch in "\r\n" else " " for ch in part.text]
    if is_placeholder(part.interpret_as) and chars and chars[0] == " ":
        chars[0] = MASKED_WORD  # code or a URL the client masked: one word a reader reads
    missing = part.interpret_as.count("\n") - part.text.count("\n")
    for i, ch in enumerate(chars):
        if missing <= 0:
            break
        if ch == " ":
            chars[i] = "\n"
            missing -= 1
    return "".join(chars)


def _text_or_data(params: Mapping[str, str]) -> tuple[tuple[Annotated, ...] | None, str]:
    """(annotation parts or None, the source): from ``text``, or from ``data``'s JSON."""
    if "text" in params and "data" in params:
        raise LanguageToolRequestError("Set only 'text' or 'data' parameter, not both")
    if "text" in params:
        return None, _without_lone_surrogates(params["text"])
    if "data" not in params:
        raise LanguageToolRequestError("Missing 'text' or 'data' parameter")
    try:
        data = load_json(params["data"], first_value=True)
    except TooManyJsonValues as exc:
        raise LanguageToolRequestError(f"'data' parameter: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise LanguageToolRequestError("Could not parse JSON from 'data' parameter") from exc
    data = data if isinstance(data, dict) else {}
    if "text" in data and "annotation" in data:
        raise LanguageToolRequestError("'data' key in JSON requires either 'text' or 'annotation' key, not both")
    if "text" in data:
        return None, _as_text(data["text"])
    if "annotation" not in data:
        raise LanguageToolRequestError("'data' key in JSON requires 'text' or 'annotation' key")
    parts = tuple(_part(node) for node in _elements(data["annotation"]))
    return parts, "".join(part.text for part in parts)


def _elements(annotation: Any) -> list[Any]:
    """What LanguageTool walks through as the list (Jackson's JsonNode): an object's values, a
    list's items, and nothing in a string, a number or null (an empty text, as it answers)."""
    if isinstance(annotation, dict):
        return list(annotation.values())
    return annotation if isinstance(annotation, list) else []


def _part(node: Any) -> Annotated:
    shown = _without_lone_surrogates(json.dumps(node, ensure_ascii=False, separators=(",", ":")))
    if not isinstance(node, dict) or not ("text" in node or "markup" in node):
        raise LanguageToolRequestError(f"Only 'text' and 'markup' are supported in 'annotation' list: {shown}")
    if "text" in node and "markup" in node:
        raise LanguageToolRequestError(
            f"Only either 'text' or 'markup' are supported in an object in 'annotation' list, not both: {shown}"
        )
    if "text" in node:
        if "interpretAs" in node:
            raise LanguageToolRequestError(f"'text' cannot be used with 'interpretAs' (only 'markup' can): {shown}")
        return Annotated(_as_text(node["text"]))
    return Annotated(_as_text(node["markup"]), markup=True, interpret_as=_as_text(node.get("interpretAs", "")))


def _as_text(value: Any) -> str:
    """A JSON value as text, the way LanguageTool's JSON reader's ``asText`` gives it: ``null`` is
    "null" and a number with a fraction or an exponent is Java's ``Double.toString`` of it, so
    every offset after one is LanguageTool's; a list or an object is empty."""
    if isinstance(value, str):
        return _without_lone_surrogates(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, int):
        return str(value)
    return ""


def _java_double(value: float) -> str:
    """Java's ``Double.toString``: the shortest digits that read back as ``value``, as a decimal
    from 10^-3 up to 10^7 ("100.0", "0.001"), outside it as "1.0E20", "1.0E-4"."""
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(value)
    if math.isinf(value):  # a number too large for a double ("1e400")
        return "Infinity" if value > 0 else "-Infinity"
    _, figures, exponent = decimal.Decimal(repr(abs(value))).normalize().as_tuple()
    shown = "".join(map(str, figures))
    power = len(shown) + int(exponent) - 1
    return f"{'-' if value < 0 else ''}{shown[0]}.{shown[1:] or '0'}E{power}"


def _without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD, which can be encoded to send on (LanguageTool
    takes the surrogate itself): each is one UTF-16 unit and one code point, so no offset moves."""
    return LONE_SURROGATE.sub("\ufffd", text)


def _ids(params: Mapping[str, str], name: str) -> list[str]:
    """A comma-separated parameter as LanguageTool splits it."""
    return _java_split(params[name], ",") if name in params else []


def _selection(params: Mapping[str, str]) -> RuleSelection:
    enabled_only = params.get("enabledOnly") in ("true", "yes")
    lists = {name: _ids(params, name) for name in
             ("enabledRules", "disabledRules", "enabledCategories", "disabledCategories")}
    if enabled_only and (lists["disabledRules"] or lists["disabledCategories"]):
        raise LanguageToolRequestError("You cannot specify disabled rules or categories using enabledOnly=true")
    if enabled_only and not (lists["enabledRules"] or lists["enabledCategories"]):
        raise LanguageToolRequestError("You must specify enabled rules or categories when using enabledOnly=true")
    for name in ("enabledCategories", "disabledCategories"):
        if any(not category.strip(_JAVA_TRIMMED) for category in lists[name]):
            # LanguageTool answers this with a 500 (Internal Error: Category id must not be empty).
            raise LanguageToolRequestError(
                f"'{name}' has an empty category id: separate ids with one comma, as in 'TYPOS,GRAMMAR'"
            )
    return RuleSelection(
        enabled_rules=frozenset(lists["enabledRules"]),
        disabled_rules=frozenset(lists["disabledRules"]),
        enabled_categories=frozenset(lists["enabledCategories"]),
        disabled_categories=frozenset(lists["disabledCategories"]),
        enabled_only=enabled_only,
    )
