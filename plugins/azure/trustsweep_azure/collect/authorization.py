"""Role assignments (one access fact per subscription) and custom role definitions, from Resource
Graph's ``authorizationresources`` table (a shared unit: one query per batch of subscriptions)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import GLOBAL, AzureCollector


def collect(ctx: AzureCollector) -> None:
    assignments: dict[str, list[dict[str, Any]]] = {m.id: [] for m in ctx.members}
    for member, row in ctx.graph_rows("authorizationresources"):
        props = row.get("properties") or {}
        kind = str(row.get("type", "")).lower()
        if kind == "microsoft.authorization/roleassignments":
            assignments[member.id].append(
                {
                    "id": row["id"],
                    "principal_id": props.get("principalId"),
                    "principal_type": props.get("principalType"),
                    "scope": props.get("scope"),
                    "role_definition_id": str(props.get("roleDefinitionId") or "").rsplit("/", 1)[-1].lower(),
                }
            )
        elif kind == "microsoft.authorization/roledefinitions" and props.get("type") == "CustomRole":
            ctx.add(
                T.CUSTOM_ROLE,
                row["id"],
                props.get("roleName") or row.get("name", ""),
                target=member.id,
                region=GLOBAL,
                role_name=props.get("roleName"),
                assignable_scopes=props.get("assignableScopes") or [],
                permissions=[
                    {"actions": p.get("actions") or [], "not_actions": p.get("notActions") or []}
                    for p in props.get("permissions") or []
                ],
                subscription=member.id,
            )
    for member in ctx.members:
        ctx.fact(
            T.ACCESS,
            "providers/Microsoft.Authorization/roleAssignments",
            member=member,
            subscription=member.id,
            assignments=assignments[member.id],
        )
