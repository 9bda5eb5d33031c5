"""What reached a default branch in the window, and through which reviewed pull request.

1. the commits on the branch since the window start (``GET /commits?sha=&since=``, paged);
2. the pull requests merged into it since then (``GET /pulls?state=closed&base=&sort=updated``, paged
   newest first, stopped at the first one last updated before the window);
3. each merged pull request's reviews (``GET /pulls/{n}/reviews``): its approvers are the reviewers whose
   last verdict before the merge was ``APPROVED``; with ``approver_not_merger`` also who merged it
   (``GET /pulls/{n}``);
4. a commit that is no pull request's merge commit is asked about (``GET /commits/{sha}/pulls``): a
   commit of a merged pull request (a merge-commit workflow) belongs to it, any other is a direct push.

Records are compact (12-character SHAs): ``pulls`` = ``[{pr, sha, author, approvers, merged_at[, merged_by]}]``,
``direct`` = ``[{sha, author, date}]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from trustsweep.plugin import iso, parse_time

from ..session import GitHubSession

SHORT = 12
VERDICTS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


def _login(user: Any, fallback: str = "") -> str:
    return str(user.get("login")) if isinstance(user, dict) and user.get("login") else fallback


def approvers(reviews: list[dict[str, Any]], merged_at: dt.datetime | None) -> list[str]:
    """Reviewers whose last verdict before ``merged_at`` approves (comments change nothing)."""
    last: dict[str, str] = {}
    for review in sorted(reviews, key=lambda r: str(r.get("submitted_at") or "")):
        at = parse_time(review.get("submitted_at"))
        if review.get("state") not in VERDICTS or (merged_at and at and at > merged_at):
            continue
        last[_login(review.get("user"), "(deleted user)")] = review["state"]
    return sorted(user for user, state in last.items() if state == "APPROVED")


class History:
    """Reads one repository's window; ``map`` runs per-pull-request reads concurrently."""

    def __init__(
        self, session: GitHubSession, full_name: str, branch: str, since: dt.datetime, with_merger: bool, map_: Any
    ) -> None:
        self.session, self.full_name, self.branch, self.since = session, full_name, branch, since
        self.with_merger, self.map = with_merger, map_

    def read(self) -> dict[str, Any]:
        commits = list(
            self.session.paged(f"/repos/{self.full_name}/commits", {"sha": self.branch, "since": iso(self.since)})
        )
        merged = self._merged_pulls()
        by_sha = {p["merge_commit_sha"]: p for p in merged if p.get("merge_commit_sha")}
        direct = []
        for commit in commits:
            if commit.get("sha") in by_sha:
                continue
            owner = self._pull_of(commit["sha"])
            if owner is None:
                details = commit.get("commit") or {}
                direct.append(
                    {
                        "sha": commit["sha"][:SHORT],
                        "author": _login(commit.get("author"), (details.get("author") or {}).get("name", "")),
                        "date": iso((details.get("committer") or {}).get("date")),
                    }
                )
            elif owner["number"] not in {p["number"] for p in merged}:
                merged.append(owner)  # merged before the window, commit dated inside it
        records = self.map(self._record, merged)
        return {
            "default_branch": self.branch,
            "window_start": iso(self.since),
            "commits": len(commits),
            "pulls": sorted(records, key=lambda r: r["pr"]),
            "direct": direct,
        }

    def _merged_pulls(self) -> list[dict[str, Any]]:
        out = []
        params = {"state": "closed", "base": self.branch, "sort": "updated", "direction": "desc"}
        for pull in self.session.paged(f"/repos/{self.full_name}/pulls", params):
            updated = parse_time(pull.get("updated_at"))
            if updated is not None and updated < self.since:
                break  # newest first: every later one was last touched before the window
            merged_at = parse_time(pull.get("merged_at"))
            if merged_at is not None and merged_at >= self.since:
                out.append(pull)
        return out

    def _pull_of(self, sha: str) -> dict[str, Any] | None:
        """The merged pull request into the branch that ``sha`` belongs to, if any."""
        for pull in self.session.paged(f"/repos/{self.full_name}/commits/{sha}/pulls"):
            if pull.get("merged_at") and (pull.get("base") or {}).get("ref") == self.branch:
                return pull
        return None

    def _record(self, pull: dict[str, Any]) -> dict[str, Any]:
        number = pull["number"]
        merged_at = parse_time(pull.get("merged_at"))
        reviews = list(self.session.paged(f"/repos/{self.full_name}/pulls/{number}/reviews"))
        record = {
            "pr": number,
            "sha": str(pull.get("merge_commit_sha") or "")[:SHORT],
            "author": _login(pull.get("user"), "(deleted user)"),
            "approvers": approvers(reviews, merged_at),
            "merged_at": iso(merged_at),
        }
        if self.with_merger:
            record["merged_by"] = _login(self.session.get(f"/repos/{self.full_name}/pulls/{number}").get("merged_by"))
        return record
