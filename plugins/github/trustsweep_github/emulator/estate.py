"""The estate the fake GitHub serves: organisations, repositories, protection, rulesets, history.

Everything is built with the helpers below and served in GitHub's REST shapes by
:mod:`trustsweep_github.emulator.server`. Commit SHAs derive from names, not times, so the same
estate built twice has the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any


def sha(*parts: object) -> str:
    """A stable 40-hex commit id for ``parts``."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Commit:
    sha: str
    author: str
    date: dt.datetime
    message: str = ""
    committer: str = "web-flow"


@dataclass(slots=True)
class Review:
    user: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    at: dt.datetime


@dataclass(slots=True)
class Pull:
    number: int
    title: str
    author: str
    merged_at: dt.datetime | None
    merge_sha: str | None
    merged_by: str | None = None
    reviews: list[Review] = field(default_factory=list)
    base: str = "main"


@dataclass
class Ruleset:
    id: int
    name: str
    source: str
    source_type: str = "Organization"
    enforcement: str = "active"
    rules: list[dict[str, Any]] = field(default_factory=list)
    bypass_actors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    default_branch: str = "main"
    archived: bool = False
    private: bool = True
    protection: dict[str, Any] | None = None
    rulesets: list[int] = field(default_factory=list)
    codeowners: bool = False
    outside_collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    commits: list[Commit] = field(default_factory=list)  # newest first
    pulls: list[Pull] = field(default_factory=list)  # newest first

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def merge(
        self,
        number: int,
        author: str,
        approvers: tuple[str, ...],
        when: dt.datetime,
        *,
        merged_by: str | None = None,
        title: str = "",
    ) -> Pull:
        """A pull request squash-merged into the default branch at ``when``, approved before it."""
        commit = Commit(sha(self.full_name, "pr", number), author, when, f"{title or 'Change'} (#{number})")
        reviews = [Review(user, "APPROVED", when - dt.timedelta(hours=1)) for user in approvers]
        pull = Pull(
            number,
            title or f"Change {number}",
            author,
            when,
            commit.sha,
            merged_by or author,
            reviews,
            self.default_branch,
        )
        self.commits.insert(0, commit)
        self.pulls.insert(0, pull)
        return pull

    def push(self, author: str, when: dt.datetime, message: str = "hotfix") -> Commit:
        """A commit pushed straight to the default branch (no pull request)."""
        commit = Commit(sha(self.full_name, "push", message, len(self.commits)), author, when, message, author)
        self.commits.insert(0, commit)
        return commit


@dataclass
class Org:
    login: str
    id: int
    two_factor: bool | None = True
    repos: dict[str, Repo] = field(default_factory=dict)
    rulesets: dict[int, Ruleset] = field(default_factory=dict)


@dataclass
class GitHubEstate:
    """What the fake serves; ``token`` is the one it accepts (``revoked`` refuses it with 401)."""

    orgs: dict[str, Org] = field(default_factory=dict)
    token: str = "northwind-demo-token"
    revoked: bool = False
    limited_token: bool = False  # without Administration read: rulesets' bypass actors are hidden
    _next_id: int = 1000

    def org(self, login: str, *, two_factor: bool | None = True) -> Org:
        self._next_id += 1
        self.orgs[login] = Org(login, self._next_id, two_factor)
        return self.orgs[login]

    def repo(self, owner: str, name: str, **kwargs: Any) -> Repo:
        self._next_id += 1
        repo = Repo(owner, name, self._next_id, **kwargs)
        self.orgs[owner].repos[name] = repo
        return repo

    def ruleset(
        self,
        owner: str,
        name: str,
        rules: list[dict[str, Any]],
        *,
        bypass: list[dict[str, Any]] = (),
        repos: list[Repo] = (),
        enforcement: str = "active",
    ) -> Ruleset:
        self._next_id += 1
        ruleset = Ruleset(self._next_id, name, owner, "Organization", enforcement, list(rules), list(bypass))
        self.orgs[owner].rulesets[ruleset.id] = ruleset
        for repo in repos:
            repo.rulesets.append(ruleset.id)
        return ruleset

    def find(self, owner: str, name: str) -> Repo | None:
        org = self.orgs.get(owner)
        return org.repos.get(name) if org else None


# -- GitHub's shapes for protection and rules ------------------------------------------------------


def protection(
    *,
    approvals: int | None = 1,
    dismiss_stale: bool = True,
    code_owners: bool = True,
    checks: tuple[str, ...] = ("ci/build",),
    enforce_admins: bool = True,
    force_pushes: bool = False,
    deletions: bool = False,
    bypass_users: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A classic branch protection as ``GET .../branches/{b}/protection`` returns it."""
    doc: dict[str, Any] = {
        "enforce_admins": {"enabled": enforce_admins},
        "allow_force_pushes": {"enabled": force_pushes},
        "allow_deletions": {"enabled": deletions},
    }
    if approvals is not None:
        doc["required_pull_request_reviews"] = {
            "dismiss_stale_reviews": dismiss_stale,
            "require_code_owner_reviews": code_owners,
            "required_approving_review_count": approvals,
            "bypass_pull_request_allowances": {"users": [{"login": u} for u in bypass_users], "teams": [], "apps": []},
        }
    if checks:
        doc["required_status_checks"] = {
            "strict": True,
            "contexts": list(checks),
            "checks": [{"context": c, "app_id": None} for c in checks],
        }
    return doc


def pr_rule(approvals: int = 1, *, dismiss_stale: bool = True, code_owners: bool = False) -> dict[str, Any]:
    return {
        "type": "pull_request",
        "parameters": {
            "required_approving_review_count": approvals,
            "dismiss_stale_reviews_on_push": dismiss_stale,
            "require_code_owner_review": code_owners,
            "require_last_push_approval": False,
            "required_review_thread_resolution": False,
        },
    }


def checks_rule(*contexts: str) -> dict[str, Any]:
    return {
        "type": "required_status_checks",
        "parameters": {
            "strict_required_status_checks_policy": True,
            "required_status_checks": [{"context": c} for c in contexts],
        },
    }


NO_FORCE_PUSH = {"type": "non_fast_forward"}
NO_DELETION = {"type": "deletion"}
ORG_ADMIN_BYPASS = {"actor_id": 1, "actor_type": "OrganizationAdmin", "bypass_mode": "always"}
