"""One time parser for every plugin: the timestamps clouds send, as aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?)(\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?", re.IGNORECASE)


def parse_time(value: Any) -> dt.datetime | None:
    """A timestamp as an aware datetime, or None when ``value`` is empty or not a time.

    Takes datetimes (naive ones are UTC), RFC 3339 / ISO 8601 text with any number of fractional
    digits (GCP sends nanoseconds, Azure seven digits) and ``Z`` or an offset, and dates alone.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if not isinstance(value, str):
        return None
    m = _RFC3339.fullmatch(value.strip())
    if not m:
        return None
    day, clock, frac, zone = m.groups()
    text = day + "T" + (clock or "00:00") + (frac or "")[:7]
    if zone and zone.upper() != "Z":
        text += zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def days_since(value: Any, now: dt.datetime) -> float | None:
    """Days from ``value`` to ``now`` (fractional), or None when ``value`` is not a time."""
    when = parse_time(value)
    return None if when is None else (now - when).total_seconds() / 86400


def iso(value: Any) -> str | None:
    """A time as ISO 8601 UTC text for properties and evidence (None stays None)."""
    when = parse_time(value) if not isinstance(value, str) or value else None
    if when is None:
        return None if value in (None, "") else str(value)
    return when.astimezone(dt.UTC).isoformat()
