"""Access control: who holds what on projects, buckets, datasets and keys."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import PUBLIC_MEMBERS, data, members_by_role, parse_time

BASIC_ROLES = ("roles/owner", "roles/editor")
_HUMAN_PREFIXES = ("user:", "group:", "domain:")


def basic_roles_approved(resource: Resource, ctx: CheckContext) -> Outcome:
    """No user, group or domain holds roles/owner or roles/editor unless on the approved list."""
    approved = set(ctx.setting("approved_members"))
    holders = sorted({f"{role} {member}" for role, member in members_by_role(resource)
                      if role in BASIC_ROLES and member.startswith(_HUMAN_PREFIXES) and member not in approved})
    if holders:
        return failed(f"{len(holders)} basic-role grant(s) outside the approved list", grants=holders)
    return passed("no basic role granted outside the approved list", approved=sorted(approved))


def no_public_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """No allUsers / allAuthenticatedUsers in the IAM policy (nor in a dataset's access list)."""
    grants = sorted({f"{role} {member}" for role, member in members_by_role(resource) if member in PUBLIC_MEMBERS})
    if resource.type == T.DATASET:
        for entry in data(resource).get("access") or []:
            who = entry.get("specialGroup") or entry.get("iamMember") or ""
            if who in PUBLIC_MEMBERS:
                grants.append(f"{entry.get('role', '')} {who}")
    if grants:
        return failed(f"public access granted: {', '.join(grants)}", grants=grants)
    if "iam_policy" not in resource.properties and resource.type != T.DATASET:
        return passed("no IAM policy is set on this resource")
    return passed("no allUsers or allAuthenticatedUsers member")


def _is_google_managed(member: str, role: str) -> bool:
    email = member.partition(":")[2]
    local, _, domain = email.partition("@")
    return (role.endswith(".serviceAgent") or local.startswith("service-") or domain.startswith("gcp-sa-")
            or domain == "cloudservices.gserviceaccount.com" or domain.endswith("-robot.iam.gserviceaccount.com"))


def service_accounts_no_admin(resource: Resource, ctx: CheckContext) -> Outcome:
    """User-managed service accounts hold no owner, editor or *admin role on the project."""
    bad = sorted({f"{role} {member}" for role, member in members_by_role(resource)
                  if member.startswith("serviceAccount:") and not _is_google_managed(member, role)
                  and (role in BASIC_ROLES or "admin" in role.rsplit("/", 1)[-1].lower())})
    if bad:
        return failed(f"{len(bad)} privileged grant(s) to service accounts", grants=bad)
    return passed("no service account holds owner, editor or an admin role")


def sa_key_age(resource: Resource, ctx: CheckContext) -> Outcome:
    """User-managed service-account keys are younger than max_days (default 90)."""
    d = data(resource)
    limit = ctx.setting("max_days")
    if d.get("keyType", "USER_MANAGED") == "SYSTEM_MANAGED":
        return not_applicable("Google-managed key (rotated by Google)")
    if d.get("disabled"):
        return not_applicable("key is disabled")
    expires = parse_time(d.get("validBeforeTime"))
    if expires is not None and expires <= ctx.now:
        return not_applicable("key has expired")
    created = parse_time(d.get("validAfterTime"))
    if created is None:
        return failed("key creation time is unknown; cannot show it is younger than the limit")
    age = (ctx.now - created).days
    if age > limit:
        return failed(f"user-managed key is {age} days old (limit {limit})", age_days=age, created=d.get("validAfterTime"))
    return passed(f"user-managed key is {age} days old (limit {limit})", age_days=age)


def _restricts_domains(policy: dict) -> str | None:
    """'restricted', 'open', 'merge' (inherit and add) or None when not set, for one v1 policy."""
    if policy.get("restoreDefault") is not None:
        return "open"
    lp = policy.get("listPolicy")
    if lp is None:
        return None
    if lp.get("allValues") == "ALLOW":
        return "open"
    if lp.get("allValues") == "DENY":
        return "restricted"
    if lp.get("allowedValues"):
        return "merge" if lp.get("inheritFromParent") else "restricted"
    return "merge" if lp.get("inheritFromParent") else None


def domain_restricted_sharing(resource: Resource, ctx: CheckContext) -> Outcome:
    """The effective iam.allowedPolicyMemberDomains constraint restricts members to allowed domains."""
    constraint = "constraints/iam.allowedPolicyMemberDomains"
    state, source = "", ""
    for node in resource.properties.get("chain") or []:  # from the organization down to the project
        for policy in node.get("policies") or []:
            if policy.get("constraint") != constraint:
                continue
            verdict = _restricts_domains(policy)
            if verdict == "open":
                state, source = "open", f"{node['node']} allows all domains"
            elif verdict == "restricted" or (verdict == "merge" and state != "open"):
                state, source = "restricted", f"set on {node['node']}"
    effective = state == "restricted"
    if effective:
        return passed(f"domain-restricted sharing is enforced ({source})", source=source)
    chain = [n.get("node") for n in resource.properties.get("chain") or []]
    return failed(source or f"{constraint} is not set on the project or its ancestors", inspected=chain)
