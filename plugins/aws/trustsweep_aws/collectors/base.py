"""What every collector shares: the client factory, request counting, resource building, errors."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from trustsweep.model import Collected, CollectionError, Resource, WorkUnit

from .. import session

T = TypeVar("T")
R = TypeVar("R")
PROVIDER = "aws"
FAN_OUT = 8  # concurrent per-resource reads inside one unit (buckets, keys)
GLOBAL = "global"


def describe_error(exc: BaseException) -> str:
    """One line for an SDK error: the AWS error code and message, never request details."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        err = response["Error"]
        code = err.get("Code") or response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        op = getattr(exc, "operation_name", "")
        message = str(err.get("Message") or "").strip().splitlines()[0][:300] if err.get("Message") else ""
        retries = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        tail = f" after {retries} retries" if retries else ""
        return f"{op}: {code}{': ' + message if message else ''}{tail}"
    text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def iso(value: Any) -> str | None:
    """A datetime as ISO 8601 UTC text (evidence stays JSON)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat()
    return str(value)


def tags_of(items: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    """``[{"Key": k, "Value": v}]`` (any capitalisation) → ``{k: v}``."""
    out: dict[str, str] = {}
    for item in items or ():
        key = item.get("Key", item.get("key"))
        if key is not None:
            out[str(key)] = str(item.get("Value", item.get("value", "")))
    return out


class Ctx:
    """One unit's view: its account, region, options, clients, and the resources it builds."""

    def __init__(self, unit: WorkUnit) -> None:
        self.unit = unit
        self.account = unit.target.id
        self.region = unit.region
        self.home = unit.options.get("home_region") or session.DEFAULT_REGION
        self.partition = unit.target.attrs.get("partition", "aws")
        self.resources: list[Resource] = []
        self.errors: list[CollectionError] = []
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        """This unit's client (built on first use, dropped with the unit)."""
        where = region or (self.home if self.region == GLOBAL else self.region)
        found = self._clients.get((service, where))
        if found is None:
            found = session.client(self.unit.target.attrs, self.unit.options, service, where, cache=False)
            found = self._clients.setdefault((service, where), found)
        return found

    def close(self) -> None:
        for item in self._clients.values():
            try:
                item.close()
            except Exception:
                pass
        self._clients.clear()

    def add(self, type_: str, id_: str, name: str = "", *, region: str | None = None, **properties: Any) -> Resource:
        resource = Resource(PROVIDER, self.account, region or self.region, type_, id_, name, properties)
        self.resources.append(resource)
        return resource

    def fail(self, types: tuple[str, ...], reason: str, service: str | None = None) -> None:
        """Record that part of this unit could not be collected: checks on ``types`` become errors."""
        self.errors.append(CollectionError(PROVIDER, self.account, self.region, service or self.unit.service,
                                           types, reason))

    def map(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        """``fn`` over ``items`` on a few threads (per-resource reads of one service), in order.

        The unit's request counter follows the work into the helper threads.
        """
        if len(items) <= 1:
            return [fn(item) for item in items]
        from concurrent.futures import ThreadPoolExecutor

        counter = session.current_counter()

        def run(item: T) -> R:
            with session.counting(counter):
                return fn(item)

        with ThreadPoolExecutor(min(FAN_OUT, len(items)), thread_name_prefix="trustsweep-aws") as pool:
            return list(pool.map(run, items))

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        reg = "" if region is None else region
        return f"arn:{self.partition}:{service}:{reg}:{self.account}:{resource}"


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key) or [])
    return out


def collector(fn: Callable[[Ctx], None]) -> Callable[[WorkUnit], Collected]:
    """Wrap ``fn(ctx)``: count its HTTP requests; an exception becomes a CollectionError for the unit."""

    @functools.wraps(fn)
    def run(unit: WorkUnit) -> Collected:
        ctx = Ctx(unit)
        with session.counting() as counter:
            try:
                fn(ctx)
            except Exception as exc:
                error = CollectionError(PROVIDER, ctx.account, unit.region, unit.service, unit.resource_types,
                                        describe_error(exc))
                return Collected(unit, errors=[error], requests=counter.requests)
            finally:
                ctx.close()
        resources = sorted(ctx.resources, key=lambda r: (r.type, r.id))  # stable order despite fan-out
        return Collected(unit, resources=resources, errors=ctx.errors, requests=counter.requests)

    return run
