"""The context GCP collectors are written on: the connection, the two API clients, paged reads."""

from __future__ import annotations

import re
from typing import Any

from trustsweep.plugin import Collector, WorkUnit, describe_exception

from ..session import Connection, asset_client, retry_policy, scc_client

PROVIDER = "gcp"
ASSET_PAGE_SIZE = 1000  # ListAssets maximum
FINDINGS_PAGE_SIZE = 1000  # ListFindings maximum
CONTENT = {"RESOURCE": 1, "IAM_POLICY": 2, "ORG_POLICY": 4}
_REQUEST_LINE = re.compile(r"^[A-Z]+ \S+: ")  # "GET http://host/v1/...: " in api_core's messages


def rest_dict(message: Any) -> dict[str, Any]:
    """A proto-plus message as the REST API's JSON (camelCase keys)."""
    from google.protobuf import json_format

    return json_format.MessageToDict(type(message).pb(message))


def list_assets(
    conn: Connection, parent: str, content: str, asset_types: tuple[str, ...] = (), page_size: int = ASSET_PAGE_SIZE
) -> list[dict[str, Any]]:
    """Every asset under ``parent`` as REST JSON; every page retried (requests are counted by the client)."""
    request = {
        "parent": parent,
        "content_type": CONTENT[content],
        "page_size": page_size,
        "asset_types": list(asset_types),
    }
    pager = asset_client(conn).list_assets(request=request, retry=retry_policy(conn), timeout=conn.read_timeout_seconds)
    return [rest_dict(a) for a in pager]


def describe_google_error(exc: BaseException) -> str:
    """One line for a Google API error: its class, HTTP code and message, without the request URL."""
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.RetryError):
        cause = exc.cause
        last = f"; last error {describe_google_error(cause)}" if cause is not None else ""
        return f"RetryError: {exc.message}{last}"
    if isinstance(exc, gexc.GoogleAPICallError):
        message = _REQUEST_LINE.sub("", str(exc.message or "")).strip().splitlines()
        code = f" ({exc.code})" if exc.code else ""
        return f"{type(exc).__name__}{code}: {message[0][:300] if message else ''}".rstrip(": ")
    return describe_exception(exc)


class GcpCollector(Collector):
    """One GCP unit: a project's connection (endpoint, credentials, timeouts) and its page sizes.

    The clients are per thread and per connection (:mod:`trustsweep_gcp.session`), shared by the
    units a worker thread runs so their pooled connections are reused; :meth:`close` leaves them
    open (a forked worker drops its parent's).
    """

    provider = PROVIDER

    def __init__(self, unit: WorkUnit) -> None:
        super().__init__(unit)
        self.conn = Connection.from_options(self.options)
        self.project = self.target.id
        self.page_size = int(self.options.get("page_size", ASSET_PAGE_SIZE))
        self.findings_page_size = int(self.options.get("findings_page_size", FINDINGS_PAGE_SIZE))

    def list_assets(
        self, parent: str, content: str, asset_types: tuple[str, ...] = (), page_size: int | None = None
    ) -> list[dict[str, Any]]:
        """Every asset of ``asset_types`` under ``parent`` with ``content`` (RESOURCE, IAM_POLICY, ORG_POLICY)."""
        return list_assets(self.conn, parent, content, asset_types, page_size or self.page_size)

    def scc(self) -> Any:
        """This thread's Security Command Center client."""
        return scc_client(self.conn)

    def retry(self) -> Any:
        """The retry policy every call passes (429, 5xx, timeouts; exponential back-off to a deadline)."""
        return retry_policy(self.conn)

    def describe(self, exc: BaseException) -> str:
        return describe_google_error(exc)
