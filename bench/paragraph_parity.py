"""Does the paragraph cache change what LanguageTool finds? Every difference, on the test corpus.

    python -m bench.paragraph_parity [--out bench/results/paragraph-parity.md]

For each text of the corpus (the seed article, the clean articles, the rendered docs): the
matches of one raw LanguageTool ``/v2/check`` of the whole text, against copydesk's grammar
check (a) cold, with an empty paragraph cache, and (b) after an edit: the cache first learns
the text with its middle paragraph different, so the text is answered from the cache but for
one paragraph. Lists every match found on one side only, by rule, and marks the rules that
LanguageTool itself says look beyond one paragraph (``TextLevelRule.minToCheckParagraph``,
listed by ``bench/java/TextLevelRules.java``). LanguageTool runs with its result cache off.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import tempfile
from pathlib import Path

import requests

from bench.servers import languagetool, write_report
from bench.texts import FIXTURES
from service.cache import MemoryStore
from service.checks.grammar import GrammarCheck
from service.languagetool.client import LanguageToolClient
from service.settings import PROJECT_ROOT, Settings
from service.text.offsets import Utf16Index


def corpus() -> dict[str, str]:
    paths = [FIXTURES / "seed-article.txt", *sorted((FIXTURES / "clean").glob("article-*.txt")),
             *sorted((FIXTURES / "docs" / "rendered").glob("*.txt"))]
    return {path.relative_to(FIXTURES).as_posix(): path.read_text(encoding="utf-8") for path in paths}


def cross_paragraph_rules(language: str) -> dict[str, int]:
    """LanguageTool's active text-level rules that need more than their own paragraph."""
    lib = Settings.load().languagetool_home / "lib"
    source = PROJECT_ROOT / "bench" / "java" / "TextLevelRules.java"
    with tempfile.TemporaryDirectory() as classes:
        subprocess.run(["javac", "-d", classes, "-cp", f"{lib}/*", str(source)], check=True)
        listed = subprocess.run(["java", "-cp", f"{lib}/*:{classes}", "TextLevelRules", language],
                                check=True, capture_output=True, text=True).stdout
    rules = {line.split("\t")[0]: int(line.split("\t")[1]) for line in listed.splitlines() if "\t" in line}
    return {rule: reach for rule, reach in rules.items() if reach != 0}


def whole(url: str, text: str) -> collections.Counter[tuple[str, int, int]]:
    answer = requests.post(url + "/v2/check", data={"text": text, "language": "en-US"}, timeout=600).json()
    index = Utf16Index(text)
    found = collections.Counter()
    for match in answer["matches"]:
        rule = match["rule"]["id"] + (f"[{match['rule']['subId']}]" if match["rule"].get("subId") else "")
        found[(rule, *index.span(match["offset"], match["length"]))] += 1
    return found


def copydesk(check: GrammarCheck, text: str) -> collections.Counter[tuple[str, int, int]]:
    return collections.Counter((f.rule_id, f.offset, f.length) for f in check.check_text(text, "en-US"))


def edited(text: str) -> str:
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle] = "An editor rewrote this paragraph before the final version."
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "paragraph-parity.md")
    args = parser.parse_args()
    reach = cross_paragraph_rules("en-US")
    totals = collections.Counter()
    differences: collections.Counter[tuple[str, str, str]] = collections.Counter()
    settings = Settings.load()
    with languagetool(None) as url:
        for text in corpus().values():
            expected = whole(url, text)
            totals["whole-text matches"] += sum(expected.values())
            for case in ("cold", "after an edit"):
                check = GrammarCheck(
                    LanguageToolClient(url, 600, "default"), settings.languagetool_piece_chars, 2, MemoryStore(10**8)
                )
                if case == "after an edit":
                    check.check_text(edited(text), "en-US")
                got = copydesk(check, text)
                for key in (expected - got).elements():
                    differences[(case, "whole text only", key[0].split("[")[0])] += 1
                for key in (got - expected).elements():
                    differences[(case, "copydesk only", key[0].split("[")[0])] += 1
                totals[f"{case}: equal"] += sum((expected & got).values())

    lines = [
        "# The paragraph cache against one whole-text LanguageTool check",
        "",
        "`python -m bench.paragraph_parity`, LanguageTool with its result cache off; corpus: "
        f"{len(corpus())} texts of tests/fixtures (the seed article, the clean articles, the rendered docs).",
        "",
        f"Whole-text matches: {totals['whole-text matches']}. Found at the same place by copydesk cold: "
        f"{totals['cold: equal']}; after an edit of the middle paragraph (the rest from the cache): "
        f"{totals['after an edit: equal']}.",
        "",
        "Rules LanguageTool declares as looking beyond one paragraph (en-US; -1: the whole text): "
        + ", ".join(f"`{rule}` ({n})" for rule, n in sorted(reach.items())) + ".",
        "",
        "| case | found by | rule | matches | looks beyond its paragraph |",
        "|---|---|---|---|---|",
        *(f"| {case} | {side} | `{rule}` | {n} | {'yes' if rule in reach else 'no'} |"
          for (case, side, rule), n in sorted(differences.items())),
    ]
    if not differences:
        lines.append("| (none) | | | | |")
    write_report(lines, args.out)


if __name__ == "__main__":
    main()
