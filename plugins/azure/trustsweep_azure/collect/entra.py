"""Guest users and conditional-access policies of the subscription's tenant, from Microsoft Graph,
read once per tenant per process (the other subscriptions' units wait for it)."""

from __future__ import annotations

import threading
from typing import Any

from .. import types as T
from .base import GLOBAL, AzureCollector

_tenant_lock = threading.Lock()
_tenant_cache: dict[tuple[Any, ...], tuple[threading.Event, dict[str, Any]]] = {}


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
    tenant = ctx.target.attrs.get("tenant_id") or "unknown-tenant"
    key = (ctx.options["run"], tenant)
    with _tenant_lock:
        entry = _tenant_cache.get(key)
        leader = entry is None
        if entry is None:
            entry = _tenant_cache[key] = (threading.Event(), {})
    event, data = entry
    if leader:
        try:
            data["value"] = _read(ctx, tenant)
        except Exception as exc:
            data["error"] = ctx.describe(exc)
        finally:
            event.set()
    else:
        event.wait()
    if "error" in data:
        raise RuntimeError(data["error"])
    ctx.add(T.DIRECTORY, f"/tenants/{tenant}", tenant, region=GLOBAL, **data["value"])
