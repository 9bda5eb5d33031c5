"""Share one Resource Graph query across the subscriptions of a batch.

The engine plans work per target (subscription), but Resource Graph answers for many
subscriptions in one paged query. Units call :func:`take`; the first to ask for a batch starts the
query for the whole batch, the others wait for it, and each takes its own subscription's rows. The
batch is forgotten once every member has taken its rows.

In the main process (the default thread executor) queries run on a small pool of background
threads and any unit of a batch may :func:`start` all of its batch's queries, so the sequential
``$skipToken`` chains of every table page in at once instead of waiting for executor threads
(which are held by units waiting for their rows). Elsewhere (a process pool, Dask) the unit that
asks first runs the query itself; each worker process queries a batch at most once.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

Fetch = Callable[[], tuple[list[tuple[str, Any]], int]]
"""Returns ``(pairs of (member, row), requests made)``; on failure it raises an exception that may
carry a ``requests`` attribute."""

BACKGROUND_THREADS = 8


@dataclass
class _Batch:
    members: set[str]
    done: threading.Event = field(default_factory=threading.Event)
    rows: dict[str, list[Any]] = field(default_factory=dict)
    error: BaseException | None = None
    requests: int = 0
    reported: bool = False


_guard = threading.Lock()
_batches: dict[Hashable, _Batch] = {}
_finished: set[Hashable] = set()  # batches every member has taken (so a late start() is a no-op)
_pool: ThreadPoolExecutor | None = None


def in_main_process() -> bool:
    return multiprocessing.current_process().name == "MainProcess"


def _background() -> ThreadPoolExecutor:
    global _pool
    with _guard:
        if _pool is None:
            _pool = ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="trustsweep-azure-graph")
        return _pool


def _run(batch: _Batch, fetch: Fetch) -> None:
    try:
        pairs, batch.requests = fetch()
        grouped: dict[str, list[Any]] = {}
        for owner, row in pairs:
            grouped.setdefault(owner.lower(), []).append(row)
        batch.rows = grouped
    except BaseException as exc:
        batch.error = exc
        batch.requests = int(getattr(exc, "requests", 0) or 0)
    finally:
        batch.done.set()


def _entry(key: Hashable, members: Iterable[str]) -> tuple[_Batch | None, bool]:
    with _guard:
        if key in _finished:
            return None, False
        batch = _batches.get(key)
        if batch is not None:
            return batch, False
        batch = _batches[key] = _Batch({m.lower() for m in members})
        return batch, True


def start(key: Hashable, members: Iterable[str], fetch: Fetch) -> None:
    """Start the batch's query in the background (main process only); no-op if already started."""
    if not in_main_process():
        return
    batch, new = _entry(key, members)
    if new:
        _background().submit(_run, batch, fetch)


def take(key: Hashable, member: str, members: Iterable[str], fetch: Fetch) -> tuple[list[Any], int]:
    """This member's rows of the batch ``key`` and the requests to report for it.

    The requests the batch's query made are reported once, by the first member to take its rows.
    If the query failed, every member raises its error.
    """
    batch, new = _entry(key, [*members, member])
    if batch is None:
        raise RuntimeError(f"{member} asked twice for its rows of one Resource Graph batch")
    if new:
        if in_main_process():
            _background().submit(_run, batch, fetch)
        else:
            _run(batch, fetch)
    batch.done.wait()
    with _guard:
        rows = batch.rows.pop(member.lower(), [])
        batch.members.discard(member.lower())
        if not batch.members:
            _batches.pop(key, None)
            _finished.add(key)
        requests = 0 if batch.reported else batch.requests
        batch.reported = True
    if batch.error is not None:
        raise RuntimeError(str(batch.error)) from batch.error
    return rows, requests
