"""Hostile input through every analyzer: is the cost per character bounded, and linear?

The corpus is what a hostile or unlucky client sends: deep nesting of every Markdown and HTML
construct, unclosed comments and tags, one huge line, long runs of one character, zero-width,
combining and bidi characters, emoji runs. ``tests/test_hostile.py`` runs it through the
service (completion); this measures the local analyzers on it (the prose view, readability,
phrasing, clickbait and the pieces for LanguageTool), as a ratio against plain prose of the
same length in the same run, at two sizes, so a quadratic path shows as a growing ratio.

    python -m bench.hostile [--sizes 10000 100000] [--out bench/results/hostile.md]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.servers import write_report

PROSE = (
    "The council met on Tuesday and approved the budget after a long debate. "
    "Residents asked why the library will close early, and the mayor said it would not. "
)


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def _nested(opening: str, middle: str, closing: str, size: int) -> str:
    depth = max(1, (size - len(middle)) // (len(opening) + len(closing)))
    return opening * depth + middle + closing * depth


# name -> (format, generator of a text of about `size` characters)
CORPUS: dict[str, tuple[str, Callable[[int], str]]] = {
    "md-nested-quotes": ("markdown", lambda n: _repeat("> ", n - 2) + "hi"),
    "md-nested-lists": ("markdown", lambda n: "".join("  " * d + "- item\n" for d in range(int((n / 2) ** 0.5)))),
    "md-nested-emphasis": ("markdown", lambda n: _nested("*_", "word", "_*", n)),
    "md-unclosed-emphasis": ("markdown", lambda n: _repeat("**a ", n)),
    "md-nested-links": ("markdown", lambda n: _nested("[", "text", "](x)", n)),
    "md-backtick-runs": ("markdown", lambda n: _repeat("`` a ` b ``` ", n)),
    "md-unclosed-fence": ("markdown", lambda n: "```\n" + _repeat("code line\n", n)),
    "md-table": ("markdown", lambda n: "| a | b |\n|---|---|\n" + _repeat("| x | y |\n", n)),
    "md-one-huge-line": ("markdown", lambda n: _repeat("Words [link](http://x.y) *em* `code` and more. ", n)),
    "html-nested-divs": ("html", lambda n: _nested("<div>", "text", "</div>", n)),
    "html-unclosed-tags": ("html", lambda n: _repeat("<b><i><span>text ", n)),
    "html-unclosed-comment": ("html", lambda n: "<p>Start</p><!-- " + _repeat("never closed ", n)),
    "html-unclosed-attribute": ("html", lambda n: "<a href=\"" + _repeat("x", n)),
    "html-angle-brackets": ("html", lambda n: _repeat("<", n)),
    # Constructs that never end, one after another: html.parser scanned each to the end (CVE-2025-6069).
    "html-comment-openers": ("html", lambda n: _repeat("<!--", n)),
    "html-tag-openers": ("html", lambda n: _repeat("<p", n)),
    "html-quoted-attribute-openers": ("html", lambda n: _repeat("<a b='", n)),
    "html-end-tag-openers": ("html", lambda n: "<script>" + _repeat("</a", n)),
    "html-marked-section-openers": ("html", lambda n: _repeat("<![ x", n)),
    "md-html-comment-openers": ("markdown", lambda n: "Some prose.\n\n" + _repeat("<!--", n)),
    "md-template-openers": ("markdown", lambda n: _repeat("{{< {% {{ ", n)),
    "md-template-tags": ("markdown", lambda n: _repeat("Use {{< param v >}} now. ", n)),
    "md-unclosed-listings": ("markdown", lambda n: _repeat("{% highlight go %}\n", n)),
    "md-attribute-lists": ("markdown", lambda n: _repeat("{#a}  {.b ", n)),
    "md-shortcodes": ("markdown", lambda n: _repeat(":a: :b-c:x :d: {{ :e: }} ", n)),
    "md-attribute-spans": ("markdown", lambda n: _repeat("[a]{k=](x){.b [[c]{ ", n)),
    "md-container-openers": ("markdown", lambda n: _repeat("::: a\n", n)),
    "md-math-openers": ("markdown", lambda n: _repeat("$$a\n", n)),
    "md-inline-math": ("markdown", lambda n: _repeat("$a$ $b \\$c$ $$d$$ $e 5$ ", n)),
    "md-dollar-runs": ("markdown", lambda n: _repeat("Pay $$$a$ $$b \\$$ ", n)),
    "md-latex-environments": ("markdown", lambda n: _repeat("\\begin{a}\n\\end{b}\n", n)),
    "md-directive-fences": ("markdown", lambda n: _repeat("```{note}\n:a: b\n````{tip} c\n", n)),
    "md-myst-roles": ("markdown", lambda n: _repeat("{a}`b` {c}{d}` ", n)),
    "md-title-markup": ("markdown", lambda n: _repeat(":::tip `a *b ``c _d\n", n)),
    "md-container-titles": ("markdown", lambda n: _repeat('::: {.x title="a title="\n::: {', n)),
    "md-admonition-markers": ("markdown", lambda n: _repeat('!!! note "a\n    ', n)),
    "md-content-tabs": ("markdown", lambda n: _repeat('=== "a"\n    x ', n)),
    "md-undefined-references": ("markdown", lambda n: _repeat("[a][b.c] [d", n)),
    "md-alert-markers": ("markdown", lambda n: _repeat("> [!NOTE]\n> [!TIP]\n", n)),
    "md-callout-titles": ("markdown", lambda n: _repeat("> [!tip]- A title\n> [!x] body\n\n", n)),
    # A front matter's title of one huge line, read as the page's first heading.
    "md-front-matter-title": ("markdown", lambda n: "---\ntitle: " + _repeat("Big news#today  ", n - 20) + "\n---\n"),
    "html-entities": ("html", lambda n: _repeat("&amp;&#8212;&nbsp;&bogus; ", n)),
    # reStructuredText: start-strings that never end (docutils searched the rest of the paragraph
    # for each), roles, nesting as deep as the reader takes, a grid table, directives.
    "rst-unclosed-backquotes": ("rst", lambda n: _repeat("`a ", n)),
    "rst-unclosed-emphasis": ("rst", lambda n: _repeat("*a **b ``c |d _`e ", n)),
    "rst-roles": ("rst", lambda n: _repeat(":r:`a :ref:`b <c>` ", n)),
    "rst-references": ("rst", lambda n: _repeat("`a <http://x.y>`_ b_ [#]_ |c| ", n)),
    "rst-nested-lists": ("rst", lambda n: _repeat("".join("  " * d + "- item\n\n" for d in range(50)), n)),
    "rst-grid-table": ("rst", lambda n: "+---+---+\n" + _repeat("| a | b |\n+---+---+\n", n)),
    "rst-directives": ("rst", lambda n: _repeat(".. note:: a\n.. toctree::\n.. x::\n\n", n)),
    "rst-one-huge-line": ("rst", lambda n: _repeat("Words `link <http://x.y>`_ *em* ``code`` and more. ", n)),
    # MDX: braces and tags that never close (an expression's end is found by pairing braces once),
    # ESM blocks, comments over lines that never close, and a line of components and expressions.
    "mdx-brace-openers": ("mdx", lambda n: _repeat("{", n)),
    "mdx-nested-braces": ("mdx", lambda n: _nested("{", "a", "}", n)),
    "mdx-tag-openers": ("mdx", lambda n: _repeat('<A b={c} d="', n)),
    "mdx-esm-blocks": ("mdx", lambda n: _repeat("import x from 'y';\n\n", n)),
    "mdx-comment-openers": ("mdx", lambda n: "Some prose.\n\n" + _repeat("<!--\n", n)),
    "mdx-one-huge-line": ("mdx", lambda n: _repeat('Run <Tab label="x" v={a}>it</Tab> on {props.os} now. ', n)),
    "text-one-char": ("text", lambda n: "a" * n),
    "text-dots": ("text", lambda n: "." * n),
    "text-exclamations": ("text", lambda n: "!" * n),
    "text-newlines": ("text", lambda n: "word" + "\n" * n),
    "text-carriage-returns": ("text", lambda n: _repeat("word\r\r", n)),
    "text-spaces": ("text", lambda n: "word" + " " * n + "word"),
    "text-abbreviations": ("text", lambda n: _repeat("Mr. U.S. Dr. No. 5 e.g. ", n)),
    "text-zero-width": ("text", lambda n: _repeat("a\u200b", n)),
    "text-combining": ("text", lambda n: "e" + "\u0301" * n),
    "text-bidi": ("text", lambda n: _repeat("word \u202e drow \u202c \u200f", n)),
    "text-emoji": ("text", lambda n: "😀" * n),
    "text-zwj-emoji": ("text", lambda n: _repeat("👨‍👩‍👧‍👦", n)),
    "text-brackets": ("text", lambda n: "(" * n),
    "text-url": ("text", lambda n: "http://" + "a" * n),
    "text-short-lines": ("text", lambda n: _repeat("Big News Today\n", n)),
    "text-currency-lines": ("text", lambda n: _repeat("$$a\n", n)),
    "text-table-rows": ("text", lambda n: _repeat("| a | b |  |\n", n)),
    "text-one-table-row": ("text", lambda n: "|" + _repeat(" a |", n - 1)),
    "text-list-items": ("text", lambda n: _repeat("- a\n  b\n", n)),
    # One sentence hard-wrapped over every line, each line a repeat: the repeated-line rule asks
    # of each whether the sentence goes on across its ends.
    "text-wrapped-repeats": ("text", lambda n: _repeat("the same five words wrap on\n", n)),
}


def documents(size: int) -> dict[str, tuple[str, str]]:
    """name -> (format, text) for every case of the corpus at ``size`` characters."""
    return {name: (fmt, make(size)) for name, (fmt, make) in CORPUS.items()}


def _local_analyzers(data_dir: Path) -> Callable[[str, str], None]:
    from service import build_local_checks
    from service.languagetool.pieces import plan
    from service.markup import Unreadable
    from service.score_request import build_document
    from service.settings import Settings

    settings = Settings.load(environ={}, overrides={"data_dir": data_dir})
    checks = list(build_local_checks(settings).values())

    def run(text: str, fmt: str) -> None:
        try:
            document = build_document(text, None, fmt)  # type: ignore[arg-type]
        except Unreadable:
            return  # refused once read (nesting deeper than the reader goes): the service's answer
        for check in checks:
            check.run(document)
        plan(document.original, document.annotation, document.text, settings.languagetool_piece_chars)

    return run


def _best(run: Callable[[str], None], rounds: int) -> float:
    """The best of ``rounds``; each round's text opens with a line of its own, so no cache of
    whole texts answers from an earlier round. The memos of short strings (``service.text.memo``:
    sentences, words, paragraphs under their length limits) do answer the later rounds, as they
    would in the service for text it has seen; units over those limits are worked out each time."""
    times = []
    for n in range(rounds):
        prefix = f"Round {next(_rounds)}-{n} begins here.\n\n"
        started = time.perf_counter()
        run(prefix)
        times.append(time.perf_counter() - started)
    return min(times)


_rounds = itertools.count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000], metavar=("SMALL", "LARGE"))
    # The best of 3 moved a growth by up to 0.4 between runs on a shared two-core host.
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    run = _local_analyzers(Path(tempfile.mkdtemp()))
    run(PROSE, "text")  # loads the dictionaries and the model once, outside the timings
    small, large = args.sizes
    baseline = {
        size: _best(lambda prefix, s=size: run(prefix + _repeat(PROSE, s), "text"), args.rounds)
        for size in (small, large)
    }
    lines = [
        "# Hostile input through the local analyzers",
        "",
        f"`python -m bench.hostile --sizes {small} {large}`: the prose view, readability, phrasing,",
        "clickbait and the LanguageTool pieces of each case, best of "
        f"{args.rounds}, as a ratio against plain prose of the same length measured in the same run.",
        f"Plain prose takes {baseline[small] * 1e6 / small:.1f} µs per character at {small:,} characters "
        f"and {baseline[large] * 1e6 / large:.1f} µs at {large:,}.",
        "`growth` is the large ratio over the small one: about 1 when the cost stays linear.",
        "",
        f"| case | format | × prose at {small:,} | × prose at {large:,} | growth |",
        "|---|---|---|---|---|",
    ]
    growths = []
    for name, (fmt, make) in CORPUS.items():
        ratios = []
        for size in (small, large):
            text = make(size)
            seconds = _best(lambda prefix, t=text, f=fmt: run(prefix + t, f), args.rounds)
            ratios.append(seconds / baseline[size] * size / max(1, len(text)))
        growth = ratios[1] / ratios[0] if ratios[0] else float("nan")
        growths.append(growth)
        lines.append(f"| {name} | {fmt} | {ratios[0]:.2f} | {ratios[1]:.2f} | {growth:.2f} |")
    lines += ["", f"Median growth {statistics.median(growths):.2f}, largest {max(growths):.2f}."]
    write_report(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
