"""A synthetic sweep of N check results for the export and store benchmarks, built as a stream.

``big_sweep(n, spill=True)``: results and resources go straight into temporary files
(:class:`trustsweep.spool.Spool`, as the engine and a sweep read back from the store keep them), so
the process holds only their offsets and the findings' result indices (8 and 4 bytes an item, as
the engine), and its peak RSS is what the code under test allocates.
``spill=False`` keeps them in lists (what a sweep held before issue 15). The checks and mapping
are ``bench/oscal_build.py``'s (10 checks per resource); the layout is the one the engine promises:
each target's resources and results contiguous, targets in the same order in both. A result in
seven fails, one in seven errors, the failures of one check are waived.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import uuid
from array import array
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

STATUSES = ("pass", "pass", "pass", "fail", "not_applicable", "pass", "error")


def big_sweep(results: int, *, targets: int = 20, spill: bool = True) -> Any:
    from oscal_build import make_sweep
    from trustsweep.aggregate import Basis, CriterionFinding, Indices
    from trustsweep.model import CheckResult, Resource, Status, Target, Waiver
    from trustsweep.spool import Spool
    from trustsweep.store import canonical as c

    now = dt.datetime.now(dt.UTC)
    shape = make_sweep(10, per_target=1)  # bench/oscal_build.py's checks and their mapping (one resource)
    checks, mapping = shape.checks, shape.mapping
    criteria = list(mapping.criteria)
    criteria_of = {cid: [k for k, crit in enumerate(criteria) if cid in mapping.entries[crit].checks] for cid in checks}
    waiver = Waiver("bench.service3.rule", "*", "accepted risk", now + dt.timedelta(days=30), "CISO", id="W-1")
    if spill:  # as the engine keeps them: spools, and 4 bytes per result index
        res_seq: Any = Spool(Resource.from_dict, c.dumps_bytes)
        out_seq: Any = Spool(c._result_from, c.dumps_bytes)
    else:
        res_seq, out_seq = [], []
    indices: list[Any] = [array("I") if spill else [] for _ in criteria]
    buffers: list[list[int]] = [[] for _ in criteria]
    counts: list[Counter[str]] = [Counter() for _ in criteria]
    per_target = max(1, results // len(checks) // targets)
    index = 0
    for i in range(results // len(checks)):
        target = f"{100000000000 + min(i // per_target, targets - 1)}"
        region = ("us-east-1", "eu-west-1", "ap-south-1")[i % 3]
        rid = f"arn:aws:s3:{region}:{target}:bucket/bench-bucket-{i:07d}"
        resource = Resource("bench", target, region, "bench.thing", rid, f"bench-bucket-{i:07d}")
        res_seq.append(resource)
        for n, cid in enumerate(checks):
            status = Status(STATUSES[(i + n) % len(STATUSES)])
            result = CheckResult(
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
            out_seq.append(result)
            for k in criteria_of[cid]:
                buffers[k].append(index)
                counts[k][status.value] += 1
                if len(buffers[k]) >= 4096:
                    indices[k].extend(buffers[k])
                    buffers[k] = []
            index += 1
    findings = []
    for k, cid in enumerate(criteria):
        indices[k].extend(buffers[k])
        fails = counts[k]["fail"]
        findings.append(
            CriterionFinding(
                cid,
                "not-satisfied" if fails else "satisfied",
                Basis.ASSESSED if counts[k] else Basis.NOT_ASSESSED,
                f"{fails} failing check result(s)",
                list(mapping.entries[cid].checks),
                dict(counts[k]),
                Indices([indices[k]]) if spill else indices[k],
            )
        )
    return dataclasses.replace(
        shape,
        id=str(uuid.uuid4()),
        targets=[Target("bench", f"{100000000000 + t}") for t in range(targets)],
        resources=res_seq,
        results=out_seq,
        findings=findings,
    )


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> float:
    """Reset this process's peak RSS (Linux: ``5`` into ``/proc/self/clear_refs``); the RSS now, MB."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _status_mb("VmRSS")


def peak_mb() -> float:
    """Peak RSS since the last :func:`reset_peak` (``VmHWM``), MB."""
    return _status_mb("VmHWM")
