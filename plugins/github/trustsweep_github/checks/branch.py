"""Design of each repository's default branch: classic branch protection OR a ruleset may carry a rule.

Each check reads ``protection`` and ``rulesets`` of a ``github.repository`` (see
``trustsweep_github.collect.design`` for their shape) and passes when any source enforces the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, setting, unread

REPO = "github.repository"
CC81 = "Changes to production code must be reviewed, tested and authorised before release (CC8.1)."
PROTECT = (
    "Protect the default branch with a ruleset (Settings → Rules → Rulesets) or classic branch "
    "protection (Settings → Branches)"
)


def sources(resource: Resource) -> list[tuple[str, dict[str, Any]]]:
    """``(label, rules)`` of what protects the default branch: its classic protection and rulesets."""
    props = resource.properties
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(props.get("protection"), dict):
        out.append(("branch protection", props["protection"]))
    for ruleset in props.get("rulesets") or []:
        if ruleset.get("enforcement", "active") == "active":
            out.append((f"ruleset {ruleset.get('name') or ruleset.get('id')!s}", ruleset))
    return out


def _branch(resource: Resource) -> str:
    return str(resource.properties.get("default_branch") or "the default branch")


def _any(resource: Resource, test: Callable[[dict[str, Any]], bool], good: str, bad: str) -> Outcome:
    """Pass naming the first source where ``test`` holds; otherwise fail with ``bad``."""
    if (problem := unread(resource, "protection", "rulesets")) is not None:
        return problem
    found = sources(resource)
    for label, rules in found:
        if test(rules):
            return passed(f"{_branch(resource)}: {good} ({label})", source=label)
    if not found:
        return failed(f"{_branch(resource)} is not protected by branch protection or any ruleset", sources=[])
    return failed(f"{_branch(resource)}: {bad}", sources=[label for label, _ in found])


def _pull_request(rules: dict[str, Any]) -> dict[str, Any]:
    return rules.get("pull_request") or {}


@check(
    "github.branch.pull_request_required",
    title="Changes reach the default branch through approved pull requests",
    types=REPO,
    severity="high",
    rationale=CC81,
    remediation=f"{PROTECT} requiring a pull request with at least one approving review.",
    settings={"min_approvals": setting("int", 1, "approving reviews a pull request needs", min=1, max=10)},
)
def branch_pull_request_required(resource: Resource, ctx: CheckContext) -> Outcome:
    need = ctx.setting("min_approvals")
    outcome = _any(
        resource,
        lambda r: bool(r.get("pull_request")) and _pull_request(r).get("approvals", 0) >= need,
        f"a pull request with at least {need} approving review(s) is required",
        f"no rule requires a pull request with at least {need} approving review(s)",
    )
    outcome.evidence["min_approvals"] = need
    outcome.evidence["required"] = max([_pull_request(r).get("approvals", 0) for _, r in sources(resource)] or [0])
    return outcome


@check(
    "github.branch.stale_reviews_dismissed",
    title="Approvals are dismissed when new commits are pushed",
    types=REPO,
    severity="medium",
    rationale=CC81,
    remediation=f"{PROTECT} with 'Dismiss stale pull request approvals when new commits are pushed'.",
)
def branch_stale_reviews_dismissed(resource: Resource, ctx: CheckContext) -> Outcome:
    return _any(
        resource,
        lambda r: bool(_pull_request(r).get("dismiss_stale")),
        "stale approvals are dismissed on push",
        "approvals survive new pushes (stale reviews not dismissed)",
    )


@check(
    "github.branch.code_owner_review",
    title="Code owners review changes to the files they own",
    types=REPO,
    severity="medium",
    rationale=CC81,
    remediation=f"{PROTECT} with 'Require review from Code Owners'.",
)
def branch_code_owner_review(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource, "codeowners", "protection", "rulesets")) is not None:
        return problem
    if not resource.properties.get("codeowners"):
        return not_applicable(f"{_branch(resource)} has no CODEOWNERS file")
    return _any(
        resource,
        lambda r: bool(_pull_request(r).get("code_owners")),
        "code-owner review is required",
        "a CODEOWNERS file exists but code-owner review is not required",
    )


@check(
    "github.branch.status_checks_required",
    title="Changes pass required status checks (CI) before merging",
    types=REPO,
    severity="medium",
    rationale=CC81,
    remediation=f"{PROTECT} with required status checks naming the CI jobs.",
)
def branch_status_checks_required(resource: Resource, ctx: CheckContext) -> Outcome:
    outcome = _any(
        resource,
        lambda r: bool(r.get("status_checks")),
        "status checks are required",
        "no status check is required (changes need not pass CI)",
    )
    outcome.evidence["checks"] = sorted({c for _, r in sources(resource) for c in r.get("status_checks") or []})
    return outcome


@check(
    "github.branch.force_push_blocked",
    title="Force pushes to the default branch are blocked",
    types=REPO,
    severity="high",
    rationale=CC81 + " A force push rewrites the reviewed history.",
    remediation=f"{PROTECT} blocking force pushes.",
)
def branch_force_push_blocked(resource: Resource, ctx: CheckContext) -> Outcome:
    return _any(
        resource, lambda r: bool(r.get("no_force_push")), "force pushes are blocked", "force pushes are allowed"
    )


@check(
    "github.branch.deletion_blocked",
    title="The default branch cannot be deleted",
    types=REPO,
    severity="medium",
    rationale=CC81,
    remediation=f"{PROTECT} restricting deletions.",
)
def branch_deletion_blocked(resource: Resource, ctx: CheckContext) -> Outcome:
    return _any(resource, lambda r: bool(r.get("no_deletion")), "deletion is blocked", "the branch may be deleted")


@check(
    "github.branch.no_bypass",
    title="Administrators are not exempt and nobody else may bypass the rules",
    types=REPO,
    severity="high",
    rationale=CC81 + " Rules that administrators or bypass actors can skip do not control access (CC6.1, CC6.3).",
    remediation="Enable 'Do not allow bypassing the above settings' (classic protection) and remove bypass "
    "actors from rulesets, or list the sanctioned ones in the allowed_bypass setting.",
    settings={
        "allowed_bypass": setting(
            "list[str]",
            (),
            "bypass actors accepted, as reported: "
            "OrganizationAdmin, Team:ID, RepositoryRole:ID, Integration:ID, User:LOGIN, App:SLUG",
        )
    },
)
def branch_no_bypass(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource, "protection", "rulesets", "ruleset_bypass")) is not None:
        return problem
    found = sources(resource)
    if not found:
        return failed(f"{_branch(resource)} is not protected by branch protection or any ruleset", sources=[])
    allowed = set(ctx.setting("allowed_bypass"))
    problems = []
    for label, rules in found:
        if label == "branch protection" and not rules.get("enforce_admins"):
            problems.append("administrators are exempt from the branch protection")
        extra = sorted(set(rules.get("bypass") or []) - allowed)
        if extra:
            problems.append(f"{label} may be bypassed by {', '.join(extra)}")
    if problems:
        return failed(f"{_branch(resource)}: {'; '.join(problems)}", problems=problems, allowed=sorted(allowed))
    return passed(f"{_branch(resource)}: nobody beyond the allowed list may bypass its rules", allowed=sorted(allowed))
