"""Benchmark: a synthetic organisation of N targets, threads vs a real 2-worker Dask cluster.

Each run is a fresh client process (its peak RSS is its own) sweeping the synthetic provider
(2 regions per target, ``--resources`` per region, 3 checks) with ``run_sweep``: collection,
evaluation and aggregation; with ``--publish`` also the OSCAL bundle, ``summary.md`` and a SQLite
evidence store (``sweep MB``: the peak before publishing; ``client MB``: the peak of the whole run). With Dask a fresh ``dask scheduler`` and two
``dask worker`` processes (``--threads`` / 2 threads each) run on this machine; their peak RSS is
read from /proc (VmHWM). Prints a table and the growth ratios between sizes.

    .venv/bin/python bench/org_scale.py                          # 100 and 1,000 targets
    .venv/bin/python bench/org_scale.py --targets 100 1000 10000 --executors threads dask
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))


def one(targets: int, resources: int, executor: str, threads: int, publish: bool) -> dict[str, float]:
    """Sweep in this process (and with ``publish`` write the OSCAL bundle and a SQLite store) and report."""
    from _measure import peak_rss_mb
    from trustsweep.collect import make_executor
    from trustsweep.pipeline import Outputs
    from trustsweep.pipeline import publish as publish_sweep
    from trustsweep.sweep import run_sweep
    from trustsweep.testing.synthetic import PROVIDER, synthetic_registry

    with tempfile.TemporaryDirectory() as tmp:
        registry = synthetic_registry(Path(tmp))
        mapping = registry.mapping()
        options = {PROVIDER: {"targets": targets, "resources_per_unit": resources}}
        start = time.perf_counter()
        with make_executor(executor, threads) as pool:
            sweep = run_sweep(registry, mapping, providers=[PROVIDER], provider_options=options, executor=pool)
        swept = time.perf_counter() - start
        sweep_mb = peak_rss_mb()
        if publish:
            outputs = Outputs(out=Path(tmp) / "out", store=f"sqlite:///{tmp}/evidence.sqlite")
            publish_sweep(sweep, registry, outputs)
        wall = time.perf_counter() - start
    return {
        "wall": wall,
        "sweep_s": swept,
        "sweep_mb": sweep_mb,
        "client_mb": peak_rss_mb(),
        "results": len(sweep.results),
        "resources": sweep.stats["resources"],
        "units": sweep.stats["units"],
    }


def vm_hwm_mb(pid: int) -> float:
    """Peak RSS of another process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(targets: int, resources: int, executor: str, threads: int, publish: bool) -> dict[str, float]:
    """One run in a fresh client process (and, for Dask, a fresh cluster)."""
    argv = [
        sys.executable,
        __file__,
        "--one",
        "--targets",
        str(targets),
        "--resources",
        str(resources),
        "--threads",
        str(threads),
        *(["--publish"] if publish else []),
    ]
    if executor == "threads":
        out = subprocess.run([*argv, "--executors", "threads"], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    from trustsweep.testing.dask_cluster import Cluster

    with tempfile.TemporaryDirectory() as tmp:
        cluster = Cluster(Path(tmp))
        try:
            for name in ("w1", "w2"):
                cluster.add_worker(name, nthreads=max(1, threads // 2))
            cluster.wait_for(2)
            pids = cluster.worker_pids()
            out = subprocess.run([*argv, "--executors", cluster.address], capture_output=True, text=True, check=True)
            figures = json.loads(out.stdout)
            figures["worker_mb"] = max(vm_hwm_mb(pid) for pid in pids)
        finally:
            cluster.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--resources", type=int, default=50, help="resources per target × region")
    parser.add_argument("--executors", nargs="+", default=["threads", "dask"])
    parser.add_argument("--threads", type=int, default=4, help="threads in all (Dask: split over 2 workers)")
    parser.add_argument("--publish", action="store_true", help="also write the OSCAL bundle and a SQLite store")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        print(json.dumps(one(args.targets[0], args.resources, args.executors[0], args.threads, args.publish)))
        return
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1] / "core"))
    rows: dict[tuple[str, int], dict[str, float]] = {}
    print(
        f"{'executor':8} {'targets':>7} {'resources':>9} {'results':>9} {'sweep s':>7} {'wall s':>7} {'results/s':>9} "
        f"{'sweep MB':>8} {'client MB':>9} {'worker MB':>9}"
    )
    for executor in args.executors:
        for n in args.targets:
            f = rows[(executor, n)] = run(n, args.resources, executor, args.threads, args.publish)
            worker = f"{f['worker_mb']:9.0f}" if "worker_mb" in f else f"{'-':>9}"
            print(
                f"{executor:8} {n:7d} {int(f['resources']):9d} {int(f['results']):9d} {f['sweep_s']:7.1f} "
                f"{f['wall']:7.1f} {f['results'] / f['sweep_s']:9.0f} {f['sweep_mb']:8.0f} {f['client_mb']:9.0f} {worker}",
                flush=True,
            )
    for executor in args.executors:
        for small, big in zip(args.targets, args.targets[1:], strict=False):
            a, b = rows[(executor, small)], rows[(executor, big)]
            print(
                f"{executor}: x{big / small:g} targets -> wall x{b['wall'] / a['wall']:.1f}, "
                f"client RSS x{b['client_mb'] / a['client_mb']:.2f}"
                + (f", worker RSS x{b['worker_mb'] / a['worker_mb']:.2f}" if "worker_mb" in a else "")
            )


if __name__ == "__main__":
    main()
