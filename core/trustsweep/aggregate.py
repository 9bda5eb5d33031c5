"""Turn check results and attestations into one finding per criterion.

A criterion is *satisfied* only when every mapped check passes everywhere it applies (failures
covered by a valid waiver excepted) and every mapped attestation type has a valid attestation.
Any error makes it *incomplete* — never satisfied. An attestation counts from its evidence date
until its expiry, capped at its type's ``validity_days`` after the evidence date (the reason names
the cap), and not from its revocation on; a revoked one blocks like an expired one.
"""

from __future__ import annotations

import datetime as dt
import heapq
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import overload

from .mappings import Mapping
from .model import Attestation, CheckResult, Status


class Basis(StrEnum):
    ASSESSED = "assessed"  # automated checks decided it
    ATTESTED = "attested"  # only manual attestations decided it
    NOT_ASSESSED = "not-assessed"  # nothing mapped applied, or no evidence at all
    INCOMPLETE = "incomplete"  # some mapped check could not run


SATISFIED = "satisfied"
NOT_SATISFIED = "not-satisfied"


@dataclass(slots=True)
class AttestationState:
    type: str
    state: str  # valid | expired | revoked | missing
    attestation: Attestation | None = None  # with its effective expiry (capped at the type's validity)
    note: str = ""  # why the expiry was capped, if it was


@dataclass(slots=True)
class CriterionFinding:
    criterion_id: str
    state: str
    basis: Basis
    reason: str
    checks: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    results: Sequence[int] = field(default_factory=list)  # sorted indices into the sweep's results
    attestations: list[AttestationState] = field(default_factory=list)
    waived: int = 0

    @property
    def blocking(self) -> bool:
        """Counts toward exit code 1: a failing check or an expired attestation."""
        if self.state == SATISFIED or self.basis is Basis.INCOMPLETE:
            return False
        return self.counts.get(Status.FAIL.value, 0) - self.waived > 0 or any(
            a.state in ("expired", "revoked") for a in self.attestations
        )


def capped(att: Attestation, validity_days: int | None) -> tuple[Attestation, str]:
    """The attestation with its effective expiry, min(its expiry, evidence date + its type's validity),
    and the reason when the cap applied ("" otherwise)."""
    if validity_days is None:
        return att, ""
    limit = att.created + dt.timedelta(days=validity_days)
    if limit >= att.expires:
        return att, ""
    note = (
        f"valid until {limit.date().isoformat()}, not {att.expires.date().isoformat()}: type {att.type} counts "
        f"for at most {validity_days} days after the evidence date {att.created.date().isoformat()}"
    )
    return replace(att, expires=limit), note


def _attestation_states(
    types: Sequence[str], criterion_id: str, attestations: Sequence[Attestation], now: dt.datetime, mapping: Mapping
) -> list[AttestationState]:
    states: list[AttestationState] = []
    for type_id in types:
        spec = mapping.attestation_types.get(type_id)
        mine = [
            capped(a, spec.validity_days if spec else None)
            for a in attestations
            if a.criterion == criterion_id and a.type == type_id and a.created <= now
        ]
        valid = [m for m in mine if m[0].valid(now)]
        if valid or mine:
            att, note = max(valid or mine, key=lambda m: m[0].expires)
            state = "valid" if valid else ("revoked" if att.revoked(now) else "expired")
            states.append(AttestationState(type_id, state, att, note))
        else:
            states.append(AttestationState(type_id, "missing"))
    return states


def _attestation_reason(a: AttestationState) -> str:
    assert a.attestation is not None
    if a.state == "revoked" and a.attestation.revocation is not None:
        return f"attestation {a.type} {a.attestation.revocation.describe()}"
    return f"attestation {a.type} expired on {a.attestation.expires.date().isoformat()}" + (
        f" ({a.note})" if a.note else ""
    )


class Indices(Sequence[int]):
    """Sorted indices into a sweep's results, merged from the per-check lists (no copy made)."""

    def __init__(self, parts: Sequence[Sequence[int]] = ()) -> None:
        self._parts = [p for p in parts if len(p)]
        self._list: list[int] | None = None

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    def __iter__(self) -> Iterator[int]:
        if len(self._parts) == 1:
            return iter(self._parts[0])
        return heapq.merge(*self._parts)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if self._list is None:  # random access is rare (tests): build the list once
            self._list = list(self)
        return self._list[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Indices({list(self)!r})" if len(self) <= 20 else f"<Indices: {len(self)}>"


@dataclass(slots=True)
class CheckTally:
    """What aggregation needs of one check's results: counts, examples, and where they are."""

    counts: Counter[str] = field(default_factory=Counter)
    waived: int = 0
    first_error: tuple[int, CheckResult] | None = None
    first_blocking: tuple[int, CheckResult] | None = None
    indices: array[int] = field(default_factory=lambda: array("I"))  # 4 bytes a result


class Tallies:
    """Per check, kept as results arrive (in index order) so that no result needs to be kept."""

    def __init__(self) -> None:
        self.by_check: dict[str, CheckTally] = {}
        self.counts: Counter[str] = Counter()  # status value → results

    def add(self, index: int, result: CheckResult) -> None:
        tally = self.by_check.get(result.check_id)
        if tally is None:
            tally = self.by_check[result.check_id] = CheckTally()
        status = result.status
        tally.counts[status.value] += 1
        self.counts[status.value] += 1
        tally.indices.append(index)
        if status is Status.FAIL:
            if result.waiver is not None:
                tally.waived += 1
            elif tally.first_blocking is None:
                tally.first_blocking = (index, result)
        elif status is Status.ERROR and tally.first_error is None:
            tally.first_error = (index, result)

    @classmethod
    def of(cls, results: Iterable[CheckResult]) -> Tallies:
        tallies = cls()
        for index, result in enumerate(results):
            tallies.add(index, result)
        return tallies


def _first(tallies: Sequence[CheckTally], which: str) -> CheckResult | None:
    found = [getattr(t, which) for t in tallies if getattr(t, which) is not None]
    return min(found, key=lambda pair: pair[0])[1] if found else None


def aggregate(
    mapping: Mapping,
    results: Sequence[CheckResult] | Tallies,
    *,
    attestations: Sequence[Attestation] = (),
    now: dt.datetime | None = None,
    available_checks: set[str] | None = None,
) -> list[CriterionFinding]:
    """One finding per criterion of the catalog, in catalog order.

    ``results``: the sweep's results, or their :class:`Tallies` kept while they arrived.
    ``available_checks``: checks that could run in this sweep (their provider was swept); other
    mapped checks are ignored.
    """
    now = now or dt.datetime.now(dt.UTC)
    tallies = results if isinstance(results, Tallies) else Tallies.of(results)
    findings: list[CriterionFinding] = []
    for cid in mapping.criteria:
        entry = mapping.entries[cid]
        checks = [c for c in entry.checks if available_checks is None or c in available_checks]
        mine = [tallies.by_check[c] for c in dict.fromkeys(checks) if c in tallies.by_check]
        counts: Counter[str] = Counter()
        for tally in mine:
            counts.update(tally.counts)
        waived = sum(t.waived for t in mine)
        att = _attestation_states(entry.attestations, cid, attestations, now, mapping)
        finding = CriterionFinding(
            cid,
            NOT_SATISFIED,
            Basis.NOT_ASSESSED,
            "",
            checks,
            dict(counts),
            Indices([t.indices for t in mine]),
            att,
            waived,
        )
        errors = counts.get(Status.ERROR.value, 0)
        fails = counts.get(Status.FAIL.value, 0) - waived
        passes = counts.get(Status.PASS.value, 0)
        missing = [a.type for a in att if a.state == "missing"]
        expired = [a for a in att if a.state in ("expired", "revoked")]
        if errors:
            first = _first(mine, "first_error")
            assert first is not None
            finding.basis = Basis.INCOMPLETE
            finding.reason = f"{errors} check result(s) could not be obtained, e.g. {first.check_id}: {first.reason}"
        elif fails:
            first = _first(mine, "first_blocking")
            assert first is not None
            finding.basis = Basis.ASSESSED
            finding.reason = (
                f"{fails} failing check result(s), e.g. {first.check_id} on {first.resource_id}: {first.reason}"
            )
        elif expired or missing:
            finding.basis = (
                Basis.ASSESSED if passes else (Basis.ATTESTED if len(missing) < len(att) else Basis.NOT_ASSESSED)
            )
            parts = [_attestation_reason(a) for a in expired]
            parts += [f"no attestation of type {t} on record" for t in missing]
            finding.reason = "; ".join(parts)
        elif passes or waived or att:
            finding.state = SATISFIED
            finding.basis = Basis.ASSESSED if passes or waived else Basis.ATTESTED
            bits = []
            if passes:
                bits.append(f"{passes} passing check result(s)")
            if waived:
                bits.append(f"{waived} waived failure(s)")
            if att:
                bits.append(f"{len(att)} valid attestation(s)")
                bits += [f"{a.type} {a.note}" for a in att if a.note]
            finding.reason = ", ".join(bits)
        elif checks:
            finding.reason = "no mapped check applied to any collected resource"
        else:
            finding.reason = "no automated check or attestation is mapped to this criterion"
        findings.append(finding)
    return findings
