"""The Type II window: each criterion across the stored sweeps of a period, and its days not satisfied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.history import History


@dataclass(slots=True)
class CriterionWindow:
    """One criterion over the window: its label per sweep and the days it was not satisfied.

    A state holds from the sweep that observed it until the next sweep (the last one until the
    window's end), so ``days_not_satisfied`` counts the time between an observation of
    *not satisfied* or *incomplete* and the next observation of *satisfied*.
    """

    criterion: str
    labels: list[str] = field(default_factory=list)  # per sweep, "" where the sweep has no finding
    days_not_satisfied: float = 0.0
    assessed: bool = False


@dataclass(slots=True)
class Window:
    start: dt.datetime
    end: dt.datetime
    sweeps: list[tuple[str, dt.datetime]]  # (sweep id, started)
    criteria: list[CriterionWindow]


def _at(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def build_window(hist: History, start: dt.datetime | None = None, end: dt.datetime | None = None) -> Window:
    """The window over ``hist`` (loaded for ``start <= started < end``); open ends take the sweeps' times."""
    times = [_at(e.at) for e in hist.sweeps]
    first = start or (times[0] if times else dt.datetime.now(dt.UTC))
    last = end or (times[-1] if times else first)
    rows: list[CriterionWindow] = []
    for cid in hist.criteria:
        row = CriterionWindow(cid)
        for i, entry in enumerate(hist.sweeps):
            point = hist.points.get(cid, {}).get(entry.seq)
            label = point.label if point else ""
            row.labels.append(label)
            if label in ("satisfied", "not-satisfied", "incomplete"):
                row.assessed = True
            if label in ("not-satisfied", "incomplete"):
                until = times[i + 1] if i + 1 < len(times) else max(last, times[i])
                row.days_not_satisfied += max(0.0, (until - times[i]).total_seconds() / 86400)
        rows.append(row)
    return Window(first, last, [(e.id, t) for e, t in zip(hist.sweeps, times, strict=True)], rows)
