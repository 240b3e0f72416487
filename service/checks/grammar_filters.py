"""What a ``/v1`` report keeps of LanguageTool's matches: the grammar check drops those that judge
how copydesk passed the markup to LanguageTool rather than what the writer wrote, and those on
conventions of news and docs copy that LanguageTool misreads (a quotation that runs over
paragraphs, a spaced ellipsis, a separator). A ``/v2`` client gets LanguageTool's matches as
sent, so only ``GrammarCheck.run`` for a report calls :func:`kept_in_report`.
"""

from __future__ import annotations

import bisect
import operator
import re

from ..findings import Document, Finding, is_placeholder
from ..text import segments
from ..text.segments import Span
from .clarity import SAME_START_RULE

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


def kept_in_report(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` (LanguageTool's, as findings of ``document``) but the artefacts of markup and
    the misread conventions (the functions below)."""
    findings = _without_markup_artefacts(findings, document)
    findings = _without_continued_quotations(findings, document)
    return _without_quoted_same_starts(_without_spaced_marks(findings, document), document)


def base_rule(rule_id: str) -> str:
    """A LanguageTool rule id without its sub-rule's "[n]"."""
    return rule_id.split("[", 1)[0]


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
        and not (base_rule(f.rule_id) in SPACES_RULES
                 and document.pads_table_cell(Span(f.offset, f.offset + f.length)))
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
    starts = document.part_starts[:-1]  # the last is where the source ends
    markup = {at: part for at, part in zip(starts, document.annotation, strict=True) if part.markup}
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
