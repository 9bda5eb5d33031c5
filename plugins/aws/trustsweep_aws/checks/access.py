"""Access control: root account, MFA, stale and long-lived credentials, least privilege."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    days_since,
    errored,
    failed,
    not_applicable,
    passed,
    setting,
    unread,
)

from .common import days, matches

REPORT = "credential_report"  # the property a failed credential report marks as unread
ROOT, USER = "aws.iam.root", "aws.iam.user"
#: the password policy's character classes: property → the API setting named in the gap
CLASSES = {
    "require_symbols": "RequireSymbols",
    "require_numbers": "RequireNumbers",
    "require_uppercase": "RequireUppercaseCharacters",
    "require_lowercase": "RequireLowercaseCharacters",
}


@check(
    "aws.iam.root_mfa",
    title="The root user has MFA",
    types=ROOT,
    severity="critical",
    rationale="The root user can do anything, including closing the account; a password alone is one phish away.",
    remediation="Assign a hardware or virtual MFA device to the root user.",
)
def iam_root_mfa(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if r.properties.get("mfa_enabled"):
        return passed("the root user has MFA")
    return failed("the root user has no MFA device", mfa_enabled=False)


@check(
    "aws.iam.root_no_access_keys",
    title="The root user has no access keys",
    types=ROOT,
    severity="critical",
    rationale="Root access keys are unrestricted long-lived credentials.",
    remediation="Delete the root user's access keys.",
)
def iam_root_no_access_keys(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if r.properties.get("access_keys_present"):
        return failed("the root user has access keys", access_keys_present=True)
    return passed("the root user has no access keys")


@check(
    "aws.iam.root_not_used",
    title="The root user was not used in the last 90 days",
    types=ROOT,
    severity="high",
    rationale="Day-to-day use of root defeats least privilege and accountability.",
    remediation="Use IAM roles or SSO; keep root for break-glass.",
    settings={"max_days": days(90, "days the root user must not have been used")},
)
def iam_root_not_used(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("credential_report"):
        return errored("the credential report has no root row")
    limit = ctx.setting("max_days")
    uses = [r.properties.get("password_last_used")] + [
        k.get("last_used") for k in r.properties.get("access_keys") or []
    ]
    recent = [u for u in uses if u and (days_since(u, ctx.now) or 1e9) < limit]
    if recent:
        return failed(f"the root user was used in the last {limit} days", last_used=max(recent))
    return passed(
        f"the root user was not used in the last {limit} days", last_used=max((u for u in uses if u), default=None)
    )


@check(
    "aws.iam.user_console_mfa",
    title="Every IAM user with a console password has MFA",
    types=USER,
    severity="high",
    rationale="Console passwords without MFA are exposed to phishing and reuse.",
    remediation="Require and assign MFA for every console user.",
)
def iam_user_console_mfa(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("console"):
        return not_applicable("no console password")
    if r.properties.get("mfa"):
        return passed("console user has MFA")
    return failed("console user has no MFA device", console=True, mfa=False)


def _active_keys(r: Resource) -> list[dict[str, Any]]:
    return [k for k in r.properties.get("access_keys") or [] if k.get("active")]


@check(
    "aws.iam.access_key_rotation",
    title="Active access keys are rotated within 90 days",
    types=USER,
    severity="medium",
    rationale="Old keys have had long to leak.",
    remediation="Rotate access keys at least every 90 days, or replace them with roles.",
    settings={"max_days": days(90, "maximum age of an active access key in days")},
)
def iam_access_key_rotation(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    keys = _active_keys(r)
    if not keys:
        return not_applicable("no active access keys")
    limit = ctx.setting("max_days")
    old = [k for k in keys if (days_since(k.get("last_rotated"), ctx.now) or 0) > limit]
    if old:
        return failed(
            f"{len(old)} active access key(s) older than {limit} days",
            keys=[{"slot": k["slot"], "last_rotated": k.get("last_rotated")} for k in old],
        )
    return passed(f"active access keys rotated within {limit} days")


@check(
    "aws.iam.unused_credentials",
    title="Credentials unused for 90 days are removed",
    types=USER,
    severity="medium",
    rationale="Stale access is access nobody reviews.",
    remediation="Disable or delete passwords and keys unused for 90 days.",
    settings={"max_days": days(90, "days without use after which a credential is stale")},
)
def iam_unused_credentials(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    limit = ctx.setting("max_days")
    stale = []
    if r.properties.get("console"):
        last = r.properties.get("password_last_used") or r.properties.get("created")
        if (days_since(last, ctx.now) or 0) > limit:
            stale.append({"credential": "console password", "last_used": r.properties.get("password_last_used")})
    for key in _active_keys(r):
        last = key.get("last_used") or key.get("last_rotated")
        if (days_since(last, ctx.now) or 0) > limit:
            stale.append({"credential": f"access key {key['slot']}", "last_used": key.get("last_used")})
    if not r.properties.get("console") and not _active_keys(r):
        return not_applicable("no console password or active access key")
    if stale:
        return failed(f"credentials unused for more than {limit} days: remove them", stale=stale)
    return passed(f"every credential used within {limit} days")


@check(
    "aws.iam.no_user_policies",
    title="No policies are attached directly or inline to users",
    types=USER,
    severity="low",
    rationale="Per-user grants escape role-based review.",
    remediation="Grant permissions through groups or roles.",
)
def iam_no_user_policies(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    attached = r.properties.get("attached_policies") or []
    inline = r.properties.get("inline_policies") or []
    if attached or inline:
        return failed("policies attached directly to the user", attached=attached, inline=inline)
    return passed("permissions come only through groups or roles")


@check(
    "aws.iam.no_full_admin",
    title="No policy grants *:* outside approved admin roles",
    types=("aws.iam.user", "aws.iam.group", "aws.iam.role"),
    severity="high",
    rationale="Full administrator rights should be rare, named and reviewed.",
    remediation="Replace *:* grants with scoped policies; list approved admin roles in settings.aws.admin_roles.",
    settings={"admin_roles": setting("list[str]", (), "role names (globs) approved to hold *:*")},
)
def iam_no_full_admin(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if r.type == "aws.iam.role" and r.properties.get("service_linked"):
        return not_applicable("service-linked role managed by AWS")
    via = r.properties.get("admin_via") or []
    if not via:
        return passed("no policy grants *:*")
    approved = list(ctx.setting("admin_roles"))
    if r.type == "aws.iam.role" and matches(r.name, approved):
        return passed("approved admin role", admin_via=via)
    return failed("a policy grants *:* outside the approved admin roles", admin_via=via, approved=approved)


@check(
    "aws.iam.password_policy",
    title="The account password policy meets the minimums",
    types="aws.iam.password-policy",
    severity="medium",
    rationale="Weak passwords are guessed.",
    remediation="Set length >= 14, all character classes, reuse prevention 24.",
    settings={
        "min_length": setting("int", 14, "minimum password length required", min=6, max=128),
        "reuse_prevention": setting("int", 24, "previous passwords that may not be reused", min=1, max=24),
    },
)
def iam_password_policy(r: Resource, ctx: CheckContext) -> Outcome:
    p = r.properties
    if not p.get("exists"):
        return failed("no account password policy")
    min_length = ctx.setting("min_length")
    min_reuse = ctx.setting("reuse_prevention")
    gaps = []
    if int(p.get("minimum_length") or 0) < min_length:
        gaps.append(f"minimum length {p.get('minimum_length')} < {min_length}")
    gaps += [f"{api} off" for name, api in CLASSES.items() if not p.get(name)]
    if int(p.get("reuse_prevention") or 0) < min_reuse:
        gaps.append(f"reuse prevention {p.get('reuse_prevention') or 0} < {min_reuse}")
    if gaps:
        return failed("password policy too weak: " + "; ".join(gaps), gaps=gaps)
    return passed("password policy meets the minimums")


@check(
    "aws.accessanalyzer.enabled",
    title="IAM Access Analyzer is enabled in every region",
    types="aws.accessanalyzer.region",
    severity="medium",
    rationale="Access Analyzer reports resources shared outside the account.",
    remediation="Create an account (or organisation) analyzer in each region.",
)
def accessanalyzer_enabled(r: Resource, ctx: CheckContext) -> Outcome:
    active = [a for a in r.properties.get("analyzers") or [] if a.get("status") == "ACTIVE"]
    if active:
        return passed(f"{len(active)} active analyzer(s)", analyzers=[a["name"] for a in active])
    return failed(f"no active IAM Access Analyzer in {r.region}")


@check(
    "aws.iam.human_no_access_keys",
    title="Human users hold no long-lived access keys",
    types=USER,
    severity="medium",
    rationale="Automation should use roles; a person's static keys end up in scripts and laptops.",
    remediation="Delete the user's access keys; use SSO for people and roles for automation.",
)
def iam_human_no_access_keys(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("console"):
        return not_applicable("not a human user (no console password)")
    keys = _active_keys(r)
    if keys:
        return failed("a human user holds long-lived access keys; use roles for automation", active_keys=len(keys))
    return passed("the human user holds no access keys")
