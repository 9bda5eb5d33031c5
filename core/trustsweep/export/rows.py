"""One flat record per check result and per criterion, shared by the CSV, OCSF and HTML exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..model import CheckResult, CheckSpec
    from ..sweep import Sweep


@dataclass(frozen=True, slots=True)
class ResultRow:
    """A check result with what a reader needs beside it: check title, severity, criteria, name."""

    result: CheckResult
    spec: CheckSpec | None
    criteria: tuple[str, ...]
    resource_name: str

    @property
    def title(self) -> str:
        return self.spec.title if self.spec else self.result.check_id

    @property
    def severity(self) -> str:
        return self.spec.severity.value if self.spec else ""

    @property
    def remediation(self) -> str:
        return self.spec.remediation if self.spec else ""


def criteria_index(sweep: Sweep) -> dict[str, tuple[str, ...]]:
    """Check id → the criteria it is mapped to."""
    return {check: tuple(criteria) for check, criteria in sweep.mapping.check_index().items()}


def resource_names(sweep: Sweep) -> dict[str, str]:
    """Resource key → display name, where the name says more than the id."""
    return {r.key: r.name for r in sweep.resources if r.name and r.name != r.id}


def result_rows(sweep: Sweep) -> Iterator[ResultRow]:
    """Every check result of the sweep, in order, with its check's metadata and criteria."""
    index = criteria_index(sweep)
    names = resource_names(sweep)
    for result in sweep.results:
        yield ResultRow(
            result,
            sweep.checks.get(result.check_id),
            index.get(result.check_id, ()),
            names.get(result.resource_key, ""),
        )


def criterion_title(sweep: Sweep, finding: CriterionFinding) -> str:
    criterion = sweep.mapping.criteria.get(finding.criterion_id)
    return criterion.title if criterion else ""


def attestation_summary(finding: CriterionFinding) -> str:
    """``type: state`` per mapped attestation type, ``; ``-separated."""
    return "; ".join(f"{a.type}: {a.state}" for a in finding.attestations)
