"""Does an API pod of the chart stay inside its memory limit when every thread scores a book?

    python -m bench.book_memory [--languagetool URL] [--texts N] [--chars N] [--out bench/results/book-memory.md]

copydesk under gunicorn as the chart runs one pod (``api.workers`` processes of ``api.threads``
threads, from ``deploy/helm/copydesk/values.yaml``), with every default setting but the
LanguageTool timeout, gets as many texts of 1,000,000 characters at once as the pod has threads,
each new to every cache. Every 0.2 s the run adds up the proportional set size (PSS) of the
master and its workers: pages the processes share count once, as the container's memory
cgroup counts them. The report sets the peak beside the chart's ``api.resources.limits.memory``.
Its figures are the image's only from an environment with the runtime dependencies alone
(``bench.speed`` says how to make one); the report says which kind it ran from.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import yaml

from bench.servers import PodPeak, copydesk, environment, languagetool, write_report
from bench.texts import paragraphs_of, unique
from service.settings import PROJECT_ROOT

VALUES = PROJECT_ROOT / "deploy" / "helm" / "copydesk" / "values.yaml"


def book(chars: int) -> str:
    """Real news copy, new to every cache, cut to ``chars`` characters at a paragraph."""
    text = unique(paragraphs_of(chars // 5))
    return text[: text.rfind("\n\n", 0, chars)]


def mebibytes(quantity: str) -> float:
    """A Kubernetes memory quantity in binary units (``768Mi``, ``1Gi``) in MiB."""
    for suffix, scale in (("Mi", 1), ("Gi", 1024)):
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * scale
    raise SystemExit(f"{VALUES}: write the API's memory limit in Mi or Gi, not {quantity!r}")


def _span(lengths: list[int]) -> str:
    return f"{lengths[0]:,}" if lengths[0] == lengths[-1] else f"{lengths[0]:,} to {lengths[-1]:,}"


def main(argv: list[str] | None = None) -> int:
    api = yaml.safe_load(VALUES.read_text(encoding="utf-8"))["api"]
    workers, threads, limit = api["workers"], api["threads"], api["resources"]["limits"]["memory"]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languagetool", help="a running LanguageTool server (else one is started)")
    parser.add_argument("--texts", type=int, default=workers * threads, help="texts sent at once (the pod's threads)")
    parser.add_argument("--chars", type=int, default=1_000_000, help="characters per text")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "book-memory.md")
    args = parser.parse_args(argv)
    shown = sys.argv[1:] if argv is None else argv
    texts = [book(args.chars) for _ in range(args.texts)]
    settings = {"COPYDESK_WORKERS": str(workers), "COPYDESK_THREADS": str(threads)}
    with languagetool(args.languagetool) as url, tempfile.TemporaryDirectory() as folder:
        with copydesk(url, Path(folder) / "gunicorn.log", settings) as (base, process):
            def score(text: str) -> int:
                return requests.post(base + "/v1/score", json={"text": text}, timeout=1800).status_code

            with PodPeak(process.pid) as pod, ThreadPoolExecutor(len(texts)) as pool:
                statuses = list(pool.map(score, texts))
            retirements = (Path(folder) / "gunicorn.log").read_text(encoding="utf-8").count(" retires: ")
    lines = [
        "# A pod's memory while every thread scores a book",
        "",
        f"`python -m bench.book_memory{''.join(' ' + arg for arg in shown)}` ({environment()}): copydesk "
        "under gunicorn "
        f"with the chart's {workers} workers of {threads} threads and default settings; {len(texts)} texts of "
        f"{_span(sorted(map(len, texts)))} characters sent at once, each new to every cache; "
        "the PSS of the master and its workers added up every 0.2 s.",
        "",
        "| answers | idle MiB | peak MiB | chart limit | peak / limit | retirements |",
        "|---|---|---|---|---|---|",
        f"| {', '.join(sorted({f'{statuses.count(s)}x {s}' for s in statuses}))} | {pod.idle / 1024:.0f} | "
        f"{pod.peak / 1024:.0f} | `{limit}` | {pod.peak / 1024 / mebibytes(limit):.2f} | {retirements} |",
        "",
        "A worker that has served a body over 1 MB and is still above `COPYDESK_WORKER_MAX_RSS_MB`",
        "retires once its requests are answered, and the master forks a fresh one: the retirements",
        "say how many did. Requests past a pod's threads are not measured here: each waits for a",
        "thread with its body read, up to `COPYDESK_MAX_BODY_BYTES` (8 MB) more, and a worker holds",
        "at most twice `COPYDESK_THREADS` bodies' worth (64 MB here; past that, 503 `busy`).",
    ]
    write_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
