"""Logging: data-access audit logs, an all-logs sink kept a year, locked retention, flow and firewall logs."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, unread

from .. import types as T
from ..settings import days
from .common import per_target

_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
_BUILTIN_SINKS = ("_Default", "_Required")
_NO_VM_TRAFFIC = (
    "REGIONAL_MANAGED_PROXY",
    "INTERNAL_HTTPS_LOAD_BALANCER",
    "GLOBAL_MANAGED_PROXY",
    "PRIVATE_SERVICE_CONNECT",
)


@check(
    "gcp.logging.data_access_audit_logs",
    title="Data-access audit logs on for all services",
    types=T.PROJECT,
    severity="medium",
    rationale="Without DATA_READ/DATA_WRITE logs, access to data leaves no trace.",
    remediation="Add an allServices auditConfig with ADMIN_READ, DATA_READ and DATA_WRITE and no exemptions.",
)
def logging_data_access_audit_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    """The project's audit config logs ADMIN_READ, DATA_READ and DATA_WRITE for allServices, no exemptions."""
    if (bad := unread(resource)) is not None:
        return bad
    configs = resource.properties.get("audit_configs") or []
    for config in configs:
        if config.get("service") != "allServices":
            continue
        logged = set(config.get("log_types") or [])
        missing = [t for t in _LOG_TYPES if t not in logged]
        if missing:
            return failed(f"allServices audit config lacks {', '.join(missing)}", missing=missing)
        exempt = list(config.get("exempted_members") or [])
        if exempt:
            return failed(f"members exempted from data-access logs: {', '.join(exempt)}", exempted=exempt)
        return passed("ADMIN_READ, DATA_READ and DATA_WRITE logged for allServices")
    services = sorted(c.get("service", "") for c in configs)
    return failed(
        "no allServices audit config" + (f" (only {', '.join(services)})" if services else ""), services=services
    )


def _bucket_by_name(ctx: CheckContext, name: str) -> Resource | None:
    for bucket in ctx.resources(T.BUCKET):
        if bucket.name == name:
            return bucket
    return None


def _log_bucket(ctx: CheckContext, path: str) -> Resource | None:
    for bucket in ctx.resources(T.LOG_BUCKET):
        if bucket.properties.get("path") == path or bucket.id.endswith("/" + path):
            return bucket
    return None


def _destination_days(ctx: CheckContext, destination: str) -> tuple[float | None, str]:
    """Retention in days at a sink destination, or None with the reason it cannot be shown."""
    kind, _, rest = destination.partition("/")
    if kind == "storage.googleapis.com":
        bucket = _bucket_by_name(ctx, rest)
        if bucket is None or unread(bucket, "resource") is not None:
            return None, f"bucket {rest} is not in this project's inventory"
        return float(bucket.properties.get("retention_days") or 0.0), f"bucket {rest}"
    if kind == "logging.googleapis.com":
        log_bucket = _log_bucket(ctx, rest)
        if log_bucket is None:
            return None, f"log bucket {rest} is not in this project's inventory"
        return float(log_bucket.properties.get("retention_days") or 30), f"log bucket {rest}"
    if kind == "bigquery.googleapis.com":
        for dataset in ctx.resources(T.DATASET):
            if dataset.id.endswith("/" + rest) and unread(dataset, "resource") is None:
                expiry = dataset.properties.get("default_table_expiration_days")
                return (float(expiry) if expiry else float("inf")), f"dataset {rest}"
        return None, f"dataset {rest} is not in this project's inventory"
    return None, f"retention at {kind} cannot be verified"


@check(
    "gcp.logging.sink_retention",
    title="All logs exported to a destination keeping them a year",
    types=T.PROJECT,
    severity="medium",
    rationale="SOC 2 Type II needs logs for the whole audit period; default buckets keep 30 days.",
    remediation="Create a sink with no filter to a bucket or log bucket retaining >= 365 days.",
    settings={"retention_days": days(365, "days the destination must keep logs")},
)
def logging_sink_retention(resource: Resource, ctx: CheckContext) -> Outcome:
    """An enabled sink with no filter exports all logs to a destination keeping them >= retention_days."""
    if (bad := unread(resource)) is not None:
        return bad
    needed = float(ctx.setting("retention_days"))
    notes: list[str] = []
    for sink in ctx.resources(T.LOG_SINK):
        p = sink.properties
        if p.get("disabled") or p.get("filter"):
            continue
        kept, where = _destination_days(ctx, p.get("destination") or "")
        if kept is not None and kept >= needed:
            return passed(f"sink {sink.name} exports all logs to {where} kept {kept:g} days", sink=sink.name)
        notes.append(f"{sink.name} → {where}" + (f" kept {kept:g} days" if kept is not None else ""))
    if notes:
        return failed(f"no all-logs sink keeps logs {needed:g} days: {'; '.join(notes)}", sinks=notes)
    return failed("no enabled sink exports all logs (every sink has a filter or is disabled)")


def _sink_destinations(ctx: CheckContext) -> dict[str, str]:
    out: dict[str, str] = {}
    for sink in ctx.resources(T.LOG_SINK):
        if sink.name not in _BUILTIN_SINKS and not sink.properties.get("disabled"):
            out[sink.properties.get("destination") or ""] = sink.name
    return out


@check(
    "gcp.logging.retention_locked",
    title="Log destinations have a locked retention policy",
    types=(T.LOG_BUCKET, T.BUCKET),
    severity="medium",
    rationale="Only a locked retention policy makes logs immutable, even for project owners.",
    remediation="Lock the retention policy of log buckets and of storage buckets receiving sinks.",
)
def logging_retention_locked(resource: Resource, ctx: CheckContext) -> Outcome:
    """Log buckets and storage buckets that receive a sink have a locked (immutable) retention policy."""
    if (bad := unread(resource, "resource")) is not None:
        return bad
    p = resource.properties
    if resource.type == T.LOG_BUCKET:
        path = p.get("path") or resource.id.split(".googleapis.com/", 1)[-1]
        destination = f"logging.googleapis.com/{path}"
    else:
        destination = f"storage.googleapis.com/{resource.name}"
    kept = round(p["retention_days"]) if p.get("retention_days") else None
    sink = per_target(ctx, "sink_destinations", _sink_destinations).get(destination)
    if sink is None:
        return not_applicable("not the destination of a log sink")
    if p.get("locked"):
        return passed(f"receives sink {sink}; retention ({kept} days) is locked", retention_days=kept)
    return failed(f"receives sink {sink}; retention is not locked", retention_days=kept)


@check(
    "gcp.network.subnet_flow_logs",
    title="VPC subnets record flow logs",
    types=T.SUBNETWORK,
    severity="low",
    rationale="Flow logs are the record of network traffic for investigations.",
    remediation="Enable flow logs on every subnet.",
)
def network_subnet_flow_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    """VPC subnets record flow logs (proxy-only and Private Service Connect subnets carry no VM traffic)."""
    purpose = resource.properties.get("purpose")
    if purpose in _NO_VM_TRAFFIC:
        return not_applicable(f"{purpose} subnets carry no VM traffic")
    if resource.properties.get("flow_logs"):
        return passed("flow logs enabled")
    return failed("flow logs disabled")


@check(
    "gcp.network.firewall_logging",
    title="Firewall rules log matched connections",
    types=T.FIREWALL,
    severity="low",
    rationale="Firewall logs show what was allowed and denied.",
    remediation="Enable logging on firewall rules.",
)
def network_firewall_logging(resource: Resource, ctx: CheckContext) -> Outcome:
    """Firewall rules log the connections they match."""
    if resource.properties.get("logging"):
        return passed("firewall rule logging enabled")
    return failed("firewall rule logging disabled")
