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
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..findings import CHECK_NAMES, MAX_REPLACEMENTS, Document, Finding
from ..text import segments
from ..text.memo import remembered
from .kinds import RegexRule, Rule, Scan
from .loading import PACK_CHECKS, Pack, RulePackError, load_packs
from .regexes import look_behind
from .structure import Hit

__all__ = ["PACK_CHECKS", "Coverage", "RuleBook", "RulePackError"]

# Paragraphs whose regex matches the book keeps (each with the few characters before it that a
# look-behind can read): COPYDESK_MEMO_ENTRIES of them, of up to this many code points each;
# longer ones are searched each time. A "paragraph" in this module is a window of Scan, a run
# of lines between blank lines (segments.line_runs), which no match spans; a soft-wrapped run
# holds several of segments' paragraphs.
PARAGRAPH_KEPT_CHARS = 4000
PARAGRAPHS_SEARCHED_ALONE = 1000


class _Paragraph:
    """The matches found in one paragraph so far: which rules were run on it, and the spans of
    those that matched (offsets into the kept string). Filled by whichever request needs a
    rule first; a rule is marked done only after its spans are stored. ``done`` is one of the
    few sets :func:`_together` makes, shared by every paragraph searched for the same rules
    (hundreds of rule ids would otherwise cost each paragraph kilobytes)."""

    __slots__ = ("done", "spans")

    def __init__(self) -> None:
        self.done: frozenset[str] = frozenset()
        self.spans: dict[str, tuple[Hit, ...]] = {}


@functools.lru_cache(maxsize=64)
def _together(done: frozenset[str], wanted: frozenset[str]) -> frozenset[str]:
    """``done | wanted``, the same object each time for equal sets."""
    return done | wanted


class RuleBook:
    """All loaded packs; checks a text with the rules a request selects.

    Built once per process (``RuleBook.load``); its rules are read-only afterwards, so one book
    serves every thread. It remembers the regex matches of the paragraphs it has searched
    (bounded), since editors re-check the same article with one paragraph changed. Public
    surface: ``load``, ``check``, ``covers``, ``describe``, ``packs`` (name, check,
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
        self._superseding = [rule for rule in self.rules if rule.supersedes]
        # Whether one rule supersedes another, asked once per pair (rule ids are few).
        self._supersedes = functools.cache(
            lambda by, rule_id, check: self._by_id[by].supersedes_rule(rule_id, check)
        )
        # How many characters before a paragraph any regex can read: part of what is kept.
        self._reach = max((look_behind(r.regex) for r in self.rules if isinstance(r, RegexRule)), default=1)
        self._paragraph = remembered(PARAGRAPH_KEPT_CHARS)(lambda kept: _Paragraph())

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
        return [rule for rule in self.rules if rule.check in checks and self._in_effect(rule, enable, disable)]

    def _in_effect(self, rule: Rule, enable: Collection[str], disable: Collection[str]) -> bool:
        return not any(rule.selected_by(s) for s in disable) and (
            self.enabled_by_default(rule) or any(rule.selected_by(s) for s in enable)
        )

    # ----------------------------------------------------------------------------------------
    # Checking
    # ----------------------------------------------------------------------------------------

    def check(
        self,
        text: str | Document,
        *,
        checks: Collection[str] = PACK_CHECKS,
        enable: Collection[str] = (),
        disable: Collection[str] = (),
        field: str = "text",
        headlines: Sequence[segments.Span] | None = None,
    ) -> list[Finding]:
        """Findings of the selected rules in ``text``, sorted by offset (code points).

        ``text`` is a string, read as plain text, or a :class:`Document`, whose text is checked
        with what its markup says: where its blocks and in-document links stand (the units of
        the repetition kind) and where its headlines stand (``Document.headline_spans``).

        ``checks`` picks the report sections (packs feed ``phrasing`` or ``clickbait``).
        ``enable``/``disable`` take check names, pack names, rule ids or dotted prefixes:
        ``enable`` turns on rules that are off by default, ``disable`` wins over everything.
        An unknown selector raises ``KeyError``. Headline-scoped rules run inside ``headlines``
        (spans of ``text``); by default that is the whole string for ``field="title"``, and
        where a plain text's headlines stand (``Document.headline_spans``) for ``field="text"``.
        Findings carry ``field``. Overlapping matches of one rule are reported once; findings a
        covering rule ``supersedes`` are dropped.
        """
        enable = (enable,) if isinstance(enable, str) else enable
        disable = (disable,) if isinstance(disable, str) else disable
        unknown = self.unknown_selectors([*enable, *disable])
        if unknown:
            raise KeyError(f"unknown pack or rule: {', '.join(unknown)}")
        document = text if isinstance(text, Document) else Document(text)
        text = document.text
        if headlines is None:
            headlines = [segments.Span(0, len(text))] if field == "title" else document.headline_spans
        findings = self._findings(document, self.active(checks, enable, disable), field, headlines)
        # Rules of other checks that supersede what was found run too, only to drop what they cover.
        covering = self._covering(findings, checks, enable, disable)
        if covering:
            findings += self._findings(document, covering, field, headlines)
        findings = _drop_superseded(findings, self._supersedes)
        if covering:
            findings = [f for f in findings if f.check in checks]
        findings.sort(key=lambda f: (f.offset, f.length, f.rule_id))
        return findings

    def covers(
        self,
        document: Document,
        rule_id: str,
        check: str,
        *,
        enable: Collection[str] = (),
        disable: Collection[str] = (),
    ) -> Coverage:
        """Where findings of ``rule_id`` (a rule of ``check``, or a finding made outside the book,
        such as the headline model's) are superseded in the document's text: the spans of the
        findings of every rule in effect whose ``supersedes`` names it."""
        rules = self._superseding_in_effect({(rule_id, check)}, enable, disable)
        if not rules:
            return Coverage(())
        found = self._findings(document, rules, "text", document.headline_spans)
        return Coverage((f.offset, f.offset + f.length) for f in found)

    def _covering(
        self, findings: list[Finding], checks: Collection[str], enable: Collection[str], disable: Collection[str]
    ) -> list[Rule]:
        """The rules in effect outside ``checks`` whose ``supersedes`` names the rule of one of
        ``findings`` (none when nothing was found: a clean text pays nothing for them)."""
        found = {(f.rule_id, f.check) for f in findings}
        return [rule for rule in self._superseding_in_effect(found, enable, disable) if rule.check not in checks]

    def _superseding_in_effect(
        self, targets: Collection[tuple[str, str]], enable: Collection[str], disable: Collection[str]
    ) -> list[Rule]:
        """The rules in effect whose ``supersedes`` names one of ``targets`` (rule id, check)."""
        return [
            rule
            for rule in self._superseding
            if any(self._supersedes(rule.id, rule_id, check) for rule_id, check in targets)
            and self._in_effect(rule, enable, disable)
        ]

    def _findings(
        self, document: Document, rules: list[Rule], field: str, headlines: Sequence[segments.Span]
    ) -> list[Finding]:
        """What ``rules`` find in the document's text (headline-scoped ones inside ``headlines``),
        but in quoted speech for a rule that skips it, unsorted and before supersession: what a
        check reports and what supersedes, alike."""
        text = document.text
        whole = Scan(text, document)
        # Regexes search the text without the view's joiners (markup or an entity inside a word),
        # with its blocks on lines of their own (``Document.lined``); what they find is placed
        # back in the text. The other kinds read the document's units.
        joined, positions = segments.without_joiners(document.lined)
        searched_scan = whole if joined is text else Scan(joined)
        searched = [r for r in rules if isinstance(r, RegexRule) and r.scope != "headline"]
        # A text of very many paragraphs (a book, or "a\n\n" repeated) is searched whole: kept
        # paragraphs would not pay for their bookkeeping there.
        many = len(searched_scan.window_starts) > PARAGRAPHS_SEARCHED_ALONE
        by_paragraph = {} if many else self._paragraph_spans(searched_scan, searched)
        headline_scans: list[tuple[int, Scan, list[int] | None]] | None = None
        findings: list[Finding] = []
        for rule in rules:
            if rule.scope == "headline":
                if headline_scans is None:
                    headline_scans = []
                    for span in headlines:
                        line, at = segments.without_joiners(span.of(text))
                        headline_scans.append((span.start, Scan(line), at))
                for base, scan, at in headline_scans:
                    findings.extend(_findings(rule, _placed(rule.spans(scan), at), base, field))
            elif isinstance(rule, RegexRule):
                spans = by_paragraph[rule.id] if rule.id in by_paragraph else rule.spans(searched_scan)
                findings.extend(_findings(rule, _placed(spans, positions), 0, field))
            else:
                findings.extend(_findings(rule, rule.spans(whole), 0, field))
        return self._outside_quoted_speech(findings, document)

    def run_rule(self, rule_id: str, text: str, field: str = "text") -> list[Finding]:
        """One rule alone on all of ``text``, regardless of selection and scope, and as a check
        runs it in quoted speech (the example harness uses this)."""
        rule = self._by_id[rule_id]
        return self._outside_quoted_speech(_findings(rule, rule.spans(Scan(text)), 0, field), Document(text))

    def _outside_quoted_speech(self, findings: list[Finding], document: Document) -> list[Finding]:
        """``findings`` but those of a rule that skips quoted speech (``skip_quoted_speech``) that
        lie inside a quotation of the text (``Document.in_quotation``; a title is none)."""
        return [
            f for f in findings
            if not (
                f.field == "text"
                and self._by_id[f.rule_id].skip_quoted_speech
                and document.in_quotation(segments.Span(f.offset, f.offset + f.length))
            )
        ]  # fmt: skip

    def _paragraph_spans(self, scan: Scan, rules: list[RegexRule]) -> dict[str, list[Hit]]:
        """Each regex rule's spans in the text, searched paragraph by paragraph (the windows of
        :class:`Scan`: a match never spans a blank line). What a regex finds in a paragraph
        depends on the paragraph and at most ``_reach`` characters before it, so that string is
        the key of what the book keeps, and only paragraphs it has not seen are searched."""
        text = scan.text
        wanted = frozenset(rule.id for rule in rules)
        bounds = [*scan.window_starts, len(text)]
        paragraphs: list[tuple[int, _Paragraph]] = []
        missing: dict[int, tuple[_Paragraph, str, int]] = {}
        for start, end in zip(bounds, bounds[1:], strict=False):
            before = max(0, start - self._reach)
            kept = text[before:end]
            paragraph = self._paragraph(kept)
            paragraphs.append((before, paragraph))
            if not wanted <= paragraph.done:
                missing[start] = (paragraph, kept, start - before)
        if missing:
            # Mostly new text: find the rules' literals in one pass over it, as a whole-text check does.
            _search(scan, rules, missing, whole_text_prefilter=len(missing) * 4 > len(paragraphs))
            for paragraph, _, _ in missing.values():
                paragraph.done = _together(paragraph.done, wanted)  # only now: every span is stored
        found: dict[str, list[Hit]] = {rule_id: [] for rule_id in wanted}
        for before, paragraph in paragraphs:
            # A copy (one C-level step): another check may be adding its rules' spans meanwhile.
            for rule_id, spans in paragraph.spans.copy().items():
                if rule_id in wanted:
                    found[rule_id] += [(a + before, b + before, r) for a, b, r in spans]
        return found

    def describe(self) -> list[dict[str, Any]]:
        return [{**rule.describe(), "enabled_by_default": self.enabled_by_default(rule)} for rule in self.rules]


def _placed(spans: Iterable[Hit], positions: list[int] | None) -> Iterable[Hit]:
    """Spans found in a text without joiners, placed in the text with them (``positions``: where
    each character stands there, ``segments.without_joiners``); the spans as they are for None."""
    if positions is None:
        return spans
    return [(positions[start], positions[end - 1] + 1, replacements) for start, end, replacements in spans]


def _search(
    scan: Scan, rules: list[RegexRule], missing: dict[int, tuple[_Paragraph, str, int]], whole_text_prefilter: bool
) -> None:
    """Run ``rules`` on the paragraphs in ``missing`` (by start: the paragraph, the kept string,
    where the paragraph starts in it) and store what they find. The literal prefilter is
    :meth:`Scan.windows`, over the whole text or over each new paragraph alone."""
    alone = {} if whole_text_prefilter else {start: Scan(kept[at:]) for start, (_, kept, at) in missing.items()}
    for rule in rules:
        if whole_text_prefilter:
            hits = scan.windows(rule.needles)
            whole = hits == [(0, len(scan.text))]
            starts = list(missing) if whole else [start for start, _ in hits if start in missing]
        else:
            starts = [start for start, paragraph in alone.items() if paragraph.windows(rule.needles)]
        for start in starts:
            paragraph, kept, at = missing[start]
            if rule.id in paragraph.done:
                continue
            spans = tuple(rule.spans_between(kept, at, len(kept)))
            if spans:
                paragraph.spans[rule.id] = spans


def _findings(rule: Rule, spans: Iterable[Hit], base: int, field: str) -> list[Finding]:
    found = []
    covered_to = -1
    # Earliest first, longest first at one offset; a span overlapping one already kept
    # (the same rule matching twice over the same words) is a duplicate and dropped.
    for start, end, replacements in sorted(spans, key=lambda s: (s[0], -s[1])):
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
                same_as_languagetool=rule.same_as_languagetool,
            )
        )
    return found


class Coverage:
    """Spans that supersede findings: whether a span lies inside one of them, or overlaps one,
    by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        # Sorted by start, with the furthest end reached by any of them up to each one (a span
        # is covered when one starting at or before it reaches its end).
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._ends = list(itertools.accumulate((end for _, end in ordered), max))

    def __bool__(self) -> bool:
        return bool(self._starts)

    def contains(self, start: int, end: int) -> bool:
        n = bisect.bisect_right(self._starts, start)
        return n > 0 and self._ends[n - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        n = bisect.bisect_left(self._starts, end)  # the spans that start before ``end``
        return n > 0 and self._ends[n - 1] > start


def _drop_superseded(findings: list[Finding], supersedes: Callable[[str, str, str], bool]) -> list[Finding]:
    """Drop findings that lie inside a finding of another rule whose ``supersedes`` selects
    theirs (by rule id, pack, check or dotted prefix, as ``selectors`` reads them);
    ``supersedes(by, rule_id, check)`` tells."""
    found = {(f.rule_id, f.check) for f in findings}
    # Which of the rules found supersede which others found.
    targets = {by: {(rule_id, check) for rule_id, check in found if supersedes(by, rule_id, check)} for by, _ in found}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for finding in findings:
        if targets[finding.rule_id]:
            spans[finding.rule_id].append((finding.offset, finding.offset + finding.length))
    if not spans:
        return findings
    coverage = {rule_id: Coverage(covered) for rule_id, covered in spans.items()}

    @functools.cache
    def covering(rule_id: str, check: str) -> list[Coverage]:
        return [cover for by, cover in coverage.items() if (rule_id, check) in targets[by]]

    return [
        f
        for f in findings
        if not any(c.contains(f.offset, f.offset + f.length) for c in covering(f.rule_id, f.check))
    ]


assert set(CHECK_NAMES) >= set(PACK_CHECKS)
