"""Benchmark: summary.md and every export format for a sweep of N results, time and memory.

    .venv/bin/python bench/exports.py                           # 100k and 1M results, streamed sweep
    .venv/bin/python bench/exports.py --sizes 100000 --lists    # the sweep held in lists instead
    PYTHONPATH=/tmp/old/core .venv/bin/python bench/exports.py --lists   # an older trustsweep's writers

The sweep comes from ``bench/_big_sweep.py``: by default its results and resources stream from
temporary files (as at organisation scale), so a writer's peak RSS is its own; with ``--lists``
they are in memory and ``+RSS`` (peak minus the RSS once the sweep is built) is the writer's
share. Each size and format runs in a fresh process. The bar (issue 15, item 2): nothing
proportional to the results, so +RSS stays flat from 100k to 1M. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _big_sweep import big_sweep, peak_mb, reset_peak

FORMATS = ["csv", "ocsf", "junit", "html"]  # what --export csv --export ocsf --export junit --export html writes
MODES = ["oscal", "summary", *FORMATS, "ocsf:passes"]


def run_one(size: int, mode: str, lists: bool) -> dict:
    from trustsweep.export import parse_exports, run_exports
    from trustsweep.oscal import write_bundle
    from trustsweep.plugins import Registry
    from trustsweep.report.summary import write_summary

    registry = Registry.load()
    sweep = big_sweep(size, spill=not lists)
    gc.collect()
    base = reset_peak()  # the peak of building the sweep is not the writer's
    out = Path(tempfile.mkdtemp(prefix="export-bench-"))
    c0, t0 = time.process_time(), time.perf_counter()
    if mode == "oscal":
        write_bundle(sweep, out)
    elif mode == "summary":
        write_summary(sweep, out / "summary.md")
    else:
        run_exports(registry.exporters, parse_exports(registry.exporters, [mode]), sweep, out)
    figures = {
        "results": len(sweep.results),
        "wall_s": round(time.perf_counter() - t0, 2),
        "cpu_s": round(time.process_time() - c0, 2),
        "peak_rss_mb": round(peak_mb()),
        "extra_rss_mb": round(max(0.0, peak_mb() - base)),
        "mb": round(sum(p.stat().st_size for p in out.iterdir()) / 2**20, 1),
    }
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="*", default=MODES)
    parser.add_argument("--lists", action="store_true", help="hold the sweep in lists (the writer's share: +RSS)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.mode, args.lists)))
        return
    sweep_kind = "in lists" if args.lists else "streamed from temporary files"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; the sweep {sweep_kind}")
    print(
        f"{'results':>9} {'format':>12} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>11} {'+RSS MB':>8} {'files MB':>8}"
    )
    for size in args.sizes:
        for mode in args.modes:
            argv = [
                sys.executable,
                __file__,
                "--child",
                str(size),
                "--mode",
                mode,
                *(["--lists"] if args.lists else []),
            ]
            proc = subprocess.run(argv, capture_output=True, text=True)
            if proc.returncode:
                print(f"{size:>9} {mode:>12} failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            f = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{f['results']:>9} {mode:>12} {f['wall_s']:>7} {f['cpu_s']:>6} {f['peak_rss_mb']:>11} "
                f"{f['extra_rss_mb']:>8} {f['mb']:>8}"
            )


if __name__ == "__main__":
    main()
