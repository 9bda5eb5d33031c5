"""Cloud Logging sinks and log buckets as properties."""

from __future__ import annotations

from typing import Any


def log_sink(data: dict[str, Any]) -> dict[str, Any]:
    """A sink: where it exports, with which filter, whether it is enabled."""
    return {
        "destination": str(data.get("destination") or ""),
        "filter": str(data.get("filter") or "").strip(),
        "disabled": data.get("disabled") is True,
        "include_children": data.get("includeChildren") is True,
    }


def log_bucket(data: dict[str, Any]) -> dict[str, Any]:
    """A log bucket: its path, retention (30 days when unset) and whether it is locked."""
    return {
        "path": str(data.get("name") or ""),
        "retention_days": float(data.get("retentionDays") or 30),
        "locked": data.get("locked") is True,
        "lifecycle_state": str(data.get("lifecycleState") or ""),
    }
