"""How much of a LanguageTool check could copydesk save by choosing rules? Its analysis share.

    python -m bench.languagetool_analysis [--rounds 15] [--out bench/results/languagetool-analysis.md]

A LanguageTool check first analyses the text (sentences, tokens, part-of-speech tags,
disambiguation, chunks) and then runs its rules on the analysis. The analysis is paid whatever
rules are on, so it bounds what turning LanguageTool's rules off, or sending it fewer of them,
could save. ``bench/java/AnalysisShare.java`` measures both in LanguageTool's own process, on one
thread (CPU work, not the server's wall time), without LanguageTool's result cache, each round on
a text made unique, after a warm-up: the seed article and a 5,000-word article of the same copy
``bench.speed`` sends.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from bench.servers import write_report
from bench.texts import SEED, paragraphs_of
from service.settings import PROJECT_ROOT, Settings

SOURCE = PROJECT_ROOT / "bench" / "java" / "AnalysisShare.java"


def measure(text: str, rounds: int, lib: Path, classes: str) -> tuple[float, float]:
    """Median milliseconds of a whole check and of the analysis alone, on one thread."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as file:
        file.write(text)
        file.flush()
        out = subprocess.run(["java", "-Xmx2g", "-cp", f"{lib}/*:{classes}", "AnalysisShare", "en-US", str(rounds),
                              file.name], check=True, capture_output=True, text=True).stdout
    check, analysis = (float(value) for value in out.strip().splitlines()[-1].split("\t"))
    return check, analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "languagetool-analysis.md")
    args = parser.parse_args()
    lib = Settings.load().languagetool_home / "lib"
    version = next(lib.glob("languagetool-core-*.jar")).stem.removeprefix("languagetool-core-")
    texts = {"seed (803 words)": SEED, "5,000-word article": "\n\n".join(paragraphs_of(5000))}
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as classes:
        subprocess.run(["javac", "-d", classes, "-cp", f"{lib}/*", str(SOURCE)], check=True)
        for name, text in texts.items():
            check, analysis = measure(text, args.rounds, lib, classes)
            rows.append(f"| {name} | {check:.0f} ms | {analysis:.0f} ms | {analysis / check:.2f} | "
                        f"{max(0.0, check - analysis) / check:.2f} |")
    command = "python -m bench.languagetool_analysis" + (f" --rounds {args.rounds}" if args.rounds != 15 else "")
    lines = [
        "# LanguageTool's analysis share of a check",
        "",
        f"`{command}` (one thread, LanguageTool {version}, medians of {args.rounds} rounds; "
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs).",
        "",
        "| text | whole check | analysis alone | analysis share | rules share (at most) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "The analysis is paid by every check whatever rules are on: turning rules off, or a client that",
        "asks for fewer of them, saves at most the rules' share of LanguageTool's CPU per check. The",
        "rules share is read as the whole check less the analysis; the two are measured on different",
        "unique texts of the same copy, so a share is approximate to a few hundredths.",
    ]
    write_report(lines, args.out)


if __name__ == "__main__":
    main()
