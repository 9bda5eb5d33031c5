"""Evidence-store benchmark: store a 100,000-observation sweep, verify 1,000,000, database growth.

    .venv/bin/python bench/store.py                       # SQLite (and PostgreSQL if configured)
    .venv/bin/python bench/store.py --postgres postgresql://postgres@127.0.0.1:55432/trustsweep_test
    .venv/bin/python bench/store.py --sweeps 3            # quicker: verify over 300,000

PostgreSQL runs when ``--postgres`` or ``$TRUSTSWEEP_TEST_POSTGRES`` names a server (``source
.ci/postgres.sh; start_postgres`` starts a throwaway one); each run uses a fresh schema, dropped after.
Prints figures; asserts nothing (targets: store ≤ 1.5 s, verify 1M ≤ 15 s).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from trustsweep.store import open_store
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep

MB = 1024 * 1024


def make_sweep(work: Path, observations: int):
    """A synthetic sweep with exactly ``observations`` check results (2.5 per resource)."""
    per_unit = observations * 2 // 5 // 4  # 2 targets × 2 regions, 2.5 checks per resource
    sweep = synthetic_sweep(work, resources_per_unit=per_unit, targets=2)
    sweep.results = sweep.results[:observations]
    assert len(sweep.results) == observations, len(sweep.results)
    return sweep


def sqlite_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def pg_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        ).fetchone()
    return int(row[0])


def run(name: str, url: str, sweep, sweeps: int, size) -> None:
    print(f"== {name}")
    store = open_store(url)
    base = size()
    times, cpus = [], []
    for i in range(sweeps):
        copy = dataclasses.replace(sweep, id=str(uuid.uuid4()))
        t, c = time.perf_counter(), time.process_time()
        store.record(copy)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        if i == 0:
            if url.startswith("sqlite:"):
                store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            first = size() - base
    n = len(sweep.results)
    print(
        f"store one {n:,}-observation sweep ({len(sweep.resources):,} resources): "
        f"best {min(times):.2f} s, median {statistics.median(times):.2f} s over {sweeps} sweeps (target ≤ 1.5 s); "
        f"this process's CPU {statistics.median(cpus):.2f} s (both threads)"
    )
    print(
        f"database growth: {first / MB:.1f} MB per {n:,} observations "
        f"({first / n:.0f} bytes per observation, inventory and findings included)"
    )
    store.close()
    store = open_store(url)
    t, c = time.perf_counter(), time.process_time()
    report = verify(store)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    assert report.ok, report.problems
    print(
        f"verify {report.observations:,} observations in {report.sweeps} sweeps: {seconds:.2f} s "
        f"(CPU {cpu:.2f} s; {report.observations / seconds / 1e6:.2f} M observations/s; target 1,000,000 ≤ 15 s)"
    )
    print(f"store size: {size() / MB:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--sweeps", type=int, default=10, help="sweeps stored (verify covers all of them)")
    parser.add_argument("--postgres", default=os.environ.get("TRUSTSWEEP_TEST_POSTGRES", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trustsweep-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        sweep = make_sweep(work, args.observations)
        print(
            f"(built a synthetic sweep in {time.perf_counter() - t:.1f} s; python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} — wall times suffer when it exceeds the cores)"
        )
        path = work / "evidence.sqlite"
        run("SQLite (WAL, synchronous=FULL)", f"sqlite:///{path}", sweep, args.sweeps, lambda: sqlite_size(path))
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            url = args.postgres + ("&" if "?" in args.postgres else "?") + f"options=-csearch_path%3D{schema}"
            try:
                run("PostgreSQL (COPY)", url, sweep, args.sweeps, lambda: pg_size(url))
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")
        else:
            print("== PostgreSQL: skipped (no --postgres or $TRUSTSWEEP_TEST_POSTGRES)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
