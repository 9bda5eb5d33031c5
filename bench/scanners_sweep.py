"""Scanners benchmark: a folder of Trivy reports swept again and again with the store's history.

    .venv/bin/python bench/scanners_sweep.py                          # 200 images x 300 findings, 10 sweeps
    .venv/bin/python bench/scanners_sweep.py --artifacts 50 --sweeps 3   # quicker

Each sweep re-scans every image (new scan time, one finding fixed per image, one new), reads the
folder through the real provider and engine with the history of a SQLite store, and records the
sweep there. Prints per sweep: wall and CPU seconds (CPU is steadier on a shared machine), the
seconds of the history lookup (the newest sweep holds every artifact: one sweep's rows read), and,
at the end, the lookup for an artifact never seen (every stored sweep's index columns read), the
store's size and the peak RSS. Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import peak_rss_mb
from trustsweep.sightings import Sighting
from trustsweep.store import record_sweep
from trustsweep.store.sightings import StoreSightings
from trustsweep.sweep import run_sweep
from trustsweep.testing.checks import installed_registry
from trustsweep_scanners.emulator import trivy_report, write

SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")


class Timed(StoreSightings):
    """The store's lookup, timed."""

    seconds = 0.0

    def last_seen(
        self, provider: str, type_: str, ids: Collection[str], since: dt.datetime | None = None
    ) -> dict[str, Sighting]:
        start = time.perf_counter()
        try:
            return super().last_seen(provider, type_, ids, since)
        finally:
            self.seconds += time.perf_counter() - start


def write_reports(folder: Path, artifacts: int, findings: int, step: int, now: dt.datetime) -> None:
    for a in range(artifacts):
        found = [
            (f"CVE-2024-{n:05d}", f"pkg{n % 97}", SEVERITIES[n % 4], "9.9" if n % 3 else "", None)
            for n in range(step, step + findings)
        ]  # each step: one fixed, one new
        write(folder / f"image-{a:04d}.json", trivy_report(f"registry.example/team/image-{a:04d}:{step}", found, now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", type=int, default=200)
    parser.add_argument("--findings", type=int, default=300)
    parser.add_argument("--sweeps", type=int, default=10)
    args = parser.parse_args()
    reg = installed_registry()
    mapping = reg.mapping()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=args.sweeps)
    with tempfile.TemporaryDirectory() as tmp:
        folder, url = Path(tmp) / "reports", f"sqlite:///{Path(tmp) / 'evidence.sqlite'}"
        print(f"{args.artifacts} images x {args.findings} findings, {args.sweeps} sweeps")
        for step in range(args.sweeps):
            now = start + dt.timedelta(days=step)
            write_reports(folder, args.artifacts, args.findings, step, now)
            history = Timed(url)
            t0, c0 = time.perf_counter(), time.process_time()
            with ThreadPoolExecutor(4) as pool:
                sweep = run_sweep(
                    reg,
                    mapping,
                    providers=["scanners"],
                    targets=[str(folder)],
                    executor=pool,
                    now=now + dt.timedelta(hours=1),
                    history=history,
                )
            t1, c1 = time.perf_counter(), time.process_time()
            record_sweep(sweep, url)
            t2 = time.perf_counter()
            remediated = sum(len(r.properties["remediated"]) for r in sweep.resources)
            print(
                f"sweep {step + 1}: {t1 - t0:.2f} s wall, {c1 - c0:.2f} s CPU (history lookup {history.seconds:.2f} s), "
                f"recorded in {t2 - t1:.2f} s; "
                f"{len(sweep.resources)} artifacts, {len(sweep.results)} results, {remediated} remediated"
            )
        worst = Timed(url)
        worst.last_seen("scanners", "scanners.artifact", ["trivy:image:never-seen"])
        size = (Path(tmp) / "evidence.sqlite").stat().st_size / 1024 / 1024
        print(
            f"lookup of an artifact never seen (all {args.sweeps} sweeps read): {worst.seconds:.2f} s; "
            f"store {size:.1f} MB; peak RSS {peak_rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
