"""The rule engine on real copy: the seed article's acceptance spans, selection, custom
packs, code-point spans, and linear time on hostile input."""

from __future__ import annotations

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.findings import Annotated, CheckOptions
from service.lt_request import annotated_document
from service.rulebook.book import RuleBook
from service.rulebook.kinds import BadExample, RegexRule, Scan
from service.rulebook.loading import RulePackError
from service.rulebook.regexes import line_anchors, look_behind, regex_problem, required_literals
from service.score_request import build_document

BOOK = RuleBook.load()
SEED = (Path(__file__).parent / "fixtures" / "seed-article.txt").read_text(encoding="utf-8")
FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = sorted((FIXTURES / "clean").glob("article-*.txt"))


def spans(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.rule_id, text[f.offset : f.offset + f.length]) for f in BOOK.check(text, **kwargs)]


@pytest.fixture(scope="module")
def seed_spans() -> list[tuple[str, str]]:
    return spans(SEED)


def count_span(found: list[tuple[str, str]], span: str, pack: str) -> int:
    return sum(1 for rule_id, text in found if text == span and rule_id.startswith(pack + "."))


def whole_text(book: RuleBook, text: str, monkeypatch: pytest.MonkeyPatch, **kwargs) -> list:
    """The book's findings with every rule searching the whole text at once (the definition),
    not paragraph by paragraph from what the book keeps."""
    with monkeypatch.context() as patch:
        patch.setattr(book, "_paragraph_spans", lambda scan, rules: {})
        return book.check(text, **kwargs)


ALL_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
EVERY_CHECK = {"checks": ("phrasing", "clickbait")}


def test_paragraph_by_paragraph_equals_the_whole_text_on_every_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    book = RuleBook.load()
    assert len(ALL_TEXTS) > 5
    # The last one has more paragraphs than the book searches one by one.
    for text in [*ALL_TEXTS, "Read also: know the meaning\n\n" * 1200]:
        expected = whole_text(book, text, monkeypatch, **EVERY_CHECK)
        assert book.check(text, **EVERY_CHECK) == expected  # searched
        assert book.check(text, **EVERY_CHECK) == expected  # kept


def test_an_edited_paragraph_is_searched_again_and_the_others_are_placed_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    book = RuleBook.load()
    book.check(SEED, **EVERY_CHECK)
    edited = SEED.replace("Putin left Jinping till the car", "Putin walked Jinping to the car", 1)
    edited = "A new first paragraph, know the meaning of it.\n\n" + edited
    found = book.check(edited, **EVERY_CHECK)
    assert found == whole_text(book, edited, monkeypatch, **EVERY_CHECK)
    flagged = [f.offset for f in found if f.rule_id == "clickbait.know-the-meaning"]
    assert edited.index("know the meaning") in flagged


# Paragraphs of real copy and the rules' own bad examples, with the breaks, blank lines and
# boundaries that paragraph-by-paragraph searching could get wrong.
_PARAGRAPHS = [p for text in ALL_TEXTS for p in text.split("\n\n") if p.strip()][:200] + [
    example.unmarked()[0] for rule in BOOK.rules for example in rule.examples.bad
]
_BREAKS = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\r\n\r\n", "\n", " ", ". ", "\n\t\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PARAGRAPHS), _BREAKS), min_size=1, max_size=8))
def test_paragraph_by_paragraph_equals_the_whole_text_on_generated_copy(pieces: list[tuple[str, str]]) -> None:
    text = "".join(p + b for p, b in pieces)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert BOOK.check(text, **EVERY_CHECK) == whole_text(BOOK, text, monkeypatch, **EVERY_CHECK)


def test_checks_in_many_threads_share_the_kept_paragraphs_safely() -> None:
    """The phrasing and clickbait checks of one report run at once on the same paragraphs, and
    other requests too: every thread gets the findings one thread alone gets."""
    texts = [f"Paragraph {n} opens here.\n\n" + text for n, text in enumerate(ALL_TEXTS * 3)]
    checks = [("clickbait",) if n % 2 else ("phrasing",) for n in range(len(texts))]
    one_thread = RuleBook.load()
    alone = [one_thread.check(text, checks=check) for text, check in zip(texts, checks, strict=True)]
    book = RuleBook.load()
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, as under load
    try:
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(lambda n: book.check(texts[n], checks=checks[n]), range(len(texts))))
    finally:
        sys.setswitchinterval(switch)
    assert found == alone


def test_a_look_behind_reads_across_the_blank_line_before_a_paragraph(tmp_path: Path) -> None:
    """What a paragraph's matches depend on includes what its look-behinds read before it."""
    (tmp_path / "after.yaml").write_text(
        """pack: after
check: phrasing
description: A paragraph that opens right after a sign-off.
rules:
  - id: after.sign-off
    kind: pattern
    category: style
    severity: suggestion
    message: Nothing should follow the sign-off.
    pattern: '(?<=Ends\\.\\n\\n)[A-Z]\\w+'
    examples:
      bad: ["Ends.\\n\\n[More] text here."]
      good: ["Ends. More text here."]
"""
    )
    book = RuleBook.load([tmp_path])
    first = "Report.\n\nMore text here."
    second = "Ends.\n\nMore text here."
    assert [f for f in book.check(first) if f.rule_id == "after.sign-off"] == []
    found = [f for f in book.check(second) if f.rule_id == "after.sign-off"]
    assert [second[f.offset : f.offset + f.length] for f in found] == ["More"]


def test_look_behind_counts_what_a_search_can_read_before_its_start() -> None:
    assert look_behind(re.compile(r"word")) == 1
    assert look_behind(re.compile(r"(?<!everything\s)\byou")) == 12
    assert look_behind(re.compile(r"(?:(?<=ab)c|(?<!xyz)d)+")) == 6
    assert look_behind(re.compile(r"(?<=a(?<=bc)d)e")) == 5
    assert look_behind(re.compile(r"(?P<span>(?<!not )bad)")) == 5  # inside a group too


@pytest.mark.parametrize(("pattern", "text", "found"), [
    (r"^\w+$", "one\r\ntwo\rthree\nfour", ["one", "two", "three", "four"]),
    (r"\w+\s*$", "one \r\ntwo", ["one ", "two"]),  # the line ends before "\r\n", not inside it
    (r"^$", "a\r\n\r\nb", [""]),  # one blank line, none between "\r" and "\n"
    (r"costs \$5", "costs $5", ["costs $5"]),  # escaped: a dollar sign
    (r"[$^]\d", "^1 $2", ["^1", "$2"]),  # in a class: members
    (r"[]$]x", "]x $x", ["]x", "$x"]),
    (r"[^]^$]x$", "$x ax", ["ax"]),
    (r"[$]$", "a$\r\nb$", ["$", "$"]),  # a class of one member, then the anchor
    (r"[^.]$", "Done.\r\nNot done", ["e"]),
    (r"[]]$", "[x]\r\ny]", ["]", "]"]),
    (r"[\]]$", "[x]\r\ny]", ["]", "]"]),  # an escaped "]" in a class
    (r"\w+\.$", "end.\r\nstop.", ["end.", "stop."]),  # an escaped dot, then the anchor
    (r"[\]$]x", "]x $x", ["]x", "$x"]),
])
def test_rule_anchors_match_at_every_line_break_segments_knows(pattern: str, text: str, found: list[str]) -> None:
    regex = re.compile(line_anchors(pattern), re.MULTILINE)
    assert [match.group() for match in regex.finditer(text)] == found
    if "\r" not in text:  # the same as Python's own anchors where lines end with "\n"
        assert [match.span() for match in regex.finditer(text)] == [
            match.span() for match in re.finditer(pattern, text, re.MULTILINE)]


def test_every_till_the_car_and_know_the_meaning_is_flagged(seed_spans: list[tuple[str, str]]) -> None:
    assert count_span(seed_spans, "left Jinping till the car", "translationese") == SEED.count(
        "left Jinping till the car"
    )
    assert count_span(seed_spans, "know the meaning", "clickbait") == SEED.count("know the meaning")


SEED_SPANS = [
    # (exact flagged text, rule id, how many times the seed has it)
    ("left Jinping till the car", "translationese.till-place", 5),
    ("know the meaning", "clickbait.know-the-meaning", 3),
    ("It is being said that", "translationese.it-is-being-said", 2),
    ("If experts are to be believed", "translationese.experts-believed", 1),
    ("has also come to the fore", "translationese.come-to-the-fore", 1),
    ("Follow for more updates:newsydron.com", "boilerplate.follow-for-updates", 1),
    ("Leave a Reply", "boilerplate.leave-a-reply", 1),
    ("Your email address will not be published", "boilerplate.email-not-published", 1),
    ("Required fields are marked *", "boilerplate.required-fields", 1),
    ("Similar Posts", "boilerplate.similar-posts", 1),
    (
        "Read Also:\nStephen Smith Autopsy Report, What Happened With Him? How Did He Die?\n"
        "Twitter Updates: From March 20, these big changes will be seen in Twitter account, "
        "update today itself",
        "boilerplate.link-farm",
        1,
    ),
    (SEED.splitlines()[0], "boilerplate.repeated-line", 2),  # the headline's 2nd and 3rd copies
]


@pytest.mark.parametrize(("span", "rule_id", "times"), SEED_SPANS, ids=[r for _, r, _ in SEED_SPANS])
def test_seed_acceptance_spans_are_exact(
    seed_spans: list[tuple[str, str]], span: str, rule_id: str, times: int
) -> None:
    assert SEED.count(span) >= times
    assert seed_spans.count((rule_id, span)) == times, [s for r, s in seed_spans if r == rule_id]


def test_seed_repeats_are_flagged_after_the_first_copy() -> None:
    headline = SEED.splitlines()[0]
    offsets = [f.offset for f in BOOK.check(SEED) if f.rule_id == "boilerplate.repeated-line"]
    first = SEED.index(headline)
    assert offsets and first not in offsets and all(SEED[o : o + len(headline)] == headline for o in offsets)


def test_promo_line_supersedes_the_glued_domain_inside_it() -> None:
    assert not [r for r, _ in spans(SEED) if r == "boilerplate.glued-domain"]
    alone = spans(SEED, disable=["boilerplate.follow-for-updates"])
    assert ("boilerplate.glued-domain", "newsydron.com") in alone


def test_the_boilerplate_pack_supersedes_the_clickbait_check_from_the_other_check() -> None:
    """The book run for the clickbait check alone still runs the furniture rules, drops the
    clickbait findings inside theirs and reports none of their own."""
    text = "The talks ended.\n\nLEAVE A REPLY\n\nSHOCKING scenes at the TOWN fair\n"
    outside = text.index("SHOCKING scenes")
    found = BOOK.check(text, checks=("clickbait",))
    assert {f.rule_id for f in found} == {"clickbait.shocking", "clickbait.shouting-headline"}
    assert all(f.offset >= outside for f in found)
    unshielded = BOOK.check(text, checks=("clickbait",), disable=("boilerplate.leave-a-reply",))
    assert [text[f.offset : f.offset + f.length] for f in unshielded if f.offset < outside] == ["LEAVE A REPLY"]
    assert ("boilerplate.leave-a-reply", "LEAVE A REPLY") in spans(text, checks=("phrasing",))


def test_a_second_copy_of_a_furniture_line_is_one_finding_not_a_repeated_line_too() -> None:
    """The boilerplate pack supersedes ``boilerplate.repeated-line``: each copy of a video
    player's labels is one finding to delete; a repeated headline is still a repeated line."""
    player = "JUST WATCHED Replay More Videos ... MUST WATCH"
    text = f"The champion faced questions.\n\n{player}\n\nHe spoke on Thursday.\n\n{player}\n"
    assert spans(text, checks=("phrasing",)) == [("boilerplate.video-player", player)] * 2
    both = spans(text, checks=("phrasing",), disable=("boilerplate.video-player",))
    assert both == [("boilerplate.repeated-line", player)]
    assert ("boilerplate.repeated-line", SEED.splitlines()[0]) in spans(SEED, checks=("phrasing",))


def test_the_clickbait_and_style_packs_leave_quoted_speech_alone() -> None:
    """A quotation is the speaker's words, which news style does not alter: the rules of a pack
    that skips quoted speech say nothing inside one (a quoted sentence or a partial quotation),
    but do on the writer's words around it ("she said, somewhat out of breath") and on a
    misheard spelling ("could of"), which is the writer's transcription. The translationese
    pack still judges quotations, and a title is no quotation."""
    text = (
        '"We literally ran in order to catch the bus," she said, somewhat out of breath. "We could of missed it."\n\n'
        'He literally ran in order to catch it, and called it "literally the worst day".\n\n'
        '"Putin left Jinping till the car," the channel said.\n'
    )
    found = [(f.rule_id, f.offset) for f in BOOK.check(text)]
    writer = text.index("He literally")
    judged = {"clickbait.literally", "style.in-order-to", "style.somewhat"}
    assert [(r, o) for r, o in found if r in judged] == [
        ("style.somewhat", text.index("somewhat")),
        ("clickbait.literally", writer + 3),
        ("style.in-order-to", text.index("in order to", writer)),
    ]
    assert ("style.should-of", text.index("could of")) in found
    assert ("translationese.till-place", text.index("left Jinping")) in found
    rules = {rule.id: rule for rule in BOOK.rules}
    assert rules["clickbait.literally"].skip_quoted_speech and not rules["style.should-of"].skip_quoted_speech
    assert not rules["translationese.till-place"].skip_quoted_speech
    assert [r for r, _ in spans('"We literally ran," she said.', field="title")] == ["clickbait.literally"]


def test_the_rules_of_another_check_run_only_when_something_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean text pays nothing for the furniture rules in the clickbait check's run: they run
    only to drop what they cover, so only when the check found something."""
    book = RuleBook.load()
    runs: list[set[str]] = []
    search = book._findings
    monkeypatch.setattr(book, "_findings", lambda document, rules, *rest: runs.append({r.pack for r in rules})
                        or search(document, rules, *rest))  # fmt: skip
    book.check("The talks ended on Tuesday.\n", checks=("clickbait",))
    assert runs == [{"clickbait"}]
    runs.clear()
    assert book.check("The talks ended.\n\nLEAVE A REPLY\n", checks=("clickbait",)) == []
    assert runs == [{"clickbait"}, {"boilerplate"}]


def test_supersedes_takes_any_selector_and_a_rule_never_supersedes_itself(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        """pack: mine
check: phrasing
rules:
  - id: mine.note-line
    kind: pattern
    category: style
    severity: suggestion
    message: A note line belongs in the margin, not the copy.
    pattern: '^Note: .+$'
    supersedes: [mine, style]
    examples: {bad: ["[Note: very good]"], good: ["A note."]}
  - id: mine.very
    kind: phrase
    category: style
    severity: suggestion
    message: Cut 'very'.
    phrases: [very]
    examples: {bad: ["It is [very] good."], good: ["It is good."]}
""",
        encoding="utf-8",
    )
    book = RuleBook.load([tmp_path])
    text = "Note: very good, in order to win\nIt is very good, in order to win."
    found = [(f.rule_id, f.offset) for f in book.check(text) if f.rule_id.startswith(("mine.", "style."))]
    second = text.index("It is")
    assert ("mine.note-line", 0) in found
    assert all(offset >= second for rule_id, offset in found if rule_id != "mine.note-line")
    assert {rule_id for rule_id, _ in found} == {"mine.note-line", "mine.very", "style.in-order-to"}


def test_till_the_car_suggests_a_rewrite() -> None:
    finding = next(f for f in BOOK.check("Putin left Jinping till the car.") if "till" in f.rule_id)
    assert any("Jinping to the car" in r or "off at" in r for r in finding.replacements)


def test_every_message_is_useful() -> None:
    for finding in BOOK.check(SEED):
        assert len(finding.message) >= 15, finding


def test_disable_and_enable_by_pack_and_rule() -> None:
    assert not [r for r, _ in spans(SEED, disable=["translationese"]) if r.startswith("translationese.")]
    till = next(r.id for r in BOOK.rules if r.pack == "translationese" and "till" in r.id)
    kept = spans(SEED, disable=[till])
    assert not [r for r, _ in kept if r == till]
    assert [r for r, _ in kept if r.startswith("translationese.")]
    clickbait_only = spans(SEED, checks=("clickbait",))
    assert clickbait_only and all(r.startswith("clickbait.") for r, _ in clickbait_only)


def test_unknown_selector_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        BOOK.check(SEED, disable=["no-such-pack"])


def test_default_disabled_rules_can_be_enabled_per_request() -> None:
    book = RuleBook.load(default_disabled=["translationese"])
    assert not [f for f in book.check(SEED) if f.rule_id.startswith("translationese.")]
    assert [f for f in book.check(SEED, enable=["translationese"]) if f.rule_id.startswith("translationese.")]


HOUSE_PACK = """pack: house
check: phrasing
description: Our house style.
rules:
  - id: house.no-whilst
    kind: substitution
    category: style
    severity: warning
    message: Write 'while'.
    substitutions: {whilst: while}
    examples: {bad: ["We waited [whilst] it rained."], good: ["We waited while it rained."]}
"""


def test_a_custom_pack_folder_adds_rules(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text(HOUSE_PACK)
    book = RuleBook.load([tmp_path])
    found = book.check("Reporters talked whilst they walked.")
    assert [(f.rule_id, f.replacements) for f in found] == [("house.no-whilst", ("while",))]
    assert "house" in {p["name"] for p in book.packs}


def test_a_substitution_finds_its_replacement_for_whatever_its_phrase_matched(tmp_path: Path) -> None:
    """Ignoring case, a phrase matches letters that lower() keeps apart (a long s, the Kelvin
    sign), and a key written with stray spaces matched text its replacement was not filed under:
    both raised KeyError, a 500 for the whole request (a built-in rule's too). A double space
    in a key asked for two whitespace characters in the text."""
    assert [(f.rule_id, f.replacements) for f in BOOK.check("The senator's paſt history came up.")] == [
        ("style.past-history", ("history",))
    ]
    plain = HOUSE_PACK.replace("{whilst: while}", '{"make  use of": use, "amidst ": amid}').replace(
        '{bad: ["We waited [whilst] it rained."], good: ["We waited while it rained."]}',
        '{bad: ["We [make use of] it.", "It stood [amidst] the noise."], good: ["We use it amid the noise."]}',
    )
    (tmp_path / "house.yaml").write_text(plain)
    found = RuleBook.load([tmp_path]).check("They make use of it amidst the noise, and make\n use of more.")
    assert [f.replacements for f in found] == [("use",), ("amid",), ("use",)]


def test_a_suggestion_is_written_in_the_case_of_the_words_it_replaces() -> None:
    """A one-click fix of "In order to win" gave "to win": the suggestions were written as the
    pack writes them, whatever the case of the words found."""
    text = "In order to win, they trained. At this point in time we know. They met in order to talk.\nIN ORDER TO WIN"
    found = [(f.rule_id, f.replacements[0]) for f in BOOK.check(text, checks=("phrasing",)) if f.replacements]
    assert found == [("style.in-order-to", "To"), ("style.at-this-point-in-time", "Now"),
                     ("style.in-order-to", "to"), ("style.in-order-to", "TO")]  # fmt: skip


def test_a_key_written_twice_in_a_pack_is_refused_not_dropped(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys: a second "rules:" block appended to a pack (or a
    substitution listed twice) dropped the first without a word, and the pack passed its tests."""
    appended = HOUSE_PACK[HOUSE_PACK.index("rules:") :].replace("whilst", "amidst")
    (tmp_path / "house.yaml").write_text(HOUSE_PACK + appended)
    with pytest.raises(RulePackError, match=r"house.yaml: cannot be read as YAML: 'rules' is written twice"):
        RuleBook.load([tmp_path])
    (tmp_path / "house.yaml").write_text(HOUSE_PACK.replace("{whilst: while}", "{whilst: while, whilst: whereas}"))
    with pytest.raises(RulePackError, match="'whilst' is written twice"):
        RuleBook.load([tmp_path])


@pytest.mark.parametrize("link", ["https://example.org/a b", "/style-guide#whilst", "example.org/guide"])
def test_a_rules_link_is_an_absolute_address(tmp_path: Path, link: str) -> None:
    """A link goes out as SARIF's helpUri and LanguageTool's rule url, which must be URIs: one
    with a space or a relative one made the gate's SARIF invalid."""
    def with_link(value: str) -> str:
        message = "    message: Write 'while'.\n"
        return HOUSE_PACK.replace(message, f"{message}    link: '{value}'\n")

    (tmp_path / "house.yaml").write_text(with_link(link))
    with pytest.raises(RulePackError, match="rule house.no-whilst: link: "):
        RuleBook.load([tmp_path])
    good = "https://example.org/guide#whilst"
    (tmp_path / "house.yaml").write_text(with_link(good))
    assert [f.link for f in RuleBook.load([tmp_path]).check("We sat whilst it rained.")] == [good]


def test_a_folder_without_packs_stops_the_service_and_hidden_files_are_no_packs(tmp_path: Path) -> None:
    """A wrong mount path (or packs named .YAML) started the service without the house rules and
    without a word; an editor's lock file or macOS's "._house.yaml" beside a pack stopped it."""
    with pytest.raises(RulePackError, match=r"no rule packs \(\*.yaml, \*.yml\) in "):
        RuleBook.load([tmp_path])
    (tmp_path / "notes.txt").write_text("not a pack")
    (tmp_path / "._house.yaml").write_bytes(b"\x00\x05\x16\x07\xff")
    with pytest.raises(RulePackError, match="no rule packs"):
        RuleBook.load([tmp_path])
    (tmp_path / "House.YAML").write_text(HOUSE_PACK)
    assert [f.rule_id for f in RuleBook.load([tmp_path]).check("We sat whilst it rained.")] == ["house.no-whilst"]


def test_spans_are_code_points_after_emoji() -> None:
    text = "🎉🎉 Putin left Jinping till the car 😀 and you won't believe what happened next"
    for rule_id, span in spans(text):
        assert span.strip() == span and span, rule_id
    assert ("left Jinping till the car") in [s for _, s in spans(text)]


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_clean_articles_give_no_findings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert spans(text) == []


@pytest.mark.parametrize("case_sensitive", [False, True])
def test_a_pattern_is_checked_as_it_runs_case_insensitive_unless_the_rule_says_otherwise(
    tmp_path: Path, case_sensitive: bool
) -> None:
    """Pattern rules ignore case by default, and a-z then A-Z are the same letters then: on a long
    word with no boundary after it the two repeats split it every way (quadratic time)."""
    (tmp_path / "house.yaml").write_text(
        f"""pack: house
check: phrasing
description: Our house style.
rules:
  - id: house.camel
    kind: pattern
    category: style
    severity: warning
    message: Split the run-together words.
    pattern: '\\b[a-z]+[A-Z]+\\b'
    case_sensitive: {str(case_sensitive).lower()}
    examples: {{bad: ["We saw [abcXYZ] there."], good: ["We saw abc there."]}}
"""
    )
    if case_sensitive:
        assert [f.rule_id for f in RuleBook.load([tmp_path]).check("We saw abcXYZ there.")] == ["house.camel"]
    else:
        with pytest.raises(RulePackError, match="house.camel: pattern: two repeats next to each other"):
            RuleBook.load([tmp_path])


def test_regex_safety_check() -> None:
    assert "nested quantifiers" in (regex_problem(r"\b(a+)+\b") or "")  # README: refused as such
    assert "nested quantifiers" in (regex_problem(r"(?:a+b)+") or "")
    assert "nested quantifiers" in (regex_problem(r"(?:a{2,5}b)+") or "")  # bounded, nested all the same
    assert regex_problem(r"(\w+\s?)*x")
    assert "backreferences" in (regex_problem(r"(a)\1") or "")
    assert regex_problem(r"(")
    assert regex_problem(r"\bleft\s+(\w+)\s+till\s+the\s+(\w+)") is None
    # Ambiguity without nesting: repeats side by side, alternatives or optional parts that
    # start alike inside a repeat.
    assert "next to each other" in (regex_problem(r"\w+\s*\w+") or "")
    # ... or across fixed parts the first repeat can take too, when the second can start like
    # them: on "a@a@a..." each "@" is a place to split (a power of the length per repeat).
    for ambiguous in (r"\S+@\S+\.\S+", r"a.*b.*c.*d", r"[^x]+y[^x]+z", r"\w+a\w+X", r"\w+[a-z]\w+X",
                      r"\s+[\w ]{1,30}\s+staff", r"\S+@x\S+"):
        assert "next to each other" in (regex_problem(ambiguous) or ""), ambiguous
    assert "bounded repeats" in (regex_problem(r"\w{0,99}\w{0,99}\w{0,99}X") or "")
    # A split the text forces is fine: the first repeat must end at what the second cannot take.
    for forced in (r"[^\r\n]*\S[^\S\r\n]*$", r"\S+@\w", r"\w{0,30}\w+x", r"\w+\s+\w+", r"x\w{0,9}?\s\w{0,9}y"):
        assert regex_problem(forced) is None, forced
    assert "next to each other" in (regex_problem(r"\bx\w+\s?\w+y") or "")
    assert "next to each other" in (regex_problem(r"(?:a?a)+b") or "")
    assert "alternatives" in (regex_problem(r"(?:\wb|ab)+x") or "")
    assert "end the way it starts" in (regex_problem(r"(?:a\w?)+x") or "")
    assert regex_problem(r"[ \t]*:?[ \t]*$")
    # An anchor or a look-around between two repeats matches no character, so it does not keep them apart.
    assert "next to each other" in (regex_problem(r"\w+\b\w+") or "")
    assert "next to each other" in (regex_problem(r"\w+(?=x)\w+") or "")
    # Inside a look-around, the engine backtracks just the same.
    assert "next to each other" in (regex_problem(r"(?=\w+\s*\w+)x") or "")
    assert "next to each other" in (regex_problem(r"[^a]+[^b]+") or "")
    assert "next to each other" in (regex_problem(r"[^,;]+\w+") or "")  # a negated class is wide
    assert "next to each other" in (regex_problem(r"\w+\s*(\w+)") or "")  # a group hides no repeat
    assert "next to each other" in (regex_problem(r"(?i)a+A+") or "")
    assert "next to each other" in (regex_problem(r"(?i:a+)A+") or "")  # the group's own flag
    assert "next to each other" in (regex_problem(r"(?i)(a+)A+") or "")  # the pattern's, in a group
    assert "next to each other" in (regex_problem(r"\w+(?:,|)\w+") or "")  # an empty alternative
    assert "next to each other" in (regex_problem(r"[a-z]+\w+") or "")  # a range is its letters
    assert "next to each other" in (regex_problem(r"[a-c]+a+") or "")  # both ends included
    assert "next to each other" in (regex_problem(r"[a-c]+c+") or "")
    # ... and what rules do use stays allowed.
    assert regex_problem(r"[^,]+,[^,]+") is None
    assert regex_problem(r"[^,;]+[,;]+") is None
    assert regex_problem(r"a+A+") is None  # case matters unless the pattern says otherwise
    assert regex_problem(r"(?i)a+b+") is None
    assert regex_problem(r"(a+)A+") is None
    assert regex_problem(r"\b(?:\d+)?%") is None  # an optional number: nothing repeats it
    assert regex_problem(r"\bfoo(?:\s+)?bar") is None  # an optional repeat, not a repeated one
    assert regex_problem(r"(?>abc)+d") is None
    assert regex_problem(r"\bleft\s+(\w+(?:\s+\w+)?)\s+till\s+the\s+(\w+)") is None
    assert regex_problem(r"^[ \t]*(?P<span>leave\s+a\s+reply)[ \t]*(?::[ \t]*)?$") is None
    # Bounded, but between two \s+ it can be spaces too: "by" and 4,000 spaces took 4.9 s (refused
    # above). Starting with a letter it forces the first \s+ to end.
    assert regex_problem(r"\bby\s+\w[\w ]{0,29}\s+staff") is None
    assert regex_problem(r"(?:ab|cd)+e") is None
    # Case-insensitive ranges: "ß".upper() is "SS", two characters, which no range holds.
    assert regex_problem(r"(?i)\b[a-z]{3,}ing\b") is None
    assert "next to each other" in (regex_problem(r"(?i)[a-z]+\w+") or "")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bfoo(?:\s+barbaz)?\b", "a foo here"),  # the longest literal is optional
        (r"\bfoo(?:\s+barbaz)*", "a foo here"),
        (r"(?:alpha|beta)gamma", "BETAGAMMA"),
        (r"x(?:longest){1,2}y", "xlongesty"),
    ],
)
def test_the_literal_prefilter_never_skips_a_text_the_rule_matches(pattern: str, text: str) -> None:
    """A rule's regex runs only on paragraphs holding one of its required literals: each must be
    in every match, or the rule misses what it should find."""
    regex = re.compile(pattern, re.IGNORECASE)
    assert regex.search(text)
    needles = required_literals(regex)
    assert needles is None or any(needle in text.lower() for needle in needles)


def _regex_rules() -> list[RegexRule]:
    return [rule for rule in BOOK.rules if isinstance(rule, RegexRule)]


@pytest.mark.parametrize("rule", _regex_rules(), ids=lambda r: r.id)
def test_each_regex_rule_is_fast_on_200k_hostile_characters(rule: RegexRule) -> None:
    """Every phrase, substitution and pattern rule on ~200,000 characters built to make a
    backtracking engine stall: its own bad example over and over, and its literal cue
    followed by a long run of short words, one long word or one long gap. The prefilter is
    bypassed (the cue is present). The bound is generous; exponential or quadratic matching
    blows far past it. Also the flagged text of that example many times on one line that ends
    in a space that is neither a space nor a tab (a pattern that wants only those before the
    line's end retried from each repeat), and after a long run of line breaks and a letter (a
    "^\\s*" tried from each line start ran over the whole run), as the whole of a title is scanned."""
    cue = min(rule.needles or {"a"}, key=len)
    example, start, end = rule.examples.bad[0].unmarked()
    flagged = example[start:end] or example
    hostile = [
        (example + " ") * (200_000 // (len(example) + 1)),
        cue + " a" * 100_000,
        cue + " " + cue * (200_000 // len(cue)),
        cue + " " * 200_000 + "x",
        cue + "a" * 200_000,
        (cue + " ") * (200_000 // (len(cue) + 1)),
    ]
    whole = [  # scanned whole, as a title is (a body's scan skips blank lines without the cue)
        (flagged.replace("\n", " ") + " ") * (100_000 // (len(flagged) + 1)) + "\u00a0",
        "\n" * 100_000 + "x" + flagged,  # "x": no match at the first line start, none ends the scan
        "\r" * 100_000 + "x" + flagged,
    ]
    for text, spans in [*((t, rule.spans(Scan(t))) for t in hostile),
                        *((t, rule.spans_between(t, 0, len(t))) for t in whole)]:
        started = time.thread_time()  # CPU time: other processes on a busy host do not count
        for _ in spans:
            pass
        elapsed = time.thread_time() - started
        assert elapsed < 2.0, f"{rule.id}: {elapsed:.2f} s on {text[:40]!r}..."


HOSTILE = [
    "a " * 50_000,
    "left " * 40_000,
    "Putin left Jinping till the " * 5_000,
    "!?" * 50_000,
    "A" * 100_000,
    ("x" * 60 + ".com:") * 2_000,
    "Read Also:\n" + "Some Headline Words Here\n" * 5_000,
    "word\n" * 50_000,
    "Read also" + " " * 100_000 + "x\nSome Headline Words Here\n",
    "Welcomed warmly, Putin left Jinping till the car\n" * 4_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_every_rule_runs_in_linear_time_on_hostile_input(text: str) -> None:
    """Doubling hostile input must not much more than double the time (exponential or
    quadratic blow-up fails); compared as a ratio of CPU times, with generous slack."""

    def elapsed(sample: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()  # CPU time: other processes on a busy host do not count
            BOOK.check(sample)
            BOOK.check(sample, field="title")
            best = min(best, time.thread_time() - started)
        return best

    half, full = elapsed(text[: len(text) // 2]), elapsed(text)
    assert full < 5.0, f"{full:.2f} s on {len(text)} characters"
    assert full < 4 * half + 0.05, f"half {half:.3f} s, full {full:.3f} s"


@pytest.mark.parametrize("path", [FIXTURES / "seed-article.txt", *CLEAN], ids=lambda p: p.name)
def test_prefilter_and_paragraph_windows_lose_no_match(path: Path) -> None:
    """The engine scans only paragraphs holding a rule's literal text; a plain scan of the
    whole text by the same regex finds exactly the same matches."""
    text = path.read_text(encoding="utf-8")
    bad = [example.unmarked()[0] for rule in BOOK.rules for example in rule.examples.bad]
    text = text + "\n\n" + "\n\n".join(bad)
    for rule in _regex_rules():
        named = "span" in rule.regex.groupindex
        plain = [m.span("span") if named else m.span() for m in rule.regex.finditer(text)]
        assert [(s, e) for s, e, _ in rule.spans(Scan(text))] == [(s, e) for s, e in plain if e > s], rule.id


def test_the_engines_own_regexes_pass_the_safety_check_unless_delimited() -> None:
    """The engine's own regexes face the same hostile text as rules do (the schema's face
    only pack files). Those the checker refuses only for nesting are delimited ('.' starts
    each repeat)."""
    import service.rulebook.book as book
    import service.rulebook.examples as examples
    import service.rulebook.kinds as kinds
    import service.rulebook.loading as loading
    import service.rulebook.regexes as regexes
    import service.rulebook.structure as structure

    own = {
        name: value.pattern
        for module in (book, examples, kinds, loading, regexes, structure)
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern)
    }

    def schema_patterns(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    own[where] = value
                else:
                    schema_patterns(value, f"{where}/{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                schema_patterns(value, f"{where}/{n}")

    schema_patterns(loading.schema(), "schema")
    assert "schema/$defs/ruleId" in own and "_GLUED" in own
    delimited = {"_GLUED", "schema/$defs/ruleId", "schema/$defs/selector"}
    for name, pattern in own.items():
        problem = regex_problem(pattern)
        assert problem is None or (name in delimited and problem.startswith("nested")), (name, problem)


def test_a_repetition_rule_can_work_by_sentence(tmp_path: Path) -> None:
    (tmp_path / "echo.yaml").write_text(
        """pack: echo
check: phrasing
description: Repeated sentences.
rules:
  - id: echo.sentence
    kind: repetition
    unit: sentence
    category: boilerplate
    severity: warning
    message: This sentence repeats an earlier one word for word.
    examples:
      bad: ["The mayor spoke at noon. Rain fell. [The mayor spoke at noon.]"]
      good: ["The mayor spoke at noon. The mayor spoke again at six."]
"""
    )
    book = RuleBook.load([tmp_path])
    text = "Xi met Putin in Moscow on Monday. Talks lasted.\nXi met Putin in Moscow on Monday. Then lunch."
    found = [f for f in book.check(text) if f.rule_id == "echo.sentence"]
    assert [(f.offset, text[f.offset : f.offset + f.length]) for f in found] == [
        (text.rindex("Xi met"), "Xi met Putin in Moscow on Monday.")
    ]


TOC_MARKDOWN = """# Guide

Contents:

- [How the score is computed](#how)
- [Metrics, logs, API keys and rate limits][metrics]

## How the score is computed

The score is a number between zero and one hundred for the text.

## Metrics, logs, API keys and rate limits

The service counts requests and keeps logs of them for operators.

[Back to how the score is computed](#how)

[metrics]: #metrics
"""
TOC_HTML = (
    '<h1>Guide</h1>\n<ul>\n<li><a href="#how">How the score is computed</a></li>\n'
    '<li><a href="#metrics">Metrics, logs, API keys and rate limits</a></li>\n</ul>\n'
    '<h2 id="how">How the score is computed</h2>\n<p>The score is a number between zero and one hundred.</p>\n'
    '<h2 id="metrics">Metrics, logs, API keys and rate limits</h2>\n<p>The service keeps logs.</p>\n'
    '<p><a href="#how">How the score is computed</a></p>\n'
)


def repeated(document_or_text, book: RuleBook = BOOK, rule_id: str = "boilerplate.repeated-line") -> list[str]:
    text = document_or_text if isinstance(document_or_text, str) else document_or_text.text
    return [text[f.offset : f.offset + f.length] for f in book.check(document_or_text) if f.rule_id == rule_id]


@pytest.mark.parametrize(("source", "fmt"), [(TOC_MARKDOWN, "markdown"), (TOC_HTML, "html")])
def test_a_heading_that_a_table_of_contents_names_is_no_repeated_line(source: str, fmt: str) -> None:
    """The link texts of a table of contents (and a "back to" link after the heading) are the
    headings' words: navigation, not a pasted headline. A pasted paragraph is still caught."""
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    assert len(document.in_document_links) == 3
    assert repeated(document) == []
    pasted = source + ("\nThe service counts requests and keeps logs of them for operators.\n" if fmt == "markdown"
                       else "<p>The service keeps logs of them for operators.</p>\n" * 2)
    copy = "The service counts requests and keeps logs of them for operators." if fmt == "markdown" else (
        "The service keeps logs of them for operators.")
    assert repeated(build_document(pasted, None, fmt)) == [copy]  # type: ignore[arg-type]


def test_the_same_lines_as_plain_text_or_as_links_that_name_no_heading_are_still_repeats() -> None:
    """Only a link makes a line navigation: the same prose checked as plain text repeats its
    headings. A link with a heading's words is a table of contents' entry whatever its
    destination (DocBook links its entries to "ch06.en.html#how", the page's own file, which a
    reader of one page cannot tell from another page's); a line linking elsewhere with other
    words, pasted twice, is still a repeat."""
    headings = ["How the score is computed", "Metrics, logs, API keys and rate limits"]
    assert repeated(build_document(TOC_MARKDOWN, None, "markdown").text)[:2] == headings
    elsewhere = TOC_MARKDOWN.replace("](#how)", "](guide.html#how)").replace("]: #metrics", "]: /guide.html#metrics")
    assert repeated(build_document(elsewhere, None, "markdown")) == []
    link = "[Read the full report on the budget](https://example.com/budget)\n\n"
    assert repeated(build_document(elsewhere + link + link, None, "markdown")) == ["Read the full report on the budget"]


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_line_of_a_hard_wrapped_paragraph_is_no_repeated_line(fmt: str) -> None:
    """git's manual opens two options' paragraphs with the same wrapped line ("Look for
    differences that change the number of occurrences of", then "the specified string" or "the
    specified object"): a line that a sentence runs into or on from is a repeat only with a
    repeated line beside it. A line pasted twice on its own, and a wrapped paragraph pasted
    twice (line after line), are still repeats."""
    first = "Look for differences that change the number of occurrences of\n"
    paragraphs = [first + "the specified string in a file.", first + "the specified object in a tree."]
    pasted = "Pasted line from the site menu here"
    if fmt == "html":
        source = "".join(f"<dd><p>\n{p}\n</p></dd>\n" for p in paragraphs) + f"<p>{pasted}</p>\n" * 2
        twice = f"<p>{paragraphs[1]}</p>\n"
    else:
        source = "".join(p + "\n\n" for p in paragraphs) + (pasted + "\n\n") * 2
        twice = paragraphs[1] + "\n"
    assert repeated(build_document(source, None, fmt)) == [pasted]  # type: ignore[arg-type]
    lines = paragraphs[1].split("\n")
    assert repeated(build_document(source + twice, None, fmt)) == [pasted, *lines]  # type: ignore[arg-type]
    if fmt == "text":  # a forum's rank under a bullet alone on its line, as a scraper writes it
        rank = "-\n\tMember of the forum team\n  - 03.03.2011\n"
        assert repeated(build_document(rank + "I agree.\n\n" + rank, None, fmt)) == ["Member of the forum team"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_lines_that_differ_only_in_their_inline_code_are_no_repeats(fmt: str) -> None:
    """An API reference's "`replacer`: Same as the `replacer` parameter." and "`space`: Same as
    the `space` parameter." were one line repeated: the prose view blanks inline code, and the
    copies were compared there. They are compared as written; a line pasted twice is still one."""
    if fmt == "markdown":
        lines = ["- `replacer`: Same as the `replacer` parameter.", "- `space`: Same as the `space` parameter.",
                 "\nRun it like the command `patch < fix.diff`:", "\nRun it like the command `patch a.txt fix.diff`:"]
        source = "\n".join(lines) + "\n"
    else:
        lines = ["<li><code>replacer</code>: Same as the <code>replacer</code> parameter.</li>",
                 "<li><code>space</code>: Same as the <code>space</code> parameter.</li>",
                 "<p>Run it like the command <code>patch &lt; fix.diff</code>:</p>",
                 "<p>Run it like the command <code>patch a.txt fix.diff</code>:</p>"]
        source = "<ul>\n" + "\n".join(lines[:2]) + "\n</ul>\n" + "\n".join(lines[2:]) + "\n"
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    assert repeated(document) == []
    pasted = build_document(source + lines[3] + "\n", None, fmt)  # type: ignore[arg-type]
    (copy,) = [f for f in BOOK.check(pasted) if f.rule_id == "boilerplate.repeated-line"]
    assert copy.offset == pasted.text.rindex("Run it like the command")


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_tables_repeated_rows_and_cells_are_no_repeats(fmt: str) -> None:
    """Two benchmark tables share their header row, and an HTML table written a cell a line
    repeats its values ("Not in the lock file"): a table repeats by nature, in plain text
    between pipes too. The same words as paragraphs are still repeats."""
    header, value = ["Name of the test", "Time per run"], "Not in the lock file"
    if fmt in ("markdown", "text"):
        table = "| " + " | ".join(header) + " |\n|---|---|\n| " + value + " | 3 |\n| " + value + " | 4 |\n"
    else:
        rows = "".join(f"<tr>\n<td>{value}</td>\n<td>{n}</td>\n</tr>\n" for n in (3, 4))
        table = "<table>\n<tr>\n" + "".join(f"<th>{h}</th>\n" for h in header) + "</tr>\n" + rows + "</table>\n"
    source = table + ("\n" if fmt != "html" else "") + table
    assert repeated(build_document(source, None, fmt)) == []  # type: ignore[arg-type]
    prose = f"{value}.\n\n{value}.\n" if fmt != "html" else f"<p>{value}.</p>\n<p>{value}.</p>\n"
    assert repeated(build_document(prose, None, fmt)) == [f"{value}."]  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_photographers_credit_under_each_picture_is_no_repeat(fmt: str) -> None:
    """A story with photos puts the same credit in each figure's caption ("Photo by Joan
    Bardeletti", six times on one page): that is how credits are given, not pasted copy. The same
    line as paragraphs is still a repeat."""
    credit = "Photo by Joan Bardeletti"
    figure = f"<figure>\n<img src=photo.jpg>\n<figcaption>{credit}</figcaption>\n</figure>\n\n"
    figures = "".join(f"{figure}<p>Part {n} of the story.</p>\n\n" for n in range(3))
    assert repeated(build_document(figures, None, fmt)) == []  # type: ignore[arg-type]
    prose = f"<p>{credit}</p>\n\n<p>{credit}</p>\n"
    assert repeated(build_document(prose, None, fmt)) == [credit]  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", ["line", "sentence", "paragraph"])
def test_repetition_units_end_at_the_blocks_of_the_markup(tmp_path: Path, unit: str) -> None:
    """A sentence or paragraph of a repetition rule is the document's (``Document.sentences`` and
    ``Document.paragraphs``), and a line ends at a block's edge too (``Document.lined``): in
    HTML on one line each <p> is its own, so a pasted one is caught, and a table of contents'
    entry is not the first copy of its heading."""
    (tmp_path / "echo.yaml").write_text(
        f"""pack: echo
check: phrasing
description: Repeated {unit}s.
rules:
  - id: echo.{unit}
    kind: repetition
    unit: {unit}
    category: boilerplate
    severity: warning
    message: This {unit} repeats an earlier one word for word.
    examples:
      bad: ["Xi met Putin in Moscow.\\n\\nRain fell.\\n\\n[Xi met Putin in Moscow.]"]
      good: ["Xi met Putin in Moscow.\\n\\nXi met Putin in Beijing."]
"""
    )
    book = RuleBook.load([tmp_path])
    html = "<p>Xi met Putin in Moscow</p><p>Xi met Putin in Moscow</p>"
    assert repeated(build_document(html, None, "html"), book, f"echo.{unit}") == ["Xi met Putin in Moscow"]
    assert repeated(build_document(TOC_HTML, None, "html"), book, f"echo.{unit}") == []
    assert repeated(build_document(TOC_MARKDOWN, None, "markdown"), book, f"echo.{unit}") == []
    # LanguageTool's annotated text (/v2 "data") has markup but no blocks: its blank lines cut it.
    parts = (Annotated("<p>", markup=True), Annotated("Xi met Putin in Moscow."), Annotated("</p>", markup=True),
             Annotated("\n\n"), Annotated("Xi met Putin in Moscow."))
    document = annotated_document(parts, "en-US", CheckOptions())
    assert repeated(document, book, f"echo.{unit}") == ["Xi met Putin in Moscow."]


def test_a_regex_rule_reads_each_block_of_html_as_a_line_of_its_own() -> None:
    """A page of HTML is often one line of source: ``^`` and ``$`` match at the edges of its
    blocks (``Document.lined``), so a label alone in its block is found, and a match that runs to
    the end of its line stops at the end of its block, not of the page."""
    source = (
        "<p>The fares rose again.</p><p><strong>Related:</strong> Airline delays its alliance membership</p>"
        "<h2>Most read</h2><ul><li>Fares may rise again in spring</li></ul>"
    )
    document = build_document(source, None, "html")
    found = [(f.rule_id, source[f.offset : f.offset + f.length]) for f in BOOK.check(document, checks=["phrasing"])]
    assert found == [
        ("boilerplate.inline-read-also", "Related:</strong> Airline delays its alliance membership"),
        ("boilerplate.similar-posts", "Most read"),
    ]
    assert document.lined.replace("\n", " ") == document.text and len(document.lined) == len(document.text)
    plain = "Related: Airline delays its alliance membership"
    assert build_document(plain, None, "text").lined is plain


def test_a_link_farm_block_is_found_whatever_the_line_breaks() -> None:
    """The block is cut into lines as segments.lines cuts them: LF, CRLF and CR alike."""
    block = "Read Also:\nStephen Smith Autopsy Report, What Happened With Him\nTwitter Changes Coming From March 20"
    for newline in ("\n", "\r\n", "\r"):
        text = f"The talks ended.{newline}{newline}" + block.replace("\n", newline) + f"{newline}{newline}More text."
        found = [text[f.offset : f.offset + f.length] for f in BOOK.check(text) if f.rule_id == "boilerplate.link-farm"]
        assert found == [block.replace("\n", newline)], repr(newline)


def test_a_link_farm_block_takes_its_list_after_a_blank_line_and_in_every_format() -> None:
    """A label, then its list after a blank line (a Markdown paragraph and its list, an HTML
    label and its links, an extractor's paragraphs) is one block, and its label is no orphan
    left alone; the block stops before a blank line in plain text (a subheading after the list
    stays the article's), at a hard-wrapped line of prose (a byline under the links) and at a
    line that ends as prose."""
    links = ("Putin Meets Xi in Moscow", "Ten Things You Never Knew About Tea")
    sources = {
        "text": f"The talks stalled.\n\nRead Also:\n\n{links[0]}\n{links[1]}\n\n"
        "Council Votes to Close Library\n\nThe end.",
        "markdown": f"The talks stalled.\n\nRead Also:\n\n- [{links[0]}](https://a.example/1)\n- [{links[1]}](https://a.example/2)\n",
        "html": "<p>The talks stalled.</p><p><b>Read Also:</b></p><ul>"
        + "".join(f"<li><a href='https://a.example/{n}'>{link}</a></li>" for n, link in enumerate(links))
        + "</ul><p>Erin Cunningham is a correspondent for The Post. She previously\n covered Egypt.</p>",
    }
    for fmt, source in sources.items():
        document = build_document(source, None, fmt)  # type: ignore[arg-type]
        found = [f for f in BOOK.check(document, checks=["phrasing"]) if f.rule_id.startswith("boilerplate.")]
        assert [f.rule_id for f in found] == ["boilerplate.link-farm"], fmt
        block = source[found[0].offset : found[0].offset + found[0].length]
        assert block.startswith("Read Also:") and block.endswith(links[1]), fmt
    orphan = "The talks stalled.\n\nRead Also:\n\nThe talks resume on Monday, when the two sides meet.\n"
    found = [f.rule_id for f in BOOK.check(orphan) if f.rule_id.startswith("boilerplate.")]
    assert found == ["boilerplate.orphan-read-label"]


def test_superseded_findings_inside_a_covering_one_are_dropped_at_any_size() -> None:
    """The promo line supersedes the glued domain in it, copy after copy; a glued domain
    outside any promo line stays."""
    promo = "Follow for more updates:newsydron.com\n\n"
    text = promo * 300 + "See details:example.com now.\n"
    found = BOOK.check(text)
    assert sum(f.rule_id == "boilerplate.follow-for-updates" for f in found) == 300
    glued = [text[f.offset : f.offset + f.length] for f in found if f.rule_id == "boilerplate.glued-domain"]
    assert glued == ["example.com"]


def test_a_scan_windows_start_at_line_starts_and_skip_paragraphs_without_the_literal() -> None:
    text = "First para\nhas till.\n\n  Second para\n\r\n\tThird till here"
    scan = Scan(text)
    assert scan.window_starts == [0, text.index("  Second"), text.index("\tThird")]
    assert scan.windows(frozenset({"till"})) == [(0, text.index("  Second")), (text.index("\tThird"), len(text))]
    assert scan.windows(None) == [(0, len(text))]
    assert BadExample("a [b] c").unmarked() == ("a b c", 2, 3)


def test_the_schema_and_the_code_agree_on_every_closed_set_and_field() -> None:
    """The schema names kinds, severities, units, functions and fields; the code has a table
    or class for each. Adding a kind is a class plus its branch: this keeps them in step."""
    from dataclasses import fields

    from service.findings import CHECK_NAMES, SEVERITIES
    from service.rulebook import kinds, loading
    from service.rulebook.structure import STRUCTURE_CHECKS

    schema = loading.schema()
    rule = schema["$defs"]["rule"]
    assert tuple(rule["properties"]["kind"]["enum"]) == tuple(kinds.KINDS)
    assert tuple(rule["properties"]["severity"]["enum"]) == SEVERITIES
    assert set(loading.PACK_CHECKS) <= set(CHECK_NAMES)
    assert schema["$defs"]["structure"]["properties"]["function"]["enum"] == list(STRUCTURE_CHECKS)
    assert schema["$defs"]["repetition"]["properties"]["unit"]["enum"] == list(kinds._UNITS)
    assert set(rule["properties"]) - {"kind"} == {f.name for f in fields(kinds.Rule)} - {"pack", "check"}
    for kind, cls in kinds.KINDS.items():
        branch = loading._kind_schema(kind)
        assert set(branch["properties"]) - {"replacements"} == set(cls.own_fields()), kind


def test_the_schema_ships_in_the_package() -> None:
    import fnmatch
    import tomllib

    from service.rulebook.loading import SCHEMA_FILE
    from service.settings import PROJECT_ROOT

    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["service"]
    relative = SCHEMA_FILE.relative_to(PROJECT_ROOT / "service").as_posix()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in shipped), shipped
    assert any(d.startswith("jsonschema==") for d in pyproject["project"]["dependencies"])


def test_coverage_tells_a_span_inside_from_one_that_only_overlaps() -> None:
    """``contains`` (a superseded finding) and ``overlaps`` (LanguageTool's match of a rule that a
    copydesk finding names), by bisection over spans in any order, nested or apart."""
    from service.rulebook.book import Coverage

    coverage = Coverage([(30, 40), (10, 20), (5, 8), (12, 14)])
    inside = [(10, 20), (12, 13), (31, 39)]
    overlapping = [(0, 6), (19, 25), (39, 50), (7, 11)]
    apart = [(0, 5), (8, 10), (20, 30), (40, 41)]
    assert [coverage.contains(*span) for span in inside + overlapping + apart] == [True] * 3 + [False] * 8
    assert [coverage.overlaps(*span) for span in inside + overlapping + apart] == [True] * 7 + [False] * 4
    assert not Coverage([]) and not Coverage([]).overlaps(0, 100)
