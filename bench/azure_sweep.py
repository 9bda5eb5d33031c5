"""Benchmark: sweep N subscriptions x M resources served by the fake Azure over HTTPS.

    .venv/bin/python bench/azure_sweep.py [--subscriptions 20] [--resources 5000] [--workers 16] [--latency 0.1]
        [--graph-batch N] [--dask-workers 2]

The fake runs in a child process (so its memory is not counted); this process runs the real
plugin and SDK through the engine and prints wall time, HTTP requests (counted by the plugin and
by the server), Resource Graph queries against the minimum the page size allows, and peak RSS.
With ``--dask-workers N`` the sweep runs on a real Dask cluster of N ``dask worker`` processes
(``trustsweep.testing.dask_cluster.Cluster``) instead of threads; peak RSS is then the client's.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: the fake has no quota: measure the engine, not the request budgets (docs/budgets.md)
NO_BUDGETS = {"rate_limit": 0, "shared_rate_limit": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=20)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake adds to every response")
    parser.add_argument(
        "--graph-batch", type=int, default=0, help="subscriptions per Graph query (0: the plugin default)"
    )
    parser.add_argument("--dask-workers", type=int, default=0, help="sweep on a real Dask cluster of N workers")
    args = parser.parse_args()

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trustsweep_azure.emulator",
            "--subscriptions",
            str(args.subscriptions),
            "--resources",
            str(args.resources),
            "--latency",
            str(args.latency),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url, ca_bundle = server.stdout.readline().split()
        os.environ.update({"TRUSTSWEEP_AZURE_ENDPOINT": url, "TRUSTSWEEP_AZURE_CA_BUNDLE": ca_bundle})
        from trustsweep.plugins import Registry
        from trustsweep.sweep import run_sweep

        registry = Registry.load()
        mapping = registry.mapping()

        class Progress:
            last_unit = 0.0

            def planned(self, provider: str, units: int) -> None:
                pass

            def unit_done(self, collected: object) -> None:
                Progress.last_unit = time.perf_counter() - start

            def message(self, text: str) -> None:
                print(text, file=sys.stderr)

        start = time.perf_counter()
        with executor(args, tempfile.mkdtemp(prefix="azure-bench-")) as pool:
            sweep = run_sweep(
                registry,
                mapping,
                providers=["azure"],
                executor=pool,
                progress=Progress(),
                provider_options={"azure": {"graph_batch": args.graph_batch, **NO_BUDGETS}},
            )
        wall = time.perf_counter() - start
    finally:
        server.stdin.close()
        server_requests = server.stderr.readline().strip()
        server.wait(timeout=30)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_sub = args.resources
    graph_rows = {
        "resources:storage": args.subscriptions * per_sub // 4,
        "resources:compute": args.subscriptions * per_sub // 2,  # disks and VMs
        "resources:network": args.subscriptions * per_sub // 4,
        "authorizationresources": args.subscriptions * 2,
        "securityresources": args.subscriptions * 5,
        "recoveryservicesresources": args.subscriptions * (per_sub // 4 // 2),
    }
    min_graph = sum(math.ceil(n / 1000) for n in graph_rows.values())
    print(f"subscriptions        {args.subscriptions}")
    print(f"resources collected  {len(sweep.resources)}")
    print(f"results              {len(sweep.results)} {sweep.counts()}")
    print(f"collection errors    {len(sweep.collection_errors)}")
    print(f"wall time            {wall:.2f} s (last unit of collection done at {Progress.last_unit:.2f} s)")
    print(
        f"HTTP requests        {sweep.stats['requests']} by the plugin's units (+1 subscription listing); "
        f"server saw {server_requests}"
    )
    arm_minimum = (
        args.subscriptions * 14 + 2
    )  # per subscription: monitor 2, SQL 6, web 2, Key Vault 3, contacts 1; Entra 2
    print(
        f"minimum              {min_graph + arm_minimum} ({min_graph} Resource Graph queries at 1000 rows a page "
        f"+ {arm_minimum} Resource Manager / Microsoft Graph GETs)"
    )
    print(f"peak RSS             {rss_mb:.0f} MB")


@contextmanager
def executor(args: argparse.Namespace, workdir: str) -> Iterator[Any]:
    """Threads, or a real Dask cluster of ``--dask-workers`` processes pointed at the fake."""
    if not args.dask_workers:
        with ThreadPoolExecutor(args.workers) as pool:
            yield pool
        return
    from trustsweep.collect import make_executor
    from trustsweep.testing.dask_cluster import Cluster

    cluster = Cluster(Path(workdir), env={k: os.environ[k] for k in ENDPOINT_ENV})
    try:
        for i in range(args.dask_workers):
            cluster.add_worker(f"w{i}")
        cluster.wait_for(args.dask_workers)
        with make_executor(cluster.address) as pool:
            yield pool
    finally:
        cluster.close()


ENDPOINT_ENV = ("TRUSTSWEEP_AZURE_ENDPOINT", "TRUSTSWEEP_AZURE_CA_BUNDLE")

if __name__ == "__main__":
    main()
