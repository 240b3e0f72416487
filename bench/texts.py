"""Benchmark texts: real news copy from the test fixtures, made new so that no cache answers.

Every benchmark that compares copydesk with LanguageTool must send texts that neither side has
seen, or only the part it means to measure as new: a text changed in its first line only is a
re-check, since LanguageTool caches sentences and copydesk caches paragraphs.
"""

from __future__ import annotations

import itertools
import random
import re

from service.settings import PROJECT_ROOT
from service.text import segments

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
SEED = (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")
CLEAN = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "clean").glob("article-*.txt"))]
# Editions start at a random number, so that a run's texts are new even to a server an earlier
# run filled (bench.throughput runs against a compose stack that stays up between runs).
_edition = itertools.count(random.SystemRandom().randrange(10**5, 10**6))


def paragraphs_of(words: int) -> list[str]:
    """Paragraphs of real news copy (the fixtures, round robin) adding up to about ``words``."""
    pool = [p for text in [SEED, *CLEAN] for p in text.split("\n\n") if len(p.split()) >= 8]
    chosen, total = [], 0
    for paragraph in itertools.cycle(pool):
        if total >= words:
            return chosen
        chosen.append(paragraph)
        total += len(paragraph.split())
    raise AssertionError("unreachable")


_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*$")


def unique(paragraphs: list[str]) -> str:
    """The paragraphs with a number no earlier text had in every sentence ("... on Tuesday
    (12.3.1)."), so that no cache has seen any sentence of it: LanguageTool's, the paragraph
    cache, or the sentence memos of the local checks."""
    edition = next(_edition)

    def marked(n: int, paragraph: str) -> str:
        out, last = [], 0
        for k, span in enumerate(segments.sentences(paragraph)):
            sentence = span.of(paragraph)
            end = _SENTENCE_END.search(sentence)
            at = end.start() if end else len(sentence)
            out += [paragraph[last : span.start], f"{sentence[:at]} ({edition}.{n}.{k}){sentence[at:]}"]
            last = span.end
        return "".join(out) + paragraph[last:]

    return "\n\n".join(marked(n, p) for n, p in enumerate(paragraphs))
