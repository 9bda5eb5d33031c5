"""Logging: data-access audit logs, an all-logs sink kept a year, locked retention, flow and firewall logs."""

from __future__ import annotations

from typing import Any

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import data, per_target, seconds

_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
_LOG_TYPE_NUMBERS = {1: "ADMIN_READ", 2: "DATA_WRITE", 3: "DATA_READ"}
_BUILTIN_SINKS = ("_Default", "_Required")


def data_access_audit_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    """The project's audit config logs ADMIN_READ, DATA_READ and DATA_WRITE for allServices, no exemptions."""
    configs = (resource.properties.get("iam_policy") or {}).get("auditConfigs") or []
    for config in configs:
        if config.get("service") != "allServices":
            continue
        types = {_LOG_TYPE_NUMBERS.get(c.get("logType"), c.get("logType")) for c in config.get("auditLogConfigs") or []}
        exempt = sorted({m for c in config.get("auditLogConfigs") or [] for m in c.get("exemptedMembers") or []})
        missing = [t for t in _LOG_TYPES if t not in types]
        if missing:
            return failed(f"allServices audit config lacks {', '.join(missing)}", missing=missing)
        if exempt:
            return failed(f"members exempted from data-access logs: {', '.join(exempt)}", exempted=exempt)
        return passed("ADMIN_READ, DATA_READ and DATA_WRITE logged for allServices")
    services = sorted(c.get("service", "") for c in configs)
    return failed("no allServices audit config" + (f" (only {', '.join(services)})" if services else ""),
                  services=services)


def _bucket_by_name(ctx: CheckContext, name: str) -> Resource | None:
    for bucket in ctx.resources(T.BUCKET):
        if bucket.name == name or data(bucket).get("name") == name:
            return bucket
    return None


def _log_bucket(ctx: CheckContext, path: str) -> Resource | None:
    for bucket in ctx.resources(T.LOG_BUCKET):
        if data(bucket).get("name") == path or bucket.id.endswith("/" + path):
            return bucket
    return None


def _destination_days(ctx: CheckContext, destination: str) -> tuple[float | None, str]:
    """Retention in days at a sink destination, or None with the reason it cannot be shown."""
    kind, _, rest = destination.partition("/")
    if kind == "storage.googleapis.com":
        bucket = _bucket_by_name(ctx, rest)
        if bucket is None:
            return None, f"bucket {rest} is not in this project's inventory"
        period = seconds((data(bucket).get("retentionPolicy") or {}).get("retentionPeriod"))
        return (period / 86400 if period else 0.0), f"bucket {rest}"
    if kind == "logging.googleapis.com":
        bucket = _log_bucket(ctx, rest)
        if bucket is None:
            return None, f"log bucket {rest} is not in this project's inventory"
        return float(data(bucket).get("retentionDays") or 30), f"log bucket {rest}"
    if kind == "bigquery.googleapis.com":
        for dataset in ctx.resources(T.DATASET):
            if dataset.id.endswith("/" + rest):
                expiry = data(dataset).get("defaultTableExpirationMs")
                return (float(expiry) / 86_400_000 if expiry else float("inf")), f"dataset {rest}"
        return None, f"dataset {rest} is not in this project's inventory"
    return None, f"retention at {kind} cannot be verified"


def sink_all_logs_retained(resource: Resource, ctx: CheckContext) -> Outcome:
    """An enabled sink with no filter exports all logs to a destination keeping them >= retention_days."""
    needed = float(ctx.setting("retention_days"))
    notes: list[str] = []
    for sink in ctx.resources(T.LOG_SINK):
        d = data(sink)
        if d.get("disabled") or (d.get("filter") or "").strip():
            continue
        days, where = _destination_days(ctx, d.get("destination", ""))
        if days is not None and days >= needed:
            return passed(f"sink {sink.name} exports all logs to {where} kept {days:g} days", sink=sink.name)
        notes.append(f"{sink.name} → {where}" + (f" kept {days:g} days" if days is not None else ""))
    if notes:
        return failed(f"no all-logs sink keeps logs {needed:g} days: {'; '.join(notes)}", sinks=notes)
    return failed("no enabled sink exports all logs (every sink has a filter or is disabled)")


def _sink_destinations(ctx: CheckContext) -> dict[str, str]:
    out: dict[str, str] = {}
    for sink in ctx.resources(T.LOG_SINK):
        d = data(sink)
        if sink.name not in _BUILTIN_SINKS and not d.get("disabled"):
            out[d.get("destination", "")] = sink.name
    return out


def retention_locked(resource: Resource, ctx: CheckContext) -> Outcome:
    """Log buckets and storage buckets that receive a sink have a locked (immutable) retention policy."""
    d = data(resource)
    if resource.type == T.LOG_BUCKET:
        path = d.get("name") or resource.id.split(".googleapis.com/", 1)[-1]
        destination = f"logging.googleapis.com/{path}"
    else:
        destination = f"storage.googleapis.com/{d.get('name') or resource.name}"
    sink = per_target(ctx, "sink_destinations", _sink_destinations).get(destination)
    if sink is None:
        return not_applicable("not the destination of a log sink")
    if resource.type == T.LOG_BUCKET:
        locked, days = bool(d.get("locked")), d.get("retentionDays")
    else:
        policy: dict[str, Any] = d.get("retentionPolicy") or {}
        locked = bool(policy.get("isLocked"))
        period = seconds(policy.get("retentionPeriod"))
        days = round(period / 86400) if period else None
    if locked:
        return passed(f"receives sink {sink}; retention ({days} days) is locked", retention_days=days)
    return failed(f"receives sink {sink}; retention is not locked", retention_days=days)


def subnet_flow_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    """VPC subnets record flow logs."""
    d = data(resource)
    if d.get("purpose") in ("REGIONAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER", "GLOBAL_MANAGED_PROXY",
                            "PRIVATE_SERVICE_CONNECT"):
        return not_applicable(f"{d.get('purpose')} subnets carry no VM traffic")
    if (d.get("logConfig") or {}).get("enable") is True or d.get("enableFlowLogs") is True:
        return passed("flow logs enabled")
    return failed("flow logs disabled")


def firewall_logging(resource: Resource, ctx: CheckContext) -> Outcome:
    """Firewall rules log the connections they match."""
    if (data(resource).get("logConfig") or {}).get("enable") is True:
        return passed("firewall rule logging enabled")
    return failed("firewall rule logging disabled")
