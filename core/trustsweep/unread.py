"""One failure, one resource: per-resource read failures and resources deleted during a sweep.

One convention for every plugin:

- A field of one resource that could not be read (a 403 on one vault's diagnostic settings, a
  throttled read of one bucket's policy) is recorded with :func:`mark` under
  ``properties["unread"] = {field: reason}``. The resource is still collected; only its checks
  that need the field report ``error``. The field ``"*"`` means nothing but the resource's id
  could be read: all its checks report ``error``.
- A resource that disappeared between listing and reading (404, ``NoSuchBucket``) is recorded with
  :func:`vanished` under ``properties["vanished"] = reason``. Its checks report
  ``not_applicable`` with that reason: not assessed, never passed, and visible in every output.

A check asks :func:`unread` about the fields it needs. The engine guards the rest
(:func:`guard`): a check that judges a resource with unread fields without asking gets ``error``,
so a plugin that forgets cannot turn an unread field into a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from .model import Outcome, Resource, Status, errored, not_applicable

UNREAD = "unread"
VANISHED = "vanished"
WHOLE = "*"  # the field name for "nothing of this resource could be read beyond its id"
_LEGACY = "errors"  # the AWS plugin's key before this convention (older saved inventories)

_asked: ContextVar[list[bool] | None] = ContextVar("trustsweep_unread_asked", default=None)


def mark(properties: dict[str, Any], field: str, reason: str) -> None:
    """Record that ``field`` of the resource with these properties could not be read."""
    properties.setdefault(UNREAD, {})[field] = reason


def vanished(properties: dict[str, Any], reason: str) -> dict[str, Any]:
    """Record that the resource was deleted while it was being read; returns the properties."""
    properties[VANISHED] = reason
    return properties


def unread_fields(resource: Resource) -> dict[str, str]:
    """The resource's unread fields and why (empty when everything was read)."""
    props = resource.properties
    found = props.get(UNREAD) or props.get(_LEGACY) or {}
    return found if isinstance(found, dict) else {}


def unread(resource: Resource, *fields: str) -> Outcome | None:
    """For checks: an ``error`` outcome when one of ``fields`` (or the whole resource) could not
    be read, else None. Call it with no field when the check needs none of the fields a
    collector may leave unread: the engine then trusts its verdict."""
    asked = _asked.get()
    if asked is not None:
        asked.append(True)
    missing = unread_fields(resource)
    for field in (*fields, WHOLE):
        if field in missing:
            return errored(
                f"could not read {'the resource' if field == WHOLE else field}: {missing[field]}", unread=field
            )
    return None


def is_partial(resource: Resource) -> bool:
    """Whether the engine must guard the checks of this resource."""
    props = resource.properties
    return isinstance(props, dict) and bool(props.get(UNREAD) or props.get(_LEGACY) or props.get(VANISHED))


def guard(resource: Resource, judge: Callable[[], Outcome]) -> Outcome:
    """Run a check on a partially read resource: vanished → not assessed; a verdict reached
    without asking about the unread fields → ``error`` naming them."""
    gone = resource.properties.get(VANISHED)
    if gone:
        return not_applicable(f"not assessed: deleted during the sweep ({gone})", vanished=True)
    token = _asked.set([])
    try:
        outcome = judge()
        asked = bool(_asked.get())
    finally:
        _asked.reset(token)
    missing = unread_fields(resource)
    if outcome.status is Status.ERROR or not missing or (asked and WHOLE not in missing):
        return outcome
    reasons = "; ".join(f"{field}: {why}" for field, why in sorted(missing.items()))
    return errored(f"could not read {reasons}", unread=sorted(missing))
