"""One class per rule kind: the shared header, the kind's own fields, how it compiles and matches.

A rule is an immutable value (a frozen dataclass, as proselint's checks are): the header
every kind shares (:class:`Rule`: id, message, severity, category, description, scope,
link, replacements, supersedes, examples) plus the fields of its kind, named as in the
pack's YAML. Each kind compiles what it needs once, when the rule is built, and finds its
spans in a :class:`Scan` of the text. The loader builds rules from entries the pack schema
has already validated; what a schema cannot say (a regex that could take exponential time,
a suggestion naming a group the pattern lacks, a bad example without exactly one [span])
is refused here with a :class:`RuleError`.

Adding a kind is adding a class here (in ``KINDS``) and its branch in ``pack.schema.json``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from ..findings import Document
from ..text import segments
from .regexes import line_anchors, regex_problem, required_literals
from .selectors import selects
from .structure import STRUCTURE_CHECKS, Hit

_BRACKETED = re.compile(r"\[(.*?)\]", re.DOTALL)
_GROUP_REF = re.compile(r"\{(\d+)\}")


class RuleError(ValueError):
    """One field of a rule is wrong; the loader adds the file and the rule's id."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


# --------------------------------------------------------------------------------------------
# The text a check scans
# --------------------------------------------------------------------------------------------


class Scan:
    """A text being checked, with what every rule reuses: its lower-cased form (where the
    literal prefilter looks), where its paragraph windows start, and the :class:`Document` it is
    the text of, whose sentences, paragraphs and in-document links the text kinds read (a
    Markdown or HTML document's come from its markup; a plain text's from the text alone). One
    per text per check, so a book of 200 rules lower-cases and segments a text once."""

    def __init__(self, text: str, document: Document | None = None) -> None:
        self.text = text
        self._document = document

    @cached_property
    def document(self) -> Document:
        """The document the text is the text of: a plain text's own unless one was given (made
        only when a text kind asks, as the regex kinds never do)."""
        return Document(self.text) if self._document is None else self._document

    def units(self, unit: str) -> tuple[segments.Span, ...]:
        """The text's lines, or the document's sentences or paragraphs (``Document.sentences``,
        ``Document.paragraphs``): in Markdown and HTML none runs across two blocks, nor does a
        line, which ends at a block's edge too (``Document.lined``: a page of HTML is often one
        line of source)."""
        if unit == "line":
            return segments.lines(self.document.lined)
        return self.document.sentences if unit == "sentence" else self.document.paragraphs

    @property
    def has_blocks(self) -> bool:
        """Whether the text is a Markdown or HTML document's, cut into blocks by its markup."""
        return self._document is not None and bool(self._document.blocks)

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    @cached_property
    def window_starts(self) -> list[int]:
        """Where each window starts: 0, then the start of each later run of non-blank lines
        (``segments.line_runs``). A window runs to the next one, so the blank lines between two
        runs belong to the first; starting at a line start keeps ``^`` working."""
        return [0, *(segments.line_start(self.text, run[0].start) for run in segments.line_runs(self.text)[1:])]

    def windows(self, needles: frozenset[str] | None) -> list[tuple[int, int]]:
        """The windows that contain one of ``needles`` (lower-cased literals): the only places
        a regex that needs them can match, since no rule's match spans a blank line.
        The whole text when there are no needles or lower-casing changed the length."""
        text, lowered = self.text, self.lowered
        if needles is None or len(lowered) != len(text):
            return [(0, len(text))]
        starts = self.window_starts
        hit: set[int] = set()
        for needle in needles:
            found = lowered.find(needle)
            while found != -1:
                paragraph = bisect.bisect_right(starts, found) - 1
                hit.add(paragraph)
                # Skip to the next paragraph: one hit is enough to scan this one.
                found = lowered.find(needle, starts[paragraph + 1]) if paragraph + 1 < len(starts) else -1
        bounds = [*starts, len(text)]
        return [(bounds[n], bounds[n + 1]) for n in sorted(hit)]


# --------------------------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadExample:
    """Text that must give exactly one finding of its rule, at the [bracketed] span; with
    ``replacements``, the finding must suggest exactly those, in order."""

    text: str  # as written, with the [span]
    replacements: tuple[str, ...] | None = None

    def unmarked(self) -> tuple[str, int, int]:
        """The text without brackets, and where the marked span starts and ends in it."""
        match = _BRACKETED.search(self.text)
        if match is None:
            return self.text, 0, 0
        plain = self.text[: match.start()] + match.group(1) + self.text[match.end() :]
        return plain, match.start(), match.start() + len(match.group(1))


@dataclass(frozen=True)
class Examples:
    bad: tuple[BadExample, ...]
    good: tuple[str, ...]

    def describe(self) -> dict[str, list[str]]:
        return {"bad": [bad.text for bad in self.bad], "good": list(self.good)}


# --------------------------------------------------------------------------------------------
# The header every kind shares
# --------------------------------------------------------------------------------------------


def _expand(template: str, group: Callable[[int], str | None]) -> str:
    """A suggestion with ``{n}`` replaced by group n of the match (``{0}``: all of it)."""
    return _GROUP_REF.sub(lambda m: group(int(m.group(1))) or "", template)


def in_case_of(flagged: str, suggestion: str) -> str:
    """``suggestion`` written in the case of the words it replaces: with a capital where they
    open with one ("Due to the fact that" -> "Because": a client's one-click fix left a sentence
    in lower case), in capitals where they are all capitals (a shouted headline)."""
    if flagged.isupper() and sum(char.isalpha() for char in flagged) > 1:
        return suggestion.upper()
    if flagged[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


@dataclass(frozen=True, kw_only=True)
class Rule(ABC):
    """The header of every rule. A subclass adds its kind's fields, checks and compiles them in
    :meth:`_compile`, and yields ``(start, end, suggestions)`` from :meth:`spans`."""

    kind: ClassVar[str]
    id: str
    pack: str
    check: str
    category: str
    severity: str
    message: str
    description: str
    examples: Examples
    scope: str = "text"
    enabled: bool = True
    link: str | None = None
    # Suggestions: ``{0}`` is the flagged text, ``{1}``.. a pattern's groups.
    replacements: tuple[str, ...] = ()
    # Rule ids whose findings inside one of this rule's findings are dropped (a whole promo
    # line already covers the domain glued into it).
    supersedes: tuple[str, ...] = ()
    # Whether the rule leaves quoted speech alone (``Document.in_quotation``): a quotation is the
    # speaker's words, which news style does not alter.
    skip_quoted_speech: bool = False
    # LanguageTool's rules that report the same problem in the same words: where one of their
    # matches overlaps this rule's finding, a report lists the problem once.
    same_as_languagetool: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._compile()
        for n, bad in enumerate(self.examples.bad):
            if len(_BRACKETED.findall(bad.text)) != 1:
                raise RuleError(f"examples.bad[{n}]", f"must mark exactly one [span]: {bad.text!r}")
        for template in self.replacements:
            for ref in _GROUP_REF.findall(template):
                if int(ref) > self.groups:
                    raise RuleError("replacements", f"{template!r} names group {ref}, the rule has {self.groups}")

    @classmethod
    def own_fields(cls) -> tuple[str, ...]:
        """The fields of this kind beyond the header, as a pack spells them."""
        header = {f.name for f in dataclasses.fields(Rule)}
        return tuple(f.name for f in dataclasses.fields(cls) if f.init and f.name not in header)

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any], header: Mapping[str, Any]) -> Rule:
        """The rule from a pack entry the schema accepted: the header as the loader read
        it, this kind's own fields from the entry (lists and mappings frozen to tuples)."""
        own = {name: _frozen(entry[name]) for name in cls.own_fields() if name in entry}
        return cls(**header, **own)

    @abstractmethod
    def _compile(self) -> None:
        """Check and compile the kind's own fields (raise :class:`RuleError`)."""

    @property
    def groups(self) -> int:
        """The highest ``{n}`` a suggestion may name."""
        return 0

    @abstractmethod
    def spans(self, scan: Scan) -> Iterator[Hit]:
        """``(start, end, suggestions)`` of every place the rule flags in ``scan.text``."""

    def suggest(self, flagged: str) -> tuple[str, ...]:
        """The header's suggestions for a finding that flags ``flagged``."""
        return tuple(in_case_of(flagged, _expand(r, lambda n: flagged)) for r in self.replacements)

    def selected_by(self, selector: str) -> bool:
        """Whether ``selector`` (check, pack, rule id or dotted prefix) names this rule."""
        return selects(selector, self.id, self.check)

    def supersedes_rule(self, rule_id: str, check: str) -> bool:
        """Whether ``supersedes`` names that rule (of that check); one never supersedes itself."""
        return rule_id != self.id and any(selects(s, rule_id, check) for s in self.supersedes)

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
            "skip_quoted_speech": self.skip_quoted_speech,
            "same_as_languagetool": list(self.same_as_languagetool),
            "examples": self.examples.describe(),
        }


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value


# --------------------------------------------------------------------------------------------
# Regex kinds: phrase, pattern, substitution
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RegexRule(Rule):
    """A rule that is one regex: the literal text every match needs (``needles``) lets a
    check skip the rule, or every paragraph without that text, for a substring search."""

    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    needles: frozenset[str] | None = field(init=False, repr=False, compare=False)

    def _compile(self) -> None:
        regex = self._regex()
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "needles", required_literals(regex))

    @abstractmethod
    def _regex(self) -> re.Pattern[str]:
        """The kind's regex, compiled (raise :class:`RuleError` for a field it refuses)."""

    @property
    def groups(self) -> int:
        return self.regex.groups

    def spans(self, scan: Scan) -> Iterator[Hit]:
        for start, end in scan.windows(self.needles):
            yield from self.spans_between(scan.text, start, end)

    def spans_between(self, text: str, start: int, end: int) -> Iterator[Hit]:
        """The spans of the matches inside ``text[start:end]``; the regex sees the characters
        before ``start`` too (look-behinds, ``\\b``), as it does when it searches the whole text."""
        for match in self.regex.finditer(text, start, end):
            found = self._span(match)
            if found is not None:
                yield found

    def _span(self, match: re.Match[str]) -> Hit | None:
        """The flagged span of a match (its ``span`` group when it has one), with the
        suggestions filled in; None for an empty span."""
        start, end = match.span("span") if "span" in self.regex.groupindex else match.span()
        if end <= start:
            return None
        flagged = match.string[start:end]
        return start, end, tuple(in_case_of(flagged, _expand(r, match.group)) for r in self.replacements)


def _phrase_key(phrase: str) -> str:
    """A phrase as its rule reads it: its words apart by one space (which matches any run of
    whitespace in the text), so "make  use of" and "amidst " are "make use of" and "amidst"."""
    return " ".join(phrase.split())


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word alternatives, longest first; a space matches any run of whitespace."""
    escaped = {_phrase_pattern(p) for p in phrases}
    alternatives = sorted(escaped, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def _phrase_pattern(phrase: str) -> str:
    return re.escape(_phrase_key(phrase)).replace(r"\ ", r"\s+")


@dataclass(frozen=True, kw_only=True)
class PhraseRule(RegexRule):
    kind: ClassVar[str] = "phrase"
    phrases: tuple[str, ...]

    def _regex(self) -> re.Pattern[str]:
        return _phrase_regex(self.phrases)


@dataclass(frozen=True, kw_only=True)
class PatternRule(RegexRule):
    kind: ClassVar[str] = "pattern"
    pattern: str
    case_sensitive: bool = False

    def _regex(self) -> re.Pattern[str]:
        flags = 0 if self.case_sensitive else re.IGNORECASE
        problem = regex_problem(self.pattern, flags)
        if problem:
            raise RuleError("pattern", problem)
        return re.compile(line_anchors(self.pattern), re.MULTILINE | flags)


@dataclass(frozen=True, kw_only=True)
class SubstitutionRule(RegexRule):
    kind: ClassVar[str] = "substitution"
    substitutions: tuple[tuple[str, str], ...]
    _right: dict[str, str] = field(init=False, repr=False, compare=False)

    def _regex(self) -> re.Pattern[str]:
        object.__setattr__(self, "_right", {_phrase_key(wrong).lower(): right for wrong, right in self.substitutions})
        return _phrase_regex(tuple(wrong for wrong, _ in self.substitutions))

    def _span(self, match: re.Match[str]) -> Hit:
        return match.start(), match.end(), (in_case_of(match.group(), self._right_for(match.group())),)

    def _right_for(self, found: str) -> str:
        """The replacement of the phrase ``found`` matched. Ignoring case, the regex also takes
        letters that lower() keeps apart ("paſt" for "past", the Kelvin sign for "k"): those are
        told by matching each phrase in turn."""
        right = self._right.get(_phrase_key(found).lower())
        if right is not None:
            return right
        return next(
            right
            for wrong, right in self.substitutions
            if re.fullmatch(_phrase_pattern(wrong), found, re.IGNORECASE)
        )


# --------------------------------------------------------------------------------------------
# Text kinds: repetition, structure
# --------------------------------------------------------------------------------------------

_UNITS = ("line", "sentence", "paragraph")
MIN_REPEATED_WORDS = 4


@dataclass(frozen=True, kw_only=True)
class RepetitionRule(Rule):
    """Second and later verbatim copies of a line, sentence or paragraph of at least four
    words (whitespace and case aside); the first copy is never flagged. Copies are compared as
    written (``Document.original``), so in Markdown or HTML the inline code and link
    destinations inside the unit count: "`a`: Same as the `a` option." and "`b`: Same as the `b`
    option." read alike only once their code is blanked. A unit that is the text of an
    in-document link (a table of contents' entry naming a heading) is navigation, not copy: it
    is neither flagged nor the first copy of the heading it names; nor is a unit that starts in
    a table cell (a row, or in HTML a cell on a line of its own), whose values and headers repeat
    by nature, or in a caption, where one photographer's credit stands under each picture. A
    line of a hard-wrapped paragraph repeats only with a line beside it
    (``_whole_or_with_a_neighbour``)."""

    kind: ClassVar[str] = "repetition"
    unit: str

    def _compile(self) -> None:
        if self.unit not in _UNITS:
            raise RuleError("unit", f"{self.unit!r} is not one of {', '.join(_UNITS)}")

    def spans(self, scan: Scan) -> Iterator[Hit]:
        text = scan.text
        written = scan.document.original  # the same offsets as ``text``
        seen: set[str] = set()
        copies: list[tuple[segments.Span, bool]] = []  # each unit compared, and whether it repeats
        for piece in scan.units(self.unit):
            content = piece.of(text)
            stripped = content.strip()
            if segments.word_count(stripped) < MIN_REPEATED_WORDS:
                continue
            start = piece.start + content.index(stripped)
            unit = segments.Span(start, start + len(stripped))
            if scan.document.in_document_link(unit):
                continue
            if scan.document.meets_table_cell(unit):
                continue  # a table's row or cell: values and headers repeat there
            if scan.document.in_caption(segments.Span(start, start + 1)):
                continue  # a caption: credits repeat there
            key = " ".join(written[unit.start : unit.end].split()).lower()
            copies.append((unit, key in seen))
            seen.add(key)
        for n, (unit, repeats) in enumerate(copies):
            if repeats and (self.unit != "line" or self._whole_or_with_a_neighbour(scan, copies, n)):
                yield unit.start, unit.end, self.suggest(unit.of(text))

    @staticmethod
    def _whole_or_with_a_neighbour(scan: Scan, copies: list[tuple[segments.Span, bool]], n: int) -> bool:
        """Whether the repeated line ``copies[n]`` is a line of its own, or a piece of a
        hard-wrapped paragraph (a sentence runs into it or on from it) whose line before or after
        repeats too: two paragraphs may open with the same wrapped words ("Look for differences
        that change the number of occurrences of", then "the specified string" or "the specified
        object"), while a passage pasted twice repeats line after line."""
        line = copies[n][0]
        if not _crossed(scan.text, scan.document.sentences, line.start, line.end):
            return True

        def next_lines(first: segments.Span, second: segments.Span) -> bool:
            return len(segments.LINE_BREAK.findall(scan.text, first.end, second.start)) == 1

        before = n > 0 and copies[n - 1][1] and next_lines(copies[n - 1][0], line)
        return before or (n + 1 < len(copies) and copies[n + 1][1] and next_lines(line, copies[n + 1][0]))


def _crossed(text: str, sentences: tuple[segments.Span, ...], start: int, end: int) -> bool:
    """Whether one of ``sentences`` (in order) crosses ``start`` or ``end`` with words on both
    sides (a list's bullet on a line of its own before an item's text is none)."""
    n = bisect.bisect_left(sentences, end, key=lambda sentence: sentence.start) - 1
    if n >= 0 and sentences[n].end > end and _WORD_CHARACTER.search(text, end, sentences[n].end):
        return True  # the last sentence that starts inside or before goes on past the end
    m = bisect.bisect_left(sentences, start, key=lambda sentence: sentence.start) - 1
    return m >= 0 and sentences[m].end > start and _WORD_CHARACTER.search(text, sentences[m].start, start) is not None


# A search stops at the first one, so a line in a long sentence costs no scan of the sentence.
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True, kw_only=True)
class StructureRule(Rule):
    """A named check from the allow-list in ``structure`` (YAML never carries code)."""

    kind: ClassVar[str] = "structure"
    function: str

    def _compile(self) -> None:
        if self.function not in STRUCTURE_CHECKS:
            raise RuleError("function", f"{self.function!r} is not one of {', '.join(STRUCTURE_CHECKS)}")

    def spans(self, scan: Scan) -> Iterator[Hit]:
        text = scan.text
        blocks = scan.has_blocks
        for start, end, suggestions in STRUCTURE_CHECKS[self.function](scan.document.lined if blocks else text, blocks):
            yield start, end, suggestions or self.suggest(text[start:end])


KINDS: dict[str, type[Rule]] = {
    kind.kind: kind for kind in (PhraseRule, PatternRule, SubstitutionRule, RepetitionRule, StructureRule)
}
