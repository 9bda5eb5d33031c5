"""Secrets stay on the worker: ``secret_*`` target attrs never travel inside a remote task.

Before a unit goes to a remote executor (a Dask cluster), :func:`withhold` replaces every
``secret_*`` attr of its target with a :class:`WorkerSecret` naming an environment variable;
the worker's :func:`resolve` reads that variable from its own environment (set by whoever
deploys the worker, like its cloud credential chain). A worker without it fails the unit with a
message that names the variable, never the value.

The variable is ``TRUSTSWEEP_<PROVIDER>_<ATTR>``: ``secret_external_id`` of an AWS target is
read from ``TRUSTSWEEP_AWS_SECRET_EXTERNAL_ID``. The redaction salt stays home too: the worker
redacts with its own (``TRUSTSWEEP_REDACTION_SALT``, shared by every machine of a deployment so
that markers agree).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from .model import Target, WorkUnit
from .redact import load_salt

PREFIX = "secret_"


@dataclass(frozen=True, slots=True)
class WorkerSecret:
    """Stands for a secret attr in a task payload: the worker reads it from ``env``."""

    env: str


class MissingWorkerSecret(RuntimeError):
    """A worker was sent a unit whose secret it does not hold."""


def env_name(provider: str, attr: str) -> str:
    """``TRUSTSWEEP_AWS_SECRET_EXTERNAL_ID`` for ``("aws", "secret_external_id")``."""
    return re.sub(r"[^A-Z0-9]+", "_", f"TRUSTSWEEP_{provider}_{attr}".upper())


def withhold_target(target: Target) -> Target:
    """The target with every ``secret_*`` attr replaced by a :class:`WorkerSecret`."""
    attrs = target.attrs
    if not any(k.startswith(PREFIX) for k in attrs):
        return target
    kept = {k: WorkerSecret(env_name(target.provider, k)) if k.startswith(PREFIX) else v for k, v in attrs.items()}
    return replace(target, attrs=kept)


def withhold(unit: WorkUnit) -> WorkUnit:
    """The unit with every ``secret_*`` attr of its target (and members) replaced by a
    :class:`WorkerSecret` and its redaction salt left out."""
    if unit.redaction is not None and unit.redaction.salt:
        unit = replace(unit, redaction=replace(unit.redaction, salt=b""))  # empty: the worker's own salt
    target, members = withhold_target(unit.target), tuple(withhold_target(m) for m in unit.members)
    if target is unit.target and all(a is b for a, b in zip(members, unit.members, strict=True)):
        return unit
    return replace(unit, target=target, members=members)


def _resolve_target(target: Target) -> Target:
    attrs = target.attrs
    if not any(isinstance(v, WorkerSecret) for v in attrs.values()):
        return target
    resolved = {}
    for key, value in attrs.items():
        if isinstance(value, WorkerSecret):
            if value.env not in os.environ:
                raise MissingWorkerSecret(
                    f"{key} is not sent to workers: set {value.env} in every worker's environment"
                )
            value = os.environ[value.env]
        resolved[key] = value
    return replace(target, attrs=resolved)


def resolve(unit: WorkUnit) -> WorkUnit:
    """On the worker: the unit with each :class:`WorkerSecret` read from this process's environment."""
    if unit.redaction is not None and not unit.redaction.salt:
        unit = replace(unit, redaction=replace(unit.redaction, salt=load_salt()))
    target, members = _resolve_target(unit.target), tuple(_resolve_target(m) for m in unit.members)
    if target is unit.target and all(a is b for a, b in zip(members, unit.members, strict=True)):
        return unit
    return replace(unit, target=target, members=members)
