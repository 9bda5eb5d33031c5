"""One flat record per check result and per criterion, shared by the CSV, OCSF and HTML exports.

A sweep's results and resources may stream from disk: everything here reads them front to back
(never by index) and keeps at most one target's resource names at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..model import CheckResult, CheckSpec, Resource
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


class ResourceNames:
    """Resource display names (where the name says more than the id), one target at a time.

    The results of one target are contiguous and targets come in the same order in a sweep's
    resources and results, so walking the results in order walks the resources once: a first
    pass notes each target's run of resources (one entry per target), then :meth:`name` reads
    the resources forward, holding only the current target's names. Results out of that order
    get no name (never a wrong one).
    """

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._resources = resources
        self._runs: list[tuple[str, str, int]] | None = None  # (provider, target, resources), in order
        self._where: dict[tuple[str, str], deque[int]] = {}
        self._reader: Iterator[Resource] | None = None
        self._next_run = 0
        self._current: tuple[str, str] | None = None
        self._names: dict[str, str] = {}

    def _plan(self) -> list[tuple[str, str, int]]:
        runs: list[tuple[str, str, int]] = []
        for r in self._resources:
            if runs and runs[-1][0] == r.provider and runs[-1][1] == r.target:
                runs[-1] = (r.provider, r.target, runs[-1][2] + 1)
            else:
                runs.append((r.provider, r.target, 1))
        for i, (provider, target, _) in enumerate(runs):
            self._where.setdefault((provider, target), deque()).append(i)
        return runs

    def name(self, result: CheckResult) -> str:
        """The display name of the resource ``result`` is about ("" when it has none)."""
        key = (result.provider, result.target)
        if key != self._current:
            self._load(key)
        return self._names.get(result.resource_id, "")

    def _load(self, key: tuple[str, str]) -> None:
        self._current, self._names = key, {}
        if self._runs is None:
            self._runs = self._plan()
        runs = self._where.get(key)
        while runs and runs[0] < self._next_run:  # a run already passed: out of order, no names
            runs.popleft()
        if not runs:
            return
        run = runs.popleft()
        if self._reader is None:
            self._reader = iter(self._resources)
        skip = sum(n for _, _, n in self._runs[self._next_run : run])
        deque(islice(self._reader, skip), maxlen=0)
        for r in islice(self._reader, self._runs[run][2]):
            if r.name and r.name != r.id:
                self._names[r.id] = r.name
        self._next_run = run + 1


def result_rows(sweep: Sweep, results: Iterable[CheckResult] | None = None) -> Iterator[ResultRow]:
    """Every check result of the sweep (or ``results``, a subset in the sweep's order), in order,
    with its check's metadata, criteria and resource name."""
    index = criteria_index(sweep)
    names = ResourceNames(sweep.resources)
    for result in sweep.results if results is None else results:
        yield ResultRow(result, sweep.checks.get(result.check_id), index.get(result.check_id, ()), names.name(result))


def criterion_title(sweep: Sweep, finding: CriterionFinding) -> str:
    criterion = sweep.mapping.criteria.get(finding.criterion_id)
    return criterion.title if criterion else ""


def attestation_summary(finding: CriterionFinding) -> str:
    """``type: state`` per mapped attestation type, ``; ``-separated."""
    return "; ".join(f"{a.type}: {a.state}" for a in finding.attestations)


def more_failing(n: int, where: str) -> str:
    """The line where a capped list of failing results stops: how many more and where they all are."""
    return f"… and {n:,} more failing results: see {where}"
