"""Access control: root account, MFA, stale and long-lived credentials, least privilege."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .common import days_since, matches, unread

REPORT = "credential_report"  # the property a failed credential report marks as unread


def root_mfa(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if r.properties.get("mfa_enabled"):
        return passed("the root user has MFA")
    return failed("the root user has no MFA device", mfa_enabled=False)


def root_no_access_keys(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if r.properties.get("access_keys_present"):
        return failed("the root user has access keys", access_keys_present=True)
    return passed("the root user has no access keys")


def root_not_used(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("credential_report"):
        return errored("the credential report has no root row")
    days = ctx.setting("max_days")
    uses = [r.properties.get("password_last_used")] + [k.get("last_used") for k in r.properties.get("access_keys") or []]
    recent = [u for u in uses if u and (days_since(u, ctx.now) or 1e9) < days]
    if recent:
        return failed(f"the root user was used in the last {days} days", last_used=max(recent))
    return passed(f"the root user was not used in the last {days} days",
                  last_used=max((u for u in uses if u), default=None))


def user_console_mfa(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("console"):
        return not_applicable("no console password")
    if r.properties.get("mfa"):
        return passed("console user has MFA")
    return failed("console user has no MFA device", console=True, mfa=False)


def _active_keys(r: Resource) -> list[dict]:
    return [k for k in r.properties.get("access_keys") or [] if k.get("active")]


def access_key_rotation(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    keys = _active_keys(r)
    if not keys:
        return not_applicable("no active access keys")
    limit = ctx.setting("max_days")
    old = [k for k in keys if (days_since(k.get("last_rotated"), ctx.now) or 0) > limit]
    if old:
        return failed(f"{len(old)} active access key(s) older than {limit} days",
                      keys=[{"slot": k["slot"], "last_rotated": k.get("last_rotated")} for k in old])
    return passed(f"active access keys rotated within {limit} days")


def unused_credentials(r: Resource, ctx: CheckContext) -> Outcome:
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


def no_user_policies(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    attached = r.properties.get("attached_policies") or []
    inline = r.properties.get("inline_policies") or []
    if attached or inline:
        return failed("policies attached directly to the user", attached=attached, inline=inline)
    return passed("permissions come only through groups or roles")


def no_full_admin(r: Resource, ctx: CheckContext) -> Outcome:
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


def password_policy(r: Resource, ctx: CheckContext) -> Outcome:
    if not r.properties.get("exists"):
        return failed("no account password policy")
    p = r.properties.get("policy") or {}
    min_length = ctx.setting("min_length")
    min_reuse = ctx.setting("reuse_prevention")
    gaps = []
    if int(p.get("MinimumPasswordLength") or 0) < min_length:
        gaps.append(f"minimum length {p.get('MinimumPasswordLength')} < {min_length}")
    for key in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters"):
        if not p.get(key):
            gaps.append(f"{key} off")
    if int(p.get("PasswordReusePrevention") or 0) < min_reuse:
        gaps.append(f"reuse prevention {p.get('PasswordReusePrevention') or 0} < {min_reuse}")
    if gaps:
        return failed("password policy too weak: " + "; ".join(gaps), gaps=gaps)
    return passed("password policy meets the minimums")


def access_analyzer(r: Resource, ctx: CheckContext) -> Outcome:
    active = [a for a in r.properties.get("analyzers") or [] if a.get("status") == "ACTIVE"]
    if active:
        return passed(f"{len(active)} active analyzer(s)", analyzers=[a["name"] for a in active])
    return failed(f"no active IAM Access Analyzer in {r.region}")


def human_no_access_keys(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, REPORT)) is not None:
        return bad
    if not r.properties.get("console"):
        return not_applicable("not a human user (no console password)")
    keys = _active_keys(r)
    if keys:
        return failed("a human user holds long-lived access keys; use roles for automation",
                      active_keys=len(keys))
    return passed("the human user holds no access keys")
