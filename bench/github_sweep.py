"""Benchmark: sweep an organisation of N repositories x M merged pull requests served by the fake GitHub.

    .venv/bin/python bench/github_sweep.py [--repos 500] [--pulls 200] [--workers 16]
    GITHUB_BENCH_REPOS=20 GITHUB_BENCH_PULLS=50 .venv/bin/python bench/github_sweep.py   # a quick run

The fake runs in a child process (its memory is not counted); this process runs the real plugin over
HTTPS through the engine, twice with one ETag cache: a cold sweep, then a repeat. It prints wall time,
requests (counted by the plugin's units and by the server) against the minimum the REST API allows,
the requests the repeat spent from the rate limit (a 304 costs none) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def minimum(repos: int, pulls: int) -> int:
    """The fewest GETs the REST API allows for this estate: the organisation and its listing; per
    repository protection, rules, CODEOWNERS, outside admins, the window's commits and pull requests
    (100 a page) and one review listing per merged pull request."""
    pages = max(1, math.ceil(pulls / 100))
    return 1 + math.ceil(repos / 100) + repos * (4 + 2 * pages + pulls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=int(os.environ.get("GITHUB_BENCH_REPOS", 500)))
    parser.add_argument("--pulls", type=int, default=int(os.environ.get("GITHUB_BENCH_PULLS", 200)))
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()

    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "trustsweep_github.emulator", "--repos", str(args.repos), "--pulls", str(args.pulls)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    url, ca_bundle, token, org = server.stdout.readline().split()
    print(
        f"estate               {args.repos} repositories x {args.pulls} merged pull requests "
        f"(fake ready in {time.perf_counter() - started:.1f} s)"
    )

    def stats() -> dict[str, int]:
        server.stdin.write("stats\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    os.environ.update({"TRUSTSWEEP_GITHUB_CA_BUNDLE": ca_bundle, "GITHUB_TOKEN": token})
    from trustsweep.plugins import Registry
    from trustsweep.sweep import run_sweep

    registry = Registry.load()
    mapping = registry.mapping()
    try:
        with tempfile.TemporaryDirectory() as cache:
            # the emulator has no quota: measure the engine, not the request budget (docs/budgets.md)
            options = {"github": {"endpoint": url, "cache_dir": cache, "shared_rate_limit": 0}}
            for label in ("cold sweep", "repeat sweep"):
                before = stats()
                start = time.perf_counter()
                with ThreadPoolExecutor(args.workers) as pool:
                    sweep = run_sweep(
                        registry, mapping, providers=["github"], targets=[org], executor=pool, provider_options=options
                    )
                wall = time.perf_counter() - start
                after = stats()
                report(label, sweep, wall, before, after, minimum(args.repos, args.pulls))
                sizes = ", ".join(f"{f.name} {f.stat().st_size / 2**20:.1f} MB" for f in sorted(Path(cache).iterdir()))
                print(f"  ETag cache         {sizes}")
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    print(
        f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (the sweep's process)"
    )


def report(label: str, sweep: Any, wall: float, before: dict[str, int], after: dict[str, int], least: int) -> None:
    served = after["requests"] - before["requests"]
    print(f"== {label}")
    print(
        f"  resources          {len(sweep.resources)}; results {sweep.counts()}; "
        f"collection errors {len(sweep.collection_errors)}"
    )
    print(f"  wall time          {wall:.1f} s")
    print(
        f"  requests           {served} served ({sweep.stats['requests']} by the units, the rest while planning); "
        f"minimum the API allows {least} ({served / least:.3f}x)"
    )
    print(
        f"  304 Not Modified   {after['not_modified'] - before['not_modified']}; "
        f"rate limit spent {after['rate_limit_used'] - before['rate_limit_used']}"
    )


if __name__ == "__main__":
    main()
