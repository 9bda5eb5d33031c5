"""Access control: who holds what on projects, buckets, datasets and keys; domain-restricted sharing."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    failed,
    not_applicable,
    parse_time,
    passed,
    setting,
    unread,
)

from .. import types as T
from ..settings import days
from .common import PUBLIC_MEMBERS, members_by_role

BASIC_ROLES = ("roles/owner", "roles/editor")
DOMAIN_CONSTRAINT = "constraints/iam.allowedPolicyMemberDomains"
_HUMAN_PREFIXES = ("user:", "group:", "domain:")


@check(
    "gcp.iam.basic_roles_approved",
    title="No basic roles (owner, editor) outside the approved list",
    types=T.PROJECT,
    severity="high",
    rationale="Basic roles grant thousands of permissions; only named break-glass principals should hold them.",
    remediation="Replace roles/owner and roles/editor grants with predefined roles; list approved holders in "
    "settings.gcp.approved_members.",
    settings={"approved_members": setting("list[str]", (), "members (user:…, group:…) allowed to hold basic roles")},
)
def iam_basic_roles_approved(resource: Resource, ctx: CheckContext) -> Outcome:
    """No user, group or domain holds roles/owner or roles/editor unless on the approved list."""
    if (bad := unread(resource)) is not None:
        return bad
    approved = set(ctx.setting("approved_members"))
    holders = sorted(
        {
            f"{role} {member}"
            for role, member in members_by_role(resource)
            if role in BASIC_ROLES and member.startswith(_HUMAN_PREFIXES) and member not in approved
        }
    )
    if holders:
        return failed(f"{len(holders)} basic-role grant(s) outside the approved list", grants=holders)
    return passed("no basic role granted outside the approved list", approved=sorted(approved))


@check(
    "gcp.iam.no_public_access",
    title="No allUsers or allAuthenticatedUsers in IAM policies",
    types=(T.PROJECT, T.BUCKET, T.DATASET, T.CRYPTO_KEY),
    severity="critical",
    rationale="A public member exposes the resource to anyone on the internet.",
    remediation="Remove allUsers / allAuthenticatedUsers bindings (and dataset access entries).",
)
def iam_no_public_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """No allUsers / allAuthenticatedUsers in the IAM policy (nor in a dataset's access list)."""
    if (bad := unread(resource, *(("resource",) if resource.type == T.DATASET else ()))) is not None:
        return bad
    grants = sorted({f"{role} {member}" for role, member in members_by_role(resource) if member in PUBLIC_MEMBERS})
    if resource.type == T.DATASET:
        grants += [
            f"{e.get('role', '')} {e.get('member')}"
            for e in resource.properties.get("access") or []
            if e.get("member") in PUBLIC_MEMBERS
        ]
    if grants:
        return failed(f"public access granted: {', '.join(grants)}", grants=grants)
    if "iam_bindings" not in resource.properties and resource.type != T.DATASET:
        return passed("no IAM policy is set on this resource")
    return passed("no allUsers or allAuthenticatedUsers member")


def _is_google_managed(member: str, role: str) -> bool:
    email = member.partition(":")[2]
    local, _, domain = email.partition("@")
    return (
        role.endswith(".serviceAgent")
        or local.startswith("service-")
        or domain.startswith("gcp-sa-")
        or domain == "cloudservices.gserviceaccount.com"
        or domain.endswith("-robot.iam.gserviceaccount.com")
    )


@check(
    "gcp.iam.sa_no_admin_roles",
    title="Service accounts hold no owner, editor or admin roles",
    types=T.PROJECT,
    severity="high",
    rationale="A compromised workload with an admin role controls the project.",
    remediation="Grant service accounts narrowly scoped predefined or custom roles.",
)
def iam_sa_no_admin_roles(resource: Resource, ctx: CheckContext) -> Outcome:
    """User-managed service accounts hold no owner, editor or *admin role on the project."""
    if (bad := unread(resource)) is not None:
        return bad
    grants = sorted(
        {
            f"{role} {member}"
            for role, member in members_by_role(resource)
            if member.startswith("serviceAccount:")
            and not _is_google_managed(member, role)
            and (role in BASIC_ROLES or "admin" in role.rsplit("/", 1)[-1].lower())
        }
    )
    if grants:
        return failed(f"{len(grants)} privileged grant(s) to service accounts", grants=grants)
    return passed("no service account holds owner, editor or an admin role")


@check(
    "gcp.iam.sa_key_age",
    title="User-managed service-account keys are rotated within 90 days",
    types=T.SA_KEY,
    severity="medium",
    rationale="Long-lived keys leak and outlive the people who created them.",
    remediation="Rotate or delete keys older than 90 days; prefer workload identity over keys.",
    settings={"max_days": days(90, "maximum age of a user-managed key in days")},
)
def iam_sa_key_age(resource: Resource, ctx: CheckContext) -> Outcome:
    """User-managed, enabled, unexpired service-account keys are younger than max_days."""
    p = resource.properties
    limit = ctx.setting("max_days")
    if p.get("key_type") == "SYSTEM_MANAGED":
        return not_applicable("Google-managed key (rotated by Google)")
    if p.get("disabled"):
        return not_applicable("key is disabled")
    expires = parse_time(p.get("expires"))
    if expires is not None and expires <= ctx.now:
        return not_applicable("key has expired")
    created = parse_time(p.get("created"))
    if created is None:
        return failed("key creation time is unknown; cannot show it is younger than the limit")
    age = (ctx.now - created).days
    if age > limit:
        return failed(f"user-managed key is {age} days old (limit {limit})", age_days=age, created=p.get("created"))
    return passed(f"user-managed key is {age} days old (limit {limit})", age_days=age)


def _restricts_domains(policy: dict[str, Any]) -> str | None:
    """'restricted', 'open', 'merge' (inherit and add) or None when not set, for one policy."""
    if policy.get("restore_default"):
        return "open"
    listed = policy.get("list_policy")
    if listed is None:
        return None
    if listed.get("all_values") == "ALLOW":
        return "open"
    if listed.get("all_values") == "DENY":
        return "restricted"
    if listed.get("allowed_values"):
        return "merge" if listed.get("inherit_from_parent") else "restricted"
    return "merge" if listed.get("inherit_from_parent") else None


@check(
    "gcp.orgpolicy.domain_restricted_sharing",
    title="Domain-restricted sharing is enforced",
    types=T.ORG_POLICY,
    severity="medium",
    rationale="Without iam.allowedPolicyMemberDomains, IAM grants can reach identities outside the organisation.",
    remediation="Set constraints/iam.allowedPolicyMemberDomains to your Cloud Identity customer id at the "
    "organisation.",
)
def orgpolicy_domain_restricted_sharing(resource: Resource, ctx: CheckContext) -> Outcome:
    """The effective iam.allowedPolicyMemberDomains constraint restricts members to allowed domains."""
    state, source = "", ""
    for node in resource.properties.get("chain") or []:  # from the organization down to the project
        for policy in node.get("policies") or []:
            if policy.get("constraint") != DOMAIN_CONSTRAINT:
                continue
            verdict = _restricts_domains(policy)
            if verdict == "open":
                state, source = "open", f"{node['node']} allows all domains"
            elif verdict == "restricted" or (verdict == "merge" and state != "open"):
                state, source = "restricted", f"set on {node['node']}"
    if state == "restricted":
        return passed(f"domain-restricted sharing is enforced ({source})", source=source)
    chain = [n.get("node") for n in resource.properties.get("chain") or []]
    return failed(source or f"{DOMAIN_CONSTRAINT} is not set on the project or its ancestors", inspected=chain)
