"""Score formulas: bounded, monotone, length-normalised; verdict thresholds."""

from __future__ import annotations

import json
import math
import re
import weakref
from dataclasses import replace
from typing import Any

import pytest
from support import many_findings_scorer

from service import scoring
from service.cache import MemoryStore
from service.findings import SEVERITIES, Document, Finding, Headline, density_score
from service.rulebook.book import RuleBook
from service.score_request import build_document
from service.scoring import ISSUE_BATCH, Thresholds, issue_json, overall_score, place_title_findings
from service.settings import PROJECT_ROOT
from service.text.offsets import LineIndex
from service.text.segments import Span


def finding(severity: str = "warning", offset: int = 0, field: str = "text") -> Finding:
    return Finding("phrasing", "pack.rule", "d", "c", "copydesk:pack", severity, "m", offset, 4, field=field)


@pytest.mark.parametrize("words", [1, 50, 300, 5_000])
def test_density_score_is_bounded_and_never_rises_with_more_or_worse_findings(words: int) -> None:
    previous = density_score([], words, 1.5)
    assert previous == 100.0
    findings: list[Finding] = []
    for severity in ["suggestion", "warning", "error"] * 20:
        findings.append(finding(severity))
        score = density_score(findings, words, 1.5)
        assert 0.0 <= score <= previous
        previous = score
    worse = [finding("error") for _ in findings]
    assert density_score(worse, words, 1.5) <= density_score(findings, words, 1.5)


def test_density_score_is_normalised_by_length() -> None:
    findings = [finding("error")] * 3
    assert density_score(findings, 2_000, 1.5) > density_score(findings, 200, 1.5)


def test_a_short_text_counts_as_fifty_words() -> None:
    """README: density is points x 100 / max(words, 50), so a one-liner is not judged on a single slip."""
    one_error = [finding("error")]
    floor = round(100 * math.exp(-(1.0 * 100 / 50) / 3.0), 1)
    assert density_score(one_error, 8, 3.0) == density_score(one_error, 50, 3.0) == floor
    assert density_score(one_error, 51, 3.0) > floor


def test_each_severity_counts_the_points_the_readme_documents() -> None:
    """README: each finding counts `error` 1.0, `warning` 0.5, `suggestion` 0.2 (read from it, so
    the two cannot drift apart)."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"\*\*Severity points\*\*: each finding counts (.+)\.", readme)
    assert line, "the README's severity points line"
    documented = {name: float(points) for name, points in re.findall(r"`(\w+)` ([0-9.]+)", line.group(1))}
    assert set(documented) == set(SEVERITIES)
    for severity, points in documented.items():
        # One finding in 50 words at scale 1: density is points x 2.
        assert density_score([finding(severity)], 50, 1.0) == round(100 * math.exp(-points * 2), 1), severity


def test_overall_score_uses_the_documented_weights() -> None:
    """README: grammar 0.3, phrasing 0.3, readability 0.2, clickbait 0.2, renormalised over what ran."""
    assert overall_score({"grammar": 100.0, "readability": 0.0, "phrasing": 100.0, "clickbait": 0.0}) == 60.0
    assert overall_score({"readability": 100.0, "clickbait": 0.0}) == 50.0
    assert overall_score({"grammar": 100.0, "readability": 0.0}) == 60.0


def test_overall_score_keeps_one_decimal() -> None:
    # Reports show scores to one decimal (the README's example report); a third of 50 is 16.7, not 17.
    assert overall_score({"grammar": 33.33, "phrasing": 0.0}) == 16.7


def test_overall_score_weights_only_sections_that_ran() -> None:
    assert overall_score({}) == 100.0
    assert overall_score({"grammar": 50.0}) == 50.0
    both = overall_score({"grammar": 100.0, "phrasing": 0.0})
    assert both == 50.0  # equal weights
    assert overall_score({"grammar": 100.0, "phrasing": 10.0}) > both


def test_verdict_thresholds() -> None:
    thresholds = Thresholds(pass_score=80, warn_score=60)
    assert thresholds.verdict(80) == "pass"
    assert thresholds.verdict(79.9) == "warn"
    assert thresholds.verdict(60) == "warn"
    assert thresholds.verdict(59.9) == "fail"


def test_title_findings_move_to_where_the_title_stands_in_the_text() -> None:
    document = Document(text="Shocking news today\nBody.", title="Shocking news today", title_offset=0)
    placed = place_title_findings([finding(offset=9, field="title")], document)
    assert [(f.field, f.offset) for f in placed] == [("text", 9)]
    # A Markdown heading: the prose view blanks its "# ", so the title stands two code points in.
    heading = Document(text="  Shocking news today\nBody.", title="Shocking news today", title_offset=2)
    placed = place_title_findings([finding(offset=9, field="title")], heading)
    assert [(f.field, f.offset) for f in placed] == [("text", 11)]


@pytest.mark.parametrize(
    ("source", "fmt", "heading"),
    [
        # A page's <h1> repeats its <title>, "&" written as an entity, a word in emphasis.
        (
            "<h1>Host your Node app on Dokku &amp; <em>DigitalOcean</em></h1>\n<p>It takes an hour.</p>",
            "html",
            "Host your Node app on Dokku &amp; <em>DigitalOcean",
        ),
        (
            "# Host your Node app on Dokku &amp; *DigitalOcean*\n\nIt takes an hour.\n",
            "markdown",
            "Host your Node app on Dokku &amp; *DigitalOcean",
        ),
        (
            "Host your Node app on Dokku  &  DigitalOcean\nIt takes an hour.",
            "text",
            "Host your Node app on Dokku  &  DigitalOcean",
        ),
    ],
)
def test_a_title_the_text_repeats_as_a_reader_sees_it_stands_there(source: str, fmt: str, heading: str) -> None:
    """The title sent with a page whose heading says it with an entity, a tag or other spacing is
    that heading: read once, there (not also on its own, which doubled every finding in it), and
    its findings cover the heading as written."""
    document = build_document(source, "Host your Node app on Dokku & DigitalOcean", fmt)  # type: ignore[arg-type]
    assert document.title_offset == source.index(heading)
    assert document.separate_title is None
    headline = document.headline
    assert headline is not None and headline.field == "text"
    assert source[headline.offset : headline.offset + headline.covers] == heading
    # Other words are another headline: the title is then read on its own.
    other = build_document(source, "Host your Node app on Dokku", fmt)  # type: ignore[arg-type]
    assert other.title_offset is None and other.separate_title == "Host your Node app on Dokku"


@pytest.mark.parametrize("text", ["Body only.", "Intro line\nShocking news today\nBody."])
def test_title_findings_stay_in_the_title_when_it_does_not_stand_in_the_text(text: str) -> None:
    # The title's words inside the prose are not the title: nothing is searched for.
    document = Document(text=text, title="Shocking news today")
    placed = place_title_findings([finding(offset=0, field="title")], document)
    assert placed[0].field == "title" and placed[0].offset == 0


def test_a_title_is_counted_once_in_the_words_the_checks_read() -> None:
    """Phrasing and clickbait findings are weighed per word of what was read: a title that stands
    in the text is read there, so its words count once; a separate title adds its own."""
    text = "Ten things you will not believe\n\nThe council met on Monday to approve the budget."
    standing = Document(text=text, title="Ten things you will not believe", title_offset=0)
    apart = Document(text=text.split("\n\n")[1], title="Ten things you will not believe")
    assert standing.word_count == 15
    assert apart.word_count == 6 + 9


def test_issues_list_the_title_first_then_the_text_in_order_of_position() -> None:
    """Checks hand their findings over in any order; a report lists them as a reader meets them."""
    document = Document(text="Body one. Body two.", title="A title")
    findings = [finding(offset=10), finding(offset=2, field="title"), finding(offset=0)]
    placed = place_title_findings(findings, document)
    assert [(f.field, f.offset) for f in placed] == [("title", 2), ("text", 0), ("text", 10)]


def test_an_issue_carries_its_rules_link_and_its_checks_own_fields() -> None:
    """A rule's documentation link is the issue's ``rule.url``; a check's own figures (a hard
    sentence's grade, a headline's probability) stand in the issue beside the shared fields."""
    document = Document(text="An overly long sentence.")
    lines = {"text": LineIndex(document.text), "title": LineIndex("")}
    linked = replace(finding(), link="https://example.org/rules/pack.rule", extra={"grade": 14.2})
    issue = issue_json(linked, document, lines)
    assert issue["rule"]["url"] == "https://example.org/rules/pack.rule"
    assert issue["grade"] == 14.2
    assert "url" not in issue_json(finding(), document, lines)["rule"]


def test_a_finding_has_no_dict_of_its_own() -> None:
    """A book of unknown words makes 200,000 findings; without a ``__dict__`` each is 56 bytes
    smaller (11 MB of a worker's peak)."""
    assert not hasattr(finding(), "__dict__")


@pytest.mark.parametrize("many", [ISSUE_BATCH - 1, ISSUE_BATCH, ISSUE_BATCH + 1, 2 * ISSUE_BATCH + 7])
def test_a_report_written_a_batch_of_issues_at_a_time_is_the_whole_report(many: int) -> None:
    """``score_encoded`` writes a section's issues ISSUE_BATCH at a time: its JSON is the
    report ``score`` gives, every issue once, in order, keys in order, compact and ASCII."""
    scorer, document = many_findings_scorer(many)
    _, parts, _ = scorer.score_encoded(document, ["readability", "phrasing"])
    body = b"".join(parts)
    written = json.loads(body)
    whole = scorer.score(document, ["readability", "phrasing"])
    for report in (written, whole):
        report["meta"].pop("timings_ms")
    assert written == whole
    assert [list(section) for section in written["checks"].values()] == [list(s) for s in whole["checks"].values()]
    assert body == json.dumps(json.loads(body), separators=(",", ":")).encode() and body.isascii()
    issues = written["checks"]["phrasing"]["issues"]
    assert [i["offset"] for i in issues] == [6 * n for n in range(many)]
    assert written["counts"]["total"] == many + 1
    assert written["counts"]["by_check"]["phrasing"] == many
    by_severity = {s: sum(i["severity"] == s for i in issues) + (s == "error") for s in SEVERITIES}  # + the title's
    assert written["counts"]["by_severity"] == by_severity
    assert written["counts"]["by_category"] == {"c": 1, "c0": (many + 1) // 2, "c1": many // 2}


def test_a_report_of_many_issues_never_holds_them_all_as_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    """An issue is a dict of some 850 bytes: a report of 200,000 (a book-length text of unknown
    words) held them all beside its JSON. It holds at most ISSUE_BATCH at once."""
    alive = most = 0

    class Issue(dict):  # type: ignore[type-arg]  # a dict that can be watched (weakref.finalize)
        pass

    def gone() -> None:
        nonlocal alive
        alive -= 1

    def counted(*args: Any) -> dict[str, Any]:
        nonlocal alive, most
        issue = Issue(issue_json(*args))
        weakref.finalize(issue, gone)
        alive += 1
        most = max(most, alive)
        return issue

    monkeypatch.setattr(scoring, "issue_json", counted)
    scorer, document = many_findings_scorer(5 * ISSUE_BATCH)
    _, parts, _ = scorer.score_encoded(document, ["readability", "phrasing"])
    assert len(json.loads(b"".join(parts))["checks"]["phrasing"]["issues"]) == 5 * ISSUE_BATCH
    assert 0 < most <= ISSUE_BATCH


def test_a_report_is_joined_for_the_cache_only_when_the_cache_takes_it() -> None:
    """Joining a report's parts holds it twice; for one the cache would not keep (an 80 MB report
    of 200,000 issues) that was 80 MB for nothing. The parts go out as they are."""
    scorer, document = many_findings_scorer(2 * ISSUE_BATCH)
    _, parts, _ = scorer.score_encoded(document, ["readability", "phrasing"])
    size = sum(map(len, parts))
    assert len(parts) > 1, "a report of more than a batch of issues is written in parts"
    for budget, kept in ((size // 2, False), (size * 2, True)):  # the size varies: meta.timings_ms
        scorer.reports = MemoryStore(budget)
        _, sent, key = scorer.score_encoded(document, ["readability", "phrasing"])
        assert (len(sent) == 1) is kept
        assert (scorer.reports.get(key) == sent[0]) is kept
        assert json.loads(b"".join(sent))["counts"]["total"] == 2 * ISSUE_BATCH + 1


def test_without_a_title_the_headline_is_the_texts_first_line_or_its_first_sentence() -> None:
    """The clickbait section judges the headline it names: the lead of a text without a title."""
    text = "\nCouncil backs the new bridge\n\nThe council voted on Tuesday."
    line = "Council backs the new bridge"
    assert Document(text=text).headline == Headline(line, 1, "text", "first_line", len(line))
    sentence = "Why did the council vote to close the library?"
    long_line = f"{sentence} " + "The vote was close and the debate ran late. " * 3
    assert Document(text=long_line).headline == Headline(sentence, 0, "text", "first_sentence", len(sentence))
    assert Document(text="He go home.\n\nThen he slept.").headline is None


@pytest.mark.parametrize("title", [None, "This Is Why Your Rent Keeps Going Up"])
def test_a_headline_that_is_also_a_standalone_line_is_judged_once(title: str | None) -> None:
    """The text's first line is its headline (or where its title stands) and a standalone headline
    line too: a headline rule flags it once, not once for each."""
    text = "This Is Why Your Rent Keeps Going Up\n\nThe council met on Tuesday and approved the budget for the year."
    document = Document(text=text, title=title, title_offset=None if title is None else 0)
    assert document.headline_spans == (Span(0, text.index("\n")),)
    found = [f.rule_id for f in RuleBook.load().check(document, checks=("clickbait",))]
    assert found.count("clickbait.this-is-why") == 1


def test_the_headline_is_judged_where_it_stands_even_when_prose_follows_on_the_next_line() -> None:
    """A first line with prose on the next line is no standalone headline line, but it is the
    text's headline: the headline rules read it."""
    text = "This Is Why Your Rent Keeps Going Up\nThe council met on Tuesday and approved the budget."
    document = Document(text=text)
    assert document.headline_spans == (Span(0, text.index("\n")),)
    assert [f.rule_id for f in RuleBook.load().check(document, checks=("clickbait",))] == ["clickbait.this-is-why"]
