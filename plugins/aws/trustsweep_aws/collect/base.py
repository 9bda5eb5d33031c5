"""The AWS collector context: the unit's clients, AWS error descriptions, ARNs, and small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from trustsweep.plugin import Collector, WorkUnit, describe_exception

from .. import session

GLOBAL = "global"


def describe_error(exc: BaseException) -> str:
    """One line for an SDK error: the operation, AWS error code and message, never request details."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        err = response["Error"]
        code = err.get("Code") or response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        op = getattr(exc, "operation_name", "")
        message = str(err.get("Message") or "").strip().splitlines()[0][:300] if err.get("Message") else ""
        retries = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        tail = f" after {retries} retries" if retries else ""
        return f"{op}: {code}{': ' + message if message else ''}{tail}"
    return describe_exception(exc)


def error_code(exc: BaseException) -> str:
    """The AWS error code of an SDK error (``AccessDenied``, ``NoSuchBucket``...), or empty."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def tags_of(items: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    """``[{"Key": k, "Value": v}]`` (any capitalisation) → ``{k: v}``."""
    out: dict[str, str] = {}
    for item in items or ():
        key = item.get("Key", item.get("key"))
        if key is not None:
            out[str(key)] = str(item.get("Value", item.get("value", "")))
    return out


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """Every item under ``key`` of every page of ``operation``."""
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key) or [])
    return out


class AwsCollector(Collector):
    """One unit's view of one account: its region (``global`` for account-wide services), the home
    region global services are called in, and guarded boto3 clients built on first use."""

    provider = "aws"

    def __init__(self, unit: WorkUnit) -> None:
        super().__init__(unit)
        self.account = unit.target.id
        self.home = unit.options.get("home_region") or session.DEFAULT_REGION
        self.partition = unit.target.attrs.get("partition", "aws")
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        """This unit's client for ``service`` in ``region`` (default: the unit's, or the home region)."""
        where = region or (self.home if self.region == GLOBAL else self.region)
        found = self._clients.get((service, where))
        if found is None:
            found = session.client(self.target.attrs, self.options, service, where, cache=False)
            found = self._clients.setdefault((service, where), found)
        return found

    def close(self) -> None:
        for item in self._clients.values():
            with suppress(Exception):  # a client that cannot close holds nothing worth reporting
                item.close()
        self._clients.clear()

    def describe(self, exc: BaseException) -> str:
        return describe_error(exc)

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        """An ARN in this account (``region`` None: none, as for global resources)."""
        return f"arn:{self.partition}:{service}:{region or ''}:{self.account}:{resource}"
