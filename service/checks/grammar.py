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
import operator
import re
import threading
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
    is_placeholder,
    renumbered,
)
from ..languagetool.client import LanguageToolClient, RawLanguageTool
from ..languagetool.pieces import OPENERS, Piece, as_sent, batches, plan
from ..rulebook.book import Coverage
from ..text import segments
from ..text.offsets import Utf16Index, languagetool_context, utf16_length
from ..text.segments import Span, word_count
from . import unsuppressed
from .clarity import SAME_START_RULE

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
# LanguageTool's rule that "a" or "an" fits the sound of the next word. Before inline code or a
# URL that word is a placeholder ("An Dummy3" for "An `Edge`"), not what the writer wrote, so
# its verdict there says nothing about the text: those matches are dropped.
ARTICLE_RULE = "EN_A_VS_AN"
# LanguageTool's rule that a sentence starts with a capital. A table's cells reach it as
# paragraphs of their own, but a cell holds a value or a label ("optional", "yes"), not a
# sentence: its match at the start of a cell is dropped; so is its match at the start of the prose
# after a code block that stands inside a sentence, and of a list item that completes the
# sentence its lead-in opens (see _goes_on_after_code, _goes_on_in_list_item).
CAPITAL_RULE = "UPPERCASE_SENTENCE_START"
# LanguageTool's rules on a run of spaces. A table written with pipes in plain text pads its
# cells with them to line its columns up ("| Name    | Age |"): their matches there are dropped.
SPACES_RULES = frozenset({"WHITESPACE_RULE", "CONSECUTIVE_SPACES"})
# LanguageTool's rule that a quotation mark has its pair. A quotation that runs over several
# paragraphs opens each of them and closes only the last (the convention of AP, Chicago and
# the newsrooms' own guides), and LanguageTool takes each opening mark but the last for one left
# open: its match on an opening mark is dropped where the next paragraph (or line) opens with
# the same mark.
QUOTES_RULE = "EN_UNPAIRED_QUOTES"
_OPENING_QUOTES = "\u201c\u2018\"'"
# What may stand before an opening straight quotation mark (besides white space): '("He' ,'—"He'.
_BEFORE_OPENING = "([{\u2014\u2013-/"
_NOT_SPACE = re.compile(r"\S")
T = TypeVar("T")
_START = operator.attrgetter("start")
_END = operator.attrgetter("end")
# A spaced ellipsis (". . .", the Chicago style, and many newsrooms' for words left out of a
# quotation) is one mark, as segments reads it; LanguageTool reads a space before a full stop
# and a sentence that then starts in lower case. Those two rules' matches on one are dropped.
SPACE_BEFORE_RULE = "COMMA_PARENTHESIS_WHITESPACE"
_SPACED_ELLIPSIS = re.compile(r"[ \u00a0]\.(?:[ \u00a0]\.){2}")
_AFTER_SPACED_ELLIPSIS = re.compile(r"\.(?:[ \u00a0]\.){2}[ \u00a0]*[\"\u201c\u2018'(\[]?\Z")
# A guillemet or a single angle quotation mark that stands alone between spaces, or at the end
# of its line or block, is a separator or an arrow: a breadcrumb's "Python \u00bb", a menu path's
# "File \u00bb New", a link's "See all \u00bb". English quotes no words with one, and French sets a
# space inside its guillemets: the first rule's match on the space before one is dropped too.
_SPACED_SEPARATOR = re.compile(r"[ \t\u00a0]+[\u00bb\u203a](?=\s|\Z)")
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
        ``accept`` word (case-folded) are left out, because the client listed that word as
        correct (a house dictionary). The text goes as the pieces ``pieces.plan`` makes."""
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
                    if text[finding.offset : finding.offset + finding.length].casefold() in accept:
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
        half checked by the other's rules). The parameters that steer the finding go with it."""
        if len(pieces) == 1 or dict(parameters).get("language") != "auto":
            return self._check_pieces(tool, pieces, disabled_rules, parameters)
        first = self.languagetool.check(tool, pieces[0], disabled_rules, parameters)
        found = first.get("language", {}).get("code") or "auto"
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
        found: list[dict[str, Any] | None] = []
        for n in range(len(units)):
            cached = store.get(key(n, version)) if version is not None else None
            found.append(json.loads(cached) if cached is not None else None)
        missing = [unit for unit, answer in zip(units, found, strict=True) if answer is None]
        position = {unit.start: n for n, unit in enumerate(units)}
        # LanguageTool checks one text on one thread: what it has to check goes in checks of
        # about equal size (at most piece_chars, down to SPLIT_CHARS), as many as a multiple of
        # `parallel`, so a single report keeps every thread the service gives it busy to the end.
        size = sum(len(unit.text) for unit in missing)
        with self._share() as parallel:
            count = max(1, math.ceil(math.ceil(size / self.piece_chars) / parallel)) * parallel
            checks = [
                _with_context(check, run, before[position[run[0].start]])
                for check, run in batches(missing, max(SPLIT_CHARS, math.ceil(size / count)))
            ]
            answers = self._check_pieces(tool, [check for check, _, _ in checks], disabled_rules)
        answered_by = self.server_version  # the version that gave these answers
        for (check, run, context), answer in zip(checks, _taken(answers), strict=True):
            for unit, matches, whole in _split(check, run, answer["matches"])[context:]:
                n = position[unit.start]
                found[n] = {"matches": matches}
                if whole and answered_by is not None:
                    store.put(key(n, answered_by), json.dumps(found[n], separators=(",", ":")).encode())
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
            findings = _without_markup_artefacts(findings, document)
            findings = _without_continued_quotations(findings, document)
            findings = _without_quoted_same_starts(_without_spaced_marks(findings, document), document)
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
    for piece, answer in zip(pieces, answers, strict=True):
        ranges += [[start + units, end + units] for start, end in answer.get("sentenceRanges", [])]
        extended += [
            {**span, "from": span["from"] + plain, "to": span["to"] + plain}
            for span in answer.get("extendedSentenceRanges", [])
        ]
        units += utf16_length(piece.text)
        plain += _plain_units(piece)
    for key, joined in (("sentenceRanges", ranges), ("extendedSentenceRanges", extended)):
        if key in native:
            native[key] = joined
    return native


def _plain_units(piece: Piece) -> int:
    """The length of LanguageTool's plain text of ``piece``, in UTF-16 units."""
    return sum(utf16_length(part.interpret_as if part.markup else part.text) for part in piece.parts)


def _without_markup_artefacts(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` but the matches that judge how copydesk passed the markup to LanguageTool
    rather than what the writer wrote: :data:`ARTICLE_RULE` before a placeholder,
    :data:`CAPITAL_RULE` where a table cell starts, where a block starts that the page shows
    after a label of its own, or where a sentence goes on after a code block, into a list item
    or after a list,
    :data:`SAME_START_RULE` in a list item or over a heading or a code block,
    :data:`SPACES_RULES` where a table written with pipes pads a cell. Not on ``/v2``, whose client
    gets LanguageTool's matches as sent (a plain text's bullet lines are list items)."""

    def sentence_start_artefact(finding: Finding) -> bool:
        return (
            document.starts_table_cell(finding.offset)
            or document.starts_labelled(finding.offset)
            or _goes_on_after_code(finding, document)
            or _goes_on_in_list_item(finding, document)
            or _goes_on_after_list(finding, document)
        )

    findings = [
        f for f in findings
        if not (f.rule_id == CAPITAL_RULE and sentence_start_artefact(f))
        and not (f.rule_id == SAME_START_RULE and _parallel_in_markup(f, document))
        and not (_base(f.rule_id) in SPACES_RULES and document.pads_table_cell(Span(f.offset, f.offset + f.length)))
    ]  # fmt: skip
    return _without_articles_before_placeholders(findings, document)


def _parallel_in_markup(finding: Finding, document: Document) -> bool:
    """Whether ``finding`` (three sentences in a row start alike) stands in a list item, or its
    three sentences cross a heading or a code block: LanguageTool reads a heading as a sentence
    and the prose on both sides of a code block as neighbours ("### Import from a file",
    "Import it via a pipe.", [command], "Import it from an archive."), where copydesk's own
    sentence-starts measure ends a run."""
    if document.in_list_item(Span(finding.offset, finding.offset + finding.length)):
        return True
    sentences = document.sentences
    k = bisect.bisect_right(sentences, finding.offset, key=_START) - 1
    if k < 2:
        return False
    first, last = sentences[k - 2].start, sentences[k].start
    return any(span.start < last and first < span.end for span in (*document.headings, *document.code_blocks))


def _without_quoted_same_starts(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` but the :data:`SAME_START_RULE` matches in quoted speech, the speaker's words."""
    return [
        f
        for f in findings
        if f.rule_id != SAME_START_RULE or not document.in_quoted_sentence(Span(f.offset, f.offset + f.length))
    ]


def _goes_on_after_code(finding: Finding, document: Document) -> bool:
    """Whether ``finding`` stands at the start of the prose right after a code block, and the
    prose before the code block ends without ending its sentence: a sentence written around a
    displayed command ("Freeze it with [``pip freeze``] which writes a file"), whose second half
    LanguageTool gets as a paragraph of its own."""
    text = document.text
    n = bisect.bisect_right(document.code_blocks, finding.offset, key=_END) - 1
    if n < 0 or _NOT_SPACE.search(text, document.code_blocks[n].end, finding.offset):
        return False  # prose stands between the code block and the finding
    return _goes_on(text, document.code_blocks[n].start)


def _goes_on_in_list_item(finding: Finding, document: Document) -> bool:
    """Whether ``finding`` stands at the start of a list item and the lead-in or the item before
    it ends without ending its sentence: items that complete it ("The plan would: [cut] hours;
    [close] two branches; and [move] the library") start in lower case, and LanguageTool gets each
    item as a paragraph of its own."""
    items = document.list_items
    n = bisect.bisect_left(items, finding.offset, key=_START)
    return n < len(items) and items[n].start == finding.offset and _goes_on(document.text, finding.offset)


def _goes_on_after_list(finding: Finding, document: Document) -> bool:
    """Whether ``finding`` stands at the start of the prose right after a list, and both the
    list's last item and its lead-in end without ending their sentence, the lead-in not with a
    colon: a sentence that runs through its list ("Licensed under either of [two licences] at
    your option."), whose end LanguageTool gets as a paragraph of its own. After a list that a
    colon introduces, or whose last item ends its sentence, a new sentence starts."""
    text, items = document.text, document.list_items
    n = bisect.bisect_right(items, finding.offset, key=_END) - 1
    if n < 0 or _NOT_SPACE.search(text, items[n].end, finding.offset) or not _goes_on(text, finding.offset):
        return False
    while n > 0 and not _NOT_SPACE.search(text, items[n - 1].end, items[n].start):
        n -= 1
    lead_in_end = items[n].start
    while lead_in_end > 0 and text[lead_in_end - 1].isspace():
        lead_in_end -= 1
    return lead_in_end > 0 and text[lead_in_end - 1] != ":" and _goes_on(text, lead_in_end)


def _goes_on(text: str, end: int) -> bool:
    """Whether the prose that ends at ``end`` (past white space) ends without ending its sentence."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end > 0 and not segments.ends_with_terminator(text[max(0, end - 16) : end])


def _without_articles_before_placeholders(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` but the :data:`ARTICLE_RULE` matches whose next word LanguageTool read is a
    placeholder: past white space and markup that reads as nothing ("an *`edge`*"). Only in the
    Markdown and HTML copydesk annotated itself: on ``/v2`` LanguageTool's matches go out as
    LanguageTool sends them, whatever the client's annotation."""
    if document.format == "text" or not any(f.rule_id == ARTICLE_RULE for f in findings):
        return findings
    markup: dict[int, Annotated] = {}
    at = 0
    for part in document.annotation:
        if part.markup:
            markup[at] = part
        at += len(part.text)
    source = document.original

    def before_placeholder(finding: Finding) -> bool:
        at = finding.offset + finding.length
        while True:
            while at < len(source) and source[at].isspace():
                at += 1
            part = markup.get(at)
            if part is None:
                return False
            if is_placeholder(part.interpret_as):
                return True
            if part.interpret_as.strip():
                return False
            at += len(part.text)

    return [f for f in findings if f.rule_id != ARTICLE_RULE or not before_placeholder(f)]


def _without_continued_quotations(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` but the :data:`QUOTES_RULE` matches on an opening quotation mark that the next
    paragraph, or the next line, opens with again: a quotation going on there, by the convention."""
    if not any(f.rule_id == QUOTES_RULE for f in findings):
        return findings
    text = document.text
    paragraphs = document.paragraphs
    line_starts = segments.line_starts(text)

    def opens_with(at: int) -> str:
        """The first character from ``at`` on that is not white space ("" at the end)."""
        found = _NOT_SPACE.search(text, at)
        return found.group() if found else ""

    def continued(finding: Finding) -> bool:
        start, end = finding.offset, finding.offset + finding.length
        mark = text[start] if start < len(text) else ""
        if not mark or mark not in _OPENING_QUOTES or end >= len(text) or text[end].isspace():
            return False
        if mark in "\"'" and start > 0 and not (text[start - 1].isspace() or text[start - 1] in _BEFORE_OPENING):
            return False  # a straight mark after a word closes a quotation (or is an apostrophe)
        n = bisect.bisect_right(paragraphs, start, key=_START) - 1
        nexts = [paragraphs[n].end] if n >= 0 and start < paragraphs[n].end else []
        line = bisect.bisect_right(line_starts, end)
        if line < len(line_starts):
            nexts.append(line_starts[line])
        return any(opens_with(at) == mark for at in nexts)

    return [f for f in findings if f.rule_id != QUOTES_RULE or not continued(f)]


def _without_spaced_marks(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` but :data:`SPACE_BEFORE_RULE`'s matches on the space that opens a spaced
    ellipsis (" . . .") or stands before a separator (" \u00bb"), and :data:`CAPITAL_RULE`'s on
    the word after a spaced ellipsis (it goes on with the sentence: "firms in Ukraine . . .
    registered with offices")."""
    text = document.text

    def convention(finding: Finding) -> bool:
        if finding.rule_id == SPACE_BEFORE_RULE:
            at = finding.offset
            return _SPACED_ELLIPSIS.match(text, at) is not None or _SPACED_SEPARATOR.match(text, at) is not None
        if finding.rule_id == CAPITAL_RULE:
            return _AFTER_SPACED_ELLIPSIS.search(text[max(0, finding.offset - 16) : finding.offset]) is not None
        return False

    return [f for f in findings if not convention(f)]


# One problem, one finding: a finding of copydesk's own names the LanguageTool rules that report
# the same problem in the same words (``Finding.same_as_languagetool``: a rule pack's
# ``same_as_languagetool``, LanguageTool's SAME_START_RULE for the sentence-starts measure). A
# /v1 report keeps copydesk's, which carries copydesk's message and counts in its section; a
# /v2 answer keeps LanguageTool's, as a LanguageTool client gets its matches as sent.


def without_twins(result: SectionResult, ours: list[Finding], document: Document) -> SectionResult:
    """``result`` without LanguageTool's matches that overlap one of ``ours`` naming their
    rule, and its score taken again over what is left (for a /v1 report)."""
    named = _Spans((rule, o.field, o.offset, o.offset + o.length) for o in ours for rule in o.same_as_languagetool)
    kept = [f for f in result.findings if not named.overlap(_base(f.rule_id), f.field, f.offset, f.offset + f.length)]
    if len(kept) == len(result.findings):
        return result
    return SectionResult(findings=kept, score=_score(kept, document), details=result.details, native=result.native)


def _score(findings: list[Finding], document: Document) -> float:
    """The grammar section's score: its findings' density over the text's words."""
    return density_score(findings, word_count(document.text), SCORE_SCALE)


def without_twins_of(ours: list[Finding], grammar: list[Finding]) -> list[Finding]:
    """``ours`` without those that overlap one of LanguageTool's matches in ``grammar`` of a
    rule they name (for a /v2 answer)."""
    matches = _Spans((_base(g.rule_id), g.field, g.offset, g.offset + g.length) for g in grammar)
    return [
        o
        for o in ours
        if not any(matches.overlap(rule, o.field, o.offset, o.offset + o.length) for rule in o.same_as_languagetool)
    ]


def _base(rule_id: str) -> str:
    """A LanguageTool rule id without its sub-rule's "[n]"."""
    return rule_id.split("[", 1)[0]


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
