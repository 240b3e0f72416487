"""Does copydesk's /v2/check cost about one raw LanguageTool call? Ratios from one run.

    python -m bench.lt_api [--rounds 15] [--out bench/results/lt-api.md]

Starts its own LanguageTool server with the shipped settings, its result cache on, and copydesk
in front of it as production runs it (``bench.servers.copydesk``: gunicorn, its caches on). Two
situations, each round alternating which side goes first:

- a first check: the text made new in every sentence (``bench.texts.unique``), so that no cache
  on either side answers any of it;
- a re-check after an edit, as LTeX and the browser extension send while a writer types: a text
  both sides have checked, with a new first line (a different one for each side), so that
  LanguageTool answers the rest from its result cache, and copydesk's own checks from their
  memos (copydesk passes the text to LanguageTool as sent, whole up to a piece's length and in
  pieces cut at paragraphs beyond it, so its result cache, kept by sentence, answers there too).

Baseline: the raw LanguageTool call on the same text, in the same run. Writes a Markdown report
with the command and the machine's load.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

import requests

from bench.servers import copydesk, languagetool, paired, timed_check, write_report
from bench.texts import CLEAN, SEED, unique
from service.languagetool.supervisor import NODELAY
from service.settings import PROJECT_ROOT

TARGET = 1.05


def texts() -> dict[str, list[str]]:
    """Each text as its paragraphs."""
    return {
        "one paragraph": [CLEAN[0].split("\n\n")[1]],
        "seed article": SEED.split("\n\n"),
        "five articles": "\n\n".join([SEED, *CLEAN]).split("\n\n"),
    }


def keep_alive_cost(url: str, rounds: int) -> tuple[float, float]:
    """Median ms of a one-paragraph check over one kept-alive connection, and over a new
    connection per check."""
    paragraph = texts()["one paragraph"]
    kept = requests.Session()
    for _ in range(20):  # warm-up (a server started for this has a cold JIT), the kept connection opened
        timed_check(kept, url, unique(paragraph))
    over_kept, over_new = [], []
    for _ in range(rounds):
        over_kept.append(timed_check(kept, url, unique(paragraph)))
        with requests.Session() as fresh:
            over_new.append(timed_check(fresh, url, unique(paragraph)))
    return statistics.median(over_kept), statistics.median(over_new)


def compare(rounds: int, make: Callable[[], tuple[str, str]], raw_url: str, copydesk_url: str,
            session: requests.Session) -> tuple[float, float, float]:
    """Median raw and copydesk times and the median of the per-round ratios; ``make`` gives
    each round its two texts (raw's, copydesk's)."""
    raw_check = functools.partial(timed_check, session, raw_url)
    raw, ours = paired(rounds, make, raw_check, functools.partial(timed_check, session, copydesk_url))
    ratios = [o / r for r, o in zip(raw, ours, strict=True)]
    return statistics.median(raw), statistics.median(ours), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "lt-api.md")
    args = parser.parse_args()

    session = requests.Session()
    first: list[tuple[str, int, float, float, float]] = []
    again: list[tuple[str, int, float, float, float]] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, languagetool(None, result_cache=True) as raw_url, copydesk(
        raw_url, Path(folder) / "gunicorn.log"
    ) as (copydesk_url, _):
        edits = itertools.count()

        def new_texts(paragraphs: list[str]) -> tuple[str, str]:
            return unique(paragraphs), unique(paragraphs)

        def edited(paragraphs: list[str]) -> tuple[str, str]:
            text = unique(paragraphs)
            for base in (raw_url, copydesk_url):  # both sides have checked the text before
                timed_check(session, base, text)
            edit = next(edits)
            return f"Edit {edit}, sent to LanguageTool.\n\n{text}", f"Edit {edit}, sent to copydesk.\n\n{text}"

        for name, paragraphs in texts().items():
            size = len("\n\n".join(paragraphs))
            for _ in range(3):  # warm-up: JIT, rule loading, copydesk's first request
                for base in (raw_url, copydesk_url):
                    timed_check(session, base, unique(paragraphs))
            make_first = functools.partial(new_texts, paragraphs)
            make_edit = functools.partial(edited, paragraphs)
            first.append((name, size, *compare(args.rounds, make_first, raw_url, copydesk_url, session)))
            again.append((name, size, *compare(args.rounds, make_edit, raw_url, copydesk_url, session)))
        kept = {"as shipped": keep_alive_cost(raw_url, args.rounds)}
    with languagetool(None, result_cache=True, nodelay=False) as without:
        kept[f"without `{NODELAY}`"] = keep_alive_cost(without, args.rounds)
    load_after = os.getloadavg()

    lines = [
        "# `/v2/check` against one raw LanguageTool call",
        "",
        f"`python -m bench.lt_api --rounds {args.rounds}`: LanguageTool as shipped (its result cache on) on the "
        "same host, copydesk in front of it as production runs it (gunicorn, two workers, its caches on); "
        "the same parameters (`language=en-US`) to both; each round alternates which goes first. "
        f"Load average before the run: {load_before[0]:.2f}; after: {load_after[0]:.2f}. {os.cpu_count()} CPUs.",
        "",
    ]
    for title, rows, note in [
        ("A first check (every sentence new to both sides)", first,
         "copydesk makes the same LanguageTool call (a text longer than COPYDESK_LANGUAGETOOL_PIECE_CHARS, "
         "10,000 characters, in pieces cut at paragraphs, checked at once) and runs its own checks (rule packs, "
         "headline model, readability) while that call is on the wire."),
        ("A re-check after an edit (a new first line; the rest checked before by both)", again,
         "LanguageTool answers the unchanged sentences from its result cache. copydesk passes the text to "
         "LanguageTool as the client sent it (so that client gets LanguageTool's answer), in pieces beyond "
         "a piece's length, and the same cache, kept by sentence, answers there; its own checks read "
         "unchanged sentences and paragraphs from their memos."),
    ]:
        lines += [f"## {title}", "", note, "",
                  f"median of {args.rounds} rounds per text; target: ratio <= {TARGET}", "",
                  "| text | characters | raw LanguageTool ms | copydesk /v2/check ms | ratio of medians "
                  "| median ratio | target |",
                  "|---|---|---|---|---|---|---|"]
        for name, size, raw_ms, ours_ms, ratio in rows:
            met = "met" if ours_ms / raw_ms <= TARGET else "NOT met"
            lines.append(f"| {name} | {size} | {raw_ms:.1f} | {ours_ms:.1f} | {ours_ms / raw_ms:.3f} | {ratio:.3f} "
                         f"| {met} |")
        lines.append("")
    lines += [
        "## Raw LanguageTool over a kept-alive connection",
        "",
        "One paragraph (every sentence new) sent to LanguageTool's own `/v2/check` by a client that keeps "
        "its connection open between checks, as LanguageTool's clients and editors do, and by one that opens "
        "a new connection for each check (as copydesk does). The server as shipped sets TCP_NODELAY on its "
        f"connections (`{NODELAY}`, see `service/languagetool/supervisor.py`); the second row is a server "
        "started without it.",
        "",
        f"median of {args.rounds} checks each",
        "",
        "| server | kept-alive connection ms | new connection ms | ratio |",
        "|---|---|---|---|",
    ]
    for name, (kept_ms, new_ms) in kept.items():
        lines.append(f"| {name} | {kept_ms:.1f} | {new_ms:.1f} | {kept_ms / new_ms:.2f} |")
    write_report(lines, args.out)


if __name__ == "__main__":
    main()
