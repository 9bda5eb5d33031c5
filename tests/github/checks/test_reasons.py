"""What a result says: failures name the commit, the pull request and the people; passes the source."""

from __future__ import annotations

from trustsweep.testing import run_check

from ..properties import GOOD, RULESET, WEAK, pull, repo, window


def test_direct_pushes_name_sha_and_author() -> None:
    result = run_check(
        "github.changes.no_direct_push",
        window(
            [pull(1, "bob", ["alice"])],
            direct=[{"sha": "f1316a2a6fc7", "author": "dave", "date": "2026-10-01T00:00:00+00:00"}],
        ),
    )
    assert result.reason == "1 of 2 commits reached main since 2026-09-01 without a pull request: f1316a2a6fc7 by dave"
    assert result.evidence["direct"][0]["sha"] == "f1316a2a6fc7"


def test_review_failures_name_pull_request_sha_author_and_approvers() -> None:
    result = run_check(
        "github.changes.independent_review",
        window(
            [
                pull(1, "bob", ["alice"]),
                pull(40, "erin", ["erin"]),
                pull(41, "carol", []),
                pull(42, "bob", ["alice"], merged_by="alice"),
            ]
        ),
    )
    assert result.evidence["problems"] == [
        "#40 (000000000028) by erin: approved only by erin (self-approved)",
        "#41 (000000000029) by carol: merged without approval",
        "#42 (00000000002a) by bob, merged by alice: approved only by alice (self-approved)",
    ]
    assert result.reason.startswith("3 of 4 pull requests merged into main since 2026-09-01 lack independent approval")


def test_a_pass_names_the_source_that_carries_the_rule() -> None:
    assert (
        run_check("github.branch.force_push_blocked", repo(WEAK, [RULESET])).reason
        == "main: force pushes are blocked (ruleset default branch)"
    )
    result = run_check("github.branch.pull_request_required", repo(GOOD), min_approvals=2)
    assert result.evidence == {"source": "branch protection", "min_approvals": 2, "required": 2}


def test_bypass_names_every_way_around_the_rules() -> None:
    result = run_check(
        "github.branch.no_bypass",
        repo(WEAK, [{**RULESET, "bypass": ["Team:77", "OrganizationAdmin"]}]),
        allowed_bypass=["OrganizationAdmin"],
    )
    assert result.evidence["problems"] == [
        "administrators are exempt from the branch protection",
        "branch protection may be bypassed by User:dave",
        "ruleset default branch may be bypassed by Team:77",
    ]
