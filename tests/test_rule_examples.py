"""One harness for every rule of every pack (``service.rulebook.examples``): each bad example
gives exactly one finding of its rule at the [bracketed] span, each good example gives none
(LanguageTool's approach). One test case per example, so a failure names its rule.

No rule needs test code of its own, and none ships without examples. The broken packs in
``tests/fixtures/broken_packs/`` prove the loader and the harness fail when they should.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests

from service.rulebook.book import RuleBook, RulePackError
from service.rulebook.examples import Example, check_example, examples_of, packs_in, run_examples
from service.rulebook.loading import load_pack
from service.settings import PROJECT_ROOT

# The built-in packs and the example user pack that docker compose mounts.
CUSTOM = PROJECT_ROOT / "custom-rules"
BOOK = RuleBook.load([CUSTOM])
EXAMPLES = examples_of(BOOK)
BROKEN = Path(__file__).parent / "fixtures" / "broken_packs"
MINIMUM_RULES = {"translationese": 40, "clickbait": 40, "boilerplate": 20, "style": 40}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_rule_example(example: Example) -> None:
    failure = check_example(BOOK, example)
    assert failure is None, str(failure)


def test_the_harness_covers_every_example_of_every_rule_of_both_folders() -> None:
    """A two-way count: every rule's examples are cases, and every case names a loaded rule."""
    expected = sum(len(r.examples.bad) + len(r.examples.good) for r in BOOK.rules)
    assert len(EXAMPLES) == expected > 400
    assert {e.rule.id for e in EXAMPLES} == {r.id for r in BOOK.rules}
    assert "house" in {e.pack.name for e in EXAMPLES}


def test_run_examples_passes_on_the_built_in_packs_and_custom_rules() -> None:
    assert run_examples() == []
    assert run_examples([CUSTOM]) == []
    book = RuleBook.load([CUSTOM])
    assert [p.name for p in packs_in(book, [CUSTOM])] == ["house"]
    assert {p.name for p in packs_in(book, [])} == set(MINIMUM_RULES)


def test_every_rule_has_bad_and_good_examples_and_every_pack_its_size() -> None:
    for rule in BOOK.rules:
        assert rule.examples.bad and rule.examples.good, rule.id
    sizes = {pack["name"]: pack["rule_count"] for pack in BOOK.packs}
    for name, minimum in MINIMUM_RULES.items():
        assert sizes.get(name, 0) >= minimum, f"pack {name} has {sizes.get(name, 0)} rules, needs {minimum}"


def test_rule_ids_are_unique_and_carry_their_pack() -> None:
    ids = [rule.id for rule in BOOK.rules]
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(rule.pack + ".") for rule in BOOK.rules)


# --------------------------------------------------------------------------------------------
# Packs that must not load: "<file>: rule <id>: <field>: <problem>"
# --------------------------------------------------------------------------------------------

REFUSED = [
    ("bad-severity.yaml", r"rule broken\.loud: severity: 'fatal' is not one of error, warning, suggestion$"),
    ("nested-quantifier.yaml", r"rule broken\.slow: pattern: nested quantifiers"),
    ("backreference.yaml", r"rule broken\.echo: pattern: backreferences"),
    ("no-span.yaml", r"rule broken\.unmarked: examples\.bad\[0\]: must mark exactly one \[span\]"),
    ("unknown-kind.yaml", r"rule broken\.magic: kind: 'magic' is not one of phrase, pattern, substitution,"),
    ("no-examples.yaml", r"rule broken\.bare: examples: is required$"),
    ("bad-function.yaml", r"rule broken\.script: function: \"__import__\('os'\)\.system\" is not one of glued-domain"),
    ("ambiguous-repeats.yaml", r"rule broken\.split: pattern: two repeats next to"),
]


@pytest.mark.parametrize(("fixture", "message"), REFUSED, ids=[f for f, _ in REFUSED])
def test_broken_packs_are_refused_with_file_rule_field_and_problem(fixture: str, message: str) -> None:
    with pytest.raises(RulePackError, match=rf"^{BROKEN / fixture}: {message}"):
        load_pack(BROKEN / fixture)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("duplicate-id.yaml", r"rule broken\.twice: id: used twice \(also in "),
        ("unknown-supersedes.yaml", r"rule broken\.cover: supersedes: unknown pack or rule broken\.nothing-here$"),
    ],
)
def test_what_only_the_whole_book_shows_is_refused_too(tmp_path: Path, fixture: str, message: str) -> None:
    shutil.copy(BROKEN / fixture, tmp_path)
    with pytest.raises(RulePackError, match=rf"^{tmp_path / fixture}: {message}"):
        RuleBook.load([tmp_path])


PACK = """pack: mine
check: phrasing
rules:
  - id: mine.end-result
    kind: phrase
    category: redundancy
    severity: suggestion
    message: Write 'result'.
    phrases: [end result]
    examples: {bad: ["The [end result] was a draw."], good: ["The result was a draw."]}
"""


R = r"rule mine\.end-result: "
PHRASES = "phrases: [end result]"
# (edits to the valid pack above, the message expected): one edit, or two to change the kind.
CHANGED = [
    (((PHRASES, "phrase: [end result]"),), R + "phrase: unknown field for kind phrase"),
    (((PHRASES, PHRASES + "\n    colour: red"),), R + "colour: unknown field for kind phrase"),
    (((PHRASES, "phrases: []"),), R + "phrases: must not be empty"),
    (((PHRASES, "phrases: ['  ']"),), R + r"phrases\[0\]: must be text, not blank"),
    ((("severity: suggestion", "severity: 3"),), R + "severity: 3 is not one of error, warning, suggestion"),
    ((("message: Write 'result'.", "message: ''"),), R + "message: must be text, not blank"),
    ((("id: mine.end-result", "id: Mine.End"),), r"rule Mine\.End: id: must look like 'pack\.rule-name'"),
    ((("id: mine.end-result", "id: other.end-result"),), r"rule other\.end-result: id: must start with the pack's"),
    ((("    kind: phrase\n", ""),), R + "kind: is required"),
    ((("- id: mine.end-result\n    kind: phrase", "- kind: phrase"),), r"rule #1: id: is required"),
    ((('good: ["The result was a draw."]', "good: 3"),), R + r"examples\.good: must be a list"),
    ((('bad: ["The [end result] was a draw."]', "bad: [{text: x}]"),), R + r"examples\.bad\[0\]: must be text with"),
    ((("check: phrasing", "check: grammar"),), r"^[^:]+: check: 'grammar' is not one of phrasing, clickbait$"),
    ((("check: phrasing\n", "check: phrasing\nauthor: me\n"),), r"^[^:]+: author: unknown field$"),
    ((("check: phrasing\n", "check: phrasing\nsupersedes: [Style]\n"),), r"^[^:]+: supersedes\[0\]: must be a check"),
    ((("pack: mine", "pack: Mine"),), r"^[^:]+: pack: must be a lower-case name"),
    ((("rules:", "rules: []\nx:"),), r"^[^:]+: x: unknown field$"),
    ((("kind: phrase", "kind: pattern"), (PHRASES, "pattern: '(end'")), R + "pattern: invalid regex"),
    (((PHRASES, PHRASES + "\n    replacements: ['{1}']"),), R + r"replacements: '\{1\}' names group 1, the rule has 0"),
    (
        (("kind: phrase", "kind: substitution"), (PHRASES, "substitutions: {end result: x}\n    replacements: [x]")),
        R + "replacements: not used by substitution rules",
    ),
    ((("kind: phrase", "kind: repetition"), (PHRASES, "unit: page")), R + "unit: 'page' is not one of line, sentence,"),
    ((("kind: phrase", "kind: repetition"),), R + "phrases: unknown field for kind repetition"),
]


@pytest.mark.parametrize(("edits", "message"), CHANGED, ids=[m.removeprefix(R)[:50] for _, m in CHANGED])
def test_schema_and_code_refusals_name_the_field(
    tmp_path: Path, edits: tuple[tuple[str, str], ...], message: str
) -> None:
    text = PACK
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(RulePackError, match=message) as refused:
        load_pack(path)
    assert str(refused.value).startswith(f"{path}: ")


def test_the_pack_used_by_those_refusals_loads(tmp_path: Path) -> None:
    """The unchanged pack is valid, so each refusal above comes from its one change."""
    (tmp_path / "mine.yaml").write_text(PACK)
    assert [r.id for r in load_pack(tmp_path / "mine.yaml").rules] == ["mine.end-result"]


# --------------------------------------------------------------------------------------------
# Packs that load but whose examples fail: the harness must say so
# --------------------------------------------------------------------------------------------


def test_a_good_example_its_rule_flags_fails_the_harness_and_names_the_rule(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "flags-good-example.yaml", tmp_path)
    failures = run_examples([tmp_path])
    assert [(f.example.rule.id, f.example.verdict, f.example.index) for f in failures] == [
        ("flagsgood.at-this-point", "good", 1)
    ]
    assert str(failures[0]) == (
        f"{tmp_path / 'flags-good-example.yaml'}: pack flagsgood: rule flagsgood.at-this-point: good example 2 "
        "'At this point the road turns north.': expected 0 matches, found 1: 'At this point'"
    )


def test_a_bad_example_marking_the_wrong_span_fails_the_harness(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "wrong-span.yaml", tmp_path)
    (failure,) = run_examples([tmp_path])
    assert failure.example.rule.id == "wrongspan.hype"
    assert failure.found == "expected 1 match, 'mind' at 2; found 1: 'mind-blowing' at 2"


def test_an_example_with_line_breaks_is_checked_with_old_mac_breaks_too(tmp_path: Path) -> None:
    """Lines also end at a lone \\r (old Mac): a rule that only knows \\n fails its own example so."""
    (tmp_path / "label.yaml").write_text(
        """pack: nl
check: phrasing
description: A rule that finds a label only after a newline character.
rules:
  - id: nl.label
    kind: pattern
    category: style
    severity: suggestion
    message: "A label line."
    pattern: '(?<=\\n)Note:'
    examples:
      bad: ["Intro.\\n[Note:] read this."]
      good: ["Intro. Note: read this."]
""",
        encoding="utf-8",
    )
    (failure,) = run_examples([tmp_path])
    assert failure.example.rule.id == "nl.label" and failure.example.verdict == "bad"
    assert "with old Mac (\\r) line breaks" in str(failure)


def test_no_words_are_flagged_by_two_packs_of_one_check() -> None:
    """A phrase belongs to one pack: on every bad example, no rule of another pack that feeds
    the same report section flags exactly the same words."""
    doubled = []
    for rule in BOOK.rules:
        field = "title" if rule.scope == "headline" else "text"
        for example in rule.examples.bad:
            text, start, end = example.unmarked()
            doubled += [
                (rule.id, finding.rule_id, text[start:end])
                for finding in BOOK.check(text, field=field)
                if finding.check == rule.check
                and not finding.rule_id.startswith(rule.pack + ".")
                and (finding.offset, finding.offset + finding.length) == (start, end)
            ]
    assert doubled == []


def test_an_example_can_pin_its_suggestions_and_a_wrong_pin_is_caught(tmp_path: Path) -> None:
    (tmp_path / "pinned.yaml").write_text(
        """pack: pinned
check: phrasing
rules:
  - id: pinned.amidst
    kind: substitution
    category: style
    severity: suggestion
    message: Write 'amid'.
    substitutions: {amidst: amid}
    examples:
      bad: [{text: "Talks went on [amidst] protests.", replacements: ["among"]}]
      good: ["Talks went on amid protests."]
"""
    )
    assert RuleBook.load([tmp_path]).rule("pinned.amidst").examples.bad[0].replacements == ("among",)
    (failure,) = run_examples([tmp_path])
    assert failure.found == "expected suggestions ['among'], found ['amid']"


TWINNED = [rule for rule in BOOK.rules if rule.same_as_languagetool]


@pytest.mark.parametrize("rule", TWINNED, ids=[rule.id for rule in TWINNED])
def test_languagetool_flags_a_rules_bad_examples_with_each_rule_it_names(rule, languagetool_url: str) -> None:
    """``same_as_languagetool`` drops LanguageTool's match from a report where copydesk's
    finding overlaps it: each LanguageTool rule a rule names must flag the marked words of one
    of its bad examples on the real server, so the list stays true as LanguageTool changes."""
    flagged: set[str] = set()
    for bad in rule.examples.bad:
        text, start, end = bad.unmarked()
        answer = requests.post(f"{languagetool_url}/v2/check", data={"text": text, "language": "en-US"}, timeout=60)
        answer.raise_for_status()
        flagged |= {
            m["rule"]["id"] for m in answer.json()["matches"] if m["offset"] < end and start < m["offset"] + m["length"]
        }
    assert set(rule.same_as_languagetool) <= flagged


def test_rules_name_languagetool_rules_that_flag_the_same_words() -> None:
    assert len(TWINNED) >= 20
    described = BOOK.rule("style.a-large-number-of").describe()
    assert described["same_as_languagetool"] == ["LARGE_NUMBER_OF", "SMALL_NUMBER_OF"]
