"""Access: the organisation's two-factor requirement and outside collaborators with admin rights."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, passed, setting, unread


@check(
    "github.org.two_factor_required",
    title="The organisation requires two-factor authentication",
    types="github.org",
    severity="high",
    rationale="Members who can push to production code authenticate with a second factor (CC6.1, CC6.2).",
    remediation="Organisation settings → Authentication security → Require two-factor authentication.",
)
def org_two_factor_required(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource, "two_factor_required")) is not None:
        return problem
    if resource.properties.get("two_factor_required") is True:
        return passed("members and outside collaborators must use two-factor authentication")
    return failed("two-factor authentication is not required of members")


@check(
    "github.repo.no_outside_admins",
    title="No outside collaborator administers a repository",
    types="github.repository",
    severity="high",
    rationale="Administrators change protection and settings; people outside the organisation should not "
    "(CC6.2, CC6.3, CC8.1).",
    remediation="Lower the outside collaborator's role to write or below, or make them a member under the "
    "organisation's access reviews.",
    settings={"allowed_outside_admins": setting("list[str]", (), "outside collaborators accepted as admins (logins)")},
)
def repo_no_outside_admins(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource, "outside_admins")) is not None:
        return problem
    allowed = set(ctx.setting("allowed_outside_admins"))
    admins = sorted(set(resource.properties.get("outside_admins") or []) - allowed)
    if admins:
        return failed(f"outside collaborators with admin rights: {', '.join(admins)}", outside_admins=admins)
    return passed("no outside collaborator has admin rights", allowed=sorted(allowed))
