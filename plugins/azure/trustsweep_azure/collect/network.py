"""Network security groups and flow logs, from Resource Graph's ``resources`` table (a shared unit)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import AzureCollector


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def security_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """One NSG security rule: its prefixes and ports as lists, whichever of the singular and plural
    API fields held them."""
    props = rule.get("properties") or rule
    return {
        "name": rule.get("name"),
        "direction": props.get("direction"),
        "access": props.get("access"),
        "protocol": props.get("protocol"),
        "priority": props.get("priority"),
        "source_prefixes": _list(props.get("sourceAddressPrefix")) + _list(props.get("sourceAddressPrefixes")),
        "destination_ports": _list(props.get("destinationPortRange")) + _list(props.get("destinationPortRanges")),
    }


def collect(ctx: AzureCollector) -> None:
    for member, row in ctx.graph_rows("resources:network"):
        kind, props = str(row.get("type", "")).lower(), row.get("properties") or {}
        if kind == "microsoft.network/networksecuritygroups":
            ctx.add_at(
                T.NSG,
                row,
                member=member,
                security_rules=[security_rule(r) for r in props.get("securityRules") or []],
                subnets=[str(s.get("id", "")) for s in props.get("subnets") or []],
                resource_group=row.get("resourceGroup") or "",
                tags=row.get("tags") or {},
            )
        elif kind == "microsoft.network/networkwatchers/flowlogs":
            ctx.add_at(
                T.FLOW_LOG,
                row,
                member=member,
                enabled=props.get("enabled"),
                target_id=props.get("targetResourceId"),
                storage_id=props.get("storageId"),
                retention_days=(props.get("retentionPolicy") or {}).get("days"),
                resource_group=row.get("resourceGroup") or "",
                tags=row.get("tags") or {},
            )
