"""Helpers the check modules share."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable
from typing import Any

from trustsweep.model import Resource
from trustsweep.unread import unread as unread  # an error outcome when a field the check needs was not read


def parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def days_since(value: Any, now: dt.datetime) -> float | None:
    when = parse_time(value)
    return None if when is None else (now - when).total_seconds() / 86400


def matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, str(p)) for p in patterns)


def is_production(resource: Resource, ctx: Any) -> bool:
    """Tagged as production: tag key ``production_tag_key`` (default ``environment``) with a value in
    ``production_tag_values`` (default production, prod)."""
    key: str = ctx.setting("production_tag_key")
    values = {v.lower() for v in ctx.setting("production_tag_values")}
    tags = resource.properties.get("tags") or {}
    return any(k.lower() == key.lower() and str(v).lower() in values for k, v in tags.items())
