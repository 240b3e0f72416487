"""The paragraph cache of the grammar check, against the real LanguageTool server: a paragraph
LanguageTool has answered is not sent again, and what comes from the cache is what a check of
the whole text gives, at the right offsets; a changed paragraph, rule set or level is never
answered from the cache."""

from __future__ import annotations

import json
import weakref
from pathlib import Path

import pytest

from service.cache import MemoryStore
from service.checks import grammar as grammar_module
from service.checks.grammar import GrammarCheck, _split
from service.findings import MAX_REPLACEMENTS, Finding
from service.languagetool.client import FINDING_FIELDS, PROBE_TEXT, LanguageToolClient
from service.languagetool.pieces import Piece, batches, plan
from service.score_request import build_document

FIXTURES = Path(__file__).parent / "fixtures"

ARTICLE = [
    "The council meet on Tuesday and approved the the budget.",
    "Residents 👍🏽 said the new park were a welcome change for there children.",
    "Its a long way from the station, but buses run every ten minutes.",
    "The mayor thanked every one who came to the meeting.",
]

# Sentences that start differently (ENGLISH_WORD_REPEAT_BEGINNING_RULE reads across pieces).
VARIED = ["She ate an apple yesterday.", "The council met on Monday.", "Buses run every ten minutes.",
          "Residents welcomed the new park.", "Its opening drew a crowd."]


class CountingClient(LanguageToolClient):
    """The real client, remembering the texts it sent to LanguageTool (in ``sent``; its probes
    for the server's version, which the paragraphs' keys name, only counted)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []
        self.probes = 0

    def check(self, tool, piece, disabled_rules=(), parameters=()):
        if piece.text == PROBE_TEXT:
            self.probes += 1
        else:
            self.sent.append(piece.text)
        return super().check(tool, piece, disabled_rules, parameters)


class CountingGrammar(GrammarCheck):
    """The real check, with ``sent``: the texts its client sent to LanguageTool."""

    def __init__(self, url: str, level: str, paragraphs: MemoryStore | None, piece_chars: int = 10_000) -> None:
        client = CountingClient(url, timeout=30, level=level)
        super().__init__(client, piece_chars=piece_chars, parallel=2, paragraphs=paragraphs)
        self.sent = client.sent


def grammar(url: str, store: MemoryStore | None, level: str = "default") -> CountingGrammar:
    return CountingGrammar(url, level=level, paragraphs=store)


def seen(findings: list[Finding], text: str) -> list[tuple[str, int, int, str, str]]:
    return [(f.rule_id, f.offset, f.length, text[f.offset : f.offset + f.length], f.message) for f in findings]


@pytest.fixture()
def store() -> MemoryStore:
    return MemoryStore(10_000_000)


def test_a_cold_check_with_the_cache_is_the_check_without_it(languagetool_url: str, store, seed_text: str) -> None:
    texts = [seed_text, "\n\n".join(ARTICLE)] + [
        path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "docs" / "rendered").glob("*.txt"))
    ]
    found = 0
    for text in texts:
        cached = grammar(languagetool_url, store).check_text(text, "en-US")
        plain = grammar(languagetool_url, None).check_text(text, "en-US")
        assert seen(cached, text) == seen(plain, text)
        found += len(cached)
    assert found > 5


class Recording(MemoryStore):
    """A paragraph cache that keeps a copy of every entry put in it."""

    def __init__(self) -> None:
        super().__init__(10_000_000)
        self.entries: list[dict] = []

    def put(self, key: str, value: bytes) -> None:
        self.entries.append(json.loads(value))
        super().put(key, value)


def test_only_what_a_finding_reads_of_a_match_is_held(languagetool_url: str) -> None:
    """LanguageTool lists every word its speller finds near a short unknown one (hundreds for
    "div"), and each match carries its sentence and context: held whole, a text of such words made
    a worker hold 3 GB for one request. copydesk's own check holds what a finding reads (as many
    replacements as it offers), in its findings and in the paragraph cache; a LanguageTool-API
    client's check gets every match as LanguageTool sent it."""
    text = "The div and the lang are here."
    store = Recording()
    own = grammar(languagetool_url, store).check_text(text, "en-US")
    assert len(own) == 2 and all(len(f.replacements) == MAX_REPLACEMENTS for f in own)
    assert all(f.native is None for f in own)
    (entry,) = store.entries
    assert [sorted(match) for match in entry["matches"]] == [sorted(FINDING_FIELDS)] * 2
    assert all(len(match["replacements"]) == MAX_REPLACEMENTS for match in entry["matches"])
    sent, _ = grammar(languagetool_url, None).check_answer(text, "en-US", parameters=(("language", "en-US"),))
    assert [f.offset for f in sent] == [f.offset for f in own]
    assert all(len(f.native["replacements"]) > 100 and f.native["sentence"] == text for f in sent)


def test_what_matches_of_one_answer_have_alike_is_held_once(languagetool_url: str) -> None:
    """The same unknown word has the same hundreds of replacements wherever it stands, the
    matches of a rule the same rule, those of a sentence the same sentence: an answer holds each
    once, not once per match (a worker held 4.7 GB for one LanguageTool-API check of 116,000
    characters of such words; copydesk's own check, 1.3 GB for a report of 825,000)."""
    text = "The div and the lang met the div. Then the div left."
    found, _ = grammar(languagetool_url, None).check_answer(text, "en-US", parameters=(("language", "en-US"),))
    lists = {text[f.offset : f.offset + f.length]: [] for f in found}
    for f in found:
        lists[text[f.offset : f.offset + f.length]].append(f.native["replacements"])
    assert sorted(lists) == ["div", "lang"] and len(lists["div"]) == 3
    assert all(len(each) > 100 for each in lists["div"] + lists["lang"])
    assert all(each is lists["div"][0] for each in lists["div"])
    assert lists["lang"][0] is not lists["div"][0] and lists["lang"][0] != lists["div"][0]
    assert all(f.native["rule"] is found[0].native["rule"] for f in found)
    first, second = found[0].native["sentence"], found[-1].native["sentence"]
    assert first != second and [f.native["sentence"] for f in found] == [first] * 3 + [second]
    assert all(f.native["sentence"] is (first if f.offset < 33 else second) for f in found)
    own = grammar(languagetool_url, None).check_text(text, "en-US")
    offered = [tuple(r["value"] for r in f.native["replacements"][:MAX_REPLACEMENTS]) for f in found]
    assert [(f.offset, f.rule_id, f.message, f.replacements) for f in own] == [
        (f.offset, f.rule_id, f.native["message"], each) for f, each in zip(found, offered, strict=True)
    ]
    assert all(f.message is own[0].message and f.description is own[0].description for f in own)
    divs = [f.replacements for f in own if text[f.offset : f.offset + f.length] == "div"]
    assert all(a is b for each in divs for a, b in zip(each, divs[0], strict=True))


def test_only_changed_paragraphs_go_to_languagetool_and_offsets_stay_exact(languagetool_url: str, store) -> None:
    first = "\n\n".join(ARTICLE)
    check = grammar(languagetool_url, store)
    check.check_text(first, "en-US")
    assert len(check.sent) == 1 and check.sent[0] == first
    assert check.languagetool.probes == 1, "a check with no answer yet asks for the server's version once"

    # The first paragraph grows (with an emoji: two UTF-16 units) and the third changes: the
    # second and fourth come from the cache, shifted to where they now stand.
    edited = [ARTICLE[0].replace("Tuesday", "Tuesday 🎉 evening"), ARTICLE[1],
              "It's an short walk from the station, and buses run every ten minutes.", ARTICLE[3]]
    second = "\n\n".join(edited)
    check.sent.clear()
    findings = check.check_text(second, "en-US")
    assert check.sent == [edited[0] + "\n\n", edited[2] + "\n\n"]
    assert seen(findings, second) == seen(grammar(languagetool_url, None).check_text(second, "en-US"), second)
    flagged = {second[f.offset : f.offset + f.length] for f in findings}
    assert {"the the", "there", "an"} <= flagged

    check.sent.clear()
    assert seen(check.check_text(second, "en-US"), second) == seen(findings, second)
    assert check.sent == [], "every paragraph is known now"


def test_markup_added_above_a_paragraph_does_not_send_it_again(languagetool_url: str, store) -> None:
    """Inline code reads as numbered placeholder words, numbered across the whole text: a new one
    above a paragraph renumbers those in it, which must not make it a different paragraph."""
    paragraphs = ["Run `make` before you start, and `make test` after.", ARTICLE[1],
                  "The mayor said `deploy` were the the last step."]
    first = "\n\n".join(paragraphs)
    check = grammar(languagetool_url, store)
    document = build_document(first, None, "markdown")
    check.check_text(document.original, "en-US", annotation=document.annotation, view=document.text)
    edited = "\n\n".join(["Run `make` and `lint` before you start, and `make test` after.", *paragraphs[1:]])
    document = build_document(edited, None, "markdown")
    check.sent.clear()
    findings = check.check_text(document.original, "en-US", annotation=document.annotation, view=document.text)
    assert len(check.sent) == 1 and check.sent[0].startswith("Run `make` and `lint`")
    plain = grammar(languagetool_url, None)
    assert seen(findings, edited) == seen(
        plain.check_text(document.original, "en-US", annotation=document.annotation, view=document.text), edited
    )
    assert "the the" in {edited[f.offset : f.offset + f.length] for f in findings}


def test_no_check_is_longer_than_a_piece_however_small_the_setting(languagetool_url: str, store) -> None:
    """COPYDESK_LANGUAGETOOL_PIECE_CHARS may be as low as 1,000 (for a LanguageTool that takes
    little more): the checks the paragraphs are joined into keep to it, below SPLIT_CHARS too
    (they went up to 2,000, which such a server refuses)."""
    text = "\n\n".join(f"{sentence} ({n})" for n, sentence in enumerate(VARIED * 20))
    check = CountingGrammar(languagetool_url, "default", store, piece_chars=1000)
    check.check_text(text, "en-US")
    assert len(check.sent) > 2 and max(map(len, check.sent)) <= 1000


def test_a_report_alone_is_cut_for_the_server_threads_and_among_others_goes_whole(
    languagetool_url: str, store, seed_text: str
) -> None:
    """Alone, the seed (under one piece) goes in `parallel` checks; while another report of the
    worker waits on LanguageTool, in one, with the same findings."""
    alone = grammar(languagetool_url, store)
    found_alone = alone.check_text(seed_text, "en-US")
    among = grammar(languagetool_url, MemoryStore(10_000_000))
    with among._share():  # another report of this worker, waiting on LanguageTool
        found_among = among.check_text(seed_text, "en-US")
    assert len(alone.sent) > 1 and len(among.sent) == 1
    assert among._waiting == 0
    assert seen(found_among, seed_text) == seen(found_alone, seed_text)


def test_a_paragraph_in_lower_case_is_read_after_the_sentence_before_it_whatever_the_cache_holds(
    languagetool_url: str, store
) -> None:
    """LanguageTool's rule on a sentence that starts in lower case reads the sentence before it:
    after a colon, a heading in lower case ("label", a filter's name) is none of its business.
    When that sentence came from the cache, the heading opened a check of its own and was
    flagged: a docs tree checked twice got "label" flagged in other files each time. Now it is
    read after the last sentence before it, as in the whole text, and keyed with it: the same
    heading after a full stop is flagged, from the cache too, and the matches of the sentence
    before are not doubled."""
    last = "We list them below, one at a time, and the the defaults:"
    lead_in = f"The tool has filters. {last}"
    check = grammar(languagetool_url, store)
    check.check_text(f"{lead_in}\n\nThe other filter matches names.\n", "en-US")
    for before in (lead_in, "We list the filters below."):
        text = f"{before}\n\nlabel\n\nThe label filter matches containers.\n"
        check.sent.clear()
        cached = check.check_text(text, "en-US")
        whole = grammar(languagetool_url, None).check_text(text, "en-US")
        assert seen(cached, text) == seen(whole, text)
        starts = [f for f in cached if f.rule_id == "UPPERCASE_SENTENCE_START"]
        assert [text[f.offset : f.offset + f.length] for f in starts] == ([] if before == lead_in else ["label"])
        if before == lead_in:
            assert check.sent == [f"{last}\n\nlabel\n\nThe label filter matches containers.\n"]
            assert [text[f.offset : f.offset + f.length] for f in cached].count("the the") == 1
        again = check.check_text(text, "en-US")
        assert seen(again, text) == seen(whole, text)


def test_rules_and_level_are_part_of_the_key(languagetool_url: str, store) -> None:
    text = "\n\n".join(ARTICLE)
    check = grammar(languagetool_url, store)
    everything = check.check_text(text, "en-US")
    assert any(f.rule_id.startswith("ENGLISH_WORD_REPEAT_RULE") for f in everything)
    check.sent.clear()
    fewer = check.check_text(text, "en-US", disabled_rules=("ENGLISH_WORD_REPEAT_RULE",))
    assert check.sent, "another rule set is another key"
    assert not any(f.rule_id.startswith("ENGLISH_WORD_REPEAT_RULE") for f in fewer)

    def warmed(level: str = "default") -> CountingGrammar:
        # A new check caches nothing until it knows the server version: learn it on another text.
        other = grammar(languagetool_url, store, level=level)
        other.check_text("A warm-up line.", "en-US")
        other.sent.clear()
        return other

    same = warmed()
    same.check_text(text, "en-US")
    assert not same.sent, "a new check with the version known reads the same key from the cache"
    picky = warmed("picky")
    picky.check_text(text, "en-US")
    assert picky.sent, "the picky level is another key"
    british = warmed()
    british.check_text(text, "en-GB")
    assert british.sent, "another language is another key"


def test_a_long_paragraph_is_cut_on_its_own_and_joined_paragraphs_stay_within_a_piece() -> None:
    sentence = "A sentence of a few words sits here. "
    text = "\n\n".join([sentence * 60, "Short one.", sentence * 5])
    units = plan(text, (), text, 1000, paragraphs=True)
    assert "".join(unit.text for unit in units) == text
    assert max(len(unit.text) for unit in units) <= 1000
    assert any(unit.text.startswith("Short one.") for unit in units)
    # The same paragraph after an edited one is cut the same way: the same units, the same keys.
    edited = "Added first.\n\n" + text
    shifted = plan(edited, (), edited, 1000, paragraphs=True)
    assert [u.text for u in shifted[1:]] == [u.text for u in units]
    joined = batches(units, 1000)
    assert [unit for _, run in joined for unit in run] == units
    assert all(len(check.text) <= 1000 or len(run) == 1 for check, run in joined)


def test_matches_are_split_by_paragraph_in_utf16_units() -> None:
    first, second = "😀 one\n\n", "two\n"
    units = [Piece(0, plan(first, (), first, 100)[0].parts), Piece(len(first), plan(second, (), second, 100)[0].parts)]
    check = Piece(0, units[0].parts + units[1].parts)
    # "😀 one\n\n" is 8 UTF-16 units: "two" starts at unit 8; a match over "one\n\ntwo" runs across.
    matches = [{"offset": 3, "length": 3}, {"offset": 8, "length": 3}, {"offset": 3, "length": 8}]
    split = _split(check, units, matches)
    assert [(m["offset"], m["length"]) for m in split[0][1]] == [(3, 3), (3, 8)]
    assert [(m["offset"], m["length"]) for m in split[1][1]] == [(0, 3)]
    assert split[0][2] is False, "a paragraph with a match running out of it is not cached"
    assert split[1][2] is True


@pytest.mark.parametrize("between", ["\n\u00a0\n", "\r\r", "\n\u2028\n"])
def test_a_line_languagetool_does_not_end_a_paragraph_at_is_no_paragraph_of_the_cache(
    languagetool_url: str, store, between: str
) -> None:
    """A blank line to service.text that is none to LanguageTool (no-break spaces, lone carriage
    returns, U+2028) runs one of its sentences on: "We saw the [...] He go" is "the He" to it.
    Cut there, the edited paragraph went alone and the one after it came from the cache, each
    read apart: "He go" instead (found by tests/test_grammar_differential.py)."""
    intro = "The town council met on Monday.\n\n"
    text = intro + "We saw the" + between + "He go to school every day."
    check = grammar(languagetool_url, store)
    check.check_text(intro + "We saw it" + between + "He go to school every day.", "en-US")
    found = seen(check.check_text(text, "en-US"), text)
    assert found == seen(grammar(languagetool_url, None).check_text(text, "en-US"), text)
    assert [rule.split("[")[0] for rule, *_ in found] == ["DT_PRP"]


def test_the_tabs_that_open_a_paragraph_stay_with_the_one_before(languagetool_url: str, store) -> None:
    """LanguageTool ends a sentence after the tabs that follow a blank line; a paragraph checked
    with its tab and a space got WHITESPACE_RULE there, which the whole text never has."""
    intro = "The town council met on Monday.\n\n\t "
    text = intro + "New text is here."
    check = grammar(languagetool_url, store)
    check.check_text(intro + "Old text was here.", "en-US")
    check.sent.clear()
    assert seen(check.check_text(text, "en-US"), text) == []
    assert check.sent == [" New text is here."]


def test_a_long_text_keeps_the_white_space_that_opens_it(languagetool_url: str) -> None:
    """The first cut of a long text fell after its opening blank lines, and that piece of white
    space alone was never sent: LanguageTool's WHITESPACE_RULE on it was lost."""
    text = "  \n\n" + " ".join(VARIED * 10)
    pieces = GrammarCheck(LanguageToolClient(languagetool_url, timeout=30, level="default"), 1000, 2)
    found = seen(pieces.check_text(text, "en-US"), text)
    assert found == seen(grammar(languagetool_url, None).check_text(text, "en-US"), text)
    assert ("WHITESPACE_RULE", 0, 2, "  ") in [(rule, offset, length, span) for rule, offset, length, span, _ in found]


class Watched(dict):
    """One of LanguageTool's answers, whose end can be watched (weakref.finalize)."""


class WatchedGrammar(GrammarCheck):
    """The real check, counting LanguageTool's answers still held (``alive``) and noting that
    count each time it makes a finding (``at_findings``)."""

    def __init__(self, url: str, paragraphs: MemoryStore | None) -> None:
        super().__init__(LanguageToolClient(url, timeout=30, level="default"), piece_chars=2500, parallel=1,
                         paragraphs=paragraphs)
        self.alive = 0
        self.at_findings: list[int] = []

    def _check_pieces(self, tool, pieces, disabled_rules, parameters=()):
        answers = [Watched(answer) for answer in super()._check_pieces(tool, pieces, disabled_rules, parameters)]
        for answer in answers:
            weakref.finalize(answer, self._gone)
        self.alive += len(answers)
        return answers

    def _gone(self) -> None:
        self.alive -= 1

    def _finding(self, *args, **kwargs) -> Finding:  # type: ignore[override]
        self.at_findings.append(self.alive)
        return super()._finding(*args, **kwargs)


@pytest.mark.parametrize("cached", [False, True])
def test_each_answer_of_languagetool_is_let_go_of_once_it_is_read(
    languagetool_url: str, cached: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A book of unknown words gets 200,000 matches: they were all held while each was copied
    to its paragraph (with the paragraph cache) and again while findings were made of them."""
    sentence = "The team will recieve the award on Monday, and the council will decide the rest. "
    text = "\n\n".join(sentence * 26 for _ in range(5))  # five paragraphs of about 2,100 characters
    check = WatchedGrammar(languagetool_url, MemoryStore(10_000_000) if cached else None)
    at_splits: list[int] = []
    split = grammar_module._split

    def watched_split(*args):
        at_splits.append(check.alive)
        return split(*args)

    monkeypatch.setattr(grammar_module, "_split", watched_split)
    findings = check.check_text(text, "en-US")
    assert sum(text[f.offset : f.offset + f.length] == "recieve" for f in findings) == 5 * 26
    read = at_splits if cached else sorted(set(check.at_findings), reverse=True)
    assert read == [5, 4, 3, 2, 1], "the answers still held as each is read"
