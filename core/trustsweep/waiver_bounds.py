"""Bounds on waivers: accepted risk stays narrow and short unless someone says otherwise, explicitly.

A waiver on every resource (``*``) or lasting more than the maximum (365 days unless configured)
is refused unless its bound is explicitly allowed: ``--allow-wildcard`` / ``--allow-long`` on
``trustsweep waive``, ``allow_wildcard: true`` / ``allow_long: true`` on a waiver of a config file
(whose ``max_waiver_days`` sets the maximum, as ``--max-waiver-days`` does for ``waive``). A store
waiver records the bounds it was allowed past, so the evidence shows the exception was deliberate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

DEFAULT_MAX_DAYS = 365
BOUNDS = ("wildcard", "long")


def exceeded(resource: str, expires: dt.datetime, start: dt.datetime, max_days: int) -> dict[str, str]:
    """The bounds a waiver goes past, each with why: ``wildcard`` (every resource), ``long``."""
    out = {}
    if resource.strip() == "*":
        out["wildcard"] = "it waives the check on every resource (*)"
    days = (expires - start) / dt.timedelta(days=1)
    if days > max_days:
        out["long"] = f"it lasts {days:.0f} days, more than the maximum of {max_days}"
    return out


def refused(
    resource: str, expires: dt.datetime, start: dt.datetime, max_days: int, allowed: Collection[str]
) -> tuple[str, str] | None:
    """``(bound, why)`` of the first bound exceeded and not allowed, or None."""
    for bound, why in exceeded(resource, expires, start, max_days).items():
        if bound not in allowed:
            return bound, why
    return None


def max_days_setting(value: Any) -> int:
    """A configured maximum: a whole number of days, at least 1 (ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"the maximum waiver length must be a whole number of days, at least 1 (got {value!r})")
    return value


def config_waiver_problem(
    item: dict[str, Any], expires: dt.datetime, max_days: int, now: dt.datetime
) -> tuple[str, str] | None:
    """For a waiver of a config file: ``(message, key)`` when it goes past a bound it does not allow."""
    for key in ("allow_wildcard", "allow_long"):
        if key in item and not isinstance(item[key], bool):
            return f"'{key}' must be true or false", key
    allowed = [bound for bound in BOUNDS if item.get(f"allow_{bound}") is True]
    problem = refused(str(item["resource"]), expires, now, max_days, allowed)
    if problem is None:
        return None
    bound, why = problem
    key = "resource" if bound == "wildcard" else "expires"
    return f"waiver refused: {why}; add 'allow_{bound}: true' to this waiver if that is intended", key
