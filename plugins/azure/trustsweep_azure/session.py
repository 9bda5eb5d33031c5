"""Azure clients for collectors: credentials, clients, retries, paging (the cloud and the endpoint
override are resolved in :class:`..settings.Settings`).

Each worker thread builds its own clients (SDK clients are not shared across threads here) and
caches them. Every HTTP attempt is paced and counted for the running unit by :func:`counting_policy`,
an azure-core pipeline policy in every client that calls :func:`trustsweep.budget.pace` (Resource
Manager: the subscription's budget; Resource Graph and Microsoft Graph: shared budgets) and
:func:`trustsweep.plugin.count_request`.
Retries are ours, not azure-core's: Resource Graph is a POST, and azure-core does not retry a
POST's 429 without Retry-After nor its read timeouts, so every request goes through
:func:`Session.call` (429, 5xx, timeouts; Retry-After honoured).

Environment:

* ``TRUSTSWEEP_AZURE_ENDPOINT=https://host:port`` — use this Resource Manager (and Microsoft Graph)
  endpoint with a static test token instead of real credentials (emulators, tests);
* ``TRUSTSWEEP_AZURE_CA_BUNDLE=cert.pem`` — trust this CA for that endpoint.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from trustsweep.budget import SHARED, TARGET, pace
from trustsweep.plugin import count_request

from .settings import CLOUDS, STATIC_TOKEN, Settings

RETRY_STATUS = {408, 429, 500, 502, 503, 504}
GRAPH_API = "2021-03-01"
T = TypeVar("T")


class AzureCallError(Exception):
    """A request that failed for good (after retries, or a status that is not worth retrying)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Gate:
    """Holds every Resource Graph query of this process until the user's quota window resets."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, time.monotonic() + min(seconds, 60.0))

    def wait(self) -> None:
        delay = self._until - time.monotonic()
        if delay > 0:
            time.sleep(delay)


_graph_gate = _Gate()


def _seconds(hms: Any) -> float | None:
    """``hh:mm:ss`` (Resource Graph's ``x-ms-user-quota-resets-after``) in seconds, None if not that."""
    try:
        h, m, sec = (float(x) for x in str(hms).split(":"))
    except ValueError:
        return None
    return h * 3600 + m * 60 + sec


def _quota_wait(headers: Any) -> float | None:
    """Seconds to hold Resource Graph queries: when the quota is spent, until it resets."""
    remaining = headers.get("x-ms-user-quota-remaining")
    resets = headers.get("x-ms-user-quota-resets-after")
    if remaining is None or resets is None or not str(remaining).isdigit() or int(remaining) > 0:
        return None
    return _seconds(resets)


class _StaticToken:
    """A credential returning a fixed token: only with the endpoint override (emulators, tests)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(STATIC_TOKEN, int(time.time()) + 3600)


_local = threading.local()
_credential_lock = threading.Lock()
_credentials: dict[tuple[str, str], Any] = {}


def credential(settings: Settings) -> Any:
    """DefaultAzureCredential (environment, managed identity, Azure CLI), one per process."""
    key = (settings.cloud, settings.endpoint)
    with _credential_lock:
        cred = _credentials.get(key)
        if cred is None:
            if settings.endpoint:
                cred = _StaticToken()
            else:
                from azure.identity import DefaultAzureCredential

                cred = DefaultAzureCredential(authority=CLOUDS[settings.cloud]["authority"])
            _credentials[key] = cred
    return cred


def counting_policy(scope: str = "arm", kind: str = TARGET) -> Any:
    """An azure-core policy pacing every request it sends by the ``scope`` budget and counting it for
    the running unit (retries included: our retry loop sends each attempt through the pipeline again)."""
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    class CountingPolicy(SansIOHTTPPolicy):  # type: ignore[misc,type-arg]
        def on_request(self, request: Any) -> None:
            pace(scope, kind)
            count_request()

    return CountingPolicy()


def transport_kwargs(settings: Settings) -> dict[str, Any]:
    """Client keyword arguments: our timeouts and CA, no azure-core retries, the counting policy."""
    kwargs: dict[str, Any] = {
        "retry_total": 0,
        "read_timeout": settings.read_timeout_seconds,
        "connection_timeout": settings.connect_timeout_seconds,
    }
    if settings.ca_bundle:
        kwargs["connection_verify"] = settings.ca_bundle
    return kwargs


def client_kwargs(settings: Settings, scope: str = "arm", kind: str = TARGET) -> dict[str, Any]:
    """Keyword arguments of a Resource Manager SDK client for these settings, paced by ``scope``'s budget."""
    return {
        "base_url": settings.arm_url,
        "credential_scopes": [settings.arm_url + "/.default"],
        "per_retry_policies": [counting_policy(scope, kind)],
        **transport_kwargs(settings),
    }


class Session:
    """One worker thread's clients and its request counter."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._graph: Any = None
        self._arm: Any = None
        self._msgraph: Any = None

    # -- clients ------------------------------------------------------------------------------

    @property
    def graph(self) -> Any:
        if self._graph is None:
            from azure.mgmt.resourcegraph import ResourceGraphClient

            self._graph = ResourceGraphClient(
                credential(self.settings), **client_kwargs(self.settings, "resourcegraph", SHARED)
            )
        return self._graph

    @property
    def arm(self) -> Any:
        if self._arm is None:
            from azure.mgmt.resource.resources import ResourceManagementClient

            self._arm = ResourceManagementClient(
                credential(self.settings), "00000000-0000-0000-0000-000000000000", **client_kwargs(self.settings)
            )
        return self._arm

    @property
    def msgraph(self) -> Any:
        if self._msgraph is None:
            from azure.core import PipelineClient
            from azure.core.pipeline import policies

            scope = CLOUDS[self.settings.cloud]["graph"] + "/.default"
            self._msgraph = PipelineClient(
                self.settings.graph_url,
                policies=[
                    policies.HeadersPolicy({"Accept": "application/json"}),
                    policies.UserAgentPolicy("trustsweep-azure"),
                    policies.ContentDecodePolicy(),
                    policies.BearerTokenCredentialPolicy(credential(self.settings), scope),
                    policies.NetworkTraceLoggingPolicy(),
                    counting_policy("msgraph", SHARED),
                ],
                **transport_kwargs(self.settings),
            )
        return self._msgraph

    # -- the retry loop -----------------------------------------------------------------------

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one request with our retries (every attempt is counted by the pipeline)."""
        from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError

        attempts = self.settings.max_attempts
        last = ""
        for attempt in range(1, attempts + 1):
            delay: float | None = None
            try:
                return fn()
            except HttpResponseError as exc:
                status = exc.status_code
                last = f"HTTP {status}: {_message(exc)}" if status else f"{type(exc).__name__}: {_message(exc)}"
                if status not in RETRY_STATUS:
                    raise AzureCallError(f"{what}: {last}", status) from None
                delay = _retry_after(exc)
            except (ServiceResponseError, ServiceRequestError) as exc:
                last = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            if attempt < attempts:
                base = self.settings.retry_base_seconds
                wait = delay if delay is not None else base * (2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                time.sleep(min(wait, 60.0))
        raise AzureCallError(f"{what}: gave up after {attempts} attempts: {last}")

    # -- Resource Manager ---------------------------------------------------------------------

    def arm_get(self, path: str, api_version: str, *, missing_ok: bool = False) -> dict[str, Any] | None:
        """GET one ARM document (``path`` starts with ``/``, or is a full nextLink URL)."""
        from azure.core.rest import HttpRequest

        url = path if path.startswith("https://") else f"{self.settings.arm_url}{path}?api-version={api_version}"

        def send() -> dict[str, Any] | None:
            response = self.arm.send_request(HttpRequest("GET", url))
            if response.status_code == 404 and missing_ok:
                return None
            response.raise_for_status()
            return response.json()

        return self.call(f"GET {path.split('?')[0]}", send)

    def arm_list(self, path: str, api_version: str) -> Iterator[dict[str, Any]]:
        """Every item of an ARM collection, following ``nextLink``."""
        page = self.arm_get(path, api_version)
        while page is not None:
            yield from page.get("value") or []
            link = page.get("nextLink")
            if not link:
                break
            page = self.arm_get(self._rebase(link), api_version)

    def _rebase(self, link: str) -> str:
        """Keep paging on the configured endpoint (nextLinks carry the service's own host)."""
        if self.settings.endpoint and not link.startswith(self.settings.endpoint):
            from urllib.parse import urlsplit

            parts = urlsplit(link)
            return f"{self.settings.endpoint}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        return link

    # -- Resource Graph -----------------------------------------------------------------------

    def graph_rows(
        self, query: str, *, subscriptions: list[str] | None = None, management_groups: list[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every row of a Resource Graph query, paged with ``$skipToken``.

        The request is built by the SDK's model and sent through the client's own pipeline
        (bearer token, headers, transport); the response is read as JSON rather than through
        the SDK's ``deserialize_object``, which walks every row in Python (~0.2 s per 1000 rows).
        Resource Graph's per-user quota headers pace every query of the process (see ``_Gate``).
        """
        from azure.core.rest import HttpRequest
        from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

        url = f"{self.settings.arm_url}/providers/Microsoft.ResourceGraph/resources?api-version={GRAPH_API}"
        token: str | None = None
        while True:
            body = QueryRequest(
                query=query,
                subscriptions=subscriptions,
                management_groups=management_groups,
                options=QueryRequestOptions(top=self.settings.page_size, skip_token=token, result_format="objectArray"),
            ).serialize()

            def send(payload: dict[str, Any] = body) -> dict[str, Any]:
                _graph_gate.wait()
                response = self.graph._send_request(HttpRequest("POST", url, json=payload))
                hold = _quota_wait(response.headers)
                if hold is not None:  # the quota is spent: every Graph query of this process waits
                    _graph_gate.hold(hold)
                response.raise_for_status()
                return response.json()

            page = self.call("Resource Graph query", send)
            yield from page.get("data") or []
            token = page.get("$skipToken")
            if not token:
                break

    # -- Microsoft Graph ----------------------------------------------------------------------

    def msgraph_list(self, path: str) -> Iterator[dict[str, Any]]:
        """Every item of a Microsoft Graph collection, following ``@odata.nextLink``."""
        from azure.core.rest import HttpRequest

        url: str | None = f"{self.settings.graph_url}{path}"
        while url:

            def send(u: str = url) -> dict[str, Any]:
                response = self.msgraph.send_request(HttpRequest("GET", u))
                response.raise_for_status()
                return response.json()

            page = self.call(f"GET {path.split('?')[0]}", send)
            yield from page.get("value") or []
            link = page.get("@odata.nextLink")
            url = self._rebase(link) if link else None


def _message(exc: Any) -> str:
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or getattr(exc, "message", None) or str(exc)
    text = f"{code}: {message}" if code else str(message)
    return text.splitlines()[0][:300]


def _retry_after(exc: Any) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        if headers.get(name):
            try:
                return float(headers[name]) / 1000
            except ValueError:
                pass
    raw = headers.get("Retry-After") or headers.get("retry-after")
    if raw:
        try:
            return float(raw)
        except ValueError:
            return None
    quota = headers.get("x-ms-user-quota-resets-after")  # Resource Graph's own throttling header
    return _seconds(quota) if quota else None


def session(settings: Settings) -> Session:
    """This thread's session for these settings (clients are built once per thread)."""
    cache: dict[Settings, Session] | None = getattr(_local, "sessions", None)
    if cache is None:
        cache = _local.sessions = {}
    sess = cache.get(settings)
    if sess is None:
        sess = cache[settings] = Session(settings)
    return sess
