"""One harness for every rule of every pack: each bad example gives exactly one finding of
its rule at the [bracketed] span, each good example gives none (LanguageTool's approach).

No rule needs test code of its own, and none ships without examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.rulebook.book import RuleBook, RulePackError, load_pack
from service.settings import PROJECT_ROOT

# The built-in packs and the example user pack that docker compose mounts.
BOOK = RuleBook.load([PROJECT_ROOT / "custom-rules"])
BROKEN = Path(__file__).parent / "fixtures" / "broken_packs"
MINIMUM_RULES = {"translationese": 40, "clickbait": 40, "boilerplate": 20, "style": 40}


def examples() -> list[tuple[str, str, int, str]]:
    cases = []
    for rule in BOOK.rules:
        for verdict in ("bad", "good"):
            for n, example in enumerate(rule.examples[verdict]):
                cases.append((rule.id, verdict, n, example))
    return cases


def unbracket(example: str) -> tuple[str, int, int]:
    match = re.search(r"\[(.*?)\]", example, re.DOTALL)
    assert match, f"no [span] in {example!r}"
    text = example[: match.start()] + match.group(1) + example[match.end() :]
    return text, match.start(), match.start() + len(match.group(1))


@pytest.mark.parametrize(("rule_id", "verdict", "n", "example"), examples(),
                         ids=[f"{r}/{v}/{n}" for r, v, n, _ in examples()])
def test_rule_example(rule_id: str, verdict: str, n: int, example: str) -> None:
    rule = BOOK.rule(rule_id)
    field = "title" if rule.scope == "headline" else "text"
    if verdict == "bad":
        text, start, end = unbracket(example)
        found = BOOK.run_rule(rule_id, text, field)
        assert [(f.offset, f.offset + f.length) for f in found] == [(start, end)], (
            f"expected exactly [{text[start:end]!r}], "
            f"got {[text[f.offset : f.offset + f.length] for f in found]}"
        )
        assert found[0].message == rule.message
        if n in rule.expected_replacements:
            assert found[0].replacements == rule.expected_replacements[n]
    else:
        found = BOOK.run_rule(rule_id, example, field)
        assert found == [], [example[f.offset : f.offset + f.length] for f in found]


def test_every_rule_has_bad_and_good_examples_and_every_pack_its_size() -> None:
    for rule in BOOK.rules:
        assert rule.examples["bad"] and rule.examples["good"], rule.id
    sizes = {pack["name"]: pack["rule_count"] for pack in BOOK.packs}
    for name, minimum in MINIMUM_RULES.items():
        assert sizes.get(name, 0) >= minimum, f"pack {name} has {sizes.get(name, 0)} rules, needs {minimum}"


def test_rule_ids_are_unique_and_carry_their_pack() -> None:
    ids = [rule.id for rule in BOOK.rules]
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(rule.pack + ".") for rule in BOOK.rules)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("bad-severity.yaml", r"bad-severity\.yaml: rule broken\.loud: severity 'fatal'"),
        ("nested-quantifier.yaml", r"nested-quantifier\.yaml: rule broken\.slow: nested quantifiers"),
        ("backreference.yaml", r"backreference\.yaml: rule broken\.echo: backreferences"),
        ("no-span.yaml", r"no-span\.yaml: rule broken\.unmarked: bad example must mark exactly one \[span\]"),
        ("unknown-kind.yaml", r"unknown-kind\.yaml: rule broken\.magic: unknown kind 'magic'"),
        ("duplicate-id.yaml", r"duplicate-id\.yaml: rule broken\.twice: duplicate id"),
        ("no-examples.yaml", r"no-examples\.yaml: rule broken\.bare: examples must have"),
        ("bad-function.yaml", r"bad-function\.yaml: rule broken\.script: structure function must be one of"),
        ("ambiguous-repeats.yaml", r"ambiguous-repeats\.yaml: rule broken\.split: two repeats next to"),
        ("unknown-supersedes.yaml", r"unknown-supersedes\.yaml: rule broken\.cover: supersedes unknown rule"),
    ],
)
def test_broken_packs_are_refused_with_file_rule_and_problem(
    tmp_path: Path, fixture: str, message: str
) -> None:
    (tmp_path / fixture).write_text((BROKEN / fixture).read_text())
    if fixture in ("duplicate-id.yaml", "unknown-supersedes.yaml"):  # found only across the whole book
        with pytest.raises(RulePackError, match=message):
            RuleBook.load([tmp_path])
        return
    with pytest.raises(RulePackError, match=message):
        load_pack(tmp_path / fixture)


def test_a_rule_whose_example_is_wrong_fails_the_harness(tmp_path: Path) -> None:
    """The harness itself can fail: a pack whose bad example marks the wrong span is caught."""
    pack = tmp_path / "wrong.yaml"
    pack.write_text((BROKEN / "wrong-span.yaml").read_text())
    book = RuleBook.load([tmp_path])
    rule = book.rule("wrongspan.hype")
    text, start, end = unbracket(rule.examples["bad"][0])
    found = book.run_rule(rule.id, text)
    assert [(f.offset, f.offset + f.length) for f in found] != [(start, end)]


def test_no_words_are_flagged_by_two_packs_of_one_check() -> None:
    """A phrase belongs to one pack: on every bad example, no rule of another pack that feeds
    the same report section flags exactly the same words."""
    doubled = []
    for rule in BOOK.rules:
        field = "title" if rule.scope == "headline" else "text"
        for example in rule.examples["bad"]:
            text, start, end = unbracket(example)
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
    book = RuleBook.load([tmp_path])
    rule = book.rule("pinned.amidst")
    assert rule.expected_replacements == {0: ("among",)}
    text, _, _ = unbracket(rule.examples["bad"][0])
    assert book.run_rule(rule.id, text)[0].replacements != rule.expected_replacements[0]
