"""The rule engine for copydesk's rule packs: rules as data, each carrying its own examples.

A pack is one YAML file (``service/rules/*.yaml`` built in, plus any user folder from
``COPYDESK_RULES_DIR``) naming the report section it feeds (``phrasing`` or ``clickbait``)
and its rules. A rule is one of a small closed set of kinds: ``phrase`` (literal phrases),
``pattern`` (a regex checked for linear-time safety at load), ``substitution`` (wrong ->
right), ``repetition`` (a line or paragraph repeated verbatim) and ``structure`` (a named
Python check from an allow-list: YAML never carries code). The format is documented in
``service/rules/README.md``.

Loading validates everything and refuses a broken pack with a message that names the file,
the rule and the problem: a pack is never half-loaded. The regex safety check and literal
prefilter live in ``regexes``, the allow-listed structure checks in ``structure``; this module
loads packs and runs them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..findings import CHECK_NAMES, SEVERITIES, Finding
from ..text import segments
from ..text.segments import Span as SegmentSpan
from ..text.segments import lines, paragraphs, sentences, word_count
from .regexes import regex_problem, required_literals
from .selectors import selects
from .structure import STRUCTURE_CHECKS, Span

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "rules"
KINDS = ("phrase", "pattern", "substitution", "repetition", "structure")
SCOPES = ("text", "headline")
PACK_CHECKS = ("phrasing", "clickbait")
MAX_REPLACEMENTS = 5
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
_BRACKETED = re.compile(r"\[(.*?)\]", re.DOTALL)
_GROUP_REF = re.compile(r"\{(\d+)\}")


class RulePackError(ValueError):
    """A pack cannot be loaded; the message names the file, the rule and the problem."""


@functools.lru_cache(maxsize=16)
def _paragraph_starts(text: str) -> list[int]:
    """Where each paragraph's window starts: 0, then the start of the line on which each later
    paragraph starts (a window runs to the next one, so the blank lines between them belong
    to the first; starting at a line start keeps ``^`` anchors working)."""
    return [0, *(segments.line_start(text, p.start) for p in paragraphs(text)[1:])]


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------


def _phrase_regex(phrases: Sequence[str]) -> str:
    escaped = {re.escape(p.strip()).replace(r"\ ", r"\s+") for p in phrases}
    alternatives = sorted(escaped, key=len, reverse=True)
    return r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])"


def _expand(template: str, match: re.Match[str]) -> str:
    return _GROUP_REF.sub(lambda m: match.group(int(m.group(1))) or "", template)


@dataclass
class Rule:
    id: str
    pack: str
    check: str
    kind: str
    category: str
    severity: str
    description: str
    message: str
    examples: dict[str, list[str]]
    scope: str = "text"
    enabled: bool = True
    link: str | None = None
    replacements: tuple[str, ...] = ()
    # Rule ids whose findings inside one of this rule's findings are dropped (a whole promo
    # line already covers the domain glued into it).
    supersedes: tuple[str, ...] = ()
    # Suggestions a bad example pins ({index in examples["bad"]: replacements}).
    expected_replacements: dict[int, tuple[str, ...]] = field(default_factory=dict)
    spec: dict[str, Any] = field(default_factory=dict)
    _regex: re.Pattern[str] | None = None
    _substitutions: dict[str, str] = field(default_factory=dict)
    _needles: frozenset[str] | None = None

    def compile(self) -> None:
        if self.kind == "phrase":
            self._regex = re.compile(_phrase_regex(self.spec["phrases"]), re.IGNORECASE)
        elif self.kind == "pattern":
            flags = re.MULTILINE | (0 if self.spec.get("case_sensitive") else re.IGNORECASE)
            self._regex = re.compile(self.spec["pattern"], flags)
        elif self.kind == "substitution":
            self._substitutions = {k.lower(): v for k, v in self.spec["substitutions"].items()}
            self._regex = re.compile(_phrase_regex(list(self.spec["substitutions"])), re.IGNORECASE)
        if self._regex is not None:
            self._needles = required_literals(self._regex)

    def may_match(self, lowered: str) -> bool:
        """False when the rule cannot match a text whose lower-cased form is ``lowered``."""
        return self._needles is None or any(needle in lowered for needle in self._needles)

    def spans(self, text: str, lowered: str | None = None) -> Iterator[Span]:
        """(start, end, replacements) of every match in ``text``; ``lowered`` is
        ``text.lower()`` when the caller has it already (one lower-casing per check)."""
        if self._regex is None:
            yield from self._text_spans(text)
            return
        matches = (
            match
            for window_start, window_end in self._windows(text, text.lower() if lowered is None else lowered)
            for match in self._regex.finditer(text, window_start, window_end)
        )
        if self.kind == "substitution":
            for match in matches:
                right = self._substitutions[re.sub(r"\s+", " ", match.group().lower())]
                yield match.start(), match.end(), (right,)
            return
        named = "span" in self._regex.groupindex
        for match in matches:
            start, end = match.span("span") if named else match.span()
            if end > start:
                yield start, end, tuple(_expand(r, match) for r in self.replacements)

    def _windows(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """The paragraphs of ``text`` that contain one of the rule's literals: the only
        places its regex can match (a match never spans a blank line). The whole text when
        the rule has no literals or lower-casing changed the text's length."""
        if self._needles is None or len(lowered) != len(text):
            return [(0, len(text))]
        starts = _paragraph_starts(text)
        hit: set[int] = set()
        for needle in self._needles:
            found = lowered.find(needle)
            while found != -1:
                paragraph = bisect.bisect_right(starts, found) - 1
                hit.add(paragraph)
                # Skip to the next paragraph: one hit is enough to scan this one.
                found = lowered.find(needle, starts[paragraph + 1]) if paragraph + 1 < len(starts) else -1
        bounds = [*starts, len(text)]
        return [(bounds[n], bounds[n + 1]) for n in sorted(hit)]

    def _text_spans(self, text: str) -> Iterator[Span]:
        if self.kind == "repetition":
            yield from _repeats(text, self.spec["unit"])
        else:
            yield from STRUCTURE_CHECKS[self.spec["function"]](text)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pack": self.pack,
            "check": self.check,
            "kind": self.kind,
            "category": self.category,
            "severity": self.severity,
            "description": self.description,
            "message": self.message,
            "replacements": list(self.replacements),
            "link": self.link,
            "scope": self.scope,
            "enabled_by_default": self.enabled,
            "supersedes": list(self.supersedes),
            "examples": self.examples,
        }


_UNITS = {"line": lines, "sentence": sentences, "paragraph": paragraphs}


def _repeats(text: str, unit: str) -> Iterator[Span]:
    """Second and later verbatim copies of a line, sentence or paragraph of at least four
    words (whitespace and case aside); the first copy is never flagged."""
    seen: set[str] = set()
    for piece in _UNITS[unit](text):
        content = piece.of(text)
        stripped = content.strip()
        if word_count(stripped) < 4:
            continue
        key = " ".join(stripped.split()).lower()
        if key in seen:
            start = piece.start + content.index(stripped)
            yield start, start + len(stripped), ()
        seen.add(key)


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------

_COMMON = {
    "id", "kind", "category", "severity", "description", "message", "examples", "scope", "enabled", "link",
    "replacements", "supersedes",
}
_KIND_FIELDS = {
    "phrase": {"phrases"},
    "pattern": {"pattern", "case_sensitive"},
    "substitution": {"substitutions"},
    "repetition": {"unit"},
    "structure": {"function"},
}


def _rule_from(raw: Any, pack: str, check: str, where: str) -> Rule:
    def fail(problem: str) -> RulePackError:
        rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
        return RulePackError(f"{where}: rule {rule_id}: {problem}")

    if not isinstance(raw, dict):
        raise fail("must be a mapping")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    unknown = set(raw) - _COMMON - _KIND_FIELDS[kind]
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))} for kind {kind}")
    for name in ("id", "category", "severity", "message"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise fail(f"'{name}' is required and must be text")
    rule_id = raw["id"]
    if not _ID.match(rule_id) or not rule_id.startswith(pack + "."):
        raise fail(f"id must look like '{pack}.rule-name' (lower case, dotted)")
    if raw["severity"] not in SEVERITIES:
        raise fail(f"severity {raw['severity']!r} is not one of {', '.join(SEVERITIES)}")
    scope = raw.get("scope", "text")
    if scope not in SCOPES:
        raise fail(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    examples = raw.get("examples")
    if (
        not isinstance(examples, dict)
        or set(examples) != {"bad", "good"}
        or not all(isinstance(examples[k], list) and examples[k] for k in ("bad", "good"))
        or not all(isinstance(e, str) for e in examples["good"])
    ):
        raise fail("examples must have non-empty 'bad' and 'good' lists of strings")
    # A bad example is a string, or {text, replacements} when it also pins the suggestions.
    expected: dict[int, tuple[str, ...]] = {}
    bad_texts = []
    for n, bad in enumerate(examples["bad"]):
        if isinstance(bad, dict):
            wanted = bad.get("replacements")
            if (
                set(bad) != {"text", "replacements"}
                or not isinstance(bad["text"], str)
                or not isinstance(wanted, list)
                or not all(isinstance(r, str) for r in wanted)
            ):
                raise fail(f"bad example {n} must be a string or {{text, replacements: [strings]}}")
            expected[n] = tuple(wanted)
            bad = bad["text"]
        elif not isinstance(bad, str):
            raise fail("examples must have non-empty 'bad' and 'good' lists of strings")
        bad_texts.append(bad)
    examples = {"bad": bad_texts, "good": list(examples["good"])}
    for bad in examples["bad"]:
        if len(_BRACKETED.findall(bad)) != 1:
            raise fail(f"bad example must mark exactly one [span]: {bad!r}")
    replacements = raw.get("replacements", [])
    if not isinstance(replacements, list) or not all(isinstance(r, str) for r in replacements):
        raise fail("replacements must be a list of strings")
    supersedes = raw.get("supersedes", [])
    if not isinstance(supersedes, list) or not all(isinstance(r, str) and _ID.match(r) for r in supersedes):
        raise fail("supersedes must be a list of rule ids")

    spec = {k: raw[k] for k in _KIND_FIELDS[kind] if k in raw}
    if kind == "phrase":
        phrases = spec.get("phrases")
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip()
                                                                    for p in phrases):
            raise fail("phrase rules need a non-empty 'phrases' list")
    elif kind == "pattern":
        pattern = spec.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise fail("pattern rules need a 'pattern'")
        problem = regex_problem(pattern)
        if problem:
            raise fail(problem)
        groups = re.compile(pattern).groups
        for template in replacements:
            for ref in _GROUP_REF.findall(template):
                if int(ref) > groups:
                    raise fail(f"replacement {template!r} names group {ref}, the pattern has {groups}")
    elif kind == "substitution":
        table = spec.get("substitutions")
        if not isinstance(table, dict) or not table or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            raise fail("substitution rules need a 'substitutions' mapping of wrong -> right")
    elif kind == "repetition":
        if spec.get("unit") not in _UNITS:
            raise fail(f"repetition rules need unit: {' | '.join(_UNITS)}")
    elif spec.get("function") not in STRUCTURE_CHECKS:
        raise fail(f"structure function must be one of {', '.join(STRUCTURE_CHECKS)}")

    rule = Rule(
        id=rule_id,
        pack=pack,
        check=check,
        kind=kind,
        category=raw["category"],
        severity=raw["severity"],
        description=raw.get("description") or raw["message"],
        message=raw["message"],
        examples={"bad": list(examples["bad"]), "good": list(examples["good"])},
        scope=scope,
        enabled=bool(raw.get("enabled", True)),
        link=raw.get("link"),
        replacements=tuple(replacements),
        supersedes=tuple(supersedes),
        expected_replacements=expected,
        spec=spec,
    )
    rule.compile()
    return rule


def load_pack(path: Path) -> tuple[dict[str, Any], list[Rule]]:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulePackError(f"{where}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RulePackError(f"{where}: a pack must be a mapping with pack, check, description and rules")
    name, check = data.get("pack"), data.get("check")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise RulePackError(f"{where}: 'pack' must be a lower-case name")
    if check not in PACK_CHECKS:
        raise RulePackError(f"{where}: 'check' must be one of {', '.join(PACK_CHECKS)}")
    unknown = set(data) - {"pack", "check", "description", "sources", "rules"}
    if unknown:
        raise RulePackError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise RulePackError(f"{where}: 'rules' must be a non-empty list")
    rules = [_rule_from(raw, name, check, where) for raw in rules_raw]
    meta = {
        "name": name,
        "check": check,
        "description": str(data.get("description", "")).strip(),
        "sources": list(data.get("sources") or []),
        "rule_count": len(rules),
        "file": where,
    }
    return meta, rules


def _drop_superseded(findings: list[Finding], rules: dict[str, Rule]) -> list[Finding]:
    """Drop findings that lie inside a finding of a rule that supersedes theirs."""
    covering = [f for f in findings if rules[f.rule_id].supersedes]
    if not covering:
        return findings
    return [
        f
        for f in findings
        if not any(
            f.rule_id in rules[c.rule_id].supersedes
            and c.offset <= f.offset
            and f.offset + f.length <= c.offset + c.length
            for c in covering
        )
    ]


class RuleBook:
    """All loaded packs; checks a text with the rules a request selects.

    Built once per process (``RuleBook.load``) and read-only afterwards, so one book serves
    every thread. Public surface: ``load``, ``check``, ``describe``, ``packs`` (name, check,
    description, sources, rule_count), ``rules``, ``selectors``, ``knows``,
    ``unknown_selectors``, ``rule`` and ``run_rule``.
    """

    def __init__(
        self, packs: list[dict[str, Any]], rules: list[Rule], default_disabled: Iterable[str] = ()
    ) -> None:
        self.packs = [{k: v for k, v in p.items() if k != "file"} for p in packs]
        self.rules = rules
        self.default_disabled = tuple(default_disabled)
        self._by_id = {rule.id: rule for rule in rules}

    @classmethod
    def load(cls, extra_dirs: Sequence[Path] = (), default_disabled: Iterable[str] = ()) -> RuleBook:
        """The built-in packs (``service/rules/*.yaml``), then every ``*.yaml``/``*.yml`` in
        each of ``extra_dirs`` (user packs), each validated and compiled once.

        ``default_disabled`` holds selectors (pack, rule id or dotted prefix) that are off
        unless a request enables them. Raises ``RulePackError("<file>: rule <id>: <problem>")``
        for any invalid pack, a missing folder, a pack or rule id defined twice, or an unknown
        ``default_disabled`` selector: nothing is loaded half-way.
        """
        files = sorted(BUILTIN_DIR.glob("*.yaml"))
        for folder in extra_dirs:
            if not Path(folder).is_dir():
                raise RulePackError(f"{folder}: rule pack folder does not exist (COPYDESK_RULES_DIR)")
            files += sorted(Path(folder).glob("*.y*ml"))
        packs, rules, seen_packs, seen_ids = [], [], {}, {}
        for path in files:
            meta, pack_rules = load_pack(path)
            if meta["name"] in seen_packs:
                first = seen_packs[meta["name"]]
                raise RulePackError(f"{path}: pack {meta['name']!r} is already defined in {first}")
            seen_packs[meta["name"]] = path
            for rule in pack_rules:
                if rule.id in seen_ids:
                    raise RulePackError(f"{path}: rule {rule.id}: duplicate id (also in {seen_ids[rule.id]})")
                seen_ids[rule.id] = path
            packs.append(meta)
            rules.extend(pack_rules)
        for rule in rules:
            missing = [target for target in rule.supersedes if target not in seen_ids]
            if missing:
                where = seen_ids[rule.id]
                raise RulePackError(f"{where}: rule {rule.id}: supersedes unknown rule {missing[0]}")
        book = cls(packs, rules, default_disabled)
        unknown = [s for s in book.default_disabled if not book.knows(s)]
        if unknown:
            raise RulePackError(f"COPYDESK_DISABLED_RULES: unknown pack or rule {', '.join(unknown)}")
        return book

    @property
    def selectors(self) -> set[str]:
        """Every string ``enable``/``disable`` accept: check names, pack names, rule ids and
        each dotted prefix of a rule id."""
        valid = {pack["name"] for pack in self.packs} | {rule.check for rule in self.rules}
        for rule in self.rules:
            parts = rule.id.split(".")
            valid.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
        return valid

    def knows(self, selector: str) -> bool:
        """Whether ``selector`` (pack, rule id or dotted prefix) selects at least one rule."""
        return any(selects(selector, rule.id, rule.check) for rule in self.rules)

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not self.knows(s)]

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def active(
        self, checks: Collection[str], enable: Collection[str] = (), disable: Collection[str] = ()
    ) -> list[Rule]:
        """Rules in effect: on by default (and not disabled in settings), or enabled by the
        request; a request's disable wins over everything."""

        def any_selects(selectors: Iterable[str], rule: Rule) -> bool:
            return any(selects(s, rule.id, rule.check) for s in selectors)

        chosen = []
        for rule in self.rules:
            if rule.check not in checks or any_selects(disable, rule):
                continue
            on = rule.enabled and not any_selects(self.default_disabled, rule)
            if on or any_selects(enable, rule):
                chosen.append(rule)
        return chosen

    def check(
        self,
        text: str,
        *,
        checks: Collection[str] = PACK_CHECKS,
        enable: Collection[str] = (),
        disable: Collection[str] = (),
        field: str = "text",
        headlines: Sequence[Span] | None = None,
    ) -> list[Finding]:
        """Findings of the selected rules in ``text``, sorted by offset (code points).

        ``checks`` picks the report sections (packs feed ``phrasing`` or ``clickbait``).
        ``enable``/``disable`` take check names, pack names, rule ids or dotted prefixes:
        ``enable`` turns on rules that are off by default, ``disable`` wins over everything.
        An unknown selector raises ``KeyError``. Headline-scoped rules run inside ``headlines``
        (spans of ``text``); by default that is the whole string for ``field="title"``, and the
        text's lead and standalone headline lines (``segments.headlines``) for ``field="text"``.
        Findings carry ``field``. Overlapping matches of one rule are reported once; findings a
        covering rule ``supersedes`` are dropped.
        """
        enable = (enable,) if isinstance(enable, str) else enable
        disable = (disable,) if isinstance(disable, str) else disable
        unknown = self.unknown_selectors([*enable, *disable])
        if unknown:
            raise KeyError(f"unknown pack or rule: {', '.join(unknown)}")
        findings: list[Finding] = []
        if headlines is None:
            headlines = [SegmentSpan(0, len(text))] if field == "title" else segments.headlines(text)
        headline_regions = [(span.start, span.of(text)) for span in headlines]
        lowered: str | None = None
        for rule in self.active(checks, enable, disable):
            if rule.scope == "headline":
                regions = headline_regions
            else:
                regions = [(0, text)]
            for base, region in regions:
                if region is text:
                    if lowered is None:
                        lowered = text.lower()
                    findings.extend(self._findings(rule, region, base, field, lowered))
                else:
                    findings.extend(self._findings(rule, region, base, field))
        findings = _drop_superseded(findings, self._by_id)
        findings.sort(key=lambda f: (f.offset, f.length, f.rule_id))
        return findings

    def run_rule(self, rule_id: str, text: str, field: str = "text") -> list[Finding]:
        """One rule alone, regardless of selection (the example harness uses this)."""
        return self._findings(self._by_id[rule_id], text, 0, field)

    @staticmethod
    def _findings(rule: Rule, text: str, base: int, field: str, lowered: str | None = None) -> list[Finding]:
        found = []
        covered_to = -1
        # Earliest first, longest first at one offset; a span overlapping one already kept
        # (the same rule matching twice over the same words) is a duplicate and dropped.
        for start, end, replacements in sorted(rule.spans(text, lowered), key=lambda s: (s[0], -s[1])):
            if start < covered_to:
                continue
            covered_to = end
            found.append(
                Finding(
                    check=rule.check,  # type: ignore[arg-type]
                    rule_id=rule.id,
                    description=rule.description,
                    category=rule.category,
                    source=f"copydesk:{rule.pack}",
                    severity=rule.severity,  # type: ignore[arg-type]
                    message=rule.message,
                    offset=base + start,
                    length=end - start,
                    replacements=tuple(dict.fromkeys(r for r in replacements if r))[:MAX_REPLACEMENTS],
                    field=field,  # type: ignore[arg-type]
                    link=rule.link,
                )
            )
        return found

    def describe(self) -> list[dict[str, Any]]:
        described = []
        for rule in self.rules:
            entry = rule.describe()
            entry["enabled_by_default"] = rule.enabled and not any(
                selects(s, rule.id, rule.check) for s in self.default_disabled
            )
            described.append(entry)
        return described


assert set(CHECK_NAMES) >= set(PACK_CHECKS)
