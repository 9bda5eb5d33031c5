"""Access control: subscription Owners, custom roles, guests, MFA for privileged access."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import fact

AZURE_MANAGEMENT_APP = "797f4846-ba00-4fd7-ba43-dac1f8f63013"


def _covers_subscription(scope: str, sub: str) -> bool:
    """An assignment at the subscription, a management group above it, or the root applies to it."""
    scope = (scope or "").lower().rstrip("/")
    return scope in ("", f"/subscriptions/{sub}".lower()) or scope.startswith("/providers/microsoft.management/")


def owner_count(resource: Resource, ctx: CheckContext) -> Outcome:
    sub = resource.properties.get("subscription", resource.target)
    owners = sorted({a["principalId"] for a in resource.properties.get("assignments", [])
                     if a.get("roleDefinitionId") == T.OWNER and _covers_subscription(a.get("scope", ""), sub)})
    low, high = ctx.setting("min_owners"), ctx.setting("max_owners")
    if low <= len(owners) <= high:
        return passed(f"{len(owners)} Owners (between {low} and {high})", owners=owners)
    return failed(f"{len(owners)} Owners; expected between {low} and {high}", owners=owners)


def no_wildcard_custom_role(resource: Resource, ctx: CheckContext) -> Outcome:
    sub = str(resource.properties.get("subscription", resource.target)).lower()
    wildcard = any("*" in (p.get("actions") or []) for p in resource.properties.get("permissions", []))
    if not wildcard:
        return passed("custom role does not grant '*' actions")
    broad = [s for s in resource.properties.get("assignableScopes", [])
             if s.lower().rstrip("/") in ("", f"/subscriptions/{sub}") or s.lower().startswith("/providers/microsoft.management/")]
    if broad:
        return failed("custom role grants '*' actions and is assignable at subscription scope or above",
                      role=resource.properties.get("roleName"), scopes=broad)
    return passed("custom role grants '*' actions only below subscription scope",
                  scopes=resource.properties.get("assignableScopes"))


def no_privileged_guests(resource: Resource, ctx: CheckContext) -> Outcome:
    directory = fact(ctx, T.DIRECTORY)
    if directory is None:
        return errored("guest users of the tenant were not collected (Microsoft Graph unavailable)")
    guests = {g["id"]: g.get("userPrincipalName") for g in directory.properties.get("guests", [])}
    privileged = {r.lower() for r in ctx.setting("privileged_roles")}
    found = sorted({guests[a["principalId"]] or a["principalId"] for a in resource.properties.get("assignments", [])
                    if a.get("principalId") in guests and str(a.get("roleDefinitionId")).lower() in privileged})
    if found:
        return failed(f"{len(found)} guest account(s) hold Owner or Contributor", guests=found)
    return passed("no guest account holds Owner or Contributor", guests_in_tenant=len(guests))


def mfa_privileged(resource: Resource, ctx: CheckContext) -> Outcome:
    required_apps = {"all", AZURE_MANAGEMENT_APP}
    enforcing = []
    for policy in resource.properties.get("policies", []):
        if policy.get("state") != "enabled":
            continue
        grant = policy.get("grantControls") or {}
        mfa = "mfa" in [c.lower() for c in grant.get("builtInControls") or []] or bool(grant.get("authenticationStrength"))
        users = policy.get("users") or {}
        targets_admins = bool(users.get("includeRoles")) or "All" in (users.get("includeUsers") or [])
        apps = {a.lower() for a in (policy.get("applications") or {}).get("includeApplications") or []}
        if mfa and targets_admins and apps & required_apps:
            enforcing.append(policy.get("displayName") or policy.get("id"))
    if enforcing:
        return passed("conditional access requires MFA for privileged access", policies=enforcing)
    return failed("no enabled conditional-access policy requires MFA for administrators on Azure management",
                  policies_seen=len(resource.properties.get("policies", [])))
