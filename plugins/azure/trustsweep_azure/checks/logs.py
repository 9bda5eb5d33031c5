"""Logging: activity-log export and retention, immutable log storage, SQL auditing, Key Vault logs, flow logs."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    errored,
    failed,
    passed,
    setting,
    unread,
    unread_fields,
)

from .. import types as T
from ..settings import RETENTION
from ._util import enabled_categories


def _retention(export: dict[str, Any], minimum: int, unreadable: dict[str, str]) -> tuple[bool, str]:
    """Whether one of the export's destinations keeps logs ``minimum`` days, and why.

    ``unreadable`` names the destinations (by id) the collector could not read, and why."""
    reasons = []
    workspace = export.get("workspace_id")
    if workspace:
        days = export.get("workspace_retention_days")
        if workspace in unreadable:
            reasons.append(f"workspace unreadable: {unreadable[workspace]}")
        elif days is not None and (int(days) >= minimum or int(days) == -1):
            return True, f"Log Analytics workspace keeps {days} days"
        else:
            reasons.append(f"workspace keeps {days} days")
    storage = export.get("storage_account_id")
    if storage:
        after = export.get("storage_delete_after_days")
        if storage in unreadable:
            reasons.append(f"storage account unreadable: {unreadable[storage]}")
        elif after is None or int(after) >= minimum:
            return True, "storage account keeps logs " + (
                f"{after} days" if after is not None else "with no deletion rule"
            )
        else:
            reasons.append(f"storage lifecycle deletes after {after} days")
    if export.get("event_hub_rule_id") and not reasons:
        reasons.append("only streamed to an event hub (retention not provable)")
    return False, "; ".join(reasons) or "no destination"


@check(
    "azure.monitor.activity_log_retained",
    title="The activity log is exported to a destination keeping it 365 days",
    types=T.ACTIVITY_LOG,
    severity="high",
    rationale="Auditors need a year of control-plane history (SOC 2 Type II).",
    remediation="Add a subscription diagnostic setting sending Administrative and Security logs to a workspace with "
    "retention >= 365 days or to storage without earlier deletion.",
    settings={
        **RETENTION,
        "required_categories": setting(
            "list[str]", ("Administrative", "Security"), "activity-log categories the export must include"
        ),
    },
)
def monitor_activity_log_retained(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:  # destinations unread are judged per export below
        return bad
    minimum = ctx.setting("min_retention_days")
    required = {c.lower() for c in ctx.setting("required_categories")}
    settings = resource.properties.get("settings") or []
    if not settings:
        return failed("the activity log is not exported by any diagnostic setting")
    unreadable = unread_fields(resource)
    notes, blind = [], False
    for item in settings:
        cats = enabled_categories(item)
        if not (required <= cats or "alllogs" in cats):
            notes.append(f"{item.get('name')}: missing categories {sorted(required - cats)}")
            continue
        ok, why = _retention(item, minimum, unreadable)
        if ok:
            return passed(f"exported by '{item.get('name')}': {why}", setting=item.get("name"))
        blind = blind or "unreadable" in why
        notes.append(f"{item.get('name')}: {why}")
    if blind:
        return errored("could not read an activity-log destination: " + "; ".join(notes), settings=notes)
    return failed(f"no export keeps the activity log {minimum} days: " + "; ".join(notes), settings=notes)


@check(
    "azure.monitor.log_storage_immutable",
    title="Storage receiving the activity log has a locked immutability policy",
    types=T.LOG_STORAGE,
    severity="medium",
    rationale="Logs an administrator can delete are weak evidence.",
    remediation="Add and lock a time-based retention policy on the insights-activity-logs container.",
)
def monitor_log_storage_immutable(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    props = resource.properties
    if str(props.get("account_immutability") or "").lower() == "locked":
        return passed("account-level immutability policy is locked")
    log_containers = [c for c in props.get("containers") or [] if str(c.get("name", "")).startswith("insights-")]
    locked = [c["name"] for c in log_containers if str(c.get("immutability") or "").lower() == "locked"]
    if locked and len(locked) == len(log_containers):
        return passed("log containers have locked immutability policies", containers=locked)
    if not log_containers:
        return failed("no log container and no account-level immutability policy")
    return failed(
        "log containers without a locked immutability policy",
        containers=[c["name"] for c in log_containers if c["name"] not in locked],
    )


@check(
    "azure.sql.auditing",
    title="SQL server auditing is on with retention of 365 days or more",
    types=T.SQL_SERVER,
    severity="high",
    rationale="Database access must be traceable for the audit period.",
    remediation="Enable server auditing with retentionDays 0 (unlimited) or >= 365.",
    settings=RETENTION,
)
def sql_auditing(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "auditing")) is not None:
        return bad
    auditing = resource.properties.get("auditing") or {}
    minimum = ctx.setting("min_retention_days")
    if str(auditing.get("state")).lower() != "enabled":
        return failed("server auditing is off", state=auditing.get("state"))
    days = int(auditing.get("retention_days") or 0)
    if days == 0 or days >= minimum:
        return passed("auditing is on, retention " + ("unlimited" if days == 0 else f"{days} days"))
    return failed(f"auditing keeps {days} days, fewer than {minimum}", retention_days=days)


@check(
    "azure.keyvault.diagnostic_logs",
    title="Key vaults send audit logs to a diagnostic destination",
    types=T.KEY_VAULT,
    severity="medium",
    rationale="Key use and access must be traceable.",
    remediation="Add a diagnostic setting with the audit category group (AuditEvent).",
)
def keyvault_diagnostic_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "diagnostic_settings")) is not None:
        return bad
    for item in resource.properties.get("diagnostic_settings") or []:
        has_destination = any(item.get(k) for k in ("workspace_id", "storage_account_id", "event_hub_rule_id"))
        if has_destination and enabled_categories(item) & {"auditevent", "audit", "alllogs"}:
            return passed(f"audit events are sent by diagnostic setting '{item.get('name')}'")
    return failed("no diagnostic setting sends the vault's AuditEvent logs anywhere")


@check(
    "azure.network.nsg_flow_logs",
    title="NSGs are covered by flow logs",
    types=T.NSG,
    severity="low",
    rationale="Flow logs are needed to investigate network incidents.",
    remediation="Enable an NSG or virtual-network flow log in Network Watcher.",
)
def network_nsg_flow_logs(resource: Resource, ctx: CheckContext) -> Outcome:
    nsg = resource.id.lower()
    subnets = [s.lower() for s in resource.properties.get("subnets") or []]
    vnets = {s.split("/subnets/")[0] for s in subnets}
    for flow in ctx.resources(T.FLOW_LOG):
        target = str(flow.properties.get("target_id") or "").lower()
        if flow.properties.get("enabled") and (target == nsg or target in subnets or target in vnets):
            kind = "NSG" if target == nsg else "virtual network"
            return passed(f"{kind} flow log '{flow.name}' covers this NSG", flow_log=flow.id)
    return failed("no enabled NSG or virtual-network flow log covers this NSG")
