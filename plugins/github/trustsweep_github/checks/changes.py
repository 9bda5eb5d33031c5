"""Operating evidence: what reached each default branch in the window, and how it was reviewed.

Reads a ``github.changes`` resource: ``pulls`` (each merged pull request with its approvers) and
``direct`` (commits that came through no pull request); see ``trustsweep_github.collect.history``.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, setting, unread

CHANGES = "github.changes"
RATIONALE = (
    "Type II evidence of change management (CC8.1): every change that reached production was "
    "reviewed and approved by someone other than its author."
)


def _window(resource: Resource) -> str:
    props = resource.properties
    return f"{props.get('default_branch') or 'the default branch'} since {str(props.get('window_start') or '?')[:10]}"


@check(
    "github.changes.no_direct_push",
    title="Every commit on the default branch came through a merged pull request",
    types=CHANGES,
    severity="high",
    rationale=RATIONALE,
    remediation="Require pull requests on the default branch for everyone (no bypass); review the listed "
    "commits after the fact and record the review.",
)
def changes_no_direct_push(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource)) is not None:
        return problem
    direct = resource.properties.get("direct") or []
    commits = int(resource.properties.get("commits") or 0)
    if direct:
        named = ", ".join(f"{d.get('sha')} by {d.get('author') or '?'}" for d in direct[:20])
        return failed(
            f"{len(direct)} of {commits} commits reached {_window(resource)} without a pull request: {named}",
            direct=direct,
        )
    if not commits:
        return not_applicable(f"no commit reached {_window(resource)}")
    return passed(f"all {commits} commits on {_window(resource)} came through merged pull requests", commits=commits)


def _problem(pull: dict[str, Any], need: int) -> str | None:
    author = pull.get("author") or "?"
    excluded = {author} | ({pull["merged_by"]} if pull.get("merged_by") else set())
    approvers = list(pull.get("approvers") or [])
    independent = [a for a in approvers if a not in excluded]
    if len(independent) >= need:
        return None
    who = f"#{pull.get('pr')} ({pull.get('sha')}) by {author}"
    if pull.get("merged_by"):
        who += f", merged by {pull['merged_by']}"
    if not approvers:
        return f"{who}: merged without approval"
    if not independent:
        return f"{who}: approved only by {', '.join(approvers)} (self-approved)"
    return f"{who}: {len(independent)} independent approval(s), {need} needed"


@check(
    "github.changes.independent_review",
    title="Every merged pull request was approved by someone other than its author",
    types=CHANGES,
    severity="high",
    rationale=RATIONALE,
    remediation="Require approving reviews (and their dismissal on new pushes); review the listed pull "
    "requests after the fact and record the review. With settings.github.approver_not_merger the "
    "person who merged must not be the only approver either.",
    settings={
        "min_approvals": setting("int", 1, "independent approvals each merged pull request needs", min=1, max=10)
    },
)
def changes_independent_review(resource: Resource, ctx: CheckContext) -> Outcome:
    if (problem := unread(resource)) is not None:
        return problem
    need = ctx.setting("min_approvals")
    pulls = resource.properties.get("pulls") or []
    problems = [p for p in (_problem(pull, need) for pull in pulls) if p]
    if problems:
        return failed(
            f"{len(problems)} of {len(pulls)} pull requests merged into {_window(resource)} lack "
            f"independent approval: {'; '.join(problems[:10])}",
            problems=problems,
            min_approvals=need,
        )
    if not pulls:
        return not_applicable(f"no pull request was merged into {_window(resource)}")
    return passed(
        f"all {len(pulls)} pull requests merged into {_window(resource)} were approved by someone other "
        f"than their author",
        pulls=len(pulls),
        min_approvals=need,
    )
