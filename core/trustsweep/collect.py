"""Run units of collection work on an executor (threads by default, Dask when asked).

:func:`collect` keeps a bounded window of units in flight (not every unit at once), gives each
unit a deadline (``unit_timeout``; ``TRUSTSWEEP_UNIT_TIMEOUT``) after which it becomes an
``error`` naming why, and on a Dask executor submits each unit under a key holding the sweep id,
on a remote one (a scheduler address) with its ``secret_*`` target attrs and the redaction salt
withheld (:mod:`trustsweep.worker_secrets`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from . import worker_secrets
from .errors import UserError
from .model import Collected, CollectionError, WorkUnit
from .provider import load_object
from .redact import redactor

DEFAULT_WORKERS = 16
#: Seconds a unit may take from submission to result before it becomes an ``error``.
DEFAULT_UNIT_TIMEOUT = 3600.0
#: Units in flight per unit the executor runs at once.
WINDOW_PER_SLOT = 2


def run_unit(unit: WorkUnit) -> Collected:
    """Collect one unit. Never raises: a failure becomes a CollectionError with the reason.

    Every resource is redacted here, on the worker, before it is sent back, saved or stored.
    Withheld secrets are read from this process's environment; the unit returned is the one sent.
    """
    start = time.perf_counter()
    sent = unit
    try:
        unit = worker_secrets.resolve(unit)
        function = load_object(unit.collector)
        out: Collected = load_object(unit.context)(unit).run(function)
        redaction = unit.redaction or redactor()
        out.resources = [redaction.resource(r) for r in out.resources]
    except Exception as exc:
        out = failed_unit(unit, f"{type(exc).__name__}: {exc}")
    out.unit = sent
    out.seconds = time.perf_counter() - start
    return out


def failed_unit(unit: WorkUnit, reason: str) -> Collected:
    """A unit that produced nothing: a CollectionError over its resource types (each member's, if shared)."""
    return Collected(
        unit,
        errors=[
            CollectionError(unit.provider, member.id, unit.region, unit.service, unit.resource_types, reason)
            for member in unit.covers
        ],
    )


def unit_timeout(value: float | None = None) -> float:
    """The per-unit deadline: ``value``, else ``TRUSTSWEEP_UNIT_TIMEOUT``, else the default."""
    if value is None:
        text = os.environ.get("TRUSTSWEEP_UNIT_TIMEOUT", "")
        try:
            value = float(text) if text else DEFAULT_UNIT_TIMEOUT
        except ValueError:
            raise UserError(f"TRUSTSWEEP_UNIT_TIMEOUT must be a number of seconds, not {text!r}") from None
    if not value > 0:
        raise UserError(f"the unit timeout must be more than 0 seconds, not {value:g}")
    return value


@contextmanager
def make_executor(spec: str | None = None, workers: int | None = None) -> Iterator[Executor]:
    """``threads`` (default), ``processes``, ``dask-local`` or a Dask scheduler address
    (``tcp://host:8786``, ``tls://host:8786``; see :mod:`trustsweep.cluster`)."""
    spec = spec or os.environ.get("TRUSTSWEEP_EXECUTOR") or "threads"
    workers = DEFAULT_WORKERS if workers is None else workers
    if workers < 1:
        raise UserError(f"--workers must be at least 1, not {workers}")
    if spec == "threads":
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="trustsweep")
        try:
            yield pool
        except BaseException:  # Ctrl-C or a failure: drop queued units, do not wait for running ones
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    elif spec == "processes":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: a forked child inherits locks held by other threads (SDK sessions,
        # connection pools, an emulator in the same process) and can hang on them
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 2), mp_context=context) as processes:
            yield processes
    elif "://" in spec or spec == "dask-local":
        from .cluster import connect

        with connect(spec, workers) as dask_pool:
            yield dask_pool
    else:
        raise UserError(f"unknown executor {spec!r} (threads, processes, dask-local or tcp://host:port)")


def _capacity(executor: Any) -> int:
    if hasattr(executor, "capacity"):
        return int(executor.capacity())
    return int(getattr(executor, "_max_workers", DEFAULT_WORKERS))


@dataclass
class Job:
    """One task for :func:`run_jobs`: ``fn(*args)`` under Dask key ``key`` (other executors ignore it).

    ``done(result)`` turns what came back into what the caller gets; ``failed(reason)`` is what
    the caller gets instead when the job could not run (the executor failed, the deadline passed).
    """

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    key: str
    failed: Callable[[str], Any]
    done: Callable[[Any], Any] = lambda result: result


def run_jobs(jobs: Iterable[Job], executor: Executor, *, timeout: float, window: int | None = None) -> Iterator[Any]:
    """Run every job, at most ``window`` in flight, and yield each result as it completes.

    A job without a result ``timeout`` seconds after it was submitted is submitted once more on
    a Dask executor (a Dask client can lose track of a task recomputed after a worker died),
    then fails. When no job at all finished in that time the executor is taken for dead (every
    worker gone) and the jobs not yet run fail too: never a hang.
    """
    window = window or max(1, WINDOW_PER_SLOT * _capacity(executor))
    keyed = bool(getattr(executor, "keyed", False))
    todo = iter(jobs)
    flight: dict[Future[Any], tuple[Job, int, float]] = {}  # job, attempt, deadline
    last_done = time.monotonic()

    def send(job: Job, attempt: int) -> None:
        if keyed:
            key = job.key + (f"-retry{attempt}" if attempt else "")
            future = executor.submit(job.fn, *job.args, key=key)
        else:
            future = executor.submit(job.fn, *job.args)
        flight[future] = (job, attempt, time.monotonic() + timeout)

    def fill() -> None:
        while len(flight) < window:
            job = next(todo, None)
            if job is None:
                return
            send(job, 0)

    gone = f"not run: no unit finished within {timeout:g} s (unit timeout), the executor's workers are gone or hung"
    late_reason = f"no result within {timeout:g} s (unit timeout): the worker running it died or the unit hung"
    fill()
    while flight:
        soonest = min(deadline for *_, deadline in flight.values())
        done, _ = wait(flight, timeout=max(0.0, soonest - time.monotonic()), return_when=FIRST_COMPLETED)
        for future in done:
            job, *_ = flight.pop(future)
            last_done = time.monotonic()
            try:
                result = future.result()
            except Exception as exc:  # the executor itself failed (a worker died too often, a pickling error)
                yield job.failed(f"executor failed: {type(exc).__name__}: {exc}")
            else:
                yield job.done(result)
        now = time.monotonic()
        late = [f for f, (*_, deadline) in flight.items() if deadline <= now]
        dead = bool(late) and now - last_done >= timeout  # nothing finished for a whole timeout
        for future in late:
            job, attempt, _ = flight.pop(future)
            future.cancel()
            if keyed and attempt == 0 and not dead:
                send(job, 1)
            else:
                yield job.failed(late_reason)
        if dead:
            for future, (job, *_) in list(flight.items()):
                future.cancel()
                yield job.failed(gone)
            flight.clear()
            for job in todo:
                yield job.failed(gone)
        fill()


def unit_job(unit: WorkUnit, key: str, remote: bool) -> Job:
    """The job of collecting one unit; on a remote executor its secrets are withheld (:mod:`.worker_secrets`)."""
    sent = worker_secrets.withhold(unit) if remote else unit
    return Job(
        run_unit,
        (sent,),
        key,
        lambda reason: failed_unit(unit, reason),
        lambda result: replace(result, unit=unit),  # the client's unit (with its secrets), not the one sent
    )


def collect(
    units: Sequence[WorkUnit],
    executor: Executor,
    on_done: Callable[[Collected], None] | None = None,
    *,
    sweep_id: str = "",
    timeout: float | None = None,
    window: int | None = None,
) -> Iterator[Collected]:
    """Run every unit (see :func:`run_jobs`) and yield each :class:`Collected` as it completes."""
    remote = bool(getattr(executor, "remote", False))
    jobs = (
        unit_job(unit, f"trustsweep-{unit.provider}-{sweep_id or 'sweep'}-{index}", remote)
        for index, unit in enumerate(units)
    )
    for collected in run_jobs(jobs, executor, timeout=unit_timeout(timeout), window=window):
        if on_done is not None:
            on_done(collected)
        yield collected
