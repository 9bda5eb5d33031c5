"""Aggregation from tallies kept while results arrive equals aggregation over the whole list."""

from __future__ import annotations

import datetime as dt
import random

from trustsweep.aggregate import Tallies, aggregate
from trustsweep.mappings import CriterionMapping, Mapping
from trustsweep.model import CheckResult, Status, Waiver

CHECKS = ["a.one", "a.two", "b.three", "c.four"]


def mapping() -> Mapping:
    from trustsweep.mappings import Criterion

    entries = {
        "CC1": CriterionMapping(["a.one", "a.two"], []),
        "CC2": CriterionMapping(["b.three"], []),
        "CC3": CriterionMapping(["c.four", "a.one"], []),
        "CC4": CriterionMapping([], []),
    }
    return Mapping(
        framework="test",
        framework_title="Test",
        criteria={c: Criterion(c, "Security", c) for c in entries},
        attestation_types={},
        entries=entries,
        sources=[],
        unavailable_checks=set(),
    )


def reference(results: list[CheckResult], checks: list[str]) -> tuple[list[int], dict[str, int], str | None]:
    """By brute force: the criterion's result indices, counts and first error's check (the old algorithm)."""
    indices = [i for i, r in enumerate(results) if r.check_id in checks]
    counts: dict[str, int] = {}
    for i in indices:
        counts[results[i].status.value] = counts.get(results[i].status.value, 0) + 1
    first = next((results[i].reason for i in indices if results[i].status is Status.ERROR), None)
    return indices, counts, first


def test_tallies_give_the_same_findings_as_the_list() -> None:
    rng = random.Random(7)
    waiver = Waiver("a.two", "*", "ok", dt.datetime(2040, 1, 1, tzinfo=dt.UTC), "Carol")
    results = []
    for i in range(400):
        status = rng.choice([Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE, Status.PASS])
        check = rng.choice(CHECKS)
        results.append(
            CheckResult(
                check, "p", "t", "r", f"id{i}", "x", status, f"reason {i}", {}, waiver if check == "a.two" else None
            )
        )
    m = mapping()
    from_list = aggregate(m, results)
    tallies = Tallies()
    for i, r in enumerate(results):
        tallies.add(i, r)
    from_tallies = aggregate(m, tallies)
    assert from_list == from_tallies
    for finding in from_tallies:
        indices, counts, first_error = reference(results, m.entries[finding.criterion_id].checks)
        assert list(finding.results) == indices and len(finding.results) == len(indices)
        assert finding.counts == counts
        if first_error is not None:
            assert first_error in finding.reason
    assert dict(tallies.counts) == {s: sum(1 for r in results if r.status.value == s) for s in tallies.counts}
