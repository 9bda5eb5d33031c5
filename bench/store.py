"""Evidence-store benchmark: store a 100,000-observation sweep, verify 1,000,000, database growth.

    .venv/bin/python bench/store.py                       # SQLite (and PostgreSQL if configured)
    .venv/bin/python bench/store.py --postgres postgresql://postgres@127.0.0.1:55432/trustsweep_test
    .venv/bin/python bench/store.py --sweeps 3            # quicker: verify over 300,000
    .venv/bin/python bench/store.py --memory 100000 1000000   # peak RSS of recording and reading back

PostgreSQL runs when ``--postgres`` or ``$TRUSTSWEEP_TEST_POSTGRES`` names a server (``source
.ci/postgres.sh; start_postgres`` starts a throwaway one); each run uses a fresh schema, dropped after.
Prints figures; asserts nothing (targets: store ≤ 1.5 s, verify 1M ≤ 15 s).

``--memory N...``: each size in a fresh process, a sweep of N results streamed from temporary files
(``bench/_big_sweep.py``), so the peak RSS is the store's own: recording it (SQLite; PostgreSQL with
COPY, and with ``executemany`` batches for comparison) and reading it back (``load_sweep`` and one
pass over its results, as ``trustsweep export`` does). Bounded means flat from 100k to 1M.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
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


def _executemany(self, table, entry, columns, rows) -> None:
    """PostgreSQL inserts as ``executemany`` batches (psycopg pipelines them), to compare with COPY."""
    cols = ", ".join(("entry", "idx", *columns, "body"))
    marks = ", ".join(["%s"] * (len(columns) + 3))
    with self.conn.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", [(entry, *row) for row in rows])


def memory_child(step: str, size: int, url: str, insert: str) -> dict:
    """One step in a process of its own: ``record`` a streamed sweep of ``size`` results, or ``read``
    the latest stored sweep back and make one pass over its results (as ``trustsweep export`` does)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _big_sweep import big_sweep, peak_mb, reset_peak
    from trustsweep.store.backends import PostgresBackend

    if insert == "executemany":
        PostgresBackend.insert_rows = _executemany  # type: ignore[method-assign]
    sweep = big_sweep(size) if step == "record" else None
    store = open_store(url)
    base = reset_peak()  # the peak of building the sweep is not the store's
    t = time.perf_counter()
    if sweep is not None:
        store.record(sweep)
        results = len(sweep.results)
    else:
        rebuilt = store.load_sweep(store.entries("sweep")[-1])
        results = sum(1 for r in rebuilt.results if r.status.value)
    store.close()
    return {"results": results, "s": round(time.perf_counter() - t, 2), "peak": round(peak_mb()), "base": round(base)}


def memory(sizes: list[int], postgres: str) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; sweeps streamed from temporary files")
    print(
        f"{'results':>9} {'store':>24} {'record s':>8} {'peak MB':>7} {'+MB':>5} "
        f"{'read back s':>11} {'peak MB':>7} {'+MB':>5}"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="trustsweep-bench-") as tmp:
            runs = [("SQLite", f"sqlite:///{Path(tmp) / 'evidence.sqlite'}", "copy")]
            if postgres:
                runs += [("PostgreSQL COPY", postgres, "copy"), ("PostgreSQL executemany", postgres, "executemany")]
            for name, url, insert in runs:
                schema = ""
                if url.startswith("postgresql"):
                    import psycopg

                    schema = f"bench_{uuid.uuid4().hex[:10]}"
                    with psycopg.connect(postgres, autocommit=True) as conn:
                        conn.execute(f"CREATE SCHEMA {schema}")
                    url = postgres + ("&" if "?" in postgres else "?") + f"options=-csearch_path%3D{schema}"
                figures = []
                try:
                    for step in ("record", "read"):
                        argv = [sys.executable, __file__, "--memory-child", step, str(size), url, insert]
                        proc = subprocess.run(argv, capture_output=True, text=True)
                        if proc.returncode:
                            print(f"{size:>9} {name:>24} {step} failed: {proc.stderr.strip().splitlines()[-1:]}")
                            break
                        figures.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                finally:
                    if schema:
                        with psycopg.connect(postgres, autocommit=True) as conn:
                            conn.execute(f"DROP SCHEMA {schema} CASCADE")
                if len(figures) == 2:
                    rec, read = figures
                    print(
                        f"{rec['results']:>9} {name:>24} {rec['s']:>8} {rec['peak']:>7} {rec['peak'] - rec['base']:>5} "
                        f"{read['s']:>11} {read['peak']:>7} {read['peak'] - read['base']:>5}"
                    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--sweeps", type=int, default=10, help="sweeps stored (verify covers all of them)")
    parser.add_argument("--postgres", default=os.environ.get("TRUSTSWEEP_TEST_POSTGRES", ""))
    parser.add_argument("--memory", type=int, nargs="*", help="result counts: peak RSS of recording and reading back")
    parser.add_argument("--memory-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        step, size, url, insert = args.memory_child
        print(json.dumps(memory_child(step, int(size), url, insert)))
        return 0
    if args.memory:
        memory(args.memory, args.postgres)
        return 0
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
