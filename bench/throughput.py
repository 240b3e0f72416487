"""What one report costs each tier, in CPU time and memory: the figures the Helm chart's sizing uses.

    python -m bench.throughput --url http://127.0.0.1:PORT --compose-project NAME [--requests 60] [--concurrency 4]

Runs against the compose stack (docker-compose.yml: one `api` container, one `languagetool`
container), so both tiers run the images Kubernetes runs. Sends the seed article, made unique
per request in every sentence (``bench.texts.unique``) so that no cache answers (neither
copydesk's report, paragraph and sentence caches nor LanguageTool's own), with a fixed number
of requests in flight, and reads each container's own cgroup counters before and after: CPU
seconds per report for the API and for LanguageTool, their ratio (the baseline is
LanguageTool's cost, measured in the same run), and the peak memory of each. CPU time per
report hardly depends on how many cores the machine lends, so it carries over to pods;
requests/s here is only this machine's figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import threading
import time

import requests

from bench.texts import SEED, unique


def container_id(project: str, service: str) -> str:
    ids = subprocess.run(["docker", "ps", "-q", "--no-trunc", "--filter", f"label=com.docker.compose.project={project}",
                          "--filter", f"label=com.docker.compose.service={service}"],
                         capture_output=True, text=True, check=True).stdout.split()
    if len(ids) != 1:
        raise SystemExit(f"expected one running {service} container in compose project {project}, found {len(ids)}")
    return ids[0]


def cgroup_read(container: str, v1: str, v2: str) -> str:
    """A container's own cgroup file, read from inside it (cgroup v1 path first, then v2)."""
    result = subprocess.run(["docker", "exec", container, "sh", "-c", f"cat {v1} 2>/dev/null || cat {v2}"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def cpu_seconds(container: str) -> float:
    text = cgroup_read(container, "/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu.stat")
    if text.startswith("usage_usec"):
        return int(text.split()[1]) / 1e6
    return int(text.split()[0]) / 1e9


def peak_memory_mib(container: str) -> float:
    text = cgroup_read(container, "/sys/fs/cgroup/memory/memory.max_usage_in_bytes", "/sys/fs/cgroup/memory.peak")
    return int(text.split()[0]) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the API published by compose, e.g. http://127.0.0.1:8000")
    parser.add_argument("--compose-project", required=True)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=8)
    args = parser.parse_args()

    containers = {service: container_id(args.compose_project, service) for service in ("api", "languagetool")}
    counter = iter(range(10**9))
    lock = threading.Lock()
    latencies: list[float] = []

    def one() -> None:
        with lock:
            n = next(counter)
            fresh = unique(SEED.split("\n\n"))
        body = {"text": fresh, "title": fresh.splitlines()[0]}
        started = time.perf_counter()
        response = requests.post(f"{args.url}/v1/score", json=body, timeout=120)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or not response.json()["complete"]:
            raise SystemExit(f"request {n}: {response.status_code} {response.text[:300]}")
        with lock:
            latencies.append(elapsed)

    def run(total: int) -> float:
        remaining = iter(range(total))

        def worker() -> None:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                one()

        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    run(args.warmup)
    latencies.clear()
    before = {service: cpu_seconds(c) for service, c in containers.items()}
    wall = run(args.requests)
    after = {service: cpu_seconds(c) for service, c in containers.items()}
    per_report = {service: (after[service] - before[service]) / args.requests for service in containers}
    memory = {service: peak_memory_mib(c) for service, c in containers.items()}

    print(f"seed article ({len(SEED)} characters), {args.requests} reports, {args.concurrency} in flight")
    print("| tier | CPU seconds per report | ratio to LanguageTool | peak memory (MiB) |")
    print("|---|---|---|---|")
    for service in ("languagetool", "api"):
        print(f"| {service} | {per_report[service]:.3f} | {per_report[service] / per_report['languagetool']:.2f} "
              f"| {memory[service]:.0f} |")
    print(f"throughput on this machine: {args.requests / wall:.2f} reports/s; "
          f"latency median {statistics.median(latencies) * 1000:.0f} ms")
    per_minute = 1000 / 60
    print("cores busy at 1,000 reports/minute: " + json.dumps(
        {service: round(per_report[service] * per_minute, 2) for service in containers}))


if __name__ == "__main__":
    main()
