"""Northwind's GitHub organisation (the demo estate) and a large synthetic one (the benchmark)."""

from __future__ import annotations

import datetime as dt

from .estate import NO_DELETION, NO_FORCE_PUSH, GitHubEstate, Repo, checks_rule, pr_rule, protection

ORG = "northwind"
PEOPLE = ("alice", "bob", "carol", "dave", "erin")


def _history(repo: Repo, now: dt.datetime, count: int, first: int = 1) -> None:
    """``count`` pull requests squash-merged over the last weeks, each approved by a colleague."""
    for i in range(count):
        author = PEOPLE[i % len(PEOPLE)]
        reviewer = PEOPLE[(i + 1) % len(PEOPLE)]
        repo.merge(
            first + i,
            author,
            (reviewer,),
            now - dt.timedelta(days=60 - 9 * i, hours=i),
            merged_by=reviewer,
            title=f"{repo.name}: change {first + i}",
        )


def demo_estate(now: dt.datetime | None = None) -> GitHubEstate:
    """Northwind: a well protected API, a badly protected web app with a direct push and a
    self-approved merge, a repository protected by an organisation ruleset only, an unprotected docs
    repository with an outside admin, and an archived repository (not swept)."""
    now = now or dt.datetime.now(dt.UTC)
    e = GitHubEstate()
    e.org(ORG, two_factor=True)

    api = e.repo(ORG, "api", codeowners=True, protection=protection(approvals=2, checks=("ci/build", "ci/test")))
    _history(api, now, 6)

    web = e.repo(
        ORG,
        "web",
        codeowners=True,
        protection=protection(
            approvals=0,
            dismiss_stale=False,
            code_owners=False,
            checks=(),
            enforce_admins=False,
            force_pushes=True,
            bypass_users=("dave",),
        ),
    )
    _history(web, now, 4)
    web.push("dave", now - dt.timedelta(days=12), "hotfix: raise the upload limit")
    web.merge(40, "erin", ("erin",), now - dt.timedelta(days=5), merged_by="erin", title="Self-approved tweak")
    web.merge(41, "carol", (), now - dt.timedelta(days=3), merged_by="carol", title="Unreviewed copy change")

    infra = e.repo(ORG, "infra")
    e.ruleset(ORG, "default branch", [pr_rule(1), checks_rule("ci/plan"), NO_FORCE_PUSH, NO_DELETION], repos=[infra])
    _history(infra, now, 3)

    docs = e.repo(ORG, "docs", private=False, outside_collaborators={"kim-contractor": "admin", "lee-writer": "push"})
    _history(docs, now, 2)

    e.repo(ORG, "legacy-site", archived=True, protection=None)
    return e


def scale_estate(repos: int, pulls: int, now: dt.datetime | None = None, org: str = "northwind-scale") -> GitHubEstate:
    """``repos`` well protected repositories with ``pulls`` approved merges each over the last 80 days."""
    now = now or dt.datetime.now(dt.UTC)
    e = GitHubEstate()
    e.org(org)
    step = dt.timedelta(days=80) / max(pulls, 1)
    for r in range(repos):
        repo = e.repo(org, f"service-{r:04d}", codeowners=r % 2 == 0, protection=protection(approvals=1))
        for n in range(1, pulls + 1):
            author, reviewer = PEOPLE[n % 5], PEOPLE[(n + 2) % 5]
            repo.merge(n, author, (reviewer,), now - dt.timedelta(days=80) + step * n, merged_by=reviewer)
    return e
