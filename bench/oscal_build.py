"""Benchmark: build and write assessment results for N observations (resources × 10 checks).

    .venv/bin/python bench/oscal_build.py                    # 10k, 100k and 1M observations
    .venv/bin/python bench/oscal_build.py --sizes 100000 2000000 --modes bundle
    .venv/bin/python bench/oscal_build.py --tracemalloc      # also the Python heap's peak (slower)
    .venv/bin/python bench/oscal_build.py --per-target 1000  # targets of 1,000 resources (an org)
    .venv/bin/python bench/oscal_build.py --validate         # also time jsonschema-rs validation
    PYTHONPATH=/tmp/before/core .venv/bin/python bench/oscal_build.py   # another checkout's writer

Two modes: ``dicts`` builds the whole result as dicts and dumps it (what the evidence store's
export does: in memory by design); ``bundle`` runs ``write_bundle`` (what ``sweep --out`` does:
four documents, the large results streamed; its "build" column is then the whole bundle).
The input is a Sweep laid out as the engine writes it (each target's facts and results
together), its ``resources`` and ``results`` *generated* afresh on every pass like the engine's
on-disk spool (``--source lists`` keeps them as lists instead), so the RSS the writer adds is
its own: "added MB" = peak RSS while writing − RSS before (``--source spool``: the engine's
``trustsweep.spool.Spool`` files, read back and decoded on each pass). Each size and mode runs in a fresh
process. Printed: the time to build the result dicts, to serialise and write the file
atomically, their sum (wall and CPU: on a shared machine the CPU time is the steadier figure),
peak RSS, the RSS the writer added, the peak of the Python heap (``--tracemalloc``), the RSS
the input Sweep took, and the file size. Figures, not assertions.
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
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

CHECKS = 10


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Generated(Sequence[Any]):
    """Like the engine's on-disk spool: ``len()``, and each iteration makes fresh objects; no index."""

    def __init__(self, make: Callable[[], Iterator[Any]], length: int) -> None:
        self.make, self.length = make, length

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[Any]:
        return self.make()

    def __getitem__(self, index: Any) -> Any:
        raise TypeError("benchmark input: iterate it (no random access)")


class Indices:
    """A finding's result indices (sorted), computed, as the engine's spooled ones: len() and iteration."""

    def __init__(self, count: int, checks: list[int]) -> None:
        self.count, self.checks = count, sorted(checks)

    def __len__(self) -> int:
        return self.count * len(self.checks)

    def __iter__(self) -> Iterator[int]:
        checks = self.checks
        for i in range(0, self.count * CHECKS, CHECKS):
            for n in checks:
                yield i + n


def make_sweep(observations: int, source: str = "lists", per_target: int = 0):
    """A Sweep of observations/10 resources, each checked by 10 checks (mixed outcomes), in 20
    targets (or ``per_target`` resources each); ``source="generated"``: resources and results made
    afresh on each pass, findings computed."""
    from trustsweep.aggregate import SATISFIED, Basis, CriterionFinding, aggregate
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
    count = observations // CHECKS
    per_target = per_target or -(-count // 20)
    targets = -(-count // per_target)

    def facts() -> Iterator[Resource]:
        for i in range(count):
            target = f"{100000000000 + i // per_target}"  # each target's resources together, as the engine
            region = ("us-east-1", "eu-west-1", "ap-south-1")[i % 3]
            rid = f"arn:aws:s3:{region}:{target}:bucket/bench-bucket-{i:07d}"
            yield Resource(
                "bench", target, region, "bench.thing", rid, f"bench-bucket-{i:07d}", {"encrypted": i % 2 == 0}
            )

    def check_results() -> Iterator[CheckResult]:
        for i, res in enumerate(facts()):
            for n, cid in enumerate(checks):
                status = statuses[(i + n) % len(statuses)]
                yield CheckResult(
                    cid,
                    "bench",
                    res.target,
                    res.region,
                    res.id,
                    "bench.thing",
                    status,
                    f"{cid} says {status.value} for bucket {i}",
                    {"encrypted": i % 2 == 0, "n": n},
                    waiver if status is Status.FAIL and cid == waiver.check_id else None,
                )

    if source == "lists":
        resources: Sequence[Resource] = list(facts())
        results: Sequence[CheckResult] = list(check_results())
        findings = aggregate(mapping, results, now=now, available_checks=set(checks))
    else:
        resources, results = Generated(facts, count), Generated(check_results, count * CHECKS)
        if source == "spool":  # the engine's own on-disk sequences
            from trustsweep.accumulate import resource_spool, result_spool

            resources, results = resource_spool(), result_spool()
            resources.extend(facts())
            results.extend(check_results())
        per_check = [{s.value: 0 for s in Status} for _ in range(CHECKS)]
        for i in range(count):
            for n in range(CHECKS):
                per_check[n][statuses[(i + n) % len(statuses)].value] += 1
        findings = []
        for cid, entry in mapping.entries.items():
            nums = [int(c.removeprefix("bench.service").removesuffix(".rule")) for c in entry.checks if c in checks]
            counts = {k: sum(per_check[n][k] for n in nums) for k in per_check[0]} if nums else {}
            waived = counts.get("fail", 0) if 3 in nums else 0  # bench.service3.rule's failures are waived
            state, basis = (SATISFIED, Basis.ASSESSED) if nums else ("not-satisfied", Basis.NOT_ASSESSED)
            if counts.get("error"):
                state, basis = "not-satisfied", Basis.INCOMPLETE
            elif counts.get("fail", 0) > waived:
                state = "not-satisfied"
            indices: Any = Indices(count, nums)
            reason = f"{sum(counts.values())} check result(s)" if nums else ""
            findings.append(
                CriterionFinding(cid, state, basis, reason, list(entry.checks), counts, indices, [], waived)
            )
    return Sweep(
        id=str(uuid.uuid4()),
        started=now,
        finished=now,
        providers=["bench"],
        targets=[Target("bench", f"{100000000000 + t}") for t in range(targets)],
        resources=resources,
        results=results,
        findings=findings,
        collection_errors=[],
        mapping=mapping,
        checks=checks,
        plugins=[PluginInfo("bench", "bench", "", "")],
    )


def run_one(observations: int, validate: bool, mode: str, source: str, trace: bool, per_target: int) -> dict:
    from trustsweep.oscal import assessment_results_document, build_result, dump, write_bundle

    before = rss_mb()
    sweep = make_sweep(observations, source, per_target)
    gc.collect()
    start_mb = rss_mb()
    out = Path(tempfile.mkdtemp(prefix="oscal-bench-")) / "assessment-results.json"
    if trace:
        tracemalloc.start()
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
        "targets": len(sweep.targets),
        "build_s": round(t1 - t0, 3),
        "write_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak_mb()),
        "added_rss_mb": round(peak_mb() - start_mb),
        "heap_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 1) if trace else "-",
        "input_rss_mb": round(start_mb - before),
        "file_mb": round(out.stat().st_size / 2**20, 1),
    }
    tracemalloc.stop()
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


COLUMNS = (  # (heading, key)
    ("mode", "mode"),
    ("observations", "observations"),
    ("targets", "targets"),
    ("build s", "build_s"),
    ("write s", "write_s"),
    ("total s", "total_s"),
    ("CPU s", "cpu_s"),
    ("peak RSS MB", "peak_rss_mb"),
    ("added MB", "added_rss_mb"),
    ("heap peak MB", "heap_peak_mb"),
    ("input MB", "input_rss_mb"),
    ("file MB", "file_mb"),
)


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
    parser.add_argument(
        "--source",
        choices=["generated", "spool", "lists"],
        default="generated",
        help="the input Sweep's sequences: generated on each pass, the engine's spools, or lists",
    )
    parser.add_argument("--per-target", type=int, default=0, help="resources per target (default: 20 targets)")
    parser.add_argument("--tracemalloc", action="store_true", help="also the Python heap's peak while writing")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="dicts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.validate, args.mode, args.source, args.tracemalloc, args.per_target)))
        return
    import trustsweep.oscal

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; writer {trustsweep.oscal.__file__}")
    columns = COLUMNS + ((("validate s", "validate_s"),) if args.validate else ())
    print(" ".join(f"{h:>{max(len(h), 6)}}" for h, _ in columns))
    for size, mode in [(size, mode) for size in args.sizes for mode in args.modes]:
        cmd = [sys.executable, __file__, "--child", str(size), "--mode", mode, "--source", args.source]
        cmd += ["--per-target", str(args.per_target)]
        cmd += ["--validate"] if args.validate else []
        cmd += ["--tracemalloc"] if args.tracemalloc else []
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        if proc.returncode:
            print(f"{mode:>6} {size:>12} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        f = {"mode": mode, **json.loads(proc.stdout.strip().splitlines()[-1])}
        print(" ".join(f"{f[k]!s:>{max(len(h), 6)}}" for h, k in columns))


if __name__ == "__main__":
    main()
