"""What stands for the headline of a text sent without a title, and what its last character tells.

    python -m bench.leads [--corpus DIR] [--ood DIR] [--write]

Without a title, copydesk judges a text's lead as its headline (``segments.lead``): the first
line, or the first sentence when that line is long, and nothing when that ends as prose does
(a full stop that closes a sentence, a comma, semicolon or colon: ``segments.ends_as_prose``),
breaks off mid-sentence or goes on into the next line as a line of hard-wrapped prose does
(``segments.breaks_off``, ``segments.first_line_goes_on``) or only greets
(``segments.is_salutation``). This measures both sides of that rule:

* prose: each paragraph of prose in the committed fixtures (news articles, the documents of the
  CLI tests), in the project's own docs and in the long descriptions of the installed Python
  packages (other writers' prose, counted but not quoted), taken as a text sent without a title:
  how often the headline model calls its headline clickbait, by the first-line rule copydesk had
  before and by ``segments.lead`` (listing what the latter still calls clickbait); every such
  verdict is a false positive, since none of it is a headline;
* headlines: the share of headlines, by set and label, that end as prose, break off or only
  greet: those the rule no longer judges when they open a text sent without a title (sent as
  the title, every headline is judged). The corpus and the out-of-domain sets are read from ``--corpus``
  and ``--ood`` when given (they are not part of the repository);
* rules measured and not taken: two other ways to tell hard-wrapped prose from a headline,
  with the clickbait headlines each would stop judging and the packages' verdicts it would remove;
* greetings: what the model says of a few openings of messages, were they headlines.

``--write`` writes the report to ``bench/results/leads.md``.
"""

from __future__ import annotations

import argparse
import email
import gzip
import importlib.metadata
import re
from pathlib import Path

from bench.texts import FIXTURES
from service.cli.inputs import FORMAT_BY_EXTENSION, format_for
from service.headline_model.model import load_default_model
from service.score_request import build_document, parse_format
from service.settings import PROJECT_ROOT, Settings
from service.text import segments
from training.clickbait.corpus import load_corpus
from training.clickbait.evaluate import load_labelled

REPORT = PROJECT_ROOT / "bench" / "results" / "leads.md"
GREETINGS = (
    "Hi all",
    "Hi John",
    "Hello team",
    "Hey everyone!",
    "Good morning everyone",
    "Good afternoon all",
    "Dear Sir or Madam",
    "Dear Ms. Patel",
)


def _files(*patterns: str) -> list[Path]:
    found = (path for pattern in patterns for path in PROJECT_ROOT.glob(pattern))
    return sorted(path for path in found if path.suffix in FORMAT_BY_EXTENSION)


PROSE = {
    "news articles (tests/fixtures: the seed, the clean articles)": _files(
        "tests/fixtures/seed-article.txt", "tests/fixtures/clean/article-*.txt"
    ),
    "documents of the CLI tests (tests/fixtures/docs)": _files("tests/fixtures/docs/**/*"),
    "the project's docs (README, docs/, custom-rules/)": _files("README.md", "docs/*.md", "custom-rules/*.md"),
}


# Prose by other writers, which none of the rules was written from: counted, not quoted.
PACKAGES = "descriptions of the installed Python packages (requirements-dev.lock)"


def prose_paragraphs(paths: list[Path]) -> list[str]:
    """The distinct paragraphs of prose the service reads from ``paths``."""
    found: set[str] = set()
    for path in paths:
        found |= _prose_of(path.read_text(encoding="utf-8"), format_for(path.name))
    return sorted(found)


def package_paragraphs() -> list[str]:
    """The distinct paragraphs of prose in the long descriptions (mostly READMEs, much of them
    hard-wrapped) of the packages installed beside copydesk, Markdown read as Markdown and the
    rest as plain text."""
    found: set[str] = set()
    for dist in importlib.metadata.distributions():
        metadata = email.message_from_string(dist.read_text("METADATA") or "")
        body = metadata.get_payload()
        if metadata["Name"] != "copydesk" and isinstance(body, str):
            markdown = "markdown" in (metadata["Description-Content-Type"] or "")
            found |= _prose_of(body, "markdown" if markdown else "text")
    return sorted(found)


def _prose_of(source: str, format_name: str) -> set[str]:
    """The paragraphs of prose the service reads from ``source`` (markup removed), each a text
    that could be sent without a title: not headings, not lines that stand as headlines."""
    document = build_document(source, None, parse_format(format_name))
    text = document.text
    headings = {span.start for span in (*document.headings, *segments.headline_lines(text))}
    # In markup a line break is a space: its paragraphs here are the view's runs between blank
    # lines (a table is one), not the lines of a run that segments.paragraphs reads as soft-wrapped.
    runs = (segments.Span(run[0].start, run[-1].end) for run in segments.line_runs(text))
    paragraphs = segments.paragraphs(text) if document.format == "text" else runs
    return {
        paragraph.of(text)
        for paragraph in paragraphs
        if paragraph.start not in headings and segments.word_count(paragraph.of(text)) >= 3
    }


def _judges_first_line(text: str) -> bool:
    """Whether the first-line rule judged the first line itself (not over MAX_HEADLINE_WORDS)."""
    line = segments.first_line(text)
    return line is not None and segments.word_count(line.of(text)) <= segments.MAX_HEADLINE_WORDS


def _first_line_rule(text: str) -> str:
    """What stood for the headline before the lead knew sentences: the first line, or its first
    sentence when the line is over MAX_HEADLINE_WORDS words."""
    line = segments.first_line(text)
    assert line is not None
    if segments.word_count(line.of(text)) > segments.MAX_HEADLINE_WORDS:
        line = next(s for s in segments.sentences(text) if s.start >= line.start)
    return line.of(text)


def headline_sets(corpus: Path | None, ood: Path | None) -> dict[str, list[str]]:
    """Headlines by set and label: the committed clean news headlines, and the corpus and the
    out-of-domain sets when their folders are given."""
    with gzip.open(FIXTURES / "clean" / "news-headlines.txt.gz", "rt", encoding="utf-8") as handle:
        sets = {"clean news headlines (tests/fixtures/clean)": [line.strip() for line in handle if line.strip()]}
    if corpus is not None:
        clickbait, news = load_corpus(corpus)
        sets["training corpus: clickbait"] = clickbait
        sets["training corpus: news"] = news
    if ood is not None:
        for name in ("reddit", "news-sites"):
            headlines, labels = load_labelled(ood / f"{name}.tsv.gz")
            for label, kind in ((1, "clickbait"), (0, "not clickbait")):
                sets[f"{name}: {kind}"] = [h for h, y in zip(headlines, labels, strict=True) if y == label]
    return sets


def report(corpus: Path | None, ood: Path | None) -> str:
    model = load_default_model()
    threshold = Settings().clickbait_threshold
    lines = [
        "# Texts without a title: what stands for the headline",
        "",
        "Reproduce: `.venv/bin/python -m bench.leads --corpus /work/shared/data/clickbait "
        "--ood /work/shared/data/clickbait-ood --write`",
        "",
        f"Model version `{model.version}`, default threshold {threshold}.",
        "",
        "## Prose paragraphs sent as texts without a title",
        "",
        "Each paragraph of prose (not a heading, not a line that stands as a headline) taken as a",
        "text sent without a title. The first-line rule is what copydesk judged before: the first",
        "line, or its first sentence when the line is over 25 words; \"of which break off\" counts",
        "those of its verdicts that `segments.breaks_off` now prevents, \"of which go on\" those",
        "of the others whose first line goes on into the next line of its paragraph",
        "(`segments.first_line_goes_on`). `lead` is",
        "`segments.lead`. None of these is a headline, so every clickbait verdict is a false",
        "positive. The packages' descriptions are other writers' prose, which no rule here was",
        "written from; their lines are counted, not quoted.",
        "",
        "| prose | paragraphs | first-line rule: clickbait | of which break off | of which go on "
        "| `lead`: judged at all | `lead`: clickbait |",
        "|---|---|---|---|---|---|---|",
    ]
    flagged: list[tuple[float, str]] = []
    still: list[tuple[float, str]] = []
    package_verdicts: list[str] = []
    prose = {name: prose_paragraphs(paths) for name, paths in PROSE.items()}
    for name, paragraphs in {**prose, PACKAGES: package_paragraphs()}.items():
        first_lines = [segments.unmasked(_first_line_rule(p)) for p in paragraphs]
        verdicts = zip(model.probabilities(first_lines), first_lines, paragraphs, strict=True)
        clickbait = [(p, s, paragraph) for p, s, paragraph in verdicts if p >= threshold]
        before = [(p, s) for p, s, _ in clickbait]
        broken = sum(segments.breaks_off(s) for _, s in before)
        going_on = sum(
            not segments.breaks_off(s) and _judges_first_line(paragraph) and segments.first_line_goes_on(paragraph)
            for _, s, paragraph in clickbait
        )
        leads = [segments.unmasked(span.of(p)) for p in paragraphs if (span := segments.lead(p)) is not None]
        judged = [(p, s) for p, s in zip(model.probabilities(leads), leads, strict=True) if p >= threshold]
        if name != PACKAGES:
            flagged += before
            still += judged
        else:
            package_verdicts = [s for _, s in judged]
        after = len(judged)
        whole = len(paragraphs)
        shares = " | ".join(_share(count, whole) for count in (len(before), broken, going_on, len(leads), after))
        lines.append(f"| {name} | {whole} | {shares} |")
    lines += ["", "The highest by the first-line rule:", ""]
    lines += [f"- {p:.2f} {' '.join(s.split())!r}" for p, s in sorted(flagged, reverse=True)[:8]]
    lines += ["", "Every one `lead` still calls clickbait:", ""]
    lines += [f"- {p:.2f} {' '.join(s.split())!r}" for p, s in sorted(still, reverse=True)]
    lines += [
        "",
        "## Headlines that end as prose, break off or only greet",
        "",
        "| set | headlines | end as prose | break off | only greet |",
        "|---|---|---|---|---|",
    ]
    examples: list[str] = []
    sets = headline_sets(corpus, ood)
    for name, headlines in sets.items():
        prose = [h for h in headlines if segments.ends_as_prose(h)]
        broken = [h for h in headlines if segments.breaks_off(h)]
        greetings = sum(segments.is_salutation(h) for h in headlines)
        examples += [f"{name}: {h!r}" for h in (*prose[:2], *broken[:2])]
        shares = " | ".join(_share(len(found), len(headlines)) for found in (prose, broken))
        lines.append(f"| {name} | {len(headlines)} | {shares} | {greetings} |")
    lines += ["", "Examples:", "", *[f"- {e}" for e in examples]]
    clickbait = [h for name, headlines in sets.items() if name.endswith(": clickbait") for h in headlines]
    judged_clickbait = [h for h in clickbait if segments.lead(h) is not None]
    lines += [
        "",
        "## Rules measured and not taken",
        "",
        "Two more ways to tell a line of hard-wrapped prose from a headline, each weighed as",
        "`breaks_off` was: the clickbait headlines above that `lead` still judges and the rule would",
        "not, were they to open a text sent without a title, against the verdicts it would remove",
        "from the packages' paragraphs (of those `lead` still calls clickbait). Both cost clickbait",
        "headlines, which `breaks_off` does not, so neither is a rule.",
        "",
        f"| rule | clickbait headlines (of {len(judged_clickbait)}) | package verdicts removed (of "
        f"{len(package_verdicts)}) |",
        "|---|---|---|",
    ]
    for rule, test in (
        ("ends on a lower-case preposition (\"who he voted for\")", _ends_on_preposition),
        ("a sentence ends inside the line and sentence-case words follow", _sentence_then_more),
    ):
        lost = [h for h in judged_clickbait if test(h)]
        lines.append(f"| {rule} | {len(lost)} | {sum(test(s) for s in package_verdicts)} |")
        examples_lost = ", ".join(repr(h) for h in lost[:2])
        lines.append(f"| (for example) | {examples_lost.replace('|', '/')} | |")
    lines += [
        "",
        "## Messages that open with a greeting",
        "",
        "Written for this report, not sampled: openings of emails and comments, without the comma",
        "that would make them end as prose. What the model says of each, were it a headline, and",
        "whether `is_salutation` takes it for a greeting (then it is not judged):",
        "",
        "| first line | model | only greets |",
        "|---|---|---|",
    ]
    lines += [
        f"| {line} | {p:.2f} | {'yes' if segments.is_salutation(line) else 'no'} |"
        for line, p in zip(GREETINGS, model.probabilities(list(GREETINGS)), strict=True)
    ]
    lines += [
        "",
        "## Reading",
        "",
        "The model was trained on headlines, which almost never end as prose does, so a sentence",
        "is outside what it knows; the first table shows what it then says. Texts sent without a",
        "title often start with a sentence (an email, a comment in a browser extension, a plain",
        "text checked by `copydesk check`), so a first line that ends as prose is not judged as a",
        "headline. What that gives up is in the second table: a headline that ends so and opens a",
        "text sent without a title is not judged either (Reddit's post titles are the set where",
        "that happens most). A first line that only greets is not judged either; no headline of",
        "the sets above is one. Nor is a first line that breaks off where no sentence or headline",
        "can stop, on a lower-case article, conjunction or possessive (\"Run the\") or inside a",
        "bracket it opened, as the lines of hard-wrapped prose often do; no clickbait headline",
        "above stops so. Nor is a first line that goes on into the next line, as hard-wrapped",
        "prose does, after a blank line too: it ends with a comma or a dash, or it ends no sentence",
        "and the next line starts in lower case and is no byline (\"by Jane Smith\") nor a list",
        "item's letter (\"a.\"). The headline sets cannot show what that costs, each headline being",
        "a line alone: it is a headline followed by a line in lower case of that kind. Sent as the title, every",
        "headline is judged. A first line of hard-wrapped prose followed by a capitalised line is",
        "still judged; most of what `lead` still calls clickbait above is that, or the prose view",
        "of Markdown tables and lines that end in inline code. The last row of the first table is",
        "the check on prose that none of these rules was written from, the READMEs of the Python",
        "packages copydesk's tests install.",
    ]
    return "\n".join(lines) + "\n"


_PREPOSITION = re.compile(r"(?<![\w'’/-])(?:about|as|at|by|for|from|in|into|of|on|over|to|with)$")


def _ends_on_preposition(line: str) -> bool:
    return _PREPOSITION.search(line.rstrip()[-8:]) is not None


def _sentence_then_more(line: str) -> bool:
    """A sentence closes inside the line, and the words after it are mostly in lower case."""
    stripped = line.strip()
    spans = segments.sentences(stripped)
    if len(spans) < 2 or not segments.ends_as_prose(spans[0].of(stripped)):
        return False
    words = re.findall(r"[A-Za-z]{4,}", stripped[spans[1].start :])
    return bool(words) and sum(w[0].islower() for w in words) > len(words) / 2


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.1f} %)" if whole else "0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="the clickbait corpus folder (clickbait.txt.gz, ...)")
    parser.add_argument("--ood", type=Path, help="the folder of reddit.tsv.gz and news-sites.tsv.gz")
    parser.add_argument("--write", action="store_true", help=f"write the report to {REPORT.relative_to(PROJECT_ROOT)}")
    args = parser.parse_args()
    text = report(args.corpus, args.ood)
    print(text, end="")
    if args.write:
        REPORT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
