"""Run a sweep's planned work on an executor and yield each target's :class:`~trustsweep.assess.Assessed`.

* Locally (threads, processes) every unit is a task; the client gathers a target's units (its
  own, and its share of the shared units covering it) and evaluates the target as soon as the
  last one is in.
* On a Dask cluster every *target* is a task (:func:`~trustsweep.assess.run_target`): the worker
  collects and evaluates it and sends back only results, errors and compact facts. Each shared
  unit is a task of its own, submitted with its first member and handed worker-to-worker to its
  members' tasks (never to the client), released when the last member is done. The evaluation
  plan (checks, settings, waivers) goes to the scheduler once and from worker to worker. Secrets are withheld from every unit sent
  (:mod:`trustsweep.worker_secrets`).

Either way a target whose work could not run (the executor failed, the deadline passed) comes
back as ``error`` results for every unit it had: never a pass, never a hang.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any

from . import worker_secrets
from .assess import Assessed, Assessment, assess, run_target, share_of
from .budget import share_for
from .collect import Job, collect, failed_unit, run_jobs, run_unit, unit_timeout
from .model import Collected, CollectionError, Resource, Target, WorkUnit

OnUnit = Callable[[Collected], None]


@dataclass
class Plan:
    """A sweep's work: each target with its own units (in order), and the shared units."""

    targets: list[tuple[Target, list[WorkUnit]]] = field(default_factory=list)
    shared: list[WorkUnit] = field(default_factory=list)

    def units(self) -> int:
        return len(self.shared) + sum(len(units) for _, units in self.targets)


def _key(target: Target) -> tuple[str, str]:
    return target.provider, target.id


def run_plan(
    plan: Plan,
    executor: Executor,
    assessment: Assessment,
    *,
    on_unit: OnUnit | None = None,
    sweep_id: str = "",
    timeout: float | None = None,
) -> Iterator[Assessed]:
    """Every target of ``plan`` assessed, in the order they finish (see the module docstring).

    Each unit carries this process's part of the shared request budgets (:func:`trustsweep.budget.share_for`).
    """
    timeout = unit_timeout(timeout)
    share = share_for(executor)
    if share != 1.0:
        plan = Plan(
            [(t, [replace(u, rate_share=share) for u in units]) for t, units in plan.targets],
            [replace(u, rate_share=share) for u in plan.shared],
        )
    if getattr(executor, "keyed", False) and hasattr(executor, "share"):
        yield from _on_workers(plan, executor, assessment, on_unit, sweep_id, timeout)
    else:
        yield from _here(plan, executor, assessment, on_unit, sweep_id, timeout)


def _here(
    plan: Plan, executor: Executor, assessment: Assessment, on_unit: OnUnit | None, sweep_id: str, timeout: float
) -> Iterator[Assessed]:
    pending: dict[tuple[str, str], int] = defaultdict(int)
    targets: dict[tuple[str, str], Target] = {}
    for target, units in plan.targets:
        targets[_key(target)] = target
        pending[_key(target)] += len(units)
    for unit in plan.shared:
        for member in unit.members:
            pending[_key(member)] += 1
    gathered: dict[tuple[str, str], tuple[list[Resource], list[CollectionError], list[int]]] = defaultdict(
        lambda: ([], [], [0])
    )
    units = [*plan.shared, *(u for _, target_units in plan.targets for u in target_units)]
    for collected in collect(units, executor, on_unit, sweep_id=sweep_id, timeout=timeout):
        unit = collected.unit
        for member in unit.covers:
            key = _key(member)
            resources, errors, requests = gathered[key]
            if unit.members:
                mine, failed = share_of(collected, member)
                resources.extend(mine)
                errors.extend(failed)
            else:
                resources.extend(collected.resources)
                errors.extend(collected.errors)
            if member.id == unit.target.id:  # a shared unit's requests count once, on its first member
                requests[0] += collected.requests
            pending[key] -= 1
            if pending[key] == 0 and key in targets:
                resources, errors, requests = gathered.pop(key)
                out = assess(targets[key], resources, errors, assessment)
                out.requests = requests[0]
                yield out


def _on_workers(
    plan: Plan, executor: Any, assessment: Assessment, on_unit: OnUnit | None, sweep_id: str, timeout: float
) -> Iterator[Assessed]:
    remote = bool(getattr(executor, "remote", False))
    sent_assessment = executor.share(assessment, f"trustsweep-evaluation-{sweep_id or 'sweep'}")
    covering: dict[tuple[str, str], list[int]] = defaultdict(list)  # target → its shared units
    left: dict[int, int] = {}  # shared unit → members not done yet
    for index, unit in enumerate(plan.shared):
        left[index] = len(unit.members)
        for member in unit.members:
            covering[_key(member)].append(index)
    running: dict[int, Any] = {}  # shared unit → its Dask future, while a member needs it

    def send(unit: WorkUnit) -> WorkUnit:
        return worker_secrets.withhold(unit) if remote else unit

    def shared_future(index: int) -> Any:
        if index not in running:
            unit = plan.shared[index]
            key = f"trustsweep-{unit.provider}-{sweep_id or 'sweep'}-shared-{index}"
            running[index] = executor.submit_raw(run_unit, send(unit), key=key)
        return running[index]

    def finished(target: Target, units: Sequence[WorkUnit], errors: Sequence[CollectionError]) -> None:
        for index in covering.get(_key(target), ()):
            left[index] -= 1
            if left[index] == 0:
                running.pop(index, None)  # the last member is done: Dask may forget the shared result
                if on_unit is not None:
                    unit = plan.shared[index]
                    on_unit(Collected(unit, errors=[e for e in errors if e.service == unit.service]))
        if on_unit is not None:
            for unit in units:
                on_unit(Collected(unit, errors=[e for e in errors if _of(e, unit)]))

    def job(index: int, target: Target, units: list[WorkUnit]) -> Job:
        shared = [shared_future(i) for i in covering.get(_key(target), ())]

        def done(out: Assessed) -> Assessed:
            out.target = target  # the client's target (with its secrets), not the one sent
            finished(target, units, out.errors)
            return out

        def failed(reason: str) -> Assessed:
            lost = [failed_unit(u, reason) for u in units]
            lost += [failed_unit(plan.shared[i], reason) for i in covering.get(_key(target), ())]
            errors = [e for c in lost for e in c.errors if e.target == target.id]
            out = assess(target, [], errors, assessment)
            finished(target, units, errors)
            return out

        return Job(
            run_target,
            (
                worker_secrets.withhold_target(target) if remote else target,
                [send(u) for u in units],
                shared,
                sent_assessment,
            ),
            f"trustsweep-{target.provider}-{sweep_id or 'sweep'}-target-{index}",
            failed,
            done,
        )

    jobs = (
        job(index, target, units)
        for index, (target, units) in enumerate(plan.targets)
        if units or covering.get(_key(target))
    )
    yield from run_jobs(jobs, executor, timeout=timeout)


def _of(error: CollectionError, unit: WorkUnit) -> bool:
    return error.service == unit.service and error.region == unit.region
