"""Turn check results and attestations into one finding per criterion.

A criterion is *satisfied* only when every mapped check passes everywhere it applies (failures
covered by a valid waiver excepted) and every mapped attestation type has a valid attestation.
Any error makes it *incomplete* — never satisfied. An attestation counts from its evidence date
until its expiry, capped at its type's ``validity_days`` after the evidence date (the reason names
the cap), and not from its revocation on; a revoked one blocks like an expired one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

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
    results: list[int] = field(default_factory=list)  # indices into the sweep's results
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


def aggregate(
    mapping: Mapping,
    results: Sequence[CheckResult],
    *,
    attestations: Sequence[Attestation] = (),
    now: dt.datetime | None = None,
    available_checks: set[str] | None = None,
) -> list[CriterionFinding]:
    """One finding per criterion of the catalog, in catalog order.

    ``available_checks``: checks that could run in this sweep (their provider was swept); other
    mapped checks are ignored.
    """
    now = now or dt.datetime.now(dt.UTC)
    by_check: dict[str, list[int]] = {}
    for index, result in enumerate(results):
        by_check.setdefault(result.check_id, []).append(index)
    findings: list[CriterionFinding] = []
    for cid in mapping.criteria:
        entry = mapping.entries[cid]
        checks = [c for c in entry.checks if available_checks is None or c in available_checks]
        indices = sorted(i for c in checks for i in by_check.get(c, ()))
        counts = Counter(results[i].status.value for i in indices)
        waived = sum(1 for i in indices if results[i].status is Status.FAIL and results[i].waiver is not None)
        att = _attestation_states(entry.attestations, cid, attestations, now, mapping)
        finding = CriterionFinding(
            cid, NOT_SATISFIED, Basis.NOT_ASSESSED, "", checks, dict(counts), indices, att, waived
        )
        errors = counts.get(Status.ERROR.value, 0)
        fails = counts.get(Status.FAIL.value, 0) - waived
        passes = counts.get(Status.PASS.value, 0)
        missing = [a.type for a in att if a.state == "missing"]
        expired = [a for a in att if a.state in ("expired", "revoked")]
        if errors:
            first = next(results[i] for i in indices if results[i].status is Status.ERROR)
            finding.basis = Basis.INCOMPLETE
            finding.reason = f"{errors} check result(s) could not be obtained, e.g. {first.check_id}: {first.reason}"
        elif fails:
            first = next(results[i] for i in indices if results[i].blocking)
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
