"""Share one Resource Graph query across the subscriptions of a batch.

The engine plans work per target (subscription), but Resource Graph answers for many
subscriptions in one paged query. Each per-subscription unit calls :func:`take`; the first to
arrive runs the query for the whole batch, the others wait for it, and each takes its own
subscription's rows. The batch is forgotten once every member has taken its rows. The cache is
per process: under a process pool or Dask, each worker process queries a batch at most once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Batch:
    members: set[str]
    done: threading.Event = field(default_factory=threading.Event)
    rows: dict[str, list[Any]] = field(default_factory=dict)
    error: BaseException | None = None


_guard = threading.Lock()
_batches: dict[Hashable, _Batch] = {}


def take(key: Hashable, member: str, members: Iterable[str],
         fetch: Callable[[], Iterable[tuple[str, Any]]]) -> tuple[list[Any], bool]:
    """This member's rows of the batch ``key``; ``fetch`` yields ``(member, row)`` pairs.

    Returns ``(rows, fetched_here)``. If the fetch failed, every member raises its error.
    """
    with _guard:
        batch = _batches.get(key)
        leader = batch is None
        if batch is None:
            batch = _batches[key] = _Batch({m.lower() for m in members} | {member.lower()})
    if leader:
        try:
            grouped: dict[str, list[Any]] = {}
            for owner, row in fetch():
                grouped.setdefault(owner.lower(), []).append(row)
            batch.rows = grouped
        except BaseException as exc:  # noqa: BLE001 - handed to every member
            batch.error = exc
        finally:
            batch.done.set()
    else:
        batch.done.wait()
    with _guard:
        rows = batch.rows.pop(member.lower(), [])
        batch.members.discard(member.lower())
        if not batch.members:
            _batches.pop(key, None)
    if batch.error is not None:
        raise RuntimeError(str(batch.error)) from batch.error
    return rows, leader
