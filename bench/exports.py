"""Benchmark: every export format for a 100,000-result sweep against the OSCAL bundle alone.

    .venv/bin/python bench/exports.py                 # 100k results
    .venv/bin/python bench/exports.py --sizes 10000 100000

The issue's bar: writing every format (CSV, OCSF with passes, JUnit, HTML) stays within 2x the
time of writing the OSCAL bundle, in bounded memory. Each size runs in a fresh process per mode so
peak RSS is its own. Figures, not assertions.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from oscal_build import make_sweep, peak_mb, rss_mb

FORMATS = ["csv", "ocsf", "junit", "html"]  # what --export csv --export ocsf --export junit --export html writes
EXTRA = ["ocsf:passes"]  # measured too, not part of the default set


def run_one(size: int, mode: str) -> dict:
    from trustsweep.export import parse_exports, run_exports
    from trustsweep.oscal import write_bundle
    from trustsweep.plugins import Registry

    registry = Registry.load()
    sweep = make_sweep(size)
    base = rss_mb()
    out = Path(tempfile.mkdtemp(prefix="export-bench-"))
    figures: dict = {"results": len(sweep.results)}
    c0, t0 = time.process_time(), time.perf_counter()
    if mode == "oscal":
        write_bundle(sweep, out)
    else:
        name = mode
        run_exports(registry.exporters, parse_exports(registry.exporters, [name]), sweep, out)
    figures.update(
        wall_s=round(time.perf_counter() - t0, 3),
        cpu_s=round(time.process_time() - c0, 3),
        peak_rss_mb=round(peak_mb()),
        extra_rss_mb=round(peak_mb() - base),
        mb=round(sum(p.stat().st_size for p in out.iterdir()) / 2**20, 1),
    )
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.mode)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'results':>8} {'format':>12} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>11} {'+RSS MB':>8} {'files MB':>8}"
    )
    for size in args.sizes:
        cpu = {}
        for mode in ["oscal", *FORMATS, *EXTRA]:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--mode", mode], capture_output=True, text=True
            )
            if proc.returncode:
                print(f"{size:>8} {mode:>12} failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            f = json.loads(proc.stdout.strip().splitlines()[-1])
            cpu[mode] = f["cpu_s"]
            print(
                f"{f['results']:>8} {mode:>12} {f['wall_s']:>7} {f['cpu_s']:>6} {f['peak_rss_mb']:>11} "
                f"{f['extra_rss_mb']:>8} {f['mb']:>8}"
            )
        if "oscal" in cpu and all(k in cpu for k in FORMATS):
            exports = sum(cpu[k] for k in FORMATS)
            print(
                f"{size:>8} {'all formats':>12} CPU {exports:.2f} s = {exports / cpu['oscal']:.2f}x the OSCAL bundle "
                f"({cpu['oscal']:.2f} s)"
            )


if __name__ == "__main__":
    main()
