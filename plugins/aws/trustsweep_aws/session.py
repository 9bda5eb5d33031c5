"""boto3 sessions and clients for collectors: credentials, retries, endpoint overrides, the
read-only guard, request pacing and counting (a ``before-send`` hook calls
:func:`trustsweep.budget.pace` and :func:`trustsweep.plugin.count_request`, so every HTTP attempt
is paced by the account's request budget and counts for the running unit).

Clients are thread-safe; sessions are not. One session per target (and process) is built under a
lock; every session shares one botocore data loader (each API model parsed once per process).
Collectors take a client per unit and drop it with the unit; planning reuses cached ones.
Nothing here imports boto3 at module import time.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from typing import Any

from trustsweep.budget import TARGET, pace
from trustsweep.plugin import count_request

from .readonly import ReadOnlyViolation, is_allowed

DEFAULT_REGION = "us-east-1"
#: where global services and region discovery are called, per partition
PARTITION_REGIONS = {
    "aws": "us-east-1",
    "aws-cn": "cn-north-1",
    "aws-us-gov": "us-gov-west-1",
    "aws-iso": "us-iso-east-1",
    "aws-iso-b": "us-isob-east-1",
}


def partition_region(partition: str) -> str:
    return PARTITION_REGIONS.get(partition, DEFAULT_REGION)


_lock = threading.Lock()
_sessions: dict[tuple[Any, ...], Any] = {}
_clients: dict[tuple[Any, ...], Any] = {}

#: Every operation made by this process, ``service:Operation`` → count (read by the policy test).
OPERATIONS: Counter[str] = Counter()


def _on_before_send(request: Any = None, event_name: str = "", **_: Any) -> None:
    """``before-send`` hook: one HTTP attempt (retries included) for the unit running in this context,
    paced first by the account's budget for this service and Region (AWS throttles per account,
    Region and API)."""
    service = event_name.split(".")[1] if event_name.count(".") >= 2 else ""
    region = str((getattr(request, "context", None) or {}).get("client_region") or "")
    pace(f"{service}:{region}", TARGET)
    count_request()


def _guard(model: Any = None, **_: Any) -> None:
    """``before-call`` hook: refuse every operation that is not on the read allowlist."""
    service = model.service_model.service_name
    if not is_allowed(service, model.name):
        raise ReadOnlyViolation(f"{service}:{model.name} is not a read operation on trustsweep's allowlist")
    with _lock:
        OPERATIONS[f"{service}:{model.name}"] += 1


def _strip_host_prefix(request: Any = None, **_: Any) -> None:
    """With an endpoint override, s3control's ``{account}.`` host prefix cannot resolve: drop it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(request.url)
    host, _, rest = parts.netloc.partition(".")
    if host.isdigit() and len(host) == 12 and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))
        request.headers["Host"] = rest


def endpoint_override() -> str:
    """``AWS_ENDPOINT_URL`` (moto, LocalStack, a VPC endpoint), or empty."""
    return os.environ.get("AWS_ENDPOINT_URL", "")


def client_config(options: dict[str, Any]) -> Any:
    from botocore.config import Config

    mode = str(options.get("retry_mode") or "standard")
    attempts = int(options.get("max_attempts") or 5)
    extra: dict[str, Any] = {}
    if endpoint_override():
        extra["inject_host_prefix"] = False
        extra["s3"] = {"addressing_style": "path"}
    return Config(
        retries={"mode": mode, "total_max_attempts": attempts},
        connect_timeout=float(options.get("connect_timeout_seconds") or 10),
        read_timeout=float(options.get("read_timeout_seconds") or 30),
        max_pool_connections=int(options.get("max_pool_connections") or 20),
        user_agent_extra="trustsweep",
        **extra,
    )


def _install_hooks(session: Any) -> None:
    events = session.events
    events.register("before-call", _guard)
    events.register("before-send", _on_before_send)
    if endpoint_override():
        events.register("before-sign.s3-control", _strip_host_prefix)


_loader: Any = None  # one botocore data loader for every session: each API model is parsed once


def _new_session(profile: str | None = None, credentials: Any = None) -> Any:
    """A guarded boto3 session sharing the process-wide data loader (call with ``_lock`` held)."""
    global _loader
    import boto3
    import botocore.session

    core = botocore.session.Session(profile=profile)
    if _loader is None:
        _loader = core.get_component("data_loader")
    else:
        core.register_component("data_loader", _loader)
    if credentials is not None:
        core._credentials = credentials
    session = boto3.Session(botocore_session=core)
    _install_hooks(session)
    return session


def base_session(profile: str | None = None) -> Any:
    """A boto3 session on the standard credential chain (env, profile, SSO, instance role), guarded."""
    key = ("base", profile or "")
    with _lock:
        session = _sessions.get(key)
        if session is None:
            session = _sessions[key] = _new_session(profile)
    return session


def target_session(attrs: dict[str, Any], options: dict[str, Any]) -> Any:
    """The session for one target: the base chain, a profile, or an assumed role (auto-refreshing)."""
    role_arn = attrs.get("role_arn")
    profile = attrs.get("profile")
    if not role_arn:
        return base_session(profile)
    key = ("role", role_arn, attrs.get("secret_external_id") or "")
    with _lock:
        session = _sessions.get(key)
    if session is not None:
        return session
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

    source = base_session(attrs.get("source_profile"))
    extra: dict[str, Any] = {"RoleSessionName": "trustsweep", "DurationSeconds": 3600}
    if attrs.get("secret_external_id"):
        extra["ExternalId"] = attrs["secret_external_id"]

    def create_client(service: str, **kwargs: Any) -> Any:  # called on refresh, from any worker thread
        kwargs.setdefault("config", client_config(options))
        with _lock:
            return source.client(service, **kwargs)

    fetcher = AssumeRoleCredentialFetcher(create_client, source.get_credentials(), role_arn, extra_args=extra)
    credentials = DeferredRefreshableCredentials(refresh_using=fetcher.fetch_credentials, method="assume-role")
    with _lock:
        session = _sessions.get(key)
        if session is None:
            session = _sessions[key] = _new_session(credentials=credentials)
    return session


_models_ready: dict[str, threading.Event] = {}


def preload_models(services: list[str]) -> None:
    """Parse the services' API models on one background thread, in the given order.

    Clients wait for their service's model instead of parsing it themselves: parsing in many worker
    threads spreads the large allocations over per-thread malloc arenas (measured: ~30 MB more peak
    RSS for one region), and starting now overlaps the parsing with the first units' requests.
    """
    with _lock:
        pending = [s for s in dict.fromkeys(services) if s not in _models_ready]
        for service in pending:
            _models_ready[service] = threading.Event()
    if not pending:
        return
    core = base_session()._session

    def load() -> None:
        for service in pending:
            try:
                core.get_service_model(service)
                _loader.load_service_model(service, "endpoint-rule-set-1")
            except Exception:  # the client will report it when it is built
                pass
            finally:
                _models_ready[service].set()

    threading.Thread(target=load, name="trustsweep-aws-models", daemon=True).start()


def client(attrs: dict[str, Any], options: dict[str, Any], service: str, region: str, *, cache: bool = True) -> Any:
    """A guarded client for ``service`` in ``region`` for one target.

    ``cache=False`` gives the caller its own client to drop when done: collectors read each
    service × region once, so keeping every client (hundreds in a multi-region sweep, each with a
    generated class) would only hold memory.
    """
    key = (attrs.get("role_arn") or "", attrs.get("profile") or "", service, region)
    found = _clients.get(key) if cache else None
    if found is not None:
        return found
    ready = _models_ready.get(service)
    if ready is not None:
        ready.wait(60)
    session = target_session(attrs, options)
    with _lock:  # boto3 sessions are not thread-safe; the clients they make are
        found = _clients.get(key) if cache else None
        if found is None:
            found = session.client(service, region_name=region, config=client_config(options))
            if cache:
                _clients[key] = found
    return found


def _after_fork_in_child() -> None:
    """A forked worker process inherits caches whose threads and locks did not come along."""
    global _lock
    _lock = threading.Lock()
    _sessions.clear()
    _clients.clear()
    _models_ready.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def reset_cache() -> None:
    """Forget cached sessions and clients (tests that change credentials or endpoints)."""
    with _lock:
        _sessions.clear()
        _clients.clear()
        for event in _models_ready.values():
            event.wait(60)  # let a running preload finish before forgetting it
        _models_ready.clear()
