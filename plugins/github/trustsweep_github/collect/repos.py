"""Repositories: for each, its default branch's protection (``github.repository``) and what reached
the branch in the operating window (``github.changes``).

``github.repository`` properties: ``default_branch``, ``visibility``, ``protection`` (the classic branch
protection in the shape of :mod:`.design`, or None), ``rulesets`` (the active rulesets applying to the
branch, same shape), ``codeowners`` (bool: a CODEOWNERS file on the branch), ``outside_admins`` (logins).
``github.changes`` properties: ``default_branch``, ``window_start``, ``commits`` (count), ``pulls`` and
``direct`` (see :mod:`.history`).
"""

from __future__ import annotations

from typing import Any

from .base import GitHubCollector
from .design import read, read_design
from .history import History

REPOSITORY = "github.repository"
CHANGES = "github.changes"
TYPES = (REPOSITORY, CHANGES)
#: Review listings read at once per unit: with the engine's 16 units it stays under GitHub's
#: secondary limit of 100 concurrent requests.
REVIEW_FAN_OUT = 4


def collect(ctx: GitHubCollector) -> None:
    for repo in ctx.options.get("repos") or []:  # one at a time; each fans out its pull requests
        _one(ctx, repo)


def _one(ctx: GitHubCollector, repo: dict[str, Any]) -> None:
    full_name, branch = repo["full_name"], repo["default_branch"]
    design = read_design(ctx.session, full_name, branch, ctx.unread)
    ctx.add(REPOSITORY, full_name, full_name, visibility=repo.get("visibility", ""), **design)
    history = History(
        ctx.session,
        full_name,
        branch,
        ctx.since,
        bool(ctx.options.get("approver_not_merger")),
        lambda fn, items: ctx.map(fn, items, workers=REVIEW_FAN_OUT),
    )
    holder: dict[str, Any] = {}
    read(
        holder,
        "window",
        lambda _, __, exc: ctx.unreadable(CHANGES, f"{full_name}@{branch}", full_name, exc),
        history.read,
    )
    if "window" in holder:
        ctx.add(CHANGES, f"{full_name}@{branch}", f"{full_name} ({branch})", **holder["window"])
