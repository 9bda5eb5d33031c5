"""Resumable sweeps: what a sweep keeps of each finished target, and what a resumed sweep carries over.

While a sweep records to an evidence store, each target is *checkpointed* as soon as it is
evaluated (:mod:`trustsweep.store.checkpoints`): its results, collection errors and compact
resource facts (id, type, name, region). ``trustsweep sweep --resume SWEEP_ID`` plans the same
targets, carries the checkpointed ones over unchanged and sweeps only the rest; the one sweep it
records says so in its provenance (:func:`mark_resumed`), which the store and OSCAL keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import UserError
from .model import CheckResult, CollectionError, Resource, Target

#: Called once per finished target: (target, resources, results, collection errors).
Checkpoint = Callable[[Target, list[Resource], list[CheckResult], list[CollectionError]], None]
#: Makes the :data:`Checkpoint` of a sweep from its (id, start, plan digest).
CheckpointFactory = Callable[[str, dt.datetime, str], Checkpoint]


@dataclass
class Carried:
    """One checkpointed target: its results as they were evaluated, and the facts of its resources."""

    target: Target
    resources: list[Resource]
    results: list[CheckResult]
    errors: list[CollectionError]


@dataclass
class ResumeState:
    """An interrupted sweep read back from the store: its id, start, plan digest and finished targets."""

    sweep_id: str
    started: dt.datetime
    plan_sha256: str
    providers: list[str]
    carried: dict[tuple[str, str], Carried] = field(default_factory=dict)


def plan_digest(
    providers: Sequence[str],
    targets: Sequence[str],
    regions: Sequence[str],
    options: Mapping[str, Mapping[str, Any]],
    checks: Sequence[str],
) -> str:
    """SHA-256 of what decides a sweep's plan (providers, requested targets and regions, options, checks).

    Only the digest is stored, never the options themselves (they may name a secret).
    """
    from .store.canonical import dumps, sha256_hex

    plan = {
        "providers": list(providers),
        "targets": sorted(targets),
        "regions": sorted(regions),
        "options": {p: dict(options.get(p, {})) for p in providers},
        "checks": sorted(checks),
    }
    return sha256_hex(dumps(plan))


def refuse_other_plan(state: ResumeState, providers: Sequence[str], plan_sha256: str) -> None:
    """A UserError unless this sweep plans exactly what the interrupted one did."""
    if list(providers) != state.providers:
        raise UserError(
            f"--resume {state.sweep_id}: that sweep was of --provider {' '.join(state.providers)}, "
            f"not {' '.join(providers)}; resume it with the same providers"
        )
    if plan_sha256 != state.plan_sha256:
        raise UserError(
            f"--resume {state.sweep_id}: that sweep was started with other targets, regions, provider options "
            "or checks; resume it with the same ones"
        )


def mark_resumed(provenance: dict[str, Any], state: ResumeState, resumed_at: dt.datetime) -> dict[str, Any]:
    """The provenance of a resumed sweep: when it first started, when it resumed, what it carried over."""
    from .store.canonical import iso

    carried = sorted(f"{p}:{t}" for p, t in state.carried)
    return {**provenance, "resumed": {"started": iso(state.started), "at": iso(resumed_at), "carried": carried}}
