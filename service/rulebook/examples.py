"""The example harness: every rule is tested by the examples it carries (LanguageTool's rule).

Each bad example must give exactly one finding of its rule, exactly at the [marked] span,
with the suggestions the example pins (when it pins them); each good example must give
none. The rule runs alone over the whole example, as a headline (field ``title``) when
its scope is ``headline``. No rule needs test code of its own: the test suite runs this
for the built-in packs and ``custom-rules/``, and ``copydesk rules test`` runs it for a
newsroom's own folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .book import RuleBook
from .kinds import BadExample, Rule
from .loading import BUILTIN_DIR, Pack


@dataclass(frozen=True)
class Example:
    """One example of one rule, as written in its pack (a bad one with its [span])."""

    pack: Pack
    rule: Rule
    verdict: Literal["bad", "good"]
    index: int  # 0-based, in the rule's bad or good list
    written: str
    pinned: tuple[str, ...] | None = None  # the suggestions a bad example pins

    @property
    def name(self) -> str:
        """``rule-id/bad/1``: how a test id or a report names the example (1-based)."""
        return f"{self.rule.id}/{self.verdict}/{self.index + 1}"


@dataclass(frozen=True)
class ExampleFailure:
    example: Example
    found: str  # what the rule did, against what the example expects

    def __str__(self) -> str:
        e = self.example
        where = f"{e.pack.file}: pack {e.pack.name}: rule {e.rule.id}"
        return f"{where}: {e.verdict} example {e.index + 1} {e.written!r}: {self.found}"


def examples_of(book: RuleBook, packs: Iterable[Pack] | None = None) -> list[Example]:
    """Every example of every rule of ``packs`` (default: all the book's), in pack order."""
    cases = []
    for pack in book.loaded_packs if packs is None else packs:
        for rule in pack.rules:
            for n, bad in enumerate(rule.examples.bad):
                cases.append(Example(pack, rule, "bad", n, bad.text, bad.replacements))
            for n, good in enumerate(rule.examples.good):
                cases.append(Example(pack, rule, "good", n, good))
    return cases


# The line breaks an example written with "\n" is checked with too: texts written on Windows
# and old Macs break lines so, and a rule must find the same there (segments.LINE_BREAK).
OTHER_LINE_BREAKS = {"\r\n": "Windows (\\r\\n)", "\r": "old Mac (\\r)"}


def check_example(book: RuleBook, example: Example) -> ExampleFailure | None:
    """What is wrong with how the example's rule treats it, or None when it behaves; an example
    with line breaks is checked as written and with each of OTHER_LINE_BREAKS."""
    failure = _check_written(book, example, example.written)
    if failure is not None or "\n" not in example.written:
        return failure
    for line_break, name in OTHER_LINE_BREAKS.items():
        failure = _check_written(book, example, example.written.replace("\n", line_break))
        if failure is not None:
            return ExampleFailure(example, f"with {name} line breaks: {failure.found}")
    return None


def _check_written(book: RuleBook, example: Example, written: str) -> ExampleFailure | None:
    rule = example.rule
    field = "title" if rule.scope == "headline" else "text"
    if example.verdict == "good":
        found = book.run_rule(rule.id, written, field)
        if not found:
            return None
        flagged = [written[f.offset : f.offset + f.length] for f in found]
        return ExampleFailure(example, f"expected 0 matches, found {len(found)}: {_listed(flagged)}")
    text, start, end = BadExample(written).unmarked()
    found = book.run_rule(rule.id, text, field)
    spans = [(f.offset, f.offset + f.length) for f in found]
    if spans != [(start, end)]:
        flagged = [f"{text[s:e]!r} at {s}" for s, e in spans]
        return ExampleFailure(
            example,
            f"expected 1 match, {text[start:end]!r} at {start}; found {len(found)}"
            + (f": {', '.join(flagged)}" if flagged else ""),
        )
    if example.pinned is not None and found[0].replacements != example.pinned:
        return ExampleFailure(
            example, f"expected suggestions {list(example.pinned)}, found {list(found[0].replacements)}"
        )
    return None


def packs_in(book: RuleBook, dirs: Sequence[Path]) -> list[Pack]:
    """The book's packs that come from ``dirs`` (the built-in packs when ``dirs`` is empty)."""
    folders = {Path(d).resolve() for d in dirs} or {BUILTIN_DIR}
    return [pack for pack in book.loaded_packs if pack.file.resolve().parent in folders]


@dataclass(frozen=True)
class ExampleRun:
    """What a harness run covered and what failed."""

    packs: tuple[Pack, ...]
    examples: tuple[Example, ...]
    failures: tuple[ExampleFailure, ...]


def check_packs(dirs: Sequence[Path] = ()) -> ExampleRun:
    """Run every example of every rule of the packs in ``dirs`` (the built-in packs when
    none is given). The built-in packs load alongside, so ids stay unique and
    ``supersedes`` can name them. Raises :class:`~service.rulebook.loading.RulePackError`
    when a pack does not load."""
    book = RuleBook.load(dirs)
    packs = tuple(packs_in(book, dirs))
    examples = tuple(examples_of(book, packs))
    failures = tuple(failure for e in examples if (failure := check_example(book, e)) is not None)
    return ExampleRun(packs, examples, failures)


def run_examples(dirs: Sequence[Path] = ()) -> list[ExampleFailure]:
    """The examples of the packs in ``dirs`` (default: the built-in packs) that fail; an
    empty list means every example passes. See :func:`check_packs`."""
    return list(check_packs(dirs).failures)


def _listed(flagged: Sequence[str]) -> str:
    return ", ".join(repr(f) for f in flagged)
