"""Small helpers shared by the Azure checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trustsweep.model import Resource
from trustsweep.provider import CheckContext


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


def parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    if "." in text:  # Azure sends 7 fractional digits; Python takes at most 6
        head, _, rest = text.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        tz = rest[len(digits):]
        text = f"{head}.{digits[:6]}{tz}"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
