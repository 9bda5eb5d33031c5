"""Benchmark: sweep N projects × M assets served by the fake Cloud Asset / SCC API.

The fake runs in a child process (its memory is not counted); the sweep runs here through the
real plugin, client and HTTP. Prints wall time, HTTP requests (and the minimum the page size
allows), this process's CPU time and its peak RSS.

    .venv/bin/python bench/gcp_sweep.py --projects 50 --assets 2000 [--latency 0.2] [--executor threads]
    .venv/bin/python bench/gcp_sweep.py --projects 1 --assets 2000      # one project, for comparison
    .venv/bin/python bench/gcp_sweep.py --projects 100 --assets 1000 --publish   # + OSCAL bundle and SQLite store

With ``--publish`` the sweep is then published like ``trustsweep sweep --out DIR --store sqlite:///…``
(the four OSCAL documents, ``summary.md``, the evidence store) and the peak RSS covers that too.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "gcp"))

ORG = "organizations/9000"


def seed(fake, projects: int, assets: int) -> None:
    from trustsweep_gcp.emulator import estate as E

    fake.add_node(ORG, [], org_policy=[E.domain_policy()])
    builders = [
        lambda p, n, i: E.bucket(
            p, f"{p}-b{i}", number=n, iam=E.policy(("roles/storage.objectViewer", [f"group:g{i}@corp.example"]))
        ),
        lambda p, n, i: E.firewall(p, f"fw{i}", number=n, logConfig={"enable": i % 3 == 0}),
        lambda p, n, i: E.subnetwork(p, f"sub{i}", number=n),
        lambda p, n, i: E.sql_instance(p, f"db{i}", number=n),
        lambda p, n, i: E.crypto_key(p, "ring", f"k{i}", number=n),
        lambda p, n, i: E.sa_key(p, f"sa@{p}.iam.gserviceaccount.com", f"key{i}", created=E.ago(i % 200), number=n),
        lambda p, n, i: E.gke_cluster(p, f"gke{i}", number=n),
        lambda p, n, i: E.log_sink(p, f"sink{i}", f"storage.googleapis.com/{p}-b0", number=n),
    ]
    for j in range(projects):
        pid, num = f"bench-{j:03d}", str(700000 + j)
        fake.add_project(
            pid, num, ancestors=[ORG], iam_policy=E.policy(("roles/owner", ["user:a@corp.example"]), audit_all=True)
        )
        for i in range(assets - 1):
            fake.add_asset(builders[i % len(builders)](pid, num, i), pid)
        fake.add_finding(pid, E.finding(pid, "f1", "HIGH", "OPEN_FIREWALL", days_open=3))


def serve(projects: int, assets: int, latency: float, conn) -> None:
    from trustsweep_gcp.emulator import FakeGcp

    fake = FakeGcp(latency=latency)
    seed(fake, projects, assets)
    fake.start()
    conn.send(fake.endpoint)
    conn.recv()  # wait until the benchmark asks for the count
    conn.send(fake.request_count)
    conn.recv()


def minimum_requests(projects: int, assets: int) -> int:
    """Pages at the maximum page size: RESOURCE + IAM_POLICY per project, one each for org policies
    and findings per project, plus discovery and the organisation's policies once."""
    iam_assets = 1 + (assets - 1 + 7) // 8  # the project and its buckets carry IAM policies
    per_project = math.ceil(assets / 1000) + math.ceil(iam_assets / 1000) + 1 + 1
    return projects * per_project + math.ceil(projects / 1000) + 1


def _cpu() -> float:
    """CPU seconds of this process (the sweep; the fake runs in a child): steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=50)
    ap.add_argument("--assets", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds the fake adds to each response")
    ap.add_argument("--executor", default="threads")
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--publish", action="store_true", help="write the OSCAL bundle and a SQLite store too")
    args = ap.parse_args()

    parent, child = mp.Pipe()
    server = mp.Process(target=serve, args=(args.projects, args.assets, args.latency, child), daemon=True)
    t0 = time.perf_counter()
    server.start()
    endpoint = parent.recv()
    print(f"fake seeded with {args.projects} × {args.assets} assets in {time.perf_counter() - t0:.1f} s at {endpoint}")

    from trustsweep.collect import make_executor
    from trustsweep.plugins import Registry
    from trustsweep.sweep import run_sweep

    registry = Registry.load()
    mapping = registry.mapping()
    start, cpu0 = time.perf_counter(), _cpu()
    with make_executor(args.executor, args.workers) as pool:
        sweep = run_sweep(
            registry,
            mapping,
            providers=["gcp"],
            executor=pool,
            # the emulator has no quota: measure the engine, not the request budget (docs/budgets.md)
            provider_options={"gcp": {"scope": ORG, "endpoint": endpoint, "shared_rate_limit": 0}},
        )
    sweep_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.publish:
        import tempfile

        from trustsweep.pipeline import Outputs, publish

        with tempfile.TemporaryDirectory() as tmp:
            outputs = Outputs(out=Path(tmp) / "out", store=f"sqlite:///{tmp}/evidence.sqlite")
            publish(sweep, registry, outputs)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu0
    parent.send("count")
    served = parent.recv()
    parent.send("stop")
    server.join(timeout=5)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"projects={len(sweep.targets)} resources={len(sweep.resources)} results={len(sweep.results)} "
        f"errors={len(sweep.collection_errors)} exit={sweep.exit_code}"
    )
    print(
        f"wall={wall:.2f}s cpu={cpu:.2f}s requests={served} (minimum {minimum_requests(args.projects, args.assets)}) "
        f"peak_rss={peak_mb:.0f}MB (sweep alone {sweep_peak_mb:.0f}MB) executor={args.executor} "
        f"workers={args.workers} latency={args.latency}s publish={args.publish}"
    )


if __name__ == "__main__":
    main()
