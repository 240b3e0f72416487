"""Lines, paragraphs, sentences, quotations, words and headline lines: each defined once, here.

Every check, the rule engine and the CLI cut text the same way, so a "paragraph" in a
repetition rule is the paragraph the readability counts and the grammar cache keys on,
and the line a headline rule looks at is the line the model scores. All functions take a
string and return :class:`Span`\\ s in code points of that string, never copies of it, so
callers can point findings at the original text.

* A **line break** is ``\\r\\n``, a lone ``\\r`` or ``\\n`` (as editors count lines).
* A **blank line** holds nothing but white space (``str.isspace``: spaces, tabs, no-break
  spaces, U+2028); a **paragraph** is a run of non-blank lines, from its first to its last
  non-space character, but a soft-wrapped run (one of its lines is longer than any hard wrap:
  a word processor's or a scraper's text, a paragraph a line) ends one at each line break its
  sentence does not go on across (see :func:`paragraphs`).
  (LanguageTool starts a paragraph at fewer blank lines: see ``service.languagetool.pieces``.)
* A **sentence** ends at ``.``, ``!``, ``?`` or ``…`` followed by whitespace, unless an
  abbreviation or a lower-case next word says otherwise, at a line break after a
  headline or label, and at the edge of a block of Markdown or HTML (see :func:`sentences`).
* A **word** is a run of word characters with inner apostrophes ("don't", "Xi’s"), or with a
  dot, comma or colon between digits ("3.5", "1,250,000", "10:30"); a dotted abbreviation
  ("U.S.", "e.g.", "a.m.") and a web or e-mail address are one word each, as a reader,
  Yoast and textstat count them. A hyphenated compound is two words (textstat's one). A
  prose view's ``MASKED_WORD`` (inline code, a URL) is one word, and a word goes on across
  its ``JOINER`` characters (markup inside the word: "<span>Z</span>imbabwe").
* A **quoted** sentence opens with a quotation mark or starts inside a quotation still open
  in its paragraph (see :func:`quoted`).
* A **headline line** is a line of a run made only of short, capitalised lines that neither
  end like prose nor break off (a "Read Also:" list), see :func:`headline_lines`.

Results are cached per string (a report asks for the sentences of one text several times).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from .memo import remembered

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What a prose view writes where the reader reads one word that is not prose (inline code, a
# URL in Markdown or HTML): U+FFFC, the object replacement character. It counts as one word, and
# it is neither upper nor lower case, so a sentence that opens with inline code ("`make test`
# also runs ...") is not read as the one before it going on.
MASKED_WORD = "\ufffc"
# What a prose view writes where markup stands inside a word and a reader sees none
# ("<span>Z</span>imbabwe", "21<sup>st</sup>", "foo**bar**baz"), and over the rest of an entity
# inside a word ("r&eacute;sum&eacute;", "it&rsquo;s"): U+2060, the word joiner. It is neither
# a word character nor white space; a word goes on across it.
JOINER = "\u2060"
SOFT_HYPHEN = "\u00ad"
# The same line breaks as the start and the end of a line in a regex: Python's ``^`` and ``$``
# (multiline) know only "\n", so a rule anchored with them missed every line of a text
# written on Windows ("\r\n") or an old Mac ("\r"). See service.rulebook.regexes.line_anchors.
LINE_START = r"(?:\A|(?<=\n)|(?<=\r)(?!\n))"
LINE_END = r"(?:(?=\r|\Z)|(?<!\r)(?=\n))"
# A web address, without the punctuation after it; an e-mail address (a bounded local part,
# so a long run of word characters is not scanned again from each of its positions).
_ADDRESS = (
    r"(?<![\w.])(?:https?://|www\.)[^\s<>\"“”]*[^\s<>\"“”'’.,;:!?()\[\]]"
    r"|(?<![\w.+-])[\w+-][\w.+-]{0,63}@\w[\w-]*(?:\.\w[\w-]*)+"
)
ADDRESS = re.compile(_ADDRESS)
_WORD = re.compile(
    _ADDRESS
    # A dotted abbreviation: single letters, each after a dot but the first ("U.S.", "e.g.").
    + r"|(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)"
    # Word characters, joined by an apostrophe, by a dot, comma or colon between digits, across
    # markup inside the word (JOINER, also after an apostrophe an entity wrote: "it&rsquo;s"), or
    # across soft hyphens (U+00AD, "&shy;": "admin\u00adis\u00adtra\u00adtion" is one word).
    r"|\w+(?:(?:['’]" + JOINER + r"*|(?<=\d)[.,:](?=\d)|[" + JOINER + SOFT_HYPHEN + r"]+)\w+)*"
    + "|" + MASKED_WORD
)
# Whole texts whose lines, paragraphs and sentences are kept: every check of a report reads
# them, so a text is segmented once per report. Not a memo of repeated requests (those are
# the reports' and paragraphs' caches, and memo.py's); enough for the reports in progress.
_CACHE = 32


class Span(NamedTuple):
    """``text[start:end]`` of the string a function was given."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def _stripped(text: str, start: int, end: int) -> Span | None:
    """The span from the first to the last non-space character of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


# ---------------------------------------------------------------------------------------------
# Lines and paragraphs
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=_CACHE)
def lines(text: str) -> tuple[Span, ...]:
    """Every line, without its line break (blank lines included); at least one, for ``""``."""
    found: list[Span] = []
    start = 0
    for brk in LINE_BREAK.finditer(text):
        found.append(Span(start, brk.start()))
        start = brk.end()
    found.append(Span(start, len(text)))
    return tuple(found)


def line_start(text: str, offset: int) -> int:
    """Where the line holding ``offset`` starts."""
    starts = line_starts(text)
    return starts[bisect.bisect_right(starts, offset) - 1]


@functools.lru_cache(maxsize=_CACHE)
def line_starts(text: str) -> list[int]:
    """Where each line starts, in order (shared: not to be changed)."""
    return [line.start for line in lines(text)]


@functools.lru_cache(maxsize=_CACHE)
def line_runs(text: str) -> tuple[tuple[Span, ...], ...]:
    """Each run of non-blank lines (blank lines between them) as its lines, every line stripped
    (the unit headline lines are judged in)."""
    found: list[tuple[Span, ...]] = []
    run: list[Span] = []
    for line in lines(text):
        span = _stripped(text, line.start, line.end)
        if span is None:
            if run:
                found.append(tuple(run))
                run = []
        else:
            run.append(span)
    if run:
        found.append(tuple(run))
    return tuple(found)


# More words than a line hard-wrapped at 160 columns holds: a run with such a line is soft-wrapped.
SOFT_WRAP_WORDS = 30
# In hard-wrapped prose a line ends a sentence now and then; written a paragraph a line, nearly
# every line does, however short the paragraphs (news copy's run to 25 words). A run of at
# least SOFT_WRAP_LINES lines, this share of which (the last aside) ends a sentence, is
# soft-wrapped too. (In hard-wrapped READMEs, the runs that reach it are lists, one line an
# item: a paragraph a line as well.)
SOFT_WRAP_LINES = 4
SOFT_WRAP_SHARE = 0.75


@functools.lru_cache(maxsize=_CACHE)
def paragraphs(text: str) -> tuple[Span, ...]:
    """Runs of non-blank lines, each from its first to its last non-space character; but a
    soft-wrapped run (``soft_wrapped``) ends a paragraph at each line break that ends a sentence
    (``line_goes_on``: not where the next line starts in lower case or the line ends with a
    comma or a dash), so a text's sentences are still its paragraphs' sentences. A word
    processor's plain text and a scraper's (trafilatura's) write a paragraph a line with no
    blank line between, and a reader sees a paragraph end at each line break: read as one
    paragraph, a whole article was one "long paragraph". Hard-wrapped prose stays one paragraph
    a run; a scraper keeps the line breaks of a page's hard-wrapped paragraphs, which go on in
    lower case."""
    found: list[Span] = []
    for run in line_runs(text):
        start = run[0].start
        if soft_wrapped(text, run):
            for line, after in zip(run, run[1:], strict=False):
                if not _goes_on_across(text, line.start, line.end, after.start):
                    found.append(Span(start, line.end))
                    start = after.start
        found.append(Span(start, run[-1].end))
    return tuple(found)


def soft_wrapped(text: str, run: Sequence[Span]) -> bool:
    """Whether a run of lines (``line_runs``) is written a paragraph a line: one of its lines
    holds more than :data:`SOFT_WRAP_WORDS` words, which no hard wrap (72 to 120 columns) does,
    or it has :data:`SOFT_WRAP_LINES` lines or more and :data:`SOFT_WRAP_SHARE` of them (the
    last aside) end a sentence."""
    if len(run) < 2:
        return False
    # A line of more than SOFT_WRAP_WORDS words has twice as many code points at least.
    long = (line for line in run if line.end - line.start > 2 * SOFT_WRAP_WORDS)
    if any(word_count(line.of(text)) > SOFT_WRAP_WORDS for line in long):
        return True
    if len(run) < SOFT_WRAP_LINES:
        return False
    ends = sum(ends_with_terminator(line.of(text)) for line in run[:-1])
    return ends >= SOFT_WRAP_SHARE * (len(run) - 1)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


def unmasked(text: str) -> str:
    """``text`` with each ``MASKED_WORD`` a space again and without its ``JOINER`` characters: a
    headline as shown, and as the headline model reads it (it was trained on words, and the code
    or URL is not one it can read; "won&#8217;t" is "won’t"). It may be shorter than ``text``."""
    return text.replace(MASKED_WORD, " ").replace(JOINER, "")


def as_shown(text: str) -> str:
    """``text`` as a reader sees it on the page: ``unmasked``, each run of white space one space,
    none at the ends (a prose view blanks the rest of an entity and the tags inside a heading:
    "Dokku &amp; DigitalOcean" reads "Dokku &    DigitalOcean" there)."""
    return " ".join(unmasked(text).split())


def without_joiners(text: str) -> tuple[str, list[int] | None]:
    """``text`` without its ``JOINER`` characters, and where each character of that (and its end)
    stands in ``text``: None when it has none. A pattern that spells a word out ("won't") finds it
    there when an entity or a tag stands inside it ("won&#8217;t")."""
    if JOINER not in text:
        return text, None
    positions = [i for i, ch in enumerate(text) if ch != JOINER]
    positions.append(len(text))
    return text.replace(JOINER, ""), positions


def is_word_character(ch: str) -> bool:
    """Whether ``ch`` is a character words are made of (``\\w``: a letter, a digit or "_")."""
    return ch.isalnum() or ch == "_"


def words(text: str) -> list[Span]:
    return [Span(*m.span()) for m in _WORD.finditer(text)]


def word_count(text: str) -> int:
    # Several checks count the same words: a document's, and its sentences', lines' and
    # paragraphs', which an edited article mostly repeats. The short ones are kept in a memo of
    # their own (strings of up to 2,000 code points), so they never push a document out.
    return _short_word_count(text) if len(text) <= _SHORT else _document_word_count(text)


def _word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


_SHORT = 2000
_short_word_count = remembered(_SHORT)(_word_count)
_document_word_count = functools.lru_cache(maxsize=_CACHE)(_word_count)


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

# End-of-sentence punctuation, optionally followed by closing quotes/brackets, then whitespace or
# the end. (The look-behind and possessive quantifiers keep long runs of "!!!" linear.)
# German and Swiss quotations close with “ and ‘ („Wir schaffen das.“), and with « (»Ja.«).
_CLOSERS = "\"'”’»“‘«)]"
# A spaced ellipsis (". . .") is one mark, as "..." is.
_ENDING = rf"(?<![.!?…])(?<![.!?…][ \u00a0])(?:\.(?:[ \u00a0]\.){{2,}}+|[.!?…]++)[{re.escape(_CLOSERS)}]*+"
_TERMINATOR = re.compile(_ENDING + r"(?=\s|$)")
_WHITESPACE_RUN = re.compile(r"\s+")
# What may open a sentence before its first word: an opening quotation mark or bracket, and the
# JOINER that joins an escaped mark to its word ("&quot;The").
OPENING_MARKS = "\"'“‘«„‚([" + JOINER
# The word after a sentence's end, past those.
_NEXT_TOKEN = re.compile(r"\s*[" + re.escape(OPENING_MARKS) + r"]*(\S*)")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

# Abbreviations that precede a name or a number and so never end a sentence.
_TITLES = frozenset(
    "mr mrs ms messrs mme mlle dr prof gen lt col capt cpt sgt maj adm cmdr gov sen rep pres "
    "supt insp rev hon fr mt vs cf "
    "det cpl pvt brig lieut atty asst ald amb msgr rt".split()
)
_NEVER_FINAL = frozenset({"e.g", "i.e", "viz", "ca"})
# Before a number these do not end a sentence ("No. 10", "p. 5", "Jan. 5").
_BEFORE_NUMBER = frozenset("no nos pp p jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Abbreviations that often end a sentence too ("... in the U.S. The ..."): a sentence ends after
# them only when the next word is one that typically starts a sentence.
# Units and nouns among them ("12 ft. The beach", "the Labor Dept. That is") end one too, but not
# before a number ("approx. 3 hours", "Fig. 2").
_AMBIGUOUS = frozenset(
    "etc inc ltd co corp bros jr sr st jan feb mar apr jun jul aug sep sept oct nov dec "
    "ft dept fig vol eds approx".split()
)
# After a time's "a.m." or "p.m.", a word in capitals opens the next sentence ("until 10 p.m.
# Council members voted"), but for these, which go on with the time ("at 9 p.m. Sunday", "p.m. ET").
_AFTER_A_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec et est edt ct cst cdt mt mst mdt pt pst pdt akst hst gmt utc bst ist cet "
    "cest eet aest eastern central mountain pacific local".split()
)
_SENTENCE_STARTERS = frozenset(
    "a an the he she it they we i you his her its their our my your this that these those there "
    "but and so yet or if when while after before as at in on for from by with since during "
    "however meanwhile still then now later also earlier instead according".split()
)
# A line ending in one of these continues on the next line (hard-wrapped prose).
_CONTINUATION_CHARS = ",;-–—(/&"
# What a sentence goes on with when a line opens with it (``line_goes_on``).
_CLOSING_CHARS = frozenset(".,;:!?)]}\u2026")


@functools.lru_cache(maxsize=_CACHE)
def sentences(text: str, blocks: tuple[Span, ...] = (), *, plain: bool = False) -> tuple[Span, ...]:
    """Sentence spans, in order, without overlaps, each stripped of surrounding whitespace.

    Paragraph by paragraph: a blank line always ends a sentence, so a text's sentences are its
    paragraphs' sentences, and a paragraph an edited article repeats is not segmented again.
    ``blocks`` are the blocks of a Markdown or HTML document's prose view
    (``Document.blocks``: a paragraph, a heading, a list item, a table cell; for plain text with a
    table, its paragraphs and cells): the edge of a block ends a sentence as a blank line does,
    since the view blanks the markup between two blocks (``</li><li>``, a table's ``|``) to
    spaces and a line of HTML may hold a page of them.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes or brackets) followed
    by whitespace, unless the next word starts in lower case ("e.g. the", "Why?" he asked),
    or the dot closes an abbreviation: titles ("Mr.", "Dr.", "Gov."), "No. 10"/"Jan. 5"; after
    an initial ("John F. Kennedy", but "Plan B. The"), "U.S."-style acronyms and "Inc."/"etc."
    it ends only if the next word commonly starts sentences ("The", "He", ...), or, after an
    initial, if no word follows. Dots inside tokens ("3.5", "example.com") never end a sentence,
    nor does the dot of a list item's number or letter at the start of a line ("1. Open the
    door."). A spaced ellipsis (". . .") is one mark, as "..." is.
    A blank line always ends one. In plain text so does a single line break, as after a headline
    or a label, unless the line ends with a comma, dash or similar, or the next line starts in
    lower case (hard-wrapped prose); given ``blocks``, a line break inside a block is white space,
    as a browser and a Markdown renderer show it ("if the crate requires" and "Rust 1.20, then"
    are one sentence), and the blocks (a ``<br>`` that ends a line among them) say where lines end;
    ``plain``: the blocks are a plain text's paragraphs and table cells, where it does not.
    """
    found: list[Span] = []
    line_breaks = not blocks or plain
    for paragraph in _units(text, blocks):
        at = paragraph.start
        found += [Span(at + s.start, at + s.end) for s in _paragraph_sentences(paragraph.of(text), line_breaks)]
    return tuple(found)


def _units(text: str, blocks: tuple[Span, ...]) -> list[Span]:
    """The paragraphs of ``text``; given ``blocks``, its runs of non-blank lines (in markup a line
    break is white space: the blocks say where a paragraph ends), each cut again where a block
    starts or ends inside it."""
    if not blocks:
        return list(paragraphs(text))
    edges = sorted({edge for block in blocks for edge in block})
    found: list[Span] = []
    for paragraph in (Span(run[0].start, run[-1].end) for run in line_runs(text)):
        start = paragraph.start
        n = bisect.bisect_right(edges, start)
        while n < len(edges) and edges[n] < paragraph.end:
            found.append(Span(start, edges[n]))
            start, n = edges[n], n + 1
        found.append(Span(start, paragraph.end))
    return [span for piece in found if (span := _stripped(text, *piece)) is not None]


def _sentences(text: str, line_breaks: bool = True) -> tuple[Span, ...]:
    """The sentences of ``text`` by the rules of :func:`sentences`, read in one pass; a line
    break ends none unless ``line_breaks``."""
    cuts: set[int] = set()
    for m in _TERMINATOR.finditer(text):
        if _ends_sentence(text, m.start(), m.end()):
            cuts.add(m.end())
    for m in _WHITESPACE_RUN.finditer(text) if line_breaks else ():
        if LINE_BREAK.search(m.group()) and _break_ends_sentence(text, m):
            cuts.add(m.start())
    found: list[Span] = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        span = _stripped(text, start, cut)
        if span is not None:
            found.append(span)
        start = cut
    return tuple(found)


# Paragraphs an edited article repeats (of up to 2,000 code points; longer ones are segmented
# each time, so the memory stays bounded); whether a line break may end a sentence is part of
# the key.
_paragraph_sentences = remembered(_SHORT)(_sentences)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    following = _NEXT_TOKEN.match(text, end)
    next_word = following.group(1) if following else ""
    if next_word[:1].islower() and next_word.islower():  # "iPhone sales fell" opens a sentence
        return False
    if text[start:end] != ".":
        return True
    # Abbreviations are short: look at most 24 code points back (keeps this O(1) per dot).
    before = text[max(0, start - 24) : start]
    if not before or before[-1].isspace():
        return True
    raw = before.split()[-1]
    token = raw.lstrip("\"'“‘«([")
    word = token.lower().rpartition("-")[2]  # "Ex-Sen." is a title too
    if _ENUMERATOR.fullmatch(token) and _opens_line(text, start - len(raw)):
        return False  # "1. Open the door.", "B. The appeal": a list item's number or letter
    if word in _TITLES or word in _NEVER_FINAL:
        return False
    if word in _BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    initial = len(token) == 1 and token.isupper()  # "John F. Kennedy"; but "Plan B." at the end
    if initial and not next_word:
        return True
    following = next_word.strip("\"'“‘«(,;:").lower()
    if word in ("a.m", "p.m") and next_word[:1].isupper():
        return following.rstrip(".!?") not in _AFTER_A_TIME
    if initial or word in _AMBIGUOUS or _DOTTED_ACRONYM.fullmatch(token):
        return following in _SENTENCE_STARTERS
    return True


# The number or letter of a list item ("1.", "12.", "B."), when it opens a line. (Not after a
# full stop on the line: "on Jan. 5. The talks" ends a sentence.)
_ENUMERATOR = re.compile(r"\d{1,3}|[^\W\d_]")


def _opens_line(text: str, at: int) -> bool:
    """Whether only spaces stand between the start of ``at``'s line and ``at``."""
    i = at - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in "\r\n"


def _break_ends_sentence(text: str, run: re.Match[str]) -> bool:
    """Whether a whitespace run containing a line break ends the sentence before it."""
    if len(LINE_BREAK.findall(run.group())) > 1 or run.start() == 0 or run.end() == len(text):
        return True
    end = run.start()
    # The line's last LINE_LOOKBACK characters at most: a search back to the text's start for the
    # kind of line break it does not use made a text of many lines quadratic.
    low = max(0, end - LINE_LOOKBACK)
    start = max(text.rfind("\n", low, end), text.rfind("\r", low, end), low - 1) + 1
    return not _goes_on_across(text, start, end, run.end())


# How much of a line is read to tell whether its sentence goes on (``sentence_goes_on``): more
# than a hard-wrapped line holds.
LINE_LOOKBACK = 240


def _goes_on_across(text: str, start: int, end: int, after: int) -> bool:
    """``sentence_goes_on`` for the line from ``start`` to ``end`` (its last character) and the
    line that opens at ``after``."""
    return sentence_goes_on(text[start:end], text[after : after + _WORD_LOOKAHEAD])


# Enough of the next line to read its first word by (a longer one is no brand, nor "by").
_WORD_LOOKAHEAD = 40


def sentence_goes_on(line: str, following: str) -> bool:
    """Whether the sentence of ``line`` (ending with its last character) goes on in the next line,
    ``following`` (from its first character): by ``line_goes_on`` on that line's first word, or
    ``line`` breaks off as hard-wrapped prose does ("...the yield on the" then "10-year Treasury
    note") or ends with a title a name follows ("Sen." then "Elizabeth Warren"). Plain text's
    line breaks and HTML's ``<br>`` are read by it alike."""
    return line_goes_on(line[-1], opening_word(following, 0)) or breaks_off(line) or _ends_with_title(line)


_FINAL_ABBREVIATION = re.compile(r"(?<![\w.])([^\W\d_]+)\.$")


def _ends_with_title(line: str) -> bool:
    found = _FINAL_ABBREVIATION.search(line[-12:])
    return found is not None and found.group(1).lower() in _TITLES


_OPENING_WORD = re.compile(r"\S+")


def opening_word(text: str, at: int) -> str:
    """The word a line opens with at ``at``, as ``line_goes_on`` reads it: the whole word, since
    "iPhone" and "eBay" open a sentence though their first letter is lower case; none for a
    byline's "by" ("by Jane Doe"), which opens a line of its own."""
    return "" if _BYLINE.match(text, at) else _OPENING_WORD.match(text, at).group()


def line_goes_on(last: str, first: str) -> bool:
    """Whether a sentence goes on across a line break, from the ``last`` character of a line to
    the ``first`` of the next (a character, or the next line's first word): the line ends with a
    comma, dash or similar, or the next starts in lower case (hard-wrapped prose) or with a mark
    that no sentence opens with (a comma, a full stop: after a link whose address stood on a
    line of its own, "[PyPI](\nhttps://pypi.org)." leaves "PyPI" and "." on two lines)."""
    return last in _CONTINUATION_CHARS or first.islower() or first in _CLOSING_CHARS


# Quotation marks. A double one (straight, curly or a guillemet) opens or closes by its shape; a
# straight one opens a quotation where none is open and closes the one that is. Single ones
# stand for apostrophes too ("don't", "the players' union", "the '90s"), so one opens only before
# the letter that starts a word and closes only after the end of one, and only a quotation a
# single mark opened; and not before the words a mark elides a letter of ("give 'em", "'til
# midnight", "rock 'n' roll": Word writes them with an opening mark too).
_QUOTE_MARK = re.compile(
    r"(?P<double>[\"\u201c\u201d\u00ab\u00bb])"
    r"|(?P<open>(?<!\w)['\u2018](?=[^\W\d_])(?!(?i:em|til|tis|twas|cause|bout|round|n)\b))"
    r"|(?P<close>(?<=[\w.,!?;:\u2026])['\u2019](?!\w))"
)
_OPENING_DOUBLE = "\"\u201c\u00ab"
# What may stand before the quotation mark that opens a quoted sentence: '("We ...', markup's
# emphasis, and the JOINER a prose view writes over the rest of an entity ('&#34;We').
_BEFORE_QUOTE = "([*_" + JOINER


def quoted(text: str, sentences: Sequence[Span], paragraphs: Sequence[Span]) -> list[bool]:
    """Per sentence (in order), whether it is quoted speech: it opens with a quotation mark, or a
    quotation opened before it in its paragraph is still open where it starts ('He said: "We
    will win. We always win."': the second). A paragraph starts with none open; in news style a
    quotation that runs on opens each of its paragraphs again. The speaker's words are not the
    writer's to vary, so the measures of how sentences follow one another leave these out."""
    starts = [p.start for p in paragraphs]
    found = []
    paragraph = -1
    double = single = False
    for sentence in sentences:
        at = bisect.bisect_right(starts, sentence.start) - 1
        if at != paragraph:
            paragraph, double, single = at, False, False
        piece = sentence.of(text)
        found.append(_opens_quotation(piece) or double or single)
        for mark in _QUOTE_MARK.finditer(piece):
            double, single = _after_mark(mark, double, single)
    return found


def _opens_quotation(sentence: str) -> bool:
    """Whether ``sentence`` opens with a quotation mark that opens a quotation."""
    first = _QUOTE_MARK.match(sentence.lstrip(_BEFORE_QUOTE))
    return first is not None and (first.lastgroup == "open" or first.group() in _OPENING_DOUBLE)


def _after_mark(mark: re.Match[str], double: bool, single: bool) -> tuple[bool, bool]:
    """Whether a double and a single quotation are open after ``mark`` (a ``_QUOTE_MARK``): a
    straight double mark toggles, a curly one or a guillemet opens or closes by its shape, a
    single mark opens or closes by where it stands."""
    if mark.lastgroup == "double":
        if mark.group() == '"' and not double and mark.start() and mark.string[mark.start() - 1].isdigit():
            return double, single  # an inch mark ('a 13.3" display', '6\'8"'): no quotation opens after a digit
        return (not double if mark.group() == '"' else mark.group() in _OPENING_DOUBLE), single
    return double, mark.lastgroup == "open"


def quotations(text: str, paragraphs: Sequence[Span]) -> tuple[Span, ...]:
    """Where quotations stand, in order: from an opening quotation mark to the mark that closes
    it (a single quotation inside a double one is part of it), or to the end of its paragraph,
    by the marks ``quoted`` reads. The words inside are the speaker's, in a quoted sentence or a
    partial quotation in the writer's ('called it "a disgrace"'); the attribution around them
    ('she said, somewhat angrily') is the writer's."""
    found: list[Span] = []
    for paragraph in paragraphs:
        double = single = False
        opened = 0
        for mark in _QUOTE_MARK.finditer(text, paragraph.start, paragraph.end):
            was_open = double or single
            double, single = _after_mark(mark, double, single)
            if not was_open and (double or single):
                opened = mark.start()
            elif was_open and not (double or single):
                found.append(Span(opened, mark.end()))
        if double or single:
            found.append(Span(opened, paragraph.end))
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# Headlines
# ---------------------------------------------------------------------------------------------

# A first line longer than this is prose, not a headline: its first sentence stands in for one.
MAX_HEADLINE_WORDS = 25


def looks_like_headline(line: str) -> bool:
    """A short standalone line of 3-20 words, capitalised, neither ending as prose does
    (``ends_as_prose``, as for the lead: a teaser's "..." or a final "Corp." does not) nor
    breaking off mid-sentence."""
    stripped = line.strip()
    count = word_count(stripped)
    return 3 <= count <= 20 and stripped[:1].isupper() and not ends_as_prose(stripped) and not breaks_off(stripped)


def first_line(text: str) -> Span | None:
    """The first line with a non-space character, stripped: where a body text's own headline
    stands when no title is sent."""
    for line in lines(text):
        span = _stripped(text, line.start, line.end)
        if span is not None:
            return span
    return None


_FINAL_TERMINATOR = re.compile(_ENDING + "$")
# A character reference at the end ("&quot;"): a headline's escaped quote, not a semicolon.
_FINAL_REFERENCE = re.compile(r"&#?\w{1,12};$")


def ends_with_terminator(text: str) -> bool:
    """Whether ``text`` ends with the mark that ends a sentence (``.``, ``!``, ``?``, ``…`` or a
    spaced ellipsis), past closing quotation marks and brackets ('It ended."', '«C'est fini.»')."""
    return _FINAL_TERMINATOR.search(text) is not None


def ends_as_prose(line: str) -> bool:
    """Whether ``line`` ends as prose does and headlines almost never do (bench/results/leads.md
    counts both): with a comma, semicolon or colon, a full stop that closes a sentence (not
    an abbreviation's dot as in "U.S." or "Corp.", nor an ellipsis, spaced or not), with
    speech after narration (``_speech_after_narration``), or with an attribution after such a
    full stop (``_ATTRIBUTION``: an epigraph's "... never happened. - Mark Twain")."""
    stripped = line.rstrip()
    if stripped.endswith((",", ";", ":")):
        return not _FINAL_REFERENCE.search(stripped[-14:])
    if _speech_after_narration(stripped):
        return True
    attribution = _ATTRIBUTION.search(stripped)
    if attribution is not None and attribution.start() > 0:
        return _closes_sentence(stripped[: attribution.start()].rstrip())
    return _closes_sentence(stripped)


def _closes_sentence(stripped: str) -> bool:
    """Whether ``stripped`` ends with a full stop that closes a sentence (not an abbreviation's
    dot, nor an ellipsis)."""
    end = _FINAL_TERMINATOR.search(stripped)
    if end is None or end.group().rstrip(_CLOSERS) != "." or stripped.endswith(". . ."):
        return False
    return _ends_sentence(stripped, end.start(), end.start() + 1)


# An attribution at the end of a line: a dash, then a name of one to four capitalised words
# ("... most of which never happened. - Mark Twain"). After a sentence that ends with a full
# stop it closes an epigraph or a pull quote; after a question it is a site's name in a title
# ("Who was the man with no memory? - BBC News"), which no full stop comes before in any of the
# 43,000 headlines of the clickbait corpora and the out-of-domain sets.
_ATTRIBUTION = re.compile(r"\s[-\u2013\u2014~]+\s*[-\u2013\u2014]?\s*[A-Z][\w.'\u2019]*(?:\s+[A-Z][\w.'\u2019]*){0,3}$")
# The closing quotation marks: the closers but the brackets.
_CLOSING_QUOTES = tuple(_CLOSERS.strip(")]"))
# A full stop at the end, an abbreviation's too, but no ellipsis; or a quotation closed after
# the mark that ends its sentence.
_FINAL_STOP = re.compile(rf"(?:(?<!\.)\.|[.!?…][{re.escape(''.join(_CLOSING_QUOTES))}]+)$")


def ends_with_a_stop(line: str) -> bool:
    """Whether ``line`` ends as a paragraph of prose does and no subheading: with a full stop, an
    abbreviation's too (a wire story's paragraph "He was taken to the station at 10 p.m."), but
    not an ellipsis; or with a quotation closed after its end mark ('One man shouted, "Who
    pays?"'). Unlike ``ends_as_prose``, which keeps a headline that ends in "U.S." a headline."""
    return _FINAL_STOP.search(line) is not None


def _speech_after_narration(line: str) -> bool:
    """Whether ``line`` ends with a sentence that opens a quotation, after a sentence of the
    writer's that ends with a full stop, as a paragraph of a feature or a story does ('She
    shrugged. "What else can I do?"'). Of the 43,000 headlines of the clickbait corpora and the
    out-of-domain sets one ends so, a Reddit title of 38 words whose quotation ends with a full
    stop anyway; a headline's quotation runs on from its first sentence instead ("Barker: 'I
    have contempt for messages in plays. I'm not trying to influence anyone'")."""
    if not line.endswith(_CLOSING_QUOTES):
        return False
    spans = sentences(line)
    if len(spans) < 2:
        return False
    before = spans[-2]
    return (
        _opens_quotation(spans[-1].of(line))
        and not quoted(line, spans, (Span(0, len(line)),))[-2]
        and _closes_sentence(before.of(line))
    )


# Words that never end a sentence or a headline, as each needs a word after it: the articles, the
# coordinating conjunctions, the determiners that are nothing else ("her" and "his" can end one)
# and a quantifier's "of" ("licensed under either of", then a list; "heard of" can end one).
_NEEDS_NEXT_WORD = re.compile(
    r"(?<![\w'’/-])(?:a|an|the|and|or|but|nor|my|your|our|their|its|every"
    r"|(?:either|neither|each|any|both|none|one|some|all|most)\s+of)$"
)


def breaks_off(line: str) -> bool:
    """Whether ``line`` stops where neither a sentence nor a headline can, as the lines of
    hard-wrapped prose do: on one of those words, in lower case as written ("Run the"), or inside
    a bracket it opened ("(400 for"). Of the 45,971 headlines of the clickbait corpora and the
    out-of-domain sets one stops so, a Reddit title cut short, and no clickbait one
    (bench/results/leads.md)."""
    stripped = line.rstrip()
    if _NEEDS_NEXT_WORD.search(stripped[-16:]):
        return True
    opened = max(stripped.rfind("("), stripped.rfind("["))
    closed = max(stripped.rfind(")"), stripped.rfind("]"))
    return opened > closed and any(char.isalnum() for char in stripped[opened + 1 :])


# A message's opening words: a greeting, then a name or "all" at most (MAX_SALUTATION_WORDS in all).
_GREETING = re.compile(r"(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening|day))\b", re.I)
MAX_SALUTATION_WORDS = 5


def is_salutation(line: str) -> bool:
    """Whether ``line`` only greets, as a letter or a message opens ("Hi all", "Dear Sir or
    Madam", "Good morning everyone!"). Headlines that start with a greeting go on after a comma
    or colon ("Dear World, ..."), so none of the clickbait corpora's is one (bench/results/leads.md)."""
    stripped = line.strip().rstrip("!").rstrip()
    return (
        _GREETING.match(stripped) is not None
        and word_count(stripped) <= MAX_SALUTATION_WORDS
        and not any(mark in stripped for mark in ",:;?")
    )


# A byline under a headline, in lower case as some sites write it ("by Jane Smith"), and the
# letter of a list item ("a.", "b)", "(c)"): not the headline's sentence going on.
_BYLINE = re.compile(r"by\s+[A-Z]")
_LIST_LETTER = re.compile(r"\(?[^\W\d_][.)]")


def lead(text: str) -> Span | None:
    """What stands for a text's headline when none is sent: its first line, or that line's
    first sentence when the line is too long to be a headline; None when that ends as prose
    (``ends_as_prose``), breaks off mid-sentence (``breaks_off``), goes on into the next line
    (``first_line_goes_on``) or only greets (``is_salutation``): the first line of an email, a
    comment or hard-wrapped prose is not a headline (bench/results/leads.md)."""
    line = first_line(text)
    if line is None:
        return None
    if word_count(line.of(text)) > MAX_HEADLINE_WORDS:
        line = next(s for s in sentences(text) if s.start >= line.start)
    elif first_line_goes_on(text):
        return None
    said = line.of(text)
    return None if ends_as_prose(said) or breaks_off(said) or is_salutation(said) else line


def first_line_goes_on(text: str) -> bool:
    """Whether the first line of ``text`` goes on into the next line with words (``goes_on``)."""
    lines = [line for run in line_runs(text)[:2] for line in run][:2] if text.strip() else ()
    return len(lines) == 2 and goes_on(text, lines[0], lines[1])


def goes_on(text: str, line: Span, after: Span) -> bool:
    """Whether the sentence of ``line`` goes on in ``after``, the next line with words, as in
    hard-wrapped prose: ``line`` ends with a comma, a dash or the like, or with no sentence's end
    and ``after``'s first word is in lower case ("iPhone" is not), neither a byline's "by" ("by
    Jane Doe") nor a list item's letter ("a."). A blank line between them does not end it: an
    extractor that makes each line of a page a paragraph leaves "...the kind of science-fiction
    comic" and "strips that Mr. Lucas..." one blank line apart."""
    said, next_said = line.of(text), after.of(text)
    first_word = next_said.split(maxsplit=1)[0]
    if _BYLINE.match(next_said) or ends_with_terminator(said) or _LIST_LETTER.fullmatch(first_word):
        first_word = ""
    # A final "&quot;" is a headline's escaped quote, not a semicolon.
    last = " " if _FINAL_REFERENCE.search(said[-14:]) else said[-1]
    return line_goes_on(last, first_word)


@functools.lru_cache(maxsize=_CACHE)
def headline_lines(text: str) -> tuple[Span, ...]:
    """Body lines that stand as headlines, stripped: each line of a run (``line_runs``) whose
    lines all look like headlines, after an optional label line ending in a colon ("Read
    Also:"), but not a last line whose sentence goes on into the next run (``goes_on``). Lines
    of a hard-wrapped prose paragraph never count, however short."""
    found: list[Span] = []
    runs = line_runs(text)
    for at, run in enumerate(runs):
        if len(run) > 1 and run[0].of(text).endswith(":"):
            run = run[1:]
        if all(looks_like_headline(line.of(text)) for line in run):
            goes_on_after = at + 1 < len(runs) and goes_on(text, run[-1], runs[at + 1][0])
            found.extend(run[:-1] if goes_on_after else run)
    return tuple(found)
