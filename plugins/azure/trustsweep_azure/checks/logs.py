"""Logging: activity-log export and retention, immutable log storage, SQL auditing, Key Vault logs, flow logs."""

from __future__ import annotations

from typing import Any

from trustsweep.model import Outcome, Resource, errored, failed, passed
from trustsweep.provider import CheckContext
from trustsweep.unread import unread

from .. import types as T


def _enabled_categories(setting: dict[str, Any]) -> set[str]:
    out = set()
    for log in setting.get("logs") or []:
        if log.get("enabled"):
            out.add(str(log.get("category") or log.get("categoryGroup") or "").lower())
    return out


def _retention(setting: dict[str, Any], minimum: int) -> tuple[bool, str]:
    """Whether one of the setting's destinations keeps logs ``minimum`` days, and why."""
    reasons = []
    if setting.get("workspaceId"):
        days = setting.get("workspaceRetentionDays")
        if setting.get("workspaceError"):
            reasons.append(f"workspace unreadable: {setting['workspaceError']}")
        elif days is not None and (int(days) >= minimum or int(days) == -1):
            return True, f"Log Analytics workspace keeps {days} days"
        else:
            reasons.append(f"workspace keeps {days} days")
    storage = setting.get("storage")
    if setting.get("storageAccountId") and storage:
        if (storage.get("unread") or {}).get("*"):
            reasons.append(f"storage account unreadable: {storage['unread']['*']}")
        elif storage.get("deleteAfterDays") is None or int(storage["deleteAfterDays"]) >= minimum:
            after = storage.get("deleteAfterDays")
            return True, "storage account keeps logs " + (f"{after} days" if after is not None else "with no deletion rule")
        else:
            reasons.append(f"storage lifecycle deletes after {storage['deleteAfterDays']} days")
    if setting.get("eventHubAuthorizationRuleId") and not reasons:
        reasons.append("only streamed to an event hub (retention not provable)")
    return False, "; ".join(reasons) or "no destination"


def activity_log_retained(resource: Resource, ctx: CheckContext) -> Outcome:
    minimum = ctx.setting("min_retention_days")
    required = {c.lower() for c in ctx.setting("required_categories")}
    settings = resource.properties.get("settings") or []
    if not settings:
        return failed("the activity log is not exported by any diagnostic setting")
    notes, unreadable = [], False
    for setting in settings:
        cats = _enabled_categories(setting)
        if not (required <= cats or "alllogs" in cats):
            notes.append(f"{setting.get('name')}: missing categories {sorted(required - cats)}")
            continue
        ok, why = _retention(setting, minimum)
        if ok:
            return passed(f"exported by '{setting.get('name')}': {why}", setting=setting.get("name"))
        unreadable = unreadable or "unreadable" in why
        notes.append(f"{setting.get('name')}: {why}")
    if unreadable:
        return errored("could not read an activity-log destination: " + "; ".join(notes), settings=notes)
    return failed(f"no export keeps the activity log {minimum} days: " + "; ".join(notes), settings=notes)


def log_storage_immutable(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    props = resource.properties
    if str(props.get("accountImmutability") or "").lower() == "locked":
        return passed("account-level immutability policy is locked")
    log_containers = [c for c in props.get("containers") or [] if str(c.get("name", "")).startswith("insights-")]
    locked = [c["name"] for c in log_containers if str(c.get("immutability") or "").lower() == "locked"]
    if locked and len(locked) == len(log_containers):
        return passed("log containers have locked immutability policies", containers=locked)
    if not log_containers:
        return failed("no log container and no account-level immutability policy")
    return failed("log containers without a locked immutability policy",
                  containers=[c["name"] for c in log_containers if c["name"] not in locked])


def sql_auditing(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "auditing")) is not None:
        return bad
    auditing = resource.properties.get("auditing") or {}
    minimum = ctx.setting("min_retention_days")
    if str(auditing.get("state")).lower() != "enabled":
        return failed("server auditing is off", state=auditing.get("state"))
    days = int(auditing.get("retentionDays") or 0)
    if days == 0 or days >= minimum:
        return passed("auditing is on, retention " + ("unlimited" if days == 0 else f"{days} days"))
    return failed(f"auditing keeps {days} days, fewer than {minimum}", retentionDays=days)


def keyvault_diagnostic_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "diagnosticSettings")) is not None:
        return bad
    for setting in resource.properties.get("diagnosticSettings") or []:
        cats = _enabled_categories(setting)
        has_dest = any(setting.get(k) for k in ("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId"))
        if has_dest and cats & {"auditevent", "audit", "alllogs"}:
            return passed(f"audit events are sent by diagnostic setting '{setting.get('name')}'")
    return failed("no diagnostic setting sends the vault's AuditEvent logs anywhere")


def nsg_flow_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    nsg = resource.id.lower()
    subnets = [str(s.get("id", "")).lower() for s in resource.properties.get("subnets") or []]
    vnets = {s.split("/subnets/")[0] for s in subnets}
    for flow in ctx.resources(T.FLOW_LOG):
        target = str(flow.properties.get("targetResourceId", "")).lower()
        if flow.properties.get("enabled") and (target == nsg or target in subnets or target in vnets):
            kind = "NSG" if target == nsg else "virtual network"
            return passed(f"{kind} flow log '{flow.name}' covers this NSG", flow_log=flow.id)
    return failed("no enabled NSG or virtual-network flow log covers this NSG")
