"""Small helpers shared by the GCP checks (no SDK)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

from trustsweep.plugin import CheckContext, Resource

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


def members_by_role(resource: Resource) -> Iterator[tuple[str, str]]:
    """Every (role, member) of the resource's IAM policy."""
    for binding in resource.properties.get("iam_bindings") or []:
        for member in binding.get("members") or []:
            yield binding.get("role", ""), member


def short(name: str) -> str:
    """The last part of a resource name or URL."""
    return name.rstrip("/").rsplit("/", 1)[-1]


_derived: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def per_target(ctx: CheckContext, key: str, build: Callable[[CheckContext], Any]) -> Any:
    """A fact derived from the whole target inventory, computed once per target (not per resource)."""
    cache = _derived.setdefault(ctx.inventory, {})
    if key not in cache:
        cache[key] = build(ctx)
    return cache[key]
