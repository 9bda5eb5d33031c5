"""Benchmark: build and write assessment results for N observations (resources × 10 checks).

    .venv/bin/python bench/oscal_build.py                  # 10k, 100k and 1M observations
    .venv/bin/python bench/oscal_build.py --sizes 100000   # one size
    .venv/bin/python bench/oscal_build.py --validate       # also time jsonschema-rs validation

Two modes: ``dicts`` builds the whole result as dicts and dumps it (what the evidence store's
export does); ``bundle`` runs ``write_bundle`` (what ``sweep --out`` does: four documents, the
large results streamed chunk by chunk; its "build" column is then the whole bundle).
Each size and mode runs in a fresh process so its peak RSS is its own. Printed: the time to
build the result dicts, to serialise and write the file atomically, their sum (wall and CPU:
on a shared machine the CPU time is the steadier figure), the peak RSS of
the process, the RSS the input Sweep alone took, and the file size. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CHECKS = 10


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_sweep(observations: int):
    """A Sweep of observations/10 resources, each checked by 10 checks (mixed outcomes)."""
    from trustsweep.aggregate import aggregate
    from trustsweep.mappings import load_mapping
    from trustsweep.model import CheckResult, CheckSpec, Resource, Severity, Status, Target, Waiver
    from trustsweep.plugins import PluginInfo
    from trustsweep.sweep import Sweep

    now = dt.datetime.now(dt.UTC)
    mapping = load_mapping(known_checks={}, installed_providers=[])
    criteria = list(mapping.criteria)
    checks = {}
    for n in range(CHECKS):
        cid = f"bench.service{n}.rule"
        checks[cid] = CheckSpec(
            cid,
            f"Bench rule {n}",
            "bench",
            ("bench.thing",),
            Severity.MEDIUM,
            "Because.",
            "Fix it.",
            "bench:none",
            plugin="bench",
        )
        for criterion in (criteria[n % len(criteria)], criteria[(n * 7 + 3) % len(criteria)]):
            if cid not in mapping.entries[criterion].checks:
                mapping.entries[criterion].checks.append(cid)
    statuses = [Status.PASS, Status.PASS, Status.PASS, Status.FAIL, Status.NOT_APPLICABLE, Status.PASS, Status.ERROR]
    waiver = Waiver("bench.service3.rule", "*", "accepted risk", now + dt.timedelta(days=30), "CISO", id="W-1")
    resources, results = [], []
    for i in range(observations // CHECKS):
        target = f"{100000000000 + i % 20}"
        region = ("us-east-1", "eu-west-1", "ap-south-1")[i % 3]
        rid = f"arn:aws:s3:{region}:{target}:bucket/bench-bucket-{i:07d}"
        resources.append(
            Resource("bench", target, region, "bench.thing", rid, f"bench-bucket-{i:07d}", {"encrypted": i % 2 == 0})
        )
        for n, cid in enumerate(checks):
            status = statuses[(i + n) % len(statuses)]
            results.append(
                CheckResult(
                    cid,
                    "bench",
                    target,
                    region,
                    rid,
                    "bench.thing",
                    status,
                    f"{cid} says {status.value} for bucket {i}",
                    {"encrypted": i % 2 == 0, "n": n},
                    waiver if status is Status.FAIL and cid == waiver.check_id else None,
                )
            )
    findings = aggregate(mapping, results, now=now, available_checks=set(checks))
    return Sweep(
        id=str(uuid.uuid4()),
        started=now,
        finished=now,
        providers=["bench"],
        targets=[Target("bench", f"{100000000000 + t}") for t in range(20)],
        resources=resources,
        results=results,
        findings=findings,
        collection_errors=[],
        mapping=mapping,
        checks=checks,
        plugins=[PluginInfo("bench", "bench", "", "")],
    )


def run_one(observations: int, validate: bool, mode: str) -> dict:
    from trustsweep.oscal import assessment_results_document, build_result, dump, write_bundle

    before = rss_mb()
    sweep = make_sweep(observations)
    gc.collect()
    input_mb = rss_mb() - before
    out = Path(tempfile.mkdtemp(prefix="oscal-bench-")) / "assessment-results.json"
    c0 = time.process_time()
    t0 = time.perf_counter()
    if mode == "dicts":  # what the evidence store does: the whole result as dicts, then one dump
        doc = assessment_results_document([build_result(sweep)])
        t1 = time.perf_counter()
        dump(doc, out, "json")
        del doc
    else:  # what `sweep --out` does: the whole bundle; large results are streamed chunk by chunk
        write_bundle(sweep, out.parent)
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    figures = {
        "observations": len(sweep.results),
        "build_s": round(t1 - t0, 3),
        "write_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak_mb()),
        "input_rss_mb": round(input_mb),
        "file_mb": round(out.stat().st_size / 2**20, 1),
    }
    if validate:
        from trustsweep.oscal.validate import validate_file

        gc.collect()
        t3 = time.perf_counter()
        problems = validate_file(out)
        figures["validate_s"] = round(time.perf_counter() - t3, 3)
        figures["problems"] = len(problems)
    for path in out.parent.iterdir():
        path.unlink()
    out.parent.rmdir()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--validate", action="store_true", help="also validate the file (schema + integrity)")
    parser.add_argument(
        "--modes",
        nargs="*",
        default=["dicts", "bundle"],
        help="dicts: build_result + dump (the store's path); bundle: write_bundle (sweep --out)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="dicts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.validate, args.mode)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'mode':>6} {'observations':>12} {'build s':>8} {'write s':>8} {'total s':>8} {'CPU s':>6} {'peak RSS MB':>11} "
        f"{'input MB':>9} {'file MB':>8}" + (f" {'validate s':>10}" if args.validate else "")
    )
    for size, mode in [(size, mode) for size in args.sizes for mode in args.modes]:
        cmd = [sys.executable, __file__, "--child", str(size), "--mode", mode] + (
            ["--validate"] if args.validate else []
        )
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        if proc.returncode:
            print(f"{mode:>6} {size:>12} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        f = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{mode:>6} {f['observations']:>12} {f['build_s']:>8} {f['write_s']:>8} {f['total_s']:>8} {f['cpu_s']:>6} {f['peak_rss_mb']:>11} "
            f"{f['input_rss_mb']:>9} {f['file_mb']:>8}" + (f" {f['validate_s']:>10}" if args.validate else "")
        )


if __name__ == "__main__":
    main()
