"""The engine: collect once, evaluate many, aggregate per criterion; errors are never passes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from trustsweep.aggregate import Basis
from trustsweep.collect import make_executor
from trustsweep.model import Attestation, Status, Waiver
from trustsweep.sweep import run_sweep
from trustsweep.testing.synthetic import PROVIDER, synthetic_registry, synthetic_sweep

NOW = dt.datetime.now(dt.UTC)


def expected_counts(per_unit: int, units: int) -> Counter[str]:
    """What the synthetic estate must give, derived from its documented pattern."""
    c: Counter[str] = Counter()
    for i in range(per_unit):
        c["error" if i % 7 == 0 else "pass" if i % 5 else "fail"] += 1  # storage.encrypted
        c["pass"] += 1  # tags.env
        if i % 2:  # keys only
            c["pass" if i % 3 else "fail"] += 1
    return Counter({k: v * units for k, v in c.items()})


def test_every_check_runs_on_every_applicable_resource(tmp_path: Path) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=20, targets=3)
    assert Counter(sweep.counts()) - Counter() == expected_counts(20, units=6)
    assert len(sweep.resources) == 120 and len(sweep.targets) == 3
    assert sweep.stats["units"] == 6 and sweep.stats["requests"] == 6
    assert sweep.exit_code == 3  # the synthetic estate has broken resources


def test_a_failed_unit_turns_its_checks_into_errors(tmp_path: Path) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=4, targets=2, fail_units=["acct-1/south-1"])
    assert len(sweep.collection_errors) == 1
    unit_errors = [r for r in sweep.results if r.resource_type == "trustsweep.collection-unit"]
    assert sorted(r.check_id for r in unit_errors) == [
        "synthetic.keys.rotation",
        "synthetic.storage.encrypted",
        "synthetic.tags.env",
    ]
    assert all(r.status is Status.ERROR and "synthetic outage" in r.reason for r in unit_errors)
    assert sweep.exit_code == 3
    cc21 = next(f for f in sweep.findings if f.criterion_id == "CC2.1")
    assert cc21.state == "not-satisfied" and cc21.basis is Basis.INCOMPLETE


def test_a_provider_that_cannot_list_targets_gives_errors_not_passes(tmp_path: Path) -> None:
    registry = synthetic_registry(tmp_path)
    mapping = registry.mapping()
    with ThreadPoolExecutor(2) as pool:
        sweep = run_sweep(
            registry,
            mapping,
            providers=[PROVIDER],
            executor=pool,
            provider_options={PROVIDER: {"targets": "not-a-number"}},
        )
    assert sweep.results and all(r.status is Status.ERROR for r in sweep.results)
    assert sweep.exit_code == 3
    assert not any(f.state == "satisfied" and f.checks for f in sweep.findings)


def test_waived_failures_stop_blocking_until_the_waiver_expires(tmp_path: Path) -> None:
    base = synthetic_sweep(tmp_path, resources_per_unit=4, targets=1)
    failing = [r for r in base.results if r.status is Status.FAIL]
    assert failing and all(r.check_id == "synthetic.keys.rotation" for r in failing)
    waivers = [
        Waiver("synthetic.keys.rotation", r.resource_id, "accepted", NOW + dt.timedelta(days=30), "CISO")
        for r in failing
    ]
    waived = synthetic_sweep(tmp_path, resources_per_unit=4, targets=1, waivers=waivers)
    assert all(r.waiver is not None for r in waived.results if r.status is Status.FAIL)
    assert [r.status for r in waived.results] == [r.status for r in base.results]  # still reported as fail
    expired = [Waiver(w.check_id, w.resource, w.reason, NOW - dt.timedelta(days=1), w.approved_by) for w in waivers]
    again = synthetic_sweep(tmp_path, resources_per_unit=4, targets=1, waivers=expired)
    assert all(r.waiver is None for r in again.results)
    wildcard = [Waiver("synthetic.keys.rotation", "*", "all", NOW + dt.timedelta(days=1), "CISO")]
    assert all(
        r.waiver
        for r in synthetic_sweep(tmp_path, resources_per_unit=4, targets=1, waivers=wildcard).results
        if r.status is Status.FAIL
    )


def _attestation(criterion: str, type_: str, days_left: int) -> Attestation:
    return Attestation(
        "a-" + type_,
        criterion,
        type_,
        "0" * 64,
        "doc.pdf",
        "Alex Auditor",
        NOW - dt.timedelta(days=10),
        NOW + dt.timedelta(days=days_left),
    )


def test_attestations_decide_manual_criteria(tmp_path: Path) -> None:
    sweep = synthetic_sweep(
        tmp_path,
        resources_per_unit=2,
        targets=1,
        attestations=[_attestation("CC9.2", "vendor-review", 30), _attestation("CC1.2", "governance-charter", -1)],
    )
    by_id = {f.criterion_id: f for f in sweep.findings}
    assert (by_id["CC9.2"].state, by_id["CC9.2"].basis) == ("satisfied", Basis.ATTESTED)
    assert by_id["CC1.2"].state == "not-satisfied" and "expired" in by_id["CC1.2"].reason
    assert by_id["CC1.2"].blocking
    assert by_id["CC1.4"].state == "not-satisfied"
    assert "no attestation of type security-training" in by_id["CC1.4"].reason
    assert not by_id["CC1.4"].blocking  # missing evidence is reported, not counted as a failure
    assert len(sweep.findings) == 61


def test_error_is_never_satisfied_even_with_passes(tmp_path: Path) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=10, targets=2)
    for finding in sweep.findings:
        if finding.counts.get("error"):
            assert finding.state == "not-satisfied" and finding.basis is Basis.INCOMPLETE


@pytest.mark.parametrize("executor", ["processes", "dask-local"])
def test_other_executors_give_the_same_results(tmp_path: Path, executor: str) -> None:
    registry = synthetic_registry(tmp_path)
    mapping = registry.mapping()
    opts = {PROVIDER: {"resources_per_unit": 8, "targets": 2}}
    with make_executor("threads") as pool:
        a = run_sweep(registry, mapping, providers=[PROVIDER], executor=pool, provider_options=opts)
    with make_executor(executor, workers=2) as pool:
        b = run_sweep(registry, mapping, providers=[PROVIDER], executor=pool, provider_options=opts)
    key = lambda r: (r.check_id, r.resource_id)  # noqa: E731
    assert sorted((key(r), r.status) for r in a.results) == sorted((key(r), r.status) for r in b.results)
