"""Access control: subscription Owners, custom roles, guests, MFA for privileged access."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, errored, failed, passed, setting

from .. import types as T
from ..settings import PRIVILEGED_ROLES, owners
from ._util import fact

AZURE_MANAGEMENT_APP = "797f4846-ba00-4fd7-ba43-dac1f8f63013"


def _covers_subscription(scope: str, sub: str) -> bool:
    """An assignment at the subscription, a management group above it, or the root applies to it."""
    scope = (scope or "").lower().rstrip("/")
    return scope in ("", f"/subscriptions/{sub}".lower()) or scope.startswith("/providers/microsoft.management/")


@check(
    "azure.iam.owner_count",
    title="Each subscription has between 2 and 3 Owners",
    types=T.ACCESS,
    severity="medium",
    rationale="One Owner is a single point of failure; many Owners widen who can change everything.",
    remediation="Keep 2–3 Owner assignments at subscription scope; use narrower roles for the rest.",
    settings={
        "min_owners": owners(2, "fewest Owners a subscription may have"),
        "max_owners": owners(3, "most Owners a subscription may have"),
    },
)
def iam_owner_count(resource: Resource, ctx: CheckContext) -> Outcome:
    sub = resource.properties.get("subscription", resource.target)
    found = sorted(
        {
            a["principal_id"]
            for a in resource.properties.get("assignments", [])
            if a.get("role_definition_id") == T.OWNER and _covers_subscription(a.get("scope", ""), sub)
        }
    )
    low, high = ctx.setting("min_owners"), ctx.setting("max_owners")
    if low <= len(found) <= high:
        return passed(f"{len(found)} Owners (between {low} and {high})", owners=found)
    return failed(f"{len(found)} Owners; expected between {low} and {high}", owners=found)


@check(
    "azure.iam.no_wildcard_custom_role",
    title="No custom role grants '*' actions at subscription scope",
    types=T.CUSTOM_ROLE,
    severity="high",
    rationale="A custom '*' role is an unreviewed Owner equivalent.",
    remediation="List the actions the role needs, or use a built-in role.",
)
def iam_no_wildcard_custom_role(resource: Resource, ctx: CheckContext) -> Outcome:
    props = resource.properties
    sub = str(props.get("subscription", resource.target)).lower()
    if not any("*" in (p.get("actions") or []) for p in props.get("permissions", [])):
        return passed("custom role does not grant '*' actions")
    broad = [
        s
        for s in props.get("assignable_scopes", [])
        if s.lower().rstrip("/") in ("", f"/subscriptions/{sub}")
        or s.lower().startswith("/providers/microsoft.management/")
    ]
    if broad:
        return failed(
            "custom role grants '*' actions and is assignable at subscription scope or above",
            role=props.get("role_name"),
            scopes=broad,
        )
    return passed("custom role grants '*' actions only below subscription scope", scopes=props.get("assignable_scopes"))


@check(
    "azure.iam.no_privileged_guests",
    title="No guest account holds Owner or Contributor",
    types=T.ACCESS,
    severity="high",
    rationale="Guests are managed by another organisation's joiner-mover-leaver process.",
    remediation="Remove the assignment or convert the guest to a member account under your lifecycle.",
    settings={"privileged_roles": setting("list[str]", PRIVILEGED_ROLES, "role definition ids a guest must not hold")},
)
def iam_no_privileged_guests(resource: Resource, ctx: CheckContext) -> Outcome:
    directory = fact(ctx, T.DIRECTORY)
    if directory is None:
        return errored("guest users of the tenant were not collected (Microsoft Graph unavailable)")
    guests = {g["id"]: g.get("user_principal_name") for g in directory.properties.get("guests", [])}
    privileged = {r.lower() for r in ctx.setting("privileged_roles")}
    found = sorted(
        {
            guests[a["principal_id"]] or a["principal_id"]
            for a in resource.properties.get("assignments", [])
            if a.get("principal_id") in guests and str(a.get("role_definition_id")).lower() in privileged
        }
    )
    if found:
        return failed(f"{len(found)} guest account(s) hold Owner or Contributor", guests=found)
    return passed("no guest account holds Owner or Contributor", guests_in_tenant=len(guests))


@check(
    "azure.entra.mfa_privileged",
    title="Conditional access requires MFA for privileged access",
    types=T.DIRECTORY,
    severity="high",
    rationale="Passwords alone do not protect administrative access.",
    remediation="Enable a conditional-access policy requiring MFA for admin roles on all apps or Azure management.",
)
def entra_mfa_privileged(resource: Resource, ctx: CheckContext) -> Outcome:
    required_apps = {"all", AZURE_MANAGEMENT_APP}
    enforcing = []
    for policy in resource.properties.get("policies", []):
        if policy.get("state") != "enabled":
            continue
        mfa = "mfa" in [c.lower() for c in policy.get("built_in_controls") or []] or bool(
            policy.get("authentication_strength")
        )
        targets_admins = bool(policy.get("include_roles")) or "All" in (policy.get("include_users") or [])
        apps = {a.lower() for a in policy.get("include_applications") or []}
        if mfa and targets_admins and apps & required_apps:
            enforcing.append(policy.get("display_name") or policy.get("id"))
    if enforcing:
        return passed("conditional access requires MFA for privileged access", policies=enforcing)
    return failed(
        "no enabled conditional-access policy requires MFA for administrators on Azure management",
        policies_seen=len(resource.properties.get("policies", [])),
    )
