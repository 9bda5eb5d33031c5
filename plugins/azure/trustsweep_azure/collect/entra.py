"""Guest users and conditional-access policies of a tenant, from Microsoft Graph: a shared unit
per tenant (its members are the tenant's subscriptions) that reads the directory once per sweep
and files it in every member subscription's inventory."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import GLOBAL, AzureCollector


def _policy(p: dict[str, Any]) -> dict[str, Any]:
    conditions = p.get("conditions") or {}
    users = conditions.get("users") or {}
    grant = p.get("grantControls") or {}
    return {
        "id": p.get("id"),
        "display_name": p.get("displayName"),
        "state": p.get("state"),
        "include_users": users.get("includeUsers") or [],
        "include_roles": users.get("includeRoles") or [],
        "include_applications": (conditions.get("applications") or {}).get("includeApplications") or [],
        "built_in_controls": grant.get("builtInControls") or [],
        "authentication_strength": bool(grant.get("authenticationStrength")),
    }


def _read(ctx: AzureCollector, tenant: str) -> dict[str, Any]:
    session = ctx.session
    guests = [
        {"id": u.get("id"), "user_principal_name": u.get("userPrincipalName")}
        for u in session.msgraph_list("/v1.0/users?$filter=userType eq 'Guest'&$select=id,userPrincipalName,userType")
    ]
    policies = [_policy(p) for p in session.msgraph_list("/v1.0/identity/conditionalAccess/policies")]
    return {"tenant": tenant, "guests": guests, "policies": policies}


def collect(ctx: AzureCollector) -> None:
    tenant = str(ctx.options.get("tenant") or "unknown-tenant")
    directory = _read(ctx, tenant)  # a failure escapes: every member's identity checks are errors
    for member in ctx.members:
        ctx.add(T.DIRECTORY, f"/tenants/{tenant}", tenant, target=member.id, region=GLOBAL, **directory)
