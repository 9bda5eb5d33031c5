"""Credentials and the Cloud Asset and Security Command Center clients (REST transport), one per thread.

Credentials: Application Default Credentials, optionally impersonating a service account; with an
endpoint override (``TRUSTSWEEP_GCP_ENDPOINT`` / ``--gcp-endpoint``) anonymous credentials against
that endpoint (emulators, tests). Every HTTP attempt (retries included) is paced by the API's shared
budget (:func:`trustsweep.budget.pace`) and counted for the running unit with
:func:`trustsweep.plugin.count_request` from the transports' interceptors. The Google SDK
is imported here, only when collecting.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trustsweep.budget import SHARED, pace
from trustsweep.plugin import count_request

ENDPOINT_ENV = "TRUSTSWEEP_GCP_ENDPOINT"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]

_local = threading.local()


def _forget_clients() -> None:
    """A forked worker must not reuse its parent's clients: their pooled keep-alive sockets are
    shared with the parent, and two processes reading one socket steal each other's responses."""
    global _local
    _local = threading.local()


os.register_at_fork(after_in_child=_forget_clients)


@dataclass(frozen=True, slots=True)
class Connection:
    """How to reach the APIs; picklable, no secret (the endpoint or the account to impersonate)."""

    endpoint: str = ""
    impersonate: str = ""
    read_timeout_seconds: float = 60.0
    retry_initial: float = 1.0
    retry_maximum: float = 30.0
    retry_deadline: float = 180.0

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Connection:
        return cls(
            endpoint=str(options.get("endpoint") or os.environ.get(ENDPOINT_ENV) or ""),
            impersonate=str(options.get("impersonate") or ""),
            read_timeout_seconds=float(options.get("read_timeout_seconds", 60.0)),
            retry_initial=float(options.get("retry_initial", 1.0)),
            retry_maximum=float(options.get("retry_maximum", 30.0)),
            retry_deadline=float(options.get("retry_deadline", 180.0)),
        )


def _credentials(conn: Connection) -> Any:
    if conn.endpoint:
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials()
    import google.auth

    creds, _ = google.auth.default(scopes=SCOPES)
    if conn.impersonate:
        from google.auth import impersonated_credentials

        creds = impersonated_credentials.Credentials(
            source_credentials=creds, target_principal=conn.impersonate, target_scopes=SCOPES, lifetime=3600
        )
    return creds


def retry_policy(conn: Connection) -> Any:
    """Retries for 429, 500, 502, 503, 504 and connection / read timeouts.

    The generated clients' default retry covers only 503 (and gRPC deadline): not 429
    (``TooManyRequests``) and not ``requests`` read timeouts, which the REST transport raises raw.
    """
    import requests
    from google.api_core import exceptions as gexc
    from google.api_core import retry as gretry

    return gretry.Retry(
        predicate=gretry.if_exception_type(
            gexc.TooManyRequests,
            gexc.ServiceUnavailable,
            gexc.InternalServerError,
            gexc.BadGateway,
            gexc.GatewayTimeout,
            gexc.DeadlineExceeded,
            requests.exceptions.Timeout,
            requests.exceptions.ConnectionError,
        ),
        initial=conn.retry_initial,
        maximum=conn.retry_maximum,
        multiplier=2.0,
        timeout=conn.retry_deadline,
    )


def _cache() -> dict[tuple[str, Connection], Any]:
    cache = getattr(_local, "clients", None)
    if cache is None:
        cache = _local.clients = {}
    return cache


def _client(conn: Connection, key: str, build: Callable[[Connection], Any]) -> Any:
    cache = _cache()
    if (key, conn) not in cache:
        cache[(key, conn)] = build(conn)
    return cache[(key, conn)]


def _counting(interceptor: type, hook: str, api: str) -> Any:
    """An instance of the transport's interceptor class whose ``hook`` (``pre_<rpc>``) paces the
    request by the shared budget of ``api`` (a quota of the consumer project) and counts it."""

    def pre(self: Any, request: Any, metadata: Any) -> Any:
        pace(api, SHARED)
        count_request()
        return request, metadata

    return type("Counting", (interceptor,), {hook: pre})()


def _asset_client(conn: Connection) -> Any:
    from google.cloud.asset_v1 import AssetServiceClient
    from google.cloud.asset_v1.services.asset_service.transports import rest

    transport = rest.AssetServiceRestTransport(
        host=conn.endpoint or "cloudasset.googleapis.com",
        credentials=_credentials(conn),
        interceptor=_counting(rest.AssetServiceRestInterceptor, "pre_list_assets", "cloudasset"),
    )
    return AssetServiceClient(transport=transport)


def _scc_client(conn: Connection) -> Any:
    from google.cloud.securitycenter_v1 import SecurityCenterClient
    from google.cloud.securitycenter_v1.services.security_center.transports import rest

    transport = rest.SecurityCenterRestTransport(
        host=conn.endpoint or "securitycenter.googleapis.com",
        credentials=_credentials(conn),
        interceptor=_counting(rest.SecurityCenterRestInterceptor, "pre_list_findings", "securitycenter"),
    )
    return SecurityCenterClient(transport=transport)


def asset_client(conn: Connection) -> Any:
    """This thread's ``AssetServiceClient`` for ``conn``."""
    return _client(conn, "asset", _asset_client)


def scc_client(conn: Connection) -> Any:
    """This thread's Security Command Center client for ``conn``."""
    return _client(conn, "scc", _scc_client)
