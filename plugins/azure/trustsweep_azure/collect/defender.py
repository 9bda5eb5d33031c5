"""Defender for Cloud plans (one coverage fact per subscription), recommendations (assessments) and
vulnerability sub-assessments, from Resource Graph's ``securityresources`` table (a shared unit:
one query per batch of subscriptions)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import GLOBAL, AzureCollector


def _resource_id(props: dict[str, Any]) -> Any:
    details = props.get("resourceDetails") or {}
    return details.get("id") or details.get("Id")


def collect(ctx: AzureCollector) -> None:
    plans: dict[str, dict[str, str]] = {m.id: {} for m in ctx.members}
    for member, row in ctx.graph_rows("securityresources"):
        props = row.get("properties") or {}
        kind = str(row.get("type", "")).lower()
        status = props.get("status") or {}
        name = props.get("displayName") or row.get("name", "")
        if kind == "microsoft.security/pricings":
            plans[member.id][str(row.get("name"))] = str(props.get("pricingTier") or "")
        elif kind == "microsoft.security/assessments/subassessments":
            ctx.add(
                T.SUB_ASSESSMENT,
                row["id"],
                name,
                target=member.id,
                region=GLOBAL,
                status=status.get("code"),
                severity=status.get("severity"),
                first_evaluated=status.get("firstEvaluationDate"),
                time_generated=props.get("timeGenerated"),
                vulnerability_id=props.get("id"),
                resource_id=_resource_id(props),
            )
        elif kind == "microsoft.security/assessments":
            ctx.add(
                T.ASSESSMENT,
                row["id"],
                name,
                target=member.id,
                region=GLOBAL,
                status=status.get("code"),
                severity=(props.get("metadata") or {}).get("severity"),
                first_evaluated=status.get("firstEvaluationDate"),
                status_changed=status.get("statusChangeDate"),
                resource_id=_resource_id(props),
            )
    for member in ctx.members:
        ctx.fact(T.DEFENDER, "providers/Microsoft.Security/pricings", member=member, plans=plans[member.id])
