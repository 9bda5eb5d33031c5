"""Sweeps and helpers for the results writer's tests: edge-case sweeps with fixed times, the
comparison with the writer before streaming (``reference_results``), and a Sweep whose results
and resources behave as the engine's on-disk spools (fresh objects on each pass, no index)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reference_results import reference_result, reference_streamed_document

from trustsweep.aggregate import aggregate
from trustsweep.model import Attestation, CheckResult, CollectionError, Resource, Status, Target, Waiver
from trustsweep.oscal import build_result, streamed_results_document
from trustsweep.oscal.document import assessment_results_document
from trustsweep.oscal.io import _pieces, serialize
from trustsweep.sweep import Sweep

T0 = dt.datetime(2026, 11, 30, 4, 5, 6, 789000, tzinfo=dt.UTC)
DOC_UUID = "00000000-0000-4000-8000-000000000000"
P = "synthetic"


# -- comparing the two writers --------------------------------------------------------------


def _fixed(doc: dict[str, Any]) -> dict[str, Any]:
    doc["assessment-results"]["uuid"] = DOC_UUID  # the document's own uuid is a fresh v4
    return doc


def _options(sweep: Sweep) -> dict[str, Any]:
    return {"chain_head": sweep.chain_head, "tool_version": sweep.tool_version, "last_modified": T0}


def whole_bytes(result: dict[str, Any], sweep: Sweep, fmt: str) -> bytes:
    return serialize(_fixed(assessment_results_document([result], **_options(sweep))), fmt)


def streamed_bytes(make: Callable[..., dict[str, Any]], sweep: Sweep, chunk: int) -> bytes:
    return b"".join(_pieces(_fixed(make(sweep, **_options(sweep))), chunk))


def assert_identical(sweep: Sweep, reference: Sweep | None = None) -> None:
    """``sweep`` written by today's writer == ``reference`` (default: the same) by the old one:
    the result dicts, indented JSON, YAML and the streamed compact JSON at several chunk sizes."""
    reference = reference or sweep
    old = reference_result(reference)
    new = build_result(sweep)
    assert new == old
    for fmt in ("json", "yaml"):
        assert whole_bytes(new, sweep, fmt) == whole_bytes(old, reference, fmt)
    for chunk in (1, 3, 5000):
        expected = streamed_bytes(reference_streamed_document, reference, chunk)
        assert streamed_bytes(streamed_results_document, sweep, chunk) == expected


# -- sweeps -----------------------------------------------------------------------------------


def synthetic_base(tmp_dir: Path) -> tuple[Any, dict[str, Any]]:
    """The synthetic plugin's mapping and checks."""
    from trustsweep.testing.synthetic import synthetic_registry

    registry = synthetic_registry(tmp_dir)
    return registry.mapping(), {c.id: c for c in registry.checks.values() if c.provider == P}


def make_sweep(
    base: tuple[Any, dict[str, Any]],
    resources: list[Resource],
    results: list[CheckResult],
    *,
    attestations: Sequence[Attestation] = (),
    errors: Sequence[CollectionError] = (),
    provenance: dict[str, Any] | None = None,
) -> Sweep:
    from trustsweep.plugins import PluginInfo

    mapping, checks = base
    findings = aggregate(mapping, results, attestations=attestations, now=T0, available_checks=set(checks))
    extra = {"provenance": provenance} if provenance else {}
    return Sweep(
        id="5d1c9a3e-8b7f-4c2d-9e6a-1f0b2c3d4e5f",
        started=T0,
        finished=T0 + dt.timedelta(seconds=42),
        providers=[P],
        targets=[Target(P, t) for t in sorted({r.target for r in resources} | {r.target for r in results})],
        resources=resources,
        results=results,
        findings=findings,
        collection_errors=list(errors),
        mapping=mapping,
        checks=checks,
        plugins=[PluginInfo(P, "trustsweep.testing.synthetic", "1.0", "trustsweep")],
        attestations=list(attestations),
        **extra,
    )


WAIVERS = [
    Waiver("synthetic.keys.rotation", "*", "HSM", T0 + dt.timedelta(days=9), "CISO", id="W-1"),
    Waiver("synthetic.keys.rotation", "*", "legacy", T0 + dt.timedelta(days=3), "CTO", id="W-2"),
]


def estate(targets: Sequence[str], per_target: int, checks: Sequence[str]) -> tuple[list[Resource], list[CheckResult]]:
    """Grouped as the engine writes it: each target's facts, and its results, contiguous."""
    resources, results = [], []
    for t in targets:
        for i in range(per_target):
            rid = f"{t}/res-{i}"
            resources.append(Resource(P, t, "eu-1", "synthetic.key", rid, f"name {i}"))
            for n, cid in enumerate(checks):
                status = list(Status)[(i + n) % len(Status)]
                waiver = WAIVERS[(i // 4) % 2] if status is Status.FAIL and cid == WAIVERS[0].check_id else None
                results.append(CheckResult(cid, P, t, "eu-1", rid, "synthetic.key", status, f"r{i}", {"i": i}, waiver))
    return resources, results


def _attestation(n: int, criterion: str, type_: str, expires_in: int) -> Attestation:
    created = T0 - dt.timedelta(days=30)
    return Attestation(
        f"att-{n}", criterion, type_, f"{n:x}" * 64, f"doc {n}.pdf", "Ada", created, T0 + dt.timedelta(expires_in)
    )


def edge_sweeps(base: tuple[Any, dict[str, Any]]) -> dict[str, Sweep]:
    checks = sorted(base[1])
    resources, results = estate(["acct-a", "acct-b", "acct-c"], 4, checks)
    out = {"grouped": make_sweep(base, resources, results)}
    # the same check on the same resource three times, and a resource fact twice
    rep = [*results[:2], results[0], results[0], *results[2:]]
    out["repeated"] = make_sweep(base, [resources[0], *resources], rep)
    # strays: a failed unit's error results without a fact, inside a grouped sweep
    unit = "synthetic:acct-b:eu-1:keys"
    stray = [
        CheckResult(c, P, "acct-b", "eu-1", unit, "trustsweep.collection-unit", Status.ERROR, "denied") for c in checks
    ]
    cut = next(i for i, r in enumerate(results) if r.target == "acct-c")
    error = CollectionError(P, "acct-b", "eu-1", "keys", ("synthetic.key",), "AccessDenied")
    out["strays"] = make_sweep(base, resources, results[:cut] + stray + results[cut:], errors=[error])
    # a whole target without facts (an older store entry): the fallback over the whole sweep
    orphan = [dataclasses.replace(r, target="acct-z", resource_id=f"z{i}") for i, r in enumerate(results[:5])]
    out["orphan target"] = make_sweep(base, resources, orphan + results)

    # targets interleaved (not as the engine writes them): the fallback too
    def round_robin(rid: str) -> str:
        return rid.rsplit("-", 1)[-1]

    out["interleaved"] = make_sweep(
        base,
        [*sorted(resources, key=lambda r: round_robin(r.id)), resources[0]],  # and a fact again, far off
        [*sorted(results, key=lambda r: round_robin(r.resource_id)), results[0]],  # and a repeat, far off
    )
    atts = [_attestation(1, "CC6.1", "mfa-enforcement", 60), _attestation(2, "CC7.3", "incident-response-plan", -5)]
    out["attestations only"] = make_sweep(base, [], [], attestations=atts)
    out["attested and checked"] = make_sweep(base, resources, results, attestations=atts)
    out["nothing"] = make_sweep(base, [], [])
    out["facts without results"] = make_sweep(base, resources, [])
    resumed = {"mode": "live", "resumed": {"started": "2026-11-30T01:00:00+00:00", "at": "2026-11-30T02:00:00+00:00"}}
    resumed["resumed"]["carried"] = ["synthetic:acct-a", "synthetic:acct-b"]
    out["resumed"] = make_sweep(base, resources, results, provenance=resumed)
    return out


EDGE_CASES = [
    "grouped",
    "repeated",
    "strays",
    "orphan target",
    "interleaved",
    "attestations only",
    "attested and checked",
    "nothing",
    "facts without results",
    "resumed",
]


# -- as read from disk ---------------------------------------------------------------------------


class OnePass(Sequence[Any]):
    """A sequence read from 'disk': each iteration makes fresh objects from a generator; no index."""

    def __init__(self, make: Callable[[], Iterator[Any]], length: int) -> None:
        self.make, self.length, self.passes = make, length, 0

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[Any]:
        self.passes += 1
        return self.make()

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError(f"random access [{index}]")


def _copies(items: list[Any]) -> Callable[[], Iterator[Any]]:
    def fresh(x: Any) -> Any:
        if isinstance(x, CheckResult) and x.waiver is not None:  # fresh waivers too: ids are reused
            return dataclasses.replace(x, waiver=dataclasses.replace(x.waiver), evidence=dict(x.evidence))
        return dataclasses.replace(x)

    return lambda: (fresh(x) for x in items)


class Indices:
    """``CriterionFinding.results`` as the engine gives it: len() and iteration, no index."""

    def __init__(self, indices: list[int]) -> None:
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices)


class EngineSweep(Sweep):
    """The engine's contract: counts() kept while accumulating, no pass over the results."""

    def counts(self) -> dict[str, int]:
        return dict(self.stats["counts"])

    @property
    def incomplete(self) -> bool:
        return bool(self.collection_errors) or self.stats["counts"]["error"] > 0


def on_disk(sweep: Sweep) -> EngineSweep:
    findings = [dataclasses.replace(f, results=Indices(list(f.results))) for f in sweep.findings]
    fields = {f.name: getattr(sweep, f.name) for f in dataclasses.fields(sweep)}
    fields.update(
        resources=OnePass(_copies(sweep.resources), len(sweep.resources)),
        results=OnePass(_copies(sweep.results), len(sweep.results)),
        findings=findings,
        stats={**sweep.stats, "counts": sweep.counts()},
    )
    return EngineSweep(**fields)
