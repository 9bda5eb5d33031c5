"""Small helpers shared by the Azure checks."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import CheckContext, Resource


def fact(ctx: CheckContext, type_: str) -> Resource | None:
    """The subscription-level fact of ``type_`` in this target's inventory, if it was collected."""
    found = ctx.resources(type_)
    return found[0] if found else None


def tls_at_least(value: Any, minimum: str = "1.2") -> bool:
    """``TLS1_2``, ``1.2``, ``1.3`` … compared as versions; ``None``/``"None"`` is below any minimum."""
    if value is None:
        return False
    text = str(value).upper().replace("TLS", "").replace("_", ".").strip(". ")
    try:
        return tuple(int(p) for p in text.split(".")) >= tuple(int(p) for p in minimum.split("."))
    except ValueError:
        return False


def enabled_categories(setting: dict[str, Any]) -> set[str]:
    """The log categories (or category groups) a diagnostic setting sends, lower case."""
    return {
        str(log.get("category") or log.get("category_group") or "").lower()
        for log in setting.get("logs") or []
        if log.get("enabled")
    }
