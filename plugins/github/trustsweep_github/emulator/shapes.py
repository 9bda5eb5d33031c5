"""The fake's routes: each a function ``(estate, query, **path params)`` returning GitHub's JSON
(None: 404; a :class:`Status`: another refusal). Lists named in :data:`PAGED` are paged by the server."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from trustsweep.plugin import parse_time as parse

from .estate import GitHubEstate, Pull, Repo, stamp


@dataclass(frozen=True)
class Status:
    code: int
    message: str


_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p + "$"), name)
    for p, name in (
        (r"/orgs/(?P<org>[^/]+)", "org"),
        (r"/orgs/(?P<org>[^/]+)/repos", "org_repos"),
        (_REPO, "repo"),
        (_REPO + r"/branches/(?P<branch>.+)/protection", "branch_protection"),
        (_REPO + r"/rules/branches/(?P<branch>.+)", "branch_rules"),
        (_REPO + r"/rulesets/(?P<ruleset>\d+)", "ruleset"),
        (_REPO + r"/codeowners/errors", "codeowners_errors"),
        (_REPO + r"/collaborators", "collaborators"),
        (_REPO + r"/commits", "commits"),
        (_REPO + r"/commits/(?P<sha>[0-9a-f]{7,40})/pulls", "commit_pulls"),
        (_REPO + r"/pulls", "pulls"),
        (_REPO + r"/pulls/(?P<number>\d+)", "pull"),
        (_REPO + r"/pulls/(?P<number>\d+)/reviews", "reviews"),
    )
]
PAGED = {"org_repos", "branch_rules", "collaborators", "commits", "commit_pulls", "pulls", "reviews"}


def route(path: str) -> tuple[str | None, dict[str, str]]:
    """The route name and path parameters of ``path`` (an ``/api/v3`` prefix is accepted)."""
    path = path.removeprefix("/api/v3")
    for pattern, name in ROUTES:
        m = pattern.match(path)
        if m:
            return name, m.groupdict()
    return None, {}


def _user(login: str) -> dict[str, Any]:
    return {"login": login, "id": zlib.crc32(login.encode()), "type": "Bot" if login.endswith("[bot]") else "User"}


def _repo_doc(repo: Repo) -> dict[str, Any]:
    return {
        "id": repo.id,
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": _user(repo.owner),
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "archived": repo.archived,
        "disabled": False,
        "default_branch": repo.default_branch,
        "fork": False,
    }


def _find(estate: GitHubEstate, owner: str, repo: str) -> Repo | None:
    return estate.find(owner, repo)


def org(estate: GitHubEstate, query: dict[str, str], org: str) -> Any:
    o = estate.orgs.get(org)
    if o is None:
        return None
    return {
        "login": o.login,
        "id": o.id,
        "type": "Organization",
        "two_factor_requirement_enabled": o.two_factor,
        "public_repos": sum(1 for r in o.repos.values() if not r.private),
    }


def org_repos(estate: GitHubEstate, query: dict[str, str], org: str) -> Any:
    o = estate.orgs.get(org)
    return None if o is None else [_repo_doc(r) for r in o.repos.values()]


def repo(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str) -> Any:
    r = _find(estate, owner, repo)
    return None if r is None else _repo_doc(r)


def branch_protection(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, branch: str) -> Any:
    r = _find(estate, owner, repo)
    if r is None or branch != r.default_branch:
        return None
    if r.protection is None:
        return Status(404, "Branch not protected")
    return r.protection


def branch_rules(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, branch: str) -> Any:
    r = _find(estate, owner, repo)
    if r is None:
        return None
    rules = []
    for ruleset_id in r.rulesets:
        rs = estate.orgs[owner].rulesets[ruleset_id]
        if rs.enforcement == "active" and branch == r.default_branch:
            rules.extend(
                {**rule, "ruleset_source_type": rs.source_type, "ruleset_source": rs.source, "ruleset_id": rs.id}
                for rule in rs.rules
            )
    return rules


def ruleset(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, ruleset: str) -> Any:
    r = _find(estate, owner, repo)
    rs = estate.orgs[owner].rulesets.get(int(ruleset)) if r is not None else None
    if rs is None or rs.id not in r.rulesets:
        return None
    doc = {
        "id": rs.id,
        "name": rs.name,
        "target": "branch",
        "source_type": rs.source_type,
        "source": rs.source,
        "enforcement": rs.enforcement,
        "bypass_actors": rs.bypass_actors,
        "current_user_can_bypass": "never",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": rs.rules,
    }
    if estate.limited_token:  # a token that may not administer rulesets does not see who may bypass them
        del doc["bypass_actors"]
    return doc


def codeowners_errors(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str) -> Any:
    r = _find(estate, owner, repo)
    return {"errors": []} if r is not None and r.codeowners else None


def collaborators(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str) -> Any:
    r = _find(estate, owner, repo)
    if r is None:
        return None
    if query.get("affiliation", "all") != "outside":
        return Status(422, "the fake serves affiliation=outside only")
    wanted = query.get("permission")
    order = ["pull", "triage", "push", "maintain", "admin"]
    out = []
    for login, permission in sorted(r.outside_collaborators.items()):
        if wanted and order.index(permission) < order.index(wanted):
            continue
        out.append(
            {
                **_user(login),
                "role_name": permission,
                "permissions": {p: order.index(permission) >= order.index(p) for p in order},
            }
        )
    return out


def _commit_doc(repo: Repo, c: Any) -> dict[str, Any]:
    person = {"name": c.author.title(), "email": f"{c.author}@users.noreply.example", "date": stamp(c.date)}
    return {
        "sha": c.sha,
        "commit": {"author": person, "committer": {**person, "name": c.committer}, "message": c.message},
        "author": _user(c.author),
        "committer": _user(c.committer),
        "parents": [{"sha": "0" * 40}],
    }


def commits(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str) -> Any:
    r = _find(estate, owner, repo)
    if r is None or query.get("sha", r.default_branch) != r.default_branch:
        return None
    since = parse(query.get("since"))
    return [_commit_doc(r, c) for c in r.commits if since is None or c.date >= since]


def _pull_doc(r: Repo, p: Pull, full: bool = False) -> dict[str, Any]:
    doc = {
        "number": p.number,
        "title": p.title,
        "state": "closed",
        "user": _user(p.author),
        "base": {"ref": p.base},
        "merged_at": stamp(p.merged_at) if p.merged_at else None,
        "closed_at": stamp(p.merged_at) if p.merged_at else None,
        "updated_at": stamp(p.merged_at) if p.merged_at else None,
        "merge_commit_sha": p.merge_sha,
    }
    if full:
        doc.update(merged=p.merged_at is not None, merged_by=_user(p.merged_by) if p.merged_by else None)
    return doc


def commit_pulls(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, sha: str) -> Any:
    r = _find(estate, owner, repo)
    return None if r is None else [_pull_doc(r, p) for p in r.pulls if p.merge_sha == sha]


def pulls(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str) -> Any:
    r = _find(estate, owner, repo)
    if r is None:
        return None
    base = query.get("base")
    return [_pull_doc(r, p) for p in r.pulls if base in (None, p.base)]


def pull(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, number: str) -> Any:
    r = _find(estate, owner, repo)
    p = next((p for p in r.pulls if p.number == int(number)), None) if r is not None else None
    return None if p is None else _pull_doc(r, p, full=True)


def reviews(estate: GitHubEstate, query: dict[str, str], owner: str, repo: str, number: str) -> Any:
    r = _find(estate, owner, repo)
    p = next((p for p in r.pulls if p.number == int(number)), None) if r is not None else None
    if p is None:
        return None
    return [
        {"id": i + 1, "user": _user(v.user), "state": v.state, "submitted_at": stamp(v.at)}
        for i, v in enumerate(p.reviews)
    ]
