"""Differential testing of the grammar path: random documents go to LanguageTool itself and to
copydesk, and the two answers are compared.

The documents are English sentences LanguageTool is known to flag ("This are wrong.", "a apple",
"the the", "could of") among hostile pieces: emoji and other characters outside the Basic
Multilingual Plane (two UTF-16 units each), combining marks, CRLF and lone CR, U+2028 and
U+2029, no-break spaces, tabs, runs of blank lines, white space before and after, and
paragraphs longer than the piece size. Each document goes

* to ``/v2/check`` and to ``/v1/score`` with the piece size at its least
  (``COPYDESK_LANGUAGETOOL_PIECE_CHARS`` 1,000), so that the text is cut into pieces checked
  side by side; ``/v1`` once without the paragraph cache, and once with it, after a first check
  of the document with one paragraph edited, so that the cache answers for the others. Every
  match LanguageTool gives for the whole text must be there, at the same place (``/v2``: as
  LanguageTool wrote it, context and all; ``/v1``: in code points), and nothing else, but for
  the differences the README documents (see ``documented``).

Bounded and seeded like ``test_contract_fuzz``: the same run every time, well under a minute
against a warm LanguageTool.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st
from support import ContractClient, assert_parity, is_copydesk

from service import create_app
from service.cache import MemoryStore
from service.settings import PROJECT_ROOT
from service.text.offsets import Utf16Index

PIECE_CHARS = 1000  # the least COPYDESK_LANGUAGETOOL_PIECE_CHARS takes
# LanguageTool's rules that read beyond their paragraph, as the README lists them ("Caches").
CROSS_PARAGRAPH_RULES = frozenset({"EN_UNPAIRED_BRACKETS", "EN_UNPAIRED_QUOTES", "EN_WORD_COHERENCY",
                                   "EN_REPEATEDWORDS", "ENGLISH_WORD_REPEAT_BEGINNING_RULE"})
# Where LanguageTool itself starts a paragraph: its sentence splitter breaks after a line break,
# white space (Java's \s: ASCII only), a line break and tabs (the "ByTwoLineBreaks" rule of
# languagetool-core's segment.srx), and its text-level rules take that for a paragraph's end.
LANGUAGETOOL_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\n\x0b\x0c\r]*\r?\n\t*")
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # lines as service.text counts them

HITS = [
    "This are wrong.", "She ate a apple yesterday.", "We saw the the house.", "You could of asked.",
    "Their going home now.", "He go to school every day.", "i think so.", "The council meet on tuesday.",
    "Teh cat sat on the mat.", "There is many problems here.",
    "The mayor opened the new library on Friday.", "Buses run every ten minutes from the station.",
]
# Pieces that go between and around sentences, inside a paragraph.
INLINE = ["😀", "𝔘", "👍🏽", "e\u0301", "a\u0308\u0301", "\u00a0", "\t", "\r\n", "\r", "\n", "\u2028", "\u2029",
          "\u200b", "  ", "(", '"']
# What goes between paragraphs: blank lines of every kind, and what only looks like one.
BETWEEN = ["\n\n", "\r\n\r\n", "\n\n\n\n", "\n \t\n", "\n\n\t", "\n\n  ", "\n\n\t ", "\r\r", "\n\u00a0\n",
           "\n\u2028\n", "\u2029", "\n\u2029\n", "\r\n \r\n\r\n"]
AROUND = ["", " ", "  ", "\t ", "\n\n", "\r\n", "\u00a0 ", "\n \n  ", "\t"]

sentence = st.tuples(st.sampled_from(["", "", "", *INLINE]), st.sampled_from(HITS)).map("".join)
paragraph = st.lists(sentence, min_size=1, max_size=8).map(" ".join)
# Longer than a piece: many sentences, or one sentence that never ends.
long_paragraph = st.one_of(
    st.lists(sentence, min_size=45, max_size=70).map(" ".join),
    st.lists(st.sampled_from(HITS), min_size=35, max_size=60).map(lambda s: " and ".join(h.rstrip(".") for h in s)),
)


@dataclass(frozen=True)
class Doc:
    lead: str
    paragraphs: tuple[str, ...]
    between: tuple[str, ...]
    tail: str

    @property
    def text(self) -> str:
        return self.with_paragraph(-1, "")

    def with_paragraph(self, n: int, replacement: str) -> str:
        body = self.paragraphs[0] if n != 0 else replacement
        for k, (gap, para) in enumerate(zip(self.between, self.paragraphs[1:], strict=True), start=1):
            body += gap + (replacement if k == n else para)
        return self.lead + body + self.tail


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    paragraphs = draw(st.lists(paragraph, min_size=1, max_size=16))
    if draw(st.booleans()):
        paragraphs.insert(draw(st.integers(0, len(paragraphs))), draw(long_paragraph))
    between = [draw(st.sampled_from(BETWEEN)) for _ in paragraphs[1:]]
    return Doc(draw(st.sampled_from(AROUND)), tuple(paragraphs), tuple(between), draw(st.sampled_from(AROUND)))


# --------------------------------------------------------------------------------------------
# The two sides
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def apps(languagetool_url: str, data_dir: Path) -> Iterator[dict]:
    """copydesk with the least piece size: without the paragraph cache, and with it; no report
    cache, so every report is checked."""
    made = {}
    for name, cache in (("pieces", 0), ("cache", 32_000_000)):
        app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "TESTING": True,
                          "languagetool_piece_chars": PIECE_CHARS, "paragraph_cache_bytes": cache,
                          "report_cache_bytes": 0})
        app.test_client_class = ContractClient
        made[name] = app
    yield made
    for app in made.values():
        app.extensions["copydesk"].scorer.close()


def languagetool(url: str, text: str) -> dict:
    response = requests.post(urllib.parse.urljoin(url, "/v2/check"), data={"text": text, "language": "en-US"},
                             timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def score(app, text: str) -> list[dict]:
    response = app.test_client().post("/v1/score", json={"text": text, "checks": ["grammar"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["complete"], report
    return report["checks"]["grammar"]["issues"]


def rule_id(match: dict) -> str:
    rule = match["rule"]
    return rule["id"] + (f"[{rule['subId']}]" if rule.get("subId") else "")


# --------------------------------------------------------------------------------------------
# What may differ
# --------------------------------------------------------------------------------------------


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of LanguageTool's paragraphs in ``text``, in code points."""
    bounds = [0, *(m.end() for m in LANGUAGETOOL_PARAGRAPH_BREAK.finditer(text)), len(text)]
    return list(zip(bounds, bounds[1:], strict=False))


def documented(key: tuple[str, int, int, str], text: str) -> bool:
    """Whether a match found by one side only is a difference the README documents:

    * a rule that reads beyond its paragraph (the cache, and pieces, give it less to read);
    * ``UPPERCASE_SENTENCE_START`` at the first word of a paragraph, which LanguageTool checked
      without the paragraph before it (a heading without a full stop), and ``WHITESPACE_RULE``
      on the white space that opens it;
    * anything in a paragraph longer than a piece, which had to be cut at sentences, else at
      spaces ("LanguageTool gets bounded pieces"): LanguageTool reads a sentence on either side
      of the cut without the other.
    """
    rule, offset, length, _ = key
    if rule.split("[")[0] in CROSS_PARAGRAPH_RULES:
        return True
    for start, end in paragraphs_of(text):
        if start <= offset < end or (offset == end == len(text)):
            if end - start > PIECE_CHARS:
                return True
            first_word = start + len(text[start:end]) - len(text[start:end].lstrip())
            return (rule == "UPPERCASE_SENTENCE_START" and offset == first_word) or (
                rule == "WHITESPACE_RULE" and start <= offset < first_word
            )
    return False


def assert_parity_but_documented(raw: dict, ours: dict, text: str) -> None:
    """``assert_parity`` (``/v2`` gives LanguageTool's matches as it wrote them), but for the
    differences ``documented`` allows: ``/v2`` cuts a text longer than a piece as ``/v1`` does.
    Sentence ranges are LanguageTool's too, unless a paragraph had to be cut inside; the detected
    language is the first piece's, read from fewer than LanguageTool's 1,000 characters when that
    piece is shorter: its confidence may differ."""
    if not any(end - start > PIECE_CHARS for start, end in paragraphs_of(text)):
        assert ours["sentenceRanges"] == raw["sentenceRanges"]
    detected = {key: ours["language"]["detectedLanguage"][key] for key in ("name", "code", "source")}
    assert detected == {key: raw["language"]["detectedLanguage"][key] for key in ("name", "code", "source")}
    ours = {**ours, "sentenceRanges": raw["sentenceRanges"], "language": raw["language"]}
    index = Utf16Index(text)

    def allowed(match: dict) -> bool:
        return documented((rule_id(match), *index.span(match["offset"], match["length"]), match["message"]), text)

    assert_parity({**raw, "matches": [m for m in raw["matches"] if not allowed(m)]},
                  {**ours, "matches": [m for m in ours["matches"] if is_copydesk(m) or not allowed(m)]})


def line_column(text: str, offset: int) -> tuple[int, int]:
    breaks = list(LINE_BREAK.finditer(text, 0, offset))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


def assert_same_findings(raw: dict, issues: list[dict], text: str, how: str) -> None:
    """``/v1``'s grammar issues are LanguageTool's matches for the whole text, in code points
    (through the one converter, ``Utf16Index``), with the line and column of ``service.text``,
    but for documented differences."""
    index = Utf16Index(text)
    units = text.encode("utf-16-le")
    expected: Counter[tuple[str, int, int, str]] = Counter()
    for match in raw["matches"]:
        offset, length = index.span(match["offset"], match["length"])
        # The converter agrees with UTF-16 itself: the same characters either way.
        start16, end16 = 2 * match["offset"], 2 * (match["offset"] + match["length"])
        assert text[offset : offset + length] == units[start16:end16].decode("utf-16-le", "surrogatepass")
        expected[(rule_id(match), offset, length, match["message"])] += 1
    found: Counter[tuple[str, int, int, str]] = Counter()
    for issue in issues:
        offset, length = issue["offset"], issue["length"]
        assert issue["rule"]["source"] == "languagetool"
        assert text[offset : offset + length] == issue["text"]
        assert (issue["line"], issue["column"]) == line_column(text, offset), issue
        found[(issue["rule"]["id"], offset, length, issue["message"])] += 1
    unexplained = [
        (side, key, text[max(0, key[1] - 30) : key[1] + key[2] + 30])
        for side, difference in (("LanguageTool only", expected - found), ("copydesk only", found - expected))
        for key in difference.elements()
        if not documented(key, text)
    ]
    assert not unexplained, f"{how}: {unexplained}"


# --------------------------------------------------------------------------------------------
# The property
# --------------------------------------------------------------------------------------------

EDIT = "An editor rewrote this paragraph and it are new."


@seed(20261205)
# No shrinking: a failure names its document (note) and the place of each difference, while
# shrinking one takes minutes of LanguageTool checks.
@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=documents(), edited=st.integers(0, 16))
def test_copydesk_gives_what_languagetool_gives_for_random_documents(
    apps: dict, languagetool_url: str, doc: Doc, edited: int
) -> None:
    text = doc.text
    note(f"text: {text!r}")
    raw = languagetool(languagetool_url, text)

    ours = apps["pieces"].test_client().post("/v2/check", data={"text": text, "language": "en-US"})
    assert ours.status_code == 200, ours.get_data(as_text=True)
    assert_parity_but_documented(raw, ours.get_json(), text)

    assert_same_findings(raw, score(apps["pieces"], text), text, "in pieces")

    # A cache of its own for each example, so an example's answer never depends on the ones before.
    apps["cache"].extensions["copydesk"].grammar.paragraphs = MemoryStore(32_000_000)
    first = doc.with_paragraph(edited % len(doc.paragraphs), EDIT)
    assert_same_findings(languagetool(languagetool_url, first), score(apps["cache"], first), first, "cold cache")
    assert_same_findings(raw, score(apps["cache"], text), text, "after an edit, from the cache")


def test_the_differences_allowed_are_those_the_readme_documents() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for rule in sorted(CROSS_PARAGRAPH_RULES | {"UPPERCASE_SENTENCE_START", "WHITESPACE_RULE"}):
        assert f"`{rule}`" in readme, rule
    assert "A paragraph longer than a piece is cut inside" in readme
