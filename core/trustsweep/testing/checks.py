"""Run one check on one resource, as the engine would: ``run_check(check_id, resource, **settings)``."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from ..evaluate import Evaluator
from ..model import CheckResult, Resource
from ..plugins import Registry
from ..provider import CheckContext, TargetInventory
from ..settings import resolve_all


@functools.lru_cache(maxsize=1)
def installed_registry() -> Registry:
    """The registry of the installed plugins, loaded once per process (read it, do not change it)."""
    return Registry.load()


def resource(
    check_id: str,
    properties: Mapping[str, Any] | None = None,
    *,
    type: str | None = None,
    id: str = "",
    name: str = "",
    region: str = "global",
    target: str = "test-target",
    registry: Registry | None = None,
) -> Resource:
    """A resource for ``check_id``: of its first declared type unless ``type`` says otherwise."""
    spec = (registry or installed_registry()).checks[check_id]
    type_ = type or spec.resource_types[0]
    return Resource(
        spec.provider, target, region, type_, id or f"{type_}/example", name or "example", dict(properties or {})
    )


def run_check(
    check_id: str,
    subject: Resource | Mapping[str, Any],
    *,
    others: Iterable[Resource] = (),
    now: dt.datetime | None = None,
    registry: Registry | None = None,
    **settings: Any,
) -> CheckResult:
    """Evaluate ``check_id`` on ``subject`` (a Resource, or the properties of one of the check's
    first type) with the rest of the target's inventory ``others`` and these setting values.

    Settings are validated as a config file's are; the unread-field guard applies. Returns the
    :class:`~trustsweep.model.CheckResult` (``.status``, ``.reason``, ``.evidence``).
    """
    registry = registry or installed_registry()
    check_id = registry.resolve_check_id(check_id) or check_id
    if check_id not in registry.checks:
        raise KeyError(f"unknown check {check_id!r}")
    spec = registry.checks[check_id]
    target = subject if isinstance(subject, Resource) else resource(check_id, subject, registry=registry)
    config = {check_id: settings} if settings else {}
    _, invalid = resolve_all([spec], config)
    if invalid:  # a setting value the declaration refuses: say so, do not judge
        raise ValueError(invalid[check_id])
    evaluator = Evaluator([spec], config=config, now=now)
    inventory = TargetInventory(target.provider, target.target, [target, *others])
    ctx = CheckContext(inventory=inventory, config=evaluator.settings, now=evaluator.now)
    return evaluator.run_one(spec, target, ctx)
