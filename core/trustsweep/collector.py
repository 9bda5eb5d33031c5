"""The context every collector is written on: one unit of work, the resources it builds.

A plugin's collector is a function ``collect(ctx)`` in ``collect/<service>.py``; the engine makes
the context (the provider's :class:`Collector` subclass, named by ``WorkUnit.context``), calls the
function, and turns what it added into a :class:`~trustsweep.model.Collected`. An exception that
escapes the function becomes one :class:`~trustsweep.model.CollectionError` for the unit (checks on
its resource types report ``error``); a failure of one resource is recorded on that resource with
:meth:`Collector.unread` or :meth:`Collector.vanished` and the unit goes on.

Requests are counted per unit: an SDK transport hook of the plugin calls :func:`count_request`,
which adds to the unit running in the current context (threads started by :meth:`Collector.map`
keep it). The same hook calls :func:`trustsweep.budget.pace` first, which paces the request by the
unit's request budgets (set here with :func:`trustsweep.budget.pacing`).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from .budget import pacing
from .model import Collected, CollectionError, Resource, Target, WorkUnit
from .unread import WHOLE, mark
from .unread import vanished as _vanished

T = TypeVar("T")
R = TypeVar("R")

#: Concurrent per-resource reads inside one unit (:meth:`Collector.map`).
FAN_OUT = 8


class RequestCounter:
    """HTTP requests made on behalf of one unit of work (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.requests += n


_counter: contextvars.ContextVar[RequestCounter | None] = contextvars.ContextVar("trustsweep_requests", default=None)


def count_request(n: int = 1) -> None:
    """Count ``n`` HTTP requests for the unit running in this context (none running: ignored).

    Plugins call it from their SDK's transport hook (a botocore event, a requests/aiohttp
    transport, an azure-core pipeline policy), so every request is counted, retries included.
    """
    counter = _counter.get()
    if counter is not None:
        counter.add(n)


@contextmanager
def counting(counter: RequestCounter | None = None) -> Iterator[RequestCounter]:
    """Count the requests made in this context (and in :meth:`Collector.map` threads) on ``counter``."""
    counter = counter or RequestCounter()
    token = _counter.set(counter)
    try:
        yield counter
    finally:
        _counter.reset(token)


def describe_exception(exc: BaseException) -> str:
    """One line for an exception: its type and the first line of its message (no traceback)."""
    text = str(exc).strip()
    first = text.splitlines()[0][:300] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class Collector:
    """One unit's view: its target, region and options, and the resources it adds.

    Subclass it per provider to add SDK clients (built on first use, closed in :meth:`close`) and
    a :meth:`describe` that turns the SDK's errors into one line without request details.
    """

    provider: str = ""

    def __init__(self, unit: WorkUnit) -> None:
        self.unit = unit
        self.target = unit.target
        #: the targets a shared unit collects for (:meth:`Provider.shared_work`); else just ``target``
        self.members: tuple[Target, ...] = unit.covers
        self.region = unit.region
        self.options: dict[str, Any] = unit.options
        self.resources: list[Resource] = []
        self.errors: list[CollectionError] = []
        self.counter = RequestCounter()

    # -- life cycle (the engine's side) ---------------------------------------------------------

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release what the unit opened (clients, sessions). Called once, after the collector."""

    def run(self, function: Callable[[Collector], Any]) -> Collected:
        """Call ``function(self)`` counting and pacing its requests; an escaping exception fails the whole unit."""
        unit = self.unit
        with self, counting(self.counter), pacing(unit):
            try:
                function(self)
            except Exception as exc:
                reason = self.describe(exc)
                errors = [
                    CollectionError(unit.provider, m.id, unit.region, unit.service, unit.resource_types, reason)
                    for m in self.members
                ]
                return Collected(unit, errors=errors, requests=self.counter.requests)
        resources = sorted(self.resources, key=lambda r: (r.type, r.id))  # stable order despite fan-out
        return Collected(unit, resources=resources, errors=list(self.errors), requests=self.counter.requests)

    # -- what collectors call -------------------------------------------------------------------

    def describe(self, exc: BaseException) -> str:
        """One line for an error of this provider's SDK; override to name codes and operations."""
        return describe_exception(exc)

    def add(
        self,
        type_: str,
        id_: str,
        name: str = "",
        *,
        region: str | None = None,
        target: str | None = None,
        **properties: Any,
    ) -> Resource:
        """Add one resource of this unit's target (in ``region``, default the unit's).

        Properties are snake_case names of the plugin's choosing, documented per resource type;
        an empty ``unread`` dict is dropped. A shared unit names the member it belongs to: ``target``.
        """
        if "unread" in properties and not properties["unread"]:
            del properties["unread"]
        owner = self._member(target)
        resource = Resource(self.unit.provider, owner, region or self.region, type_, id_, name, properties)
        self.resources.append(resource)
        return resource

    def unread(self, resource: Resource | dict[str, Any], field: str, error: BaseException | str) -> None:
        """Record that ``field`` of one resource (``"*"``: all of it) could not be read, and why.

        The resource's checks that need the field report ``error``; the others still judge it.
        """
        properties = resource.properties if isinstance(resource, Resource) else resource
        mark(properties, field, error if isinstance(error, str) else self.describe(error))

    def unreadable(self, type_: str, id_: str, name: str, error: BaseException | str, **properties: Any) -> Resource:
        """Add a resource of which nothing but its id could be read: every check on it reports ``error``."""
        resource = self.add(type_, id_, name, **properties)
        self.unread(resource, WHOLE, error)
        return resource

    def vanished(self, type_: str, id_: str, name: str, error: BaseException | str, **properties: Any) -> Resource:
        """Add a resource deleted while it was read: its checks report ``not_applicable`` with the reason."""
        resource = self.add(type_, id_, name, **properties)
        _vanished(resource.properties, error if isinstance(error, str) else self.describe(error))
        return resource

    def fail(
        self, types: Sequence[str], error: BaseException | str, service: str | None = None, *, target: str | None = None
    ) -> None:
        """Record that part of this unit could not be collected: checks on ``types`` report ``error``.

        In a shared unit that is every member's ``types``, or one member's with ``target``.
        """
        reason = error if isinstance(error, str) else self.describe(error)
        owners = [self._member(target)] if target is not None else [m.id for m in self.members]
        for owner in owners:
            self.errors.append(
                CollectionError(
                    self.unit.provider, owner, self.region, service or self.unit.service, tuple(types), reason
                )
            )

    def _member(self, target: str | None) -> str:
        """The target id a resource or error is filed under (``None``: this unit's own target)."""
        if target is None or target == self.target.id:
            return self.target.id
        if any(m.id == target for m in self.members):
            return target
        raise ValueError(f"{target!r} is not a target of this unit ({self.unit.service})")

    def count(self, n: int = 1) -> None:
        """Count requests made outside an SDK hook (a raw HTTP call)."""
        self.counter.add(n)

    def map(self, fn: Callable[[T], R], items: Sequence[T], workers: int = FAN_OUT) -> list[R]:
        """``fn`` over ``items`` on a few threads (per-resource reads of one service), in order.

        Each thread runs in a copy of this context, so its requests are counted on this unit.
        """
        if len(items) <= 1:
            return [fn(item) for item in items]
        from concurrent.futures import ThreadPoolExecutor

        def run(item: T) -> R:
            return contextvars.copy_context().run(fn, item)

        parent = contextvars.copy_context()
        with ThreadPoolExecutor(
            min(workers, len(items)),
            thread_name_prefix=f"trustsweep-{self.unit.provider}",
            initializer=_adopt,
            initargs=(parent,),
        ) as pool:
            return list(pool.map(run, items))


def _adopt(parent: contextvars.Context) -> None:
    """Start a :meth:`Collector.map` thread with the submitting context's variables."""
    for var, value in parent.items():
        var.set(value)
