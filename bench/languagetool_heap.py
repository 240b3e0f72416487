"""How much of LanguageTool's heap each language takes once a client has asked for it.

    python -m bench.languagetool_heap [--heap 6g] [--out bench/results/languagetool-heap.md]

Starts LanguageTool with a heap that holds every language, then checks one sentence in each
language it lists, in its order; after each, a full collection (``jcmd GC.run``) and the live
heap (``jcmd GC.heap_info``). LanguageTool never lets a language go, so the live heap only
grows: the figures behind COPYDESK_LANGUAGETOOL_LANGUAGES (README, "LanguageTool"). The
baseline is the live heap after start-up and one check in en-US, copydesk's own language.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from bench.servers import languagetool, write_report
from service.settings import PROJECT_ROOT

SENTENCE = "This sentence is checked once."
BASELINE = "en-US"
# The English codes LanguageTool lists besides the baseline's, which its heap already holds.
OTHER_ENGLISH = ("en", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA")


def live_heap_mb(pid: int) -> float:
    """The heap still in use after a full collection."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True, timeout=120)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=True,
                          timeout=120).stdout
    found = re.search(r"used (\d+)K", info)
    assert found, info
    return int(found.group(1)) / 1024


def server_pid(url: str) -> int:
    port = urlsplit(url).port
    found = subprocess.run(["pgrep", "-f", f"HTTPServer --port {port}"], capture_output=True, text=True).stdout
    (pid,) = found.split()
    return int(pid)


def first_check(url: str, language: str) -> float:
    started = time.perf_counter()
    answer = requests.post(url + "/v2/check", data={"language": language, "text": SENTENCE}, timeout=600)
    answer.raise_for_status()
    return time.perf_counter() - started


def other_english_mb(rows: list[tuple[str, float, float, float]]) -> float:
    """What the English codes but the baseline's added (rows: code, seconds, live MB, added MB).
    The baseline's own row is a second check in a language already loaded: what it "adds" is
    the collector's noise, not English."""
    return sum(added for code, _, _, added in rows if code in OTHER_ENGLISH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heap", default="6g", help="-Xmx of the server measured (default: 6g)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "languagetool-heap.md")
    args = parser.parse_args()
    rows = []
    with languagetool(None, heap=args.heap) as url:
        pid = server_pid(url)
        codes = [entry["longCode"] for entry in requests.get(url + "/v2/languages", timeout=60).json()]
        first_check(url, BASELINE)
        baseline = previous = live_heap_mb(pid)
        for code in codes:
            seconds = first_check(url, code)
            live = live_heap_mb(pid)
            rows.append((code, seconds, live, live - previous))
            previous = live
    english = other_english_mb(rows)
    within = [code for code, _, live, _ in rows if live <= 1024]
    lines = [
        "# LanguageTool's heap, language by language",
        "",
        "`python -m bench.languagetool_heap`: one sentence checked in each of LanguageTool's languages, in",
        "the order `/v2/languages` lists them, and the live heap after a full collection after each.",
        "",
        f"- Live heap after start-up and one en-US check (the baseline): {baseline:.0f} MB.",
        f"- After every one of the {len(rows)} languages: {previous:.0f} MB "
        f"({previous - baseline:.0f} MB more than the baseline).",
        f"- The English codes but en-US (in the baseline): {english:.0f} MB in all.",
        f"- Asked for in this order, {len(within)} languages fit in 1 GB of live heap (the default "
        "COPYDESK_LANGUAGETOOL_HEAP), before the room a check itself needs.",
        "",
        "| language | first check (s) | live heap (MB) | added (MB) |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {code} | {seconds:.1f} | {live:.0f} | {added:+.0f} |" for code, seconds, live, added in rows),
    ]
    write_report(lines, args.out)


if __name__ == "__main__":
    main()
