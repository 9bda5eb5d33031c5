"""Properties of GitHub resources in the collectors' shapes, for check tests and conformance cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PR = {"approvals": 2, "dismiss_stale": True, "code_owners": True}
GOOD = {
    "pull_request": PR,
    "status_checks": ["ci/build"],
    "no_force_push": True,
    "no_deletion": True,
    "enforce_admins": True,
    "bypass": [],
}
WEAK = {
    "pull_request": {"approvals": 0, "dismiss_stale": False, "code_owners": False},
    "status_checks": [],
    "no_force_push": False,
    "no_deletion": False,
    "enforce_admins": False,
    "bypass": ["User:dave"],
}
RULESET = {
    "id": 7,
    "name": "default branch",
    "enforcement": "active",
    **{k: v for k, v in GOOD.items() if k != "enforce_admins"},
}


def repo(
    protection: dict[str, Any] | None = None, rulesets: Sequence[dict[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    """A ``github.repository`` with a CODEOWNERS file and no outside admin."""
    return {
        "default_branch": "main",
        "protection": protection,
        "rulesets": list(rulesets),
        "codeowners": True,
        "outside_admins": [],
        **extra,
    }


def window(
    pulls: Sequence[dict[str, Any]] = (), direct: Sequence[dict[str, Any]] = (), commits: int | None = None
) -> dict[str, Any]:
    """A ``github.changes`` window of ``main`` since 2026-09-01."""
    pulls = list(pulls)
    return {
        "default_branch": "main",
        "window_start": "2026-09-01T00:00:00+00:00",
        "commits": len(pulls) + len(direct) if commits is None else commits,
        "pulls": pulls,
        "direct": list(direct),
    }


def pull(n: int, author: str, approvers: Sequence[str], merged_by: str | None = None) -> dict[str, Any]:
    """One merged pull request record (``merged_by`` only when the merger was read)."""
    record = {
        "pr": n,
        "sha": f"{n:012x}",
        "author": author,
        "approvers": list(approvers),
        "merged_at": "2026-10-01T00:00:00+00:00",
    }
    return {**record, "merged_by": merged_by} if merged_by else record
