"""Request budgets: token buckets that pace a plugin's HTTP requests so a sweep stays within API quotas.

A plugin's SDK transport hook calls :func:`pace` before each HTTP attempt (retries included), next
to :func:`~trustsweep.collector.count_request`; it blocks until the request may go. Buckets live in a
registry of this process, keyed by provider and scope, and are shared by every unit it runs:

* ``"target"`` scopes are quotas of one account / project / subscription (AWS API throttling per
  account and region, Azure Resource Manager reads per subscription): rate ``rate_limit``. All the
  units of a target run in one process, so that bucket is the target's whole budget.
* ``"shared"`` scopes are quotas wider than a target (the GCP consumer project, Azure Resource
  Graph's per-user quota, a GitHub token): every worker process gets ``shared_rate_limit × share``,
  ``share`` being ``1 / worker processes`` (:func:`share_for`, carried by ``WorkUnit.rate_share``),
  so that the cluster's sum stays within the quota.

A bucket holds ``burst`` tokens (the provider's documented bucket, see :class:`Quota`) and starts
full: short sweeps go at full speed, long ones at the quota's rate.
The unit's budgets reach the hook through a context variable set by :func:`pacing` (the
:class:`~trustsweep.collector.Collector` does it around each unit); outside a unit nothing is paced.
See ``docs/budgets.md``.
"""

from __future__ import annotations

import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .declare import setting
from .errors import UserError
from .model import SettingSpec, WorkUnit

TARGET = "target"
SHARED = "shared"
#: The smallest share of a shared budget a worker process gets (a huge cluster never pauses forever).
MIN_SHARE = 0.001
#: New buckets between two prunings of the full ones (bounds a long-lived worker's registry).
PRUNE_EVERY = 1024
#: The unit option keys :func:`unit_options` fills and :func:`pacing` reads.
OPTION_KEYS = ("rate_limit", "rate_burst", "shared_rate_limit", "shared_rate_burst")


@dataclass(frozen=True, slots=True)
class Quota:
    """A provider's documented quota as a token bucket: ``rate`` requests per second refilled, at
    most ``burst`` at once. EC2's non-mutating actions are ``Quota(20, 100)``; a quota per minute
    (Cloud Asset ``ListAssets``, 100 per minute) is ``Quota(100 / 60, 100)``."""

    rate: float
    burst: float


_HELP = {
    "rate_limit": "requests per second per target and API (0: unlimited)",
    "rate_burst": "requests per target and API sent at once before rate_limit applies",
    "shared_rate_limit": "requests per second to each API quota wider than a target, whole cluster (0: unlimited)",
    "shared_rate_burst": "requests to each such quota sent at once before shared_rate_limit applies, whole cluster",
}


def _names(target: Quota | None, shared: Quota | None) -> Iterator[tuple[str, float]]:
    """Each budget setting of a provider and its default."""
    for prefix, quota in (("", target), ("shared_", shared)):
        if quota is not None:
            yield f"{prefix}rate_limit", round(quota.rate, 3)
            yield f"{prefix}rate_burst", float(quota.burst)


def settings(target: Quota | None = None, shared: Quota | None = None) -> dict[str, SettingSpec]:
    """The budget settings of a provider, defaults from its quotas (one name per meaning everywhere)."""
    return {
        name: setting("float", default, _HELP[name], min=0 if name.endswith("limit") else 1)
        for name, default in _names(target, shared)
    }


def unit_options(
    options: Mapping[str, Any], target: Quota | None = None, shared: Quota | None = None
) -> dict[str, float]:
    """The budget options a provider puts on each unit: its settings in ``options``, else the quotas' defaults."""
    out: dict[str, float] = {}
    for name, default in _names(target, shared):
        raw = options.get(name)
        if raw is None or raw == "":
            out[name] = default
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise UserError(f"setting {name}={raw!r}: expected a number") from None
        least = 0.0 if name.endswith("limit") else 1.0
        if not value >= least:  # also refuses NaN
            raise UserError(f"setting {name}={raw!r}: must be at least {least:g}")
        out[name] = value
    return out


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; starts full. Thread-safe.

    :meth:`reserve` takes a token at once and says how long the caller must wait before using it
    (the bucket goes into debt), so waiting callers are served in arrival order and never spin.
    """

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError(f"a token bucket needs a positive rate, not {rate!r}")
        self.rate, self.burst = rate, max(1.0, burst)
        self._clock = clock
        self._tokens = self.burst
        self._stamp = clock()
        self._lock = threading.Lock()

    def reserve(self, n: float = 1.0) -> float:
        """Take ``n`` tokens; the seconds to wait before sending (0.0: at once)."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= n
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def full(self, now: float) -> bool:
        """Whether the bucket has refilled by ``now`` (it is then the same as a new one)."""
        with self._lock:
            return self._tokens + (now - self._stamp) * self.rate >= self.burst


@dataclass(frozen=True, slots=True)
class Limits:
    """The budgets of the unit running in this context (from its options and ``rate_share``)."""

    provider: str
    target: str
    rate: float = 0.0
    burst: float = 1.0
    shared_rate: float = 0.0
    shared_burst: float = 1.0
    share: float = 1.0

    @classmethod
    def of(cls, unit: WorkUnit) -> Limits:
        opts = unit.options

        def num(key: str, default: float) -> float:
            value = opts.get(key)
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default

        share = float(getattr(unit, "rate_share", 1.0) or 1.0)
        return cls(
            unit.provider,
            unit.target.id,
            rate=num("rate_limit", 0.0),
            burst=num("rate_burst", 1.0),
            shared_rate=num("shared_rate_limit", 0.0),
            shared_burst=num("shared_rate_burst", 1.0),
            share=min(1.0, max(MIN_SHARE, share)),
        )


class Pacer:
    """A registry of buckets keyed by provider, kind and scope; one per process (:data:`PACER`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str], TokenBucket] = {}
        self._created = 0
        #: requests that had to wait, and the seconds they waited (this process, since the last reset)
        self.waits, self.waited = 0, 0.0

    def reserve(self, key: tuple[str, str, str], rate: float, burst: float) -> float:
        """Take a token of ``key``'s bucket (a new one when the budget changed: settings of another
        sweep); the seconds to wait. Now and then, buckets that have refilled are forgotten."""
        with self._lock:
            found = self._buckets.get(key)
            if found is None or found.rate != rate or found.burst != max(1.0, burst):
                self._created += 1
                if self._created % PRUNE_EVERY == 0:
                    self._prune()
                found = self._buckets[key] = TokenBucket(rate, burst, self.clock)
            return found.reserve()

    def _prune(self) -> None:
        """Drop the full buckets: a new one starts full, so forgetting them changes nothing and a
        long-lived worker holds only the buckets of the targets it paced lately (call with the lock)."""
        now = self.clock()
        for key in [k for k, b in self._buckets.items() if b.full(now)]:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)

    def pace(self, limits: Limits, scope: str, kind: str) -> float:
        """Wait until one request to ``scope`` may go under ``limits``; the seconds waited."""
        if kind == TARGET:
            rate, burst, key = limits.rate, limits.burst, f"{limits.target}/{scope}"
        elif kind == SHARED:
            rate, burst, key = limits.shared_rate * limits.share, limits.shared_burst * limits.share, scope
        else:
            raise ValueError(f"unknown budget kind {kind!r} (target or shared)")
        if rate <= 0:
            return 0.0
        wait = self.reserve((limits.provider, kind, key), rate, burst)
        if wait > 0:
            with self._lock:
                self.waits, self.waited = self.waits + 1, self.waited + wait
            self.sleep(wait)
        return wait

    def reset(self) -> None:
        """Forget every bucket (tests; a forked process)."""
        self._lock = threading.Lock()
        self._buckets = {}
        self._created = 0
        self.waits, self.waited = 0, 0.0


PACER = Pacer()
_limits: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("trustsweep_limits", default=None)
os.register_at_fork(after_in_child=PACER.reset)


def pace(scope: str, kind: str = TARGET) -> float:
    """Block until one HTTP request to ``scope`` fits the running unit's budget; the seconds waited.

    ``kind`` is ``"target"`` (a quota of the unit's target; ``scope`` names the API or region
    within it) or ``"shared"`` (a quota wider than a target; ``scope`` names it, never a secret).
    Outside a unit (planning in the client) nothing is paced.
    """
    limits = _limits.get()
    return 0.0 if limits is None else PACER.pace(limits, scope, kind)


@contextmanager
def pacing(unit: WorkUnit) -> Iterator[Limits]:
    """Pace the requests made in this context (and in :meth:`Collector.map` threads) by ``unit``'s budgets."""
    limits = Limits.of(unit)
    token = _limits.set(limits)
    try:
        yield limits
    finally:
        _limits.reset(token)


def share_for(executor: object) -> float:
    """This process's part of a shared budget on ``executor``: ``1 / worker processes``.

    Threads share one process (1.0); a process pool's processes each hold their own buckets
    (``1 / processes``); a Dask executor or client counts the workers the scheduler knows now.
    Never below :data:`MIN_SHARE`.
    """
    client: Any = getattr(executor, "client", None) or getattr(executor, "_client", None) or executor
    processes = 1
    if callable(getattr(client, "nthreads", None)):
        try:
            processes = len(client.nthreads())
        except Exception:  # an unreachable scheduler: the sweep reports it; pace as one process
            processes = 1
    else:
        from concurrent.futures import ProcessPoolExecutor

        if isinstance(executor, ProcessPoolExecutor):
            processes = int(getattr(executor, "_max_workers", 1))
    return max(MIN_SHARE, 1.0 / max(1, processes))
