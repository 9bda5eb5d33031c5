"""Collect and evaluate one target where its work runs; what comes back to the client is small.

:func:`assess` evaluates a target's inventory and returns an :class:`Assessed`: the results, the
collection errors and one compact *fact* per resource (provider, target, region, type, id, name;
properties only for the provider's ``history_types``), never the raw inventory. With
``--save-inventory`` the inventory is written there first (on a cluster: a path every worker
shares). On a Dask cluster :func:`run_target` does all of one target's work on one worker: its
units (a few at a time), its share of the shared units' resources, then :func:`assess`. Locally
(threads, processes) the client gathers each target's units and calls :func:`assess` itself.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .evaluate import Evaluator
from .inventory import save_target
from .model import CheckResult, Collected, CollectionError, Resource, Target, WorkUnit
from .provider import TargetInventory

#: Units of one target a worker collects at once (:func:`run_target`).
UNITS_AT_ONCE = 8


@dataclass
class Assessment:
    """What evaluating a target needs; built once per sweep and shipped once to each worker."""

    evaluator: Evaluator
    started: dt.datetime  #: when the sweep started (the saved inventory's collection time)
    save_dir: Path | None = None  #: ``--save-inventory``: write each target's inventory here
    versions: dict[str, int] = field(default_factory=dict)  #: provider → properties version
    history_types: frozenset[str] = frozenset()  #: resource types whose facts keep their properties


@dataclass(slots=True)
class Assessed:
    """One target's outcome: everything the client keeps of it."""

    target: Target
    results: list[CheckResult]
    facts: list[Resource]  #: one per resource collected
    errors: list[CollectionError]
    requests: int = 0
    seconds: float = 0.0


def fact(resource: Resource, history_types: frozenset[str] = frozenset()) -> Resource:
    """The compact record of a resource kept after evaluation (its properties only for history types)."""
    properties = resource.properties if resource.type in history_types else {}
    return Resource(
        resource.provider, resource.target, resource.region, resource.type, resource.id, resource.name, properties
    )


def assess(
    target: Target, resources: list[Resource], errors: list[CollectionError], assessment: Assessment
) -> Assessed:
    """Evaluate a target's inventory (saving it first when asked) and keep only what the client needs."""
    start = time.perf_counter()
    if assessment.save_dir is not None:
        save_target(
            assessment.save_dir,
            target,
            resources,
            errors,
            assessment.started,
            properties_version=assessment.versions.get(target.provider, 1),
        )
    inventory = TargetInventory(target.provider, target.id, resources)
    results = list(assessment.evaluator.evaluate_target(inventory, errors))
    facts = [fact(r, assessment.history_types) for r in resources]
    return Assessed(target, results, facts, errors, seconds=time.perf_counter() - start)


def share_of(collected: Collected, target: Target) -> tuple[list[Resource], list[CollectionError]]:
    """What a shared unit collected for one of its members."""
    resources = [r for r in collected.resources if r.target == target.id]
    errors = [e for e in collected.errors if e.target == target.id]
    return resources, errors


def run_target(
    target: Target, units: Sequence[WorkUnit], shared: Sequence[Collected], assessment: Assessment
) -> Assessed:
    """On a worker: collect ``units`` of ``target`` (a few at a time), add its share of the ``shared``
    units' resources, evaluate, and return the small outcome (:func:`assess`)."""
    from .collect import run_unit

    start = time.perf_counter()
    with ThreadPoolExecutor(max(1, min(UNITS_AT_ONCE, len(units))), thread_name_prefix="trustsweep-unit") as pool:
        collected = list(pool.map(run_unit, units))
    resources: list[Resource] = []
    errors: list[CollectionError] = []
    requests = 0
    for c in collected:
        resources.extend(c.resources)
        errors.extend(c.errors)
        requests += c.requests
    for c in shared:
        mine, failed = share_of(c, target)
        resources.extend(mine)
        errors.extend(failed)
        if c.unit.target.id == target.id:  # a shared unit's requests are counted once, by its first member
            requests += c.requests
    del collected
    out = assess(target, resources, errors, assessment)
    out.requests = requests
    out.seconds = time.perf_counter() - start
    return out
