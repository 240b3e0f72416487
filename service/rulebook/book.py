"""The rule book: every loaded pack, which rules a request selects, and the findings they give.

A pack is one YAML file (``service/rules/*.yaml`` built in, plus any folder from
``COPYDESK_RULES_DIR``) naming the report section it feeds and its rules; ``loading``
reads and validates packs, ``kinds`` holds one class per rule kind. This module owns
selection (check names, packs, rule ids and dotted prefixes, the defaults a deployment
disables, a request's enable and disable: one meaning, from ``selectors``) and turns the
spans the selected rules find into located findings.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..findings import CHECK_NAMES, Finding
from ..text import segments
from .kinds import Rule, Scan
from .loading import PACK_CHECKS, Pack, RulePackError, load_packs
from .structure import Span

__all__ = ["MAX_REPLACEMENTS", "PACK_CHECKS", "RuleBook", "RulePackError"]

MAX_REPLACEMENTS = 5


class RuleBook:
    """All loaded packs; checks a text with the rules a request selects.

    Built once per process (``RuleBook.load``) and read-only afterwards, so one book serves
    every thread. Public surface: ``load``, ``check``, ``describe``, ``packs`` (name, check,
    description, sources, rule_count), ``loaded_packs`` (the :class:`Pack` values, with
    their files), ``rules``, ``selectors``, ``knows``, ``unknown_selectors``, ``active``,
    ``enabled_by_default``, ``rule`` and ``run_rule``.
    """

    def __init__(self, packs: Sequence[Pack], default_disabled: Iterable[str] = ()) -> None:
        self.loaded_packs = tuple(packs)
        self.packs = [pack.describe() for pack in self.loaded_packs]
        self.rules = [rule for pack in self.loaded_packs for rule in pack.rules]
        self.default_disabled = tuple(default_disabled)
        self._by_id = {rule.id: rule for rule in self.rules}

    @classmethod
    def load(cls, extra_dirs: Sequence[Path] = (), default_disabled: Iterable[str] = ()) -> RuleBook:
        """The built-in packs (``service/rules/*.yaml``), then every ``*.yaml``/``*.yml`` in
        each of ``extra_dirs`` (user packs), each validated and compiled once.

        ``default_disabled`` holds selectors (pack, rule id or dotted prefix) that are off
        unless a request enables them. Raises ``RulePackError("<file>: rule <id>: <field>:
        <problem>")`` for any invalid pack, a missing folder, a pack or rule id defined
        twice, or an unknown ``default_disabled`` selector: nothing is loaded half-way.
        """
        book = cls(load_packs(extra_dirs), default_disabled)
        unknown = book.unknown_selectors(book.default_disabled)
        if unknown:
            raise RulePackError(f"COPYDESK_DISABLED_RULES: unknown pack or rule {', '.join(unknown)}")
        return book

    # ----------------------------------------------------------------------------------------
    # Selection
    # ----------------------------------------------------------------------------------------

    @property
    def selectors(self) -> set[str]:
        """Every string ``enable``/``disable`` accept: check names, pack names, rule ids and
        each dotted prefix of a rule id."""
        valid = {pack.name for pack in self.loaded_packs} | {rule.check for rule in self.rules}
        for rule in self.rules:
            parts = rule.id.split(".")
            valid.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
        return valid

    def knows(self, selector: str) -> bool:
        """Whether ``selector`` (check, pack, rule id or dotted prefix) selects at least one rule."""
        return any(rule.selected_by(selector) for rule in self.rules)

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not self.knows(s)]

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def enabled_by_default(self, rule: Rule) -> bool:
        """On unless the pack turns it off (``enabled: false``) or the deployment does
        (``COPYDESK_DISABLED_RULES``)."""
        return rule.enabled and not any(rule.selected_by(s) for s in self.default_disabled)

    def active(
        self, checks: Collection[str], enable: Collection[str] = (), disable: Collection[str] = ()
    ) -> list[Rule]:
        """Rules in effect: on by default, or enabled by the request; a request's disable
        wins over everything."""
        return [
            rule
            for rule in self.rules
            if rule.check in checks
            and not any(rule.selected_by(s) for s in disable)
            and (self.enabled_by_default(rule) or any(rule.selected_by(s) for s in enable))
        ]

    # ----------------------------------------------------------------------------------------
    # Checking
    # ----------------------------------------------------------------------------------------

    def check(
        self,
        text: str,
        *,
        checks: Collection[str] = PACK_CHECKS,
        enable: Collection[str] = (),
        disable: Collection[str] = (),
        field: str = "text",
        headlines: Sequence[segments.Span] | None = None,
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
        if headlines is None:
            headlines = [segments.Span(0, len(text))] if field == "title" else segments.headlines(text)
        whole = [(0, Scan(text))]
        headline_scans: list[tuple[int, Scan]] | None = None
        findings: list[Finding] = []
        for rule in self.active(checks, enable, disable):
            if rule.scope == "headline":
                if headline_scans is None:
                    headline_scans = [(span.start, Scan(span.of(text))) for span in headlines]
                scans = headline_scans
            else:
                scans = whole
            for base, scan in scans:
                findings.extend(_findings(rule, scan, base, field))
        findings = _drop_superseded(findings, self._by_id)
        findings.sort(key=lambda f: (f.offset, f.length, f.rule_id))
        return findings

    def run_rule(self, rule_id: str, text: str, field: str = "text") -> list[Finding]:
        """One rule alone on all of ``text``, regardless of selection and scope (the example
        harness uses this)."""
        return _findings(self._by_id[rule_id], Scan(text), 0, field)

    def describe(self) -> list[dict[str, Any]]:
        return [{**rule.describe(), "enabled_by_default": self.enabled_by_default(rule)} for rule in self.rules]


def _findings(rule: Rule, scan: Scan, base: int, field: str) -> list[Finding]:
    found = []
    covered_to = -1
    # Earliest first, longest first at one offset; a span overlapping one already kept
    # (the same rule matching twice over the same words) is a duplicate and dropped.
    spans: list[Span] = sorted(rule.spans(scan), key=lambda s: (s[0], -s[1]))
    for start, end, replacements in spans:
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


def _drop_superseded(findings: list[Finding], rules: dict[str, Rule]) -> list[Finding]:
    """Drop findings that lie inside a finding of a rule that supersedes theirs."""
    # For each superseded rule id: the covering spans sorted by start, with the furthest end
    # reached by any of them up to each one (a finding is covered when a span starting at or
    # before it reaches its end).
    covers: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for finding in findings:
        for target in rules[finding.rule_id].supersedes:
            covers[target].append((finding.offset, finding.offset + finding.length))
    if not covers:
        return findings
    reach: dict[str, tuple[list[int], list[int]]] = {}
    for target, spans in covers.items():
        spans.sort()
        furthest, ends = -1, []
        for _, end in spans:
            furthest = max(furthest, end)
            ends.append(furthest)
        reach[target] = ([start for start, _ in spans], ends)

    def covered(finding: Finding) -> bool:
        if finding.rule_id not in reach:
            return False
        starts, ends = reach[finding.rule_id]
        n = bisect.bisect_right(starts, finding.offset)
        return n > 0 and ends[n - 1] >= finding.offset + finding.length

    return [f for f in findings if not covered(f)]


assert set(CHECK_NAMES) >= set(PACK_CHECKS)
