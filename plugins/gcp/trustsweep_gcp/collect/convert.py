"""Small conversions from Cloud Asset JSON to the plugin's properties (no SDK)."""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"(\d+(?:\.\d+)?)s?")


def seconds(value: Any) -> float | None:
    """A protobuf Duration in JSON (``"7776000s"``) or a number of seconds, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        m = _DURATION.fullmatch(value.strip())
        if m:
            return float(m.group(1))
    return None


def days(value: Any) -> float | None:
    """A Duration (or seconds) as days; None when unset or zero."""
    period = seconds(value)
    return period / 86400 if period else None


def short(name: Any) -> str:
    """The last part of a resource name or URL (``.../sslPolicies/modern`` → ``modern``)."""
    return str(name or "").rstrip("/").rsplit("/", 1)[-1]


def region_of(data: dict[str, Any]) -> str:
    """The region or zone a resource lives in (lower case), or ``global``."""
    for key in ("region", "location", "zone", "gceZone"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value.rsplit("/", 1)[-1].lower()
    return "global"


def texts(value: Any) -> list[str]:
    """A list of strings (a missing or null list is empty)."""
    return [str(v) for v in value or []]


def labels(value: Any) -> dict[str, str]:
    """Labels as a plain ``{key: value}`` dict."""
    return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}
