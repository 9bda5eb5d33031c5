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

from .model import WorkUnit
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


def withhold(unit: WorkUnit) -> WorkUnit:
    """The unit with every ``secret_*`` attr of its target replaced by a :class:`WorkerSecret`
    and its redaction salt left out."""
    if unit.redaction is not None and unit.redaction.salt:
        unit = replace(unit, redaction=replace(unit.redaction, salt=b""))  # empty: the worker's own salt
    attrs = unit.target.attrs
    if not any(k.startswith(PREFIX) for k in attrs):
        return unit
    kept = {k: WorkerSecret(env_name(unit.provider, k)) if k.startswith(PREFIX) else v for k, v in attrs.items()}
    return replace(unit, target=replace(unit.target, attrs=kept))


def resolve(unit: WorkUnit) -> WorkUnit:
    """On the worker: the unit with each :class:`WorkerSecret` read from this process's environment."""
    if unit.redaction is not None and not unit.redaction.salt:
        unit = replace(unit, redaction=replace(unit.redaction, salt=load_salt()))
    attrs = unit.target.attrs
    if not any(isinstance(v, WorkerSecret) for v in attrs.values()):
        return unit
    resolved = {}
    for key, value in attrs.items():
        if isinstance(value, WorkerSecret):
            if value.env not in os.environ:
                raise MissingWorkerSecret(
                    f"{key} is not sent to workers: set {value.env} in every worker's environment"
                )
            value = os.environ[value.env]
        resolved[key] = value
    return replace(unit, target=replace(unit.target, attrs=resolved))
