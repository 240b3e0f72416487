"""Grammar, spelling, punctuation and style findings from a LanguageTool server.

The server is remote (the compose sidecar, or the one per host that
``service.languagetool.supervisor`` runs); this module cuts a document into pieces, sends them
through ``service.languagetool.client`` (the one client of the server, which ``/readyz`` and
``/v2`` use too) and turns LanguageTool's matches into findings. LanguageTool counts offsets in
UTF-16 units; they are turned into code points here, with ``service.text.offsets.Utf16Index``,
and nowhere else.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from ..cache import Store, fingerprint
from ..findings import (
    MAX_REPLACEMENTS,
    Annotated,
    Document,
    Finding,
    SectionResult,
    density_score,
    renumbered,
)
from ..languagetool.client import LanguageToolClient, RawLanguageTool
from ..languagetool.pieces import OPENERS, Piece, as_sent, batches, plan
from ..rulebook.book import Coverage
from ..text import segments
from ..text.offsets import Utf16Index, languagetool_context, utf16_length
from ..text.segments import word_count
from . import unsuppressed
from .grammar_filters import base_rule, kept_in_report

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
MARKUP_DISABLED_RULES = ("WHITESPACE_RULE",)
# The parameters LanguageTool takes only with language=auto: they steer how it finds the language.
AUTO_ONLY_PARAMETERS = frozenset({"preferredVariants", "noopLanguages"})
# The language LanguageTool finds in a text it has no rules for (Hebrew, Korean, ...): it checks
# nothing in it, and refuses it as a request's language.
NOOP_LANGUAGE = "zz"
T = TypeVar("T")
# A text shorter than this goes to LanguageTool in one check, not split for speed.
SPLIT_CHARS = 2000
# Score decay: 3 severity points per 100 words bring the grammar score to 100/e (about 37).
SCORE_SCALE = 3.0


def _taken(items: list[T]) -> Iterator[T]:
    """``items`` in order, each let go of by the list once handed out (the list ends empty): a
    book of unknown words gets 200,000 matches from LanguageTool, which were all held while each
    was copied (``_split``) and again while the copies were made findings."""
    items.reverse()
    while items:
        yield items.pop()


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


def _opens_in_lower_case(unit: Piece) -> bool:
    """Whether the prose of ``unit`` opens with a letter in lower case (past white space,
    quotation marks and brackets)."""
    for part in unit.parts:
        if not part.markup:
            rest = part.text[OPENERS.match(part.text).end() :]  # type: ignore[union-attr]  # matches ""
            if rest:
                return rest[0].islower()
    return False


def _last_sentence(unit: Piece, view: str) -> Piece:
    """The last sentence of ``unit`` (``segments.sentences`` of its prose view) as a piece."""
    sentences = segments.sentences(view[unit.start : unit.end])
    return unit.tail(unit.start + sentences[-1].start) if sentences else unit


def _with_context(check: Piece, run: list[Piece], before: Piece | None) -> tuple[Piece, list[Piece], int]:
    """``check`` (the joined ``run``) as it goes to LanguageTool, and how many of its units open
    it as context only (their matches are not kept): ``before``, the last sentence of the
    paragraph before a first paragraph that opens in lower case, when that does not go
    otherwise. LanguageTool's rule on a sentence that starts in lower case reads the sentence
    before it (none after a colon or a heading without a full stop, whose own sentence does not
    end), so such a paragraph checked first got another answer than in the whole text: which
    paragraphs open a check depends on what the cache holds and on the load (``_share``), and
    a docs tree checked twice had "#### label" flagged in three files one time and in two others
    the next. Paragraphs that open in upper case, nearly all, go as they are: the rule has
    nothing to say of them."""
    if before is None:
        return check, run, 0
    return Piece(before.start, before.parts + check.parts), [before, *run], 1



def accept_key(word: str) -> str:
    """A word as the accept-list and a flagged word are compared: without the whitespace around
    it, composed (NFC: a name typed on a Mac, or pasted from some CMSs, comes decomposed) and
    case-folded."""
    return unicodedata.normalize("NFC", word.strip()).casefold()


def accepted(flagged: str, accept: frozenset[str]) -> bool:
    """Whether the client's ``accept`` keys take the words of a spelling match: the whole of
    it, or each word of one that spans several (LanguageTool flags "Ibrahim Kalin" as one)."""
    key = accept_key(flagged)
    words = key.split()
    return key in accept or (len(words) > 1 and all(word in accept for word in words))


class GrammarCheck:
    """The grammar section: a document's text to LanguageTool in pieces (through the paragraph
    cache), its matches back as findings. ``languagetool`` is the server's client, which the
    layers that answer for LanguageTool itself (``/readyz``, ``/v2``) share with it."""

    name: ClassVar[str] = "grammar"

    def __init__(
        self,
        languagetool: LanguageToolClient,
        piece_chars: int,
        parallel: int,
        paragraphs: Store | None = None,
    ) -> None:
        self.languagetool = languagetool
        # A long text goes as pieces of at most piece_chars, at most `parallel` of one request
        # at a time, so one request never holds more than that share of the server.
        self.piece_chars = piece_chars
        self.parallel = parallel
        # Reports of this worker waiting on LanguageTool now (see _share).
        self._waiting = 0
        self._lock = threading.Lock()
        # LanguageTool's matches per paragraph (see _check_paragraphs); None: every text goes whole.
        self.paragraphs = paragraphs

    @property
    def server_version(self) -> str | None:
        """The version of the LanguageTool that answers this check, known from its first answer on
        (the report's meta and the report cache's key name it)."""
        return self.languagetool.server_version

    def ask_version(self) -> str | None:
        """The version of the LanguageTool that answers this check, asked of it if not yet known."""
        return self.languagetool.ask_version()

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
        ``accept`` word (``accept_key``s; see ``accepted``) are left out, because the client
        listed that word as correct (a house dictionary). The text goes as the pieces
        ``pieces.plan`` makes."""
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
        a LanguageTool-API client's) the text goes as the client would send it to LanguageTool:
        masking it could change LanguageTool's answer, which that client gets unchanged; it is cut
        only where LanguageTool's answer could outgrow its heap (``pieces.as_sent``);
        LanguageTool's maxCheckTimeMillis and COPYDESK_LANGUAGETOOL_TIMEOUT still bound the check;
        a blank text goes too, since that client gets LanguageTool's answer (its sentence ranges,
        a whitespace match)."""
        if not text.strip() and not parameters:
            return [], {}
        tool = self.languagetool.for_language(language, timeout or self.languagetool.timeout)
        if parameters:
            pieces = self._as_sent(text, annotation, text if view is None else view)
            answers = self._check_sent(tool, pieces, disabled_rules, parameters)
            native = _joined_native(pieces, answers)
        elif self.paragraphs is None:
            pieces = plan(text, annotation, text if view is None else view, self.piece_chars)
            answers = self._check_pieces(tool, pieces, disabled_rules)
            native = {}
        else:
            pieces, answers = self._check_paragraphs(tool, text, annotation, view, language, disabled_rules)
            native = {}
        findings = []
        for piece, answer in zip(pieces, _taken(answers), strict=True):
            index = Utf16Index(piece.text)
            for match in answer["matches"]:
                finding = self._finding(match, index, piece.start, keep_native=bool(parameters))
                if parameters and len(pieces) > 1:  # LanguageTool's context stops at its piece's edges
                    match["context"] = languagetool_context(text, finding.offset, finding.length)
                if accept and match.get("rule", {}).get("issueType") == "misspelling":
                    if accepted(text[finding.offset : finding.offset + finding.length], accept):
                        continue
                findings.append(finding)
        return findings, native

    def _as_sent(self, text: str, annotation: tuple[Annotated, ...], view: str) -> list[Piece]:
        """``pieces.as_sent``, or the text whole when it is longer than LanguageTool takes (in
        UTF-16 units of its plain text), so LanguageTool's own refusal is the client's answer."""
        pieces = as_sent(text, annotation, view, self.piece_chars)
        if len(pieces) > 1 and sum(_plain_units(piece) for piece in pieces) > self.languagetool.max_text_length():
            return [Piece(0, annotation or (Annotated(text),))]
        return pieces

    def _check_sent(
        self,
        tool: RawLanguageTool,
        pieces: list[Piece],
        disabled_rules: tuple[str, ...],
        parameters: tuple[tuple[str, str], ...],
    ) -> list[dict[str, Any]]:
        """LanguageTool's answer to each piece of a LanguageTool-API client's text. With
        ``language=auto`` the first piece goes first, and the others in the language LanguageTool
        found there: it reads a text's language from its first 1,000 characters and checks all of
        it in that one, where each piece would find its own (a note in two languages, its second
        half checked by the other's rules). The parameters that steer the finding go with it. A
        language it has no rules for (NOOP_LANGUAGE) is no code it takes: those go with auto again."""
        if len(pieces) == 1 or dict(parameters).get("language") != "auto":
            return self._check_pieces(tool, pieces, disabled_rules, parameters)
        first = self.languagetool.check(tool, pieces[0], disabled_rules, parameters)
        found = first.get("language", {}).get("code") or "auto"
        if found == NOOP_LANGUAGE:
            found = "auto"
        rest = tuple(
            ("language", found) if name == "language" else (name, value)
            for name, value in parameters
            if found == "auto" or name not in AUTO_ONLY_PARAMETERS
        )
        return [first, *self._check_pieces(tool, pieces[1:], disabled_rules, rest)]

    def _check_pieces(
        self,
        tool: RawLanguageTool,
        pieces: list[Piece],
        disabled_rules: tuple[str, ...],
        parameters: tuple[tuple[str, str], ...] = (),
    ) -> list[dict[str, Any]]:
        """LanguageTool's answer for each piece, at most ``parallel`` at a time."""
        if len(pieces) == 1:
            return [self.languagetool.check(tool, pieces[0], disabled_rules, parameters)]
        with ThreadPoolExecutor(max_workers=max(1, min(self.parallel, len(pieces)))) as pool:
            return list(
                pool.map(lambda piece: self.languagetool.check(tool, piece, disabled_rules, parameters), pieces)
            )

    def _check_paragraphs(
        self,
        tool: RawLanguageTool,
        text: str,
        annotation: tuple[Annotated, ...],
        view: str | None,
        language: str,
        disabled_rules: tuple[str, ...],
    ) -> tuple[list[Piece], list[dict[str, Any]]]:
        """Each paragraph's matches, from the paragraph cache or from LanguageTool.

        A paragraph's key is its annotated text with everything else LanguageTool's answer
        depends on (language, level, disabled rules, server version; for one that opens in lower
        case, the last sentence before it: ``_with_context``), so an edited paragraph is a new key
        and only it goes to the server; the paragraphs that do go are joined
        again into checks of up to ``piece_chars``. A match is kept with the paragraph it
        starts in, its offset counted from that paragraph; a paragraph with a match that runs
        into the next one is not cached. LanguageTool's text-level rules see the paragraphs
        checked together, not the whole text (README, "Caches"; bench.paragraph_parity).
        """
        store = self.paragraphs
        assert store is not None
        units = plan(text, annotation, text if view is None else view, self.piece_chars, paragraphs=True)
        # The last sentence of the paragraph before each one that opens in lower case (None for
        # the others): what LanguageTool reads it after (_with_context).
        shown = text if view is None else view
        before = [
            _last_sentence(units[n - 1], shown) if n and units[n - 1].end == unit.start and _opens_in_lower_case(unit)
            else None
            for n, unit in enumerate(units)
        ]

        def key(n: int, version: str) -> str:
            read: Any = renumbered(units[n].parts)
            if before[n] is not None:  # its answer depends on the sentence before it too
                read = (renumbered(before[n].parts), read)  # type: ignore[union-attr]
            picky = self.languagetool.picky
            return fingerprint("languagetool-paragraph", read, language, picky, disabled_rules, version)

        # Keys name the server's version: asked for if no answer has told it yet, so a worker
        # that has checked nothing finds paragraphs others cached; unknown, nothing is cached.
        version = self.ask_version()
        cached = store.get_many([key(n, version) for n in range(len(units))]) if version is not None else []
        found: list[dict[str, Any] | None] = [json.loads(entry) if entry is not None else None for entry in cached]
        found += [None] * (len(units) - len(found))
        missing = [unit for unit, answer in zip(units, found, strict=True) if answer is None]
        position = {unit.start: n for n, unit in enumerate(units)}
        # LanguageTool checks one text on one thread: what it has to check goes in checks of
        # about equal size (at most piece_chars, down to SPLIT_CHARS if piece_chars is larger), as
        # many as a multiple of `parallel`, so a single report keeps every thread the service
        # gives it busy to the end.
        size = sum(len(unit.text) for unit in missing)
        smallest = min(SPLIT_CHARS, self.piece_chars)
        with self._share() as parallel:
            count = max(1, math.ceil(math.ceil(size / self.piece_chars) / parallel)) * parallel
            checks = [
                _with_context(check, run, before[position[run[0].start]])
                for check, run in batches(missing, max(smallest, math.ceil(size / count)))
            ]
            answers = self._check_pieces(tool, [check for check, _, _ in checks], disabled_rules)
        answered_by = self.server_version  # the version that gave these answers
        kept: list[tuple[str, bytes]] = []
        for (check, run, context), answer in zip(checks, _taken(answers), strict=True):
            for unit, matches, whole in _split(check, run, answer["matches"])[context:]:
                n = position[unit.start]
                found[n] = {"matches": matches}
                if whole and answered_by is not None:
                    kept.append((key(n, answered_by), json.dumps(found[n], separators=(",", ":")).encode()))
        store.put_many(kept)
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
        if not document.options.languagetool:  # a /v2 client gets LanguageTool's matches as sent
            findings = kept_in_report(findings, document)
        findings = unsuppressed(findings, document)
        return SectionResult(
            findings=findings,
            score=_score(findings, document),
            details={"server_version": self.server_version},
            native=native,
        )

    @staticmethod
    def _finding(match: dict[str, Any], index: Utf16Index, shift: int, keep_native: bool) -> Finding:
        """A match as a finding; ``index`` converts its UTF-16 span within its piece, which
        starts ``shift`` code points into the text. The match itself is kept (``native``) only
        for a LanguageTool-API client, whose answer is made of it: a report never reads it."""
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
            native=match if keep_native else None,
        )


def _joined_native(pieces: list[Piece], answers: list[dict[str, Any]]) -> dict[str, Any]:
    """What LanguageTool's answers to the ``pieces`` of a LanguageTool-API client's text say
    besides their matches, as one answer to the text: the first's software and language,
    incomplete if one is, the sentence ranges of each moved to where its piece starts. LanguageTool
    counts ``sentenceRanges`` in UTF-16 units of the text as sent, ``extendedSentenceRanges`` in
    those of its plain text (markup read as what it is interpreted as)."""
    native = {key: value for key, value in answers[0].items() if key != "matches"}
    if len(answers) == 1:
        return native
    incomplete = next((a["warnings"] for a in answers if a.get("warnings", {}).get("incompleteResults")), None)
    if incomplete is not None:
        native["warnings"] = incomplete
    ranges: list[list[int]] = []
    extended: list[dict[str, Any]] = []
    units = plain = 0
    for n, (piece, answer) in enumerate(zip(pieces, answers, strict=True)):
        ranges += [[start + units, end + units] for start, end in answer.get("sentenceRanges", [])]
        own = answer.get("extendedSentenceRanges", [])
        if n and own and own[0]["from"] == own[0]["to"]:
            # A piece that opens with markup read as a paragraph break ("</p>") gets an empty
            # range first, which no check of the whole text has there.
            own = own[1:]
        extended += [{**span, "from": span["from"] + plain, "to": span["to"] + plain} for span in own]
        units += utf16_length(piece.text)
        plain += _plain_units(piece, without=_DROPPED_BEFORE_SENTENCES)
    for key, joined in (("sentenceRanges", ranges), ("extendedSentenceRanges", extended)):
        if key in native:
            native[key] = joined
    return native


# What LanguageTool leaves out of its plain text before it finds sentences (soft hyphens and
# U+FEFF): its extendedSentenceRanges count without them.
_DROPPED_BEFORE_SENTENCES = ("\u00ad", "\ufeff")


def _plain_units(piece: Piece, without: tuple[str, ...] = ()) -> int:
    """The length of LanguageTool's plain text of ``piece``, in UTF-16 units, less one for each
    character of ``without`` in it."""
    plain = [part.interpret_as if part.markup else part.text for part in piece.parts]
    return sum(utf16_length(text) - sum(text.count(ch) for ch in without) for text in plain)


# One problem, one finding: a finding of copydesk's own names the LanguageTool rules that report
# the same problem in the same words (``Finding.same_as_languagetool``: a rule pack's
# ``same_as_languagetool``, LanguageTool's SAME_START_RULE for the sentence-starts measure). A
# /v1 report keeps copydesk's, which carries copydesk's message and counts in its section; a
# /v2 answer keeps LanguageTool's, as a LanguageTool client gets its matches as sent.


def without_twins(result: SectionResult, ours: list[Finding], document: Document) -> SectionResult:
    """``result`` without LanguageTool's matches that overlap one of ``ours`` naming their
    rule, and its score taken again over what is left (for a /v1 report)."""
    named = _Spans((rule, o.field, o.offset, o.offset + o.length) for o in ours for rule in o.same_as_languagetool)
    kept = [
        f for f in result.findings if not named.overlap(base_rule(f.rule_id), f.field, f.offset, f.offset + f.length)
    ]
    if len(kept) == len(result.findings):
        return result
    return SectionResult(findings=kept, score=_score(kept, document), details=result.details, native=result.native)


def _score(findings: list[Finding], document: Document) -> float:
    """The grammar section's score: its findings' density over the text's words."""
    return density_score(findings, word_count(document.text), SCORE_SCALE)


def without_twins_of(ours: list[Finding], grammar: list[Finding]) -> list[Finding]:
    """``ours`` without those that overlap one of LanguageTool's matches in ``grammar`` of a
    rule they name (for a /v2 answer)."""
    matches = _Spans((base_rule(g.rule_id), g.field, g.offset, g.offset + g.length) for g in grammar)
    return [
        o
        for o in ours
        if not any(matches.overlap(rule, o.field, o.offset, o.offset + o.length) for rule in o.same_as_languagetool)
    ]


class _Spans:
    """Spans by (LanguageTool rule, field), and whether one overlaps a given span (``Coverage``:
    by bisection, so a book with thousands of findings of one rule stays fast)."""

    def __init__(self, spans: Iterable[tuple[str, str, int, int]]) -> None:
        grouped: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for rule, field, start, end in spans:
            grouped.setdefault((rule, field), []).append((start, end))
        self._coverage = {key: Coverage(found) for key, found in grouped.items()}

    def overlap(self, rule: str, field: str, start: int, end: int) -> bool:
        coverage = self._coverage.get((rule, field))
        return coverage is not None and coverage.overlaps(start, end)
