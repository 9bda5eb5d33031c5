"""Run units of collection work on an executor (threads by default, Dask when asked)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager

from .errors import UserError
from .model import Collected, CollectionError, WorkUnit
from .provider import load_object
from .redact import redactor

DEFAULT_WORKERS = 16


def run_unit(unit: WorkUnit) -> Collected:
    """Collect one unit. Never raises: a failure becomes a CollectionError with the reason.

    Every resource is redacted here, on the worker, before it is sent back, saved or stored.
    """
    start = time.perf_counter()
    try:
        function = load_object(unit.collector)
        if unit.context:
            out = load_object(unit.context)(unit).run(function)
        else:  # legacy: collector(unit) -> Collected (kept while the built-in plugins move over)
            out = function(unit)
        if not isinstance(out, Collected):
            raise TypeError(f"collector {unit.collector} returned {type(out).__name__}, not Collected")
        redaction = unit.redaction or redactor()
        out.resources = [redaction.resource(r) for r in out.resources]
    except Exception as exc:
        out = Collected(
            unit,
            errors=[
                CollectionError(
                    unit.provider, unit.target.id, unit.region, unit.service, unit.resource_types,
                    f"{type(exc).__name__}: {exc}",
                )
            ],
        )
    out.seconds = time.perf_counter() - start
    return out


@contextmanager
def make_executor(spec: str | None = None, workers: int | None = None) -> Iterator[Executor]:
    """``threads`` (default), ``processes``, or a Dask scheduler address (``tcp://host:8786``)."""
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
        with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 2), mp_context=context) as pool:
            yield pool
    elif "://" in spec or spec == "dask-local":
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError("a Dask executor needs the 'dask' extra: pip install 'trustsweep[dask]'") from None
        if spec == "dask-local":
            with LocalCluster(n_workers=2, threads_per_worker=max(1, workers // 2), processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                yield client.get_executor()
        else:
            try:
                client = Client(spec, timeout=10)
            except OSError as exc:
                raise UserError(f"cannot reach Dask scheduler {spec}: {exc}") from None
            with client:
                yield client.get_executor()
    else:
        raise UserError(f"unknown executor {spec!r} (threads, processes, dask-local or tcp://host:port)")


def collect(
    units: Sequence[WorkUnit],
    executor: Executor,
    on_done: Callable[[Collected], None] | None = None,
) -> Iterator[Collected]:
    """Submit every unit and yield results as they complete."""
    futures: dict[Future[Collected], WorkUnit] = {executor.submit(run_unit, unit): unit for unit in units}
    for future in as_completed(futures):
        try:
            result = future.result()
        except Exception as exc:  # the executor itself failed (a worker died, a pickling error)
            unit = futures[future]
            result = Collected(unit, errors=[CollectionError(
                unit.provider, unit.target.id, unit.region, unit.service, unit.resource_types,
                f"executor failed: {type(exc).__name__}: {exc}")])
        if on_done is not None:
            on_done(result)
        yield result
