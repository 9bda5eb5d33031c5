"""Change management: no human write access in production; deploys through OIDC-federated roles."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, setting, unread

from .common import matches


@check(
    "aws.iam.no_human_write_in_production",
    title="No IAM user holds write permissions in production accounts",
    types="aws.iam.user",
    severity="high",
    rationale="Production changes go through the pipeline, not people.",
    remediation="Give people read-only access in production; deploy through CI roles.",
)
def iam_no_human_write_in_production(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r)) is not None:  # needs no field a collector may leave unread
        return bad
    if not r.properties.get("production"):
        return not_applicable("account not configured as production")
    writes = r.properties.get("write_actions") or []
    if writes:
        return failed(
            "an IAM user holds write permissions in a production account",
            write_actions=writes,
            via=r.properties.get("write_via"),
        )
    return passed("the IAM user has read-only permissions")


@check(
    "aws.iam.deploy_role_oidc",
    title="Deploy roles are assumed only through OIDC federation",
    types="aws.iam.role",
    severity="high",
    rationale="CI should hold no long-lived secret able to deploy.",
    remediation="Trust only the CI's OIDC provider with sts:AssumeRoleWithWebIdentity and a subject condition.",
    settings={
        "deploy_roles": setting("list[str]", ("*deploy*", "*Deploy*"), "role names (globs) that are deploy roles")
    },
)
def iam_deploy_role_oidc(r: Resource, ctx: CheckContext) -> Outcome:
    patterns = ctx.setting("deploy_roles")
    if not matches(r.name, patterns):
        return not_applicable("not a deploy role (setting deploy_roles)")
    trust = r.properties.get("trust") or []
    oidc = [
        t
        for t in trust
        if t.get("type") == "Federated"
        and ":oidc-provider/" in str(t.get("principal"))
        and "sts:AssumeRoleWithWebIdentity" in (t.get("actions") or [])
    ]
    others = [t for t in trust if t not in oidc]
    if oidc and not others:
        if not all(t.get("conditions") for t in oidc):
            return failed("OIDC trust without conditions (any repository of the provider could deploy)")
        return passed(
            "deploy role assumed only through OIDC federation", providers=sorted({t["principal"] for t in oidc})
        )
    return failed(
        "deploy role can be assumed other than through OIDC federation",
        principals=[f"{t['type']}:{t['principal']}" for t in others],
    )
