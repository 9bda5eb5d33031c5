"""The plugin conformance suite with a passing and a failing case for every GitHub check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from trustsweep.testing.conformance import Case, PluginConformance

from .properties import GOOD, RULESET, WEAK, pull, repo, window

BRANCH = (
    "github.branch.pull_request_required",
    "github.branch.stale_reviews_dismissed",
    "github.branch.code_owner_review",
    "github.branch.status_checks_required",
    "github.branch.force_push_blocked",
    "github.branch.deletion_blocked",
    "github.branch.no_bypass",
)


class TestConformance(PluginConformance):
    plugin = "github"
    cases: ClassVar[Sequence[Case]] = [
        *(Case(c, "pass", repo(GOOD), why="classic protection") for c in BRANCH),
        *(Case(c, "pass", repo(None, [RULESET]), why="a ruleset alone") for c in BRANCH),
        *(Case(c, "fail", repo(WEAK), why="weak protection") for c in BRANCH),
        *(Case(c, "fail", repo(None), why="nothing protects the branch") for c in BRANCH),
        *(Case(c, "error", repo(GOOD, unread={"protection": "403"}), why="protection unread") for c in BRANCH),
        Case(
            "github.branch.pull_request_required",
            "pass",
            repo(WEAK, [RULESET]),
            why="the ruleset carries the rule the protection lacks",
        ),
        Case(
            "github.branch.pull_request_required",
            "fail",
            repo(GOOD),
            settings={"min_approvals": 3},
            why="two approvals of three required",
        ),
        Case(
            "github.branch.code_owner_review", "not_applicable", repo(WEAK, codeowners=False), why="no CODEOWNERS file"
        ),
        Case(
            "github.branch.no_bypass",
            "fail",
            repo(None, [{**RULESET, "bypass": ["Team:77"]}]),
            why="a bypass actor not allowed",
        ),
        Case(
            "github.branch.no_bypass",
            "pass",
            repo(None, [{**RULESET, "bypass": ["Team:77"]}]),
            settings={"allowed_bypass": ["Team:77"]},
            why="the bypass actor is allowed",
        ),
        Case("github.branch.no_bypass", "fail", repo({**GOOD, "enforce_admins": False}), why="admins exempt"),
        Case(
            "github.branch.no_bypass",
            "error",
            repo(None, [RULESET], unread={"ruleset_bypass": "403"}),
            why="bypass actors unread",
        ),
        Case("github.org.two_factor_required", "pass", {"two_factor_required": True}),
        Case("github.org.two_factor_required", "fail", {"two_factor_required": False}),
        Case(
            "github.org.two_factor_required",
            "error",
            {"two_factor_required": None, "unread": {"two_factor_required": "owners only"}},
        ),
        Case("github.repo.no_outside_admins", "pass", repo(GOOD)),
        Case("github.repo.no_outside_admins", "fail", repo(GOOD, outside_admins=["kim"])),
        Case(
            "github.repo.no_outside_admins",
            "pass",
            repo(GOOD, outside_admins=["kim"]),
            settings={"allowed_outside_admins": ["kim"]},
        ),
        Case("github.changes.no_direct_push", "pass", window([pull(1, "bob", ["alice"])])),
        Case("github.changes.no_direct_push", "fail", window(direct=[{"sha": "abc", "author": "dave", "date": None}])),
        Case("github.changes.no_direct_push", "not_applicable", window()),
        Case("github.changes.independent_review", "pass", window([pull(1, "bob", ["alice"])])),
        Case("github.changes.independent_review", "fail", window([pull(1, "erin", ["erin"])]), why="self-approved"),
        Case("github.changes.independent_review", "fail", window([pull(1, "carol", [])]), why="unapproved"),
        Case(
            "github.changes.independent_review",
            "fail",
            window([pull(1, "bob", ["alice"], merged_by="alice")]),
            why="the only approver merged it (approver_not_merger)",
        ),
        Case(
            "github.changes.independent_review",
            "pass",
            window([pull(1, "bob", ["alice", "carol"], merged_by="alice")]),
            why="a second approver who did not merge",
        ),
        Case(
            "github.changes.independent_review",
            "fail",
            window([pull(1, "bob", ["alice"])]),
            settings={"min_approvals": 2},
            why="one approval of two",
        ),
        Case("github.changes.independent_review", "error", {**window(), "unread": {"*": "GitHub 502"}}),
    ]
