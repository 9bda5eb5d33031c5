"""Small helpers shared by the GCP checks."""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from trustsweep.model import Resource
from trustsweep.provider import CheckContext

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


def data(resource: Resource) -> dict[str, Any]:
    return resource.properties.get("data") or {}


def bindings(resource: Resource) -> list[dict[str, Any]]:
    return (resource.properties.get("iam_policy") or {}).get("bindings") or []


def members_by_role(resource: Resource) -> Iterator[tuple[str, str]]:
    for binding in bindings(resource):
        for member in binding.get("members") or []:
            yield binding.get("role", ""), member


def parse_time(value: Any) -> dt.datetime | None:
    """An RFC 3339 timestamp (nanoseconds and ``Z`` allowed) as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", value.strip())
    if not m:
        return None
    frac = (m.group(2) or "")[:7]
    zone = m.group(3) or "Z"
    parsed = dt.datetime.fromisoformat(m.group(1) + frac + ("+00:00" if zone == "Z" else zone))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def seconds(value: Any) -> float | None:
    """A protobuf Duration in JSON (``"7776000s"``) or a number of seconds, or None."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)s?", value.strip())
        if m:
            return float(m.group(1))
    return None


def short(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1]


_derived: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def per_target(ctx: CheckContext, key: str, build: Callable[[CheckContext], Any]) -> Any:
    """A fact derived from the whole target inventory, computed once per target (not per resource)."""
    cache = _derived.setdefault(ctx.inventory, {})
    if key not in cache:
        cache[key] = build(ctx)
    return cache[key]
