"""What a plugin's transport hook paced: a :class:`~trustsweep.budget.Pacer` that records every request.

``with recording() as pacer:`` sweep, then ``pacer.paced`` holds ``(provider, kind, key)`` per paced
request (``key``: ``TARGET_ID/scope`` or the shared scope) and ``pacer.rates`` the rate of each — to
check that every counted request was paced under the scope and budget the plugin documents. :func:`busiest` checks send times an emulator saw
against a budget: at most ``burst + rate × window`` in any ``window`` seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .. import budget


class RecordingPacer(budget.Pacer):
    """Paces like the process's pacer and records what it paced."""

    def __init__(self) -> None:
        super().__init__()
        self.paced: list[tuple[str, str, str]] = []
        #: the rate (requests per second, 0: unlimited) each ``(provider, kind, key)`` was paced at
        self.rates: dict[tuple[str, str, str], float] = {}

    def pace(self, limits: budget.Limits, scope: str, kind: str) -> float:
        target = kind == budget.TARGET
        key = (limits.provider, kind, f"{limits.target}/{scope}" if target else scope)
        with self._lock:
            self.paced.append(key)
            self.rates[key] = limits.rate if target else limits.shared_rate * limits.share
        return super().pace(limits, scope, kind)


@contextmanager
def recording() -> Iterator[RecordingPacer]:
    """Swap in a :class:`RecordingPacer` for this process (threads executors) while the block runs."""
    previous, budget.PACER = budget.PACER, RecordingPacer()
    try:
        yield budget.PACER  # type: ignore[misc]
    finally:
        budget.PACER = previous


def busiest(times: Iterable[float], window: float) -> int:
    """The most events within any ``window`` seconds of ``times``."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] > window:
            start += 1
        most = max(most, end - start + 1)
    return most
