"""The GitHub provider: organisations (``org:NAME`` or ``NAME``) and repositories (``OWNER/REPO``).

An organisation's non-archived repositories are listed while planning and split into units of
``repos_per_unit`` repositories; one more unit reads the organisation itself. The token comes from
``GITHUB_TOKEN`` or ``GH_TOKEN`` and travels only in the target's ``secret_token`` attribute.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from typing import Any

from trustsweep.budget import unit_options
from trustsweep.plugin import Provider, ProviderError, Target, UserError, WorkUnit, parse_time

from .collect import org, repos
from .plugin import QUOTA
from .session import GitHubSession, NotFound, session_for

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})")
_SINCE = re.compile(r"(\d{1,4})d?")
UNIT_KEYS = (
    "endpoint",
    "ca_bundle",
    "cache",
    "no_cache",
    "cache_dir",
    "max_wait_seconds",
    "retry_base_seconds",
    "timeout_seconds",
    "approver_not_merger",
)


def parse_target(text: str) -> tuple[str, str]:
    """``("org", NAME)`` or ``("repo", "OWNER/REPO")``; UserError for anything else."""
    kind, sep, rest = text.partition(":")
    if sep and kind == "org" and _NAME.fullmatch(rest):
        return "org", rest
    if not sep and _NAME.fullmatch(text):
        return "org", text
    owner, slash, name = text.partition("/")
    if not sep and slash and _NAME.fullmatch(owner) and _NAME.fullmatch(name):
        return "repo", text
    raise UserError(f"github target {text!r}: write org:NAME, NAME or OWNER/REPO")


def window_start(since: Any, now: dt.datetime) -> dt.datetime:
    """The start of the operating window: ``since`` as days (``90`` or ``90d``) or a date; UTC midnight."""
    text = str(since if since not in (None, "") else "90d").strip()
    if m := _SINCE.fullmatch(text):
        start = now - dt.timedelta(days=int(m.group(1)))
    elif (parsed := parse_time(text)) is not None and parsed <= now:
        start = parsed
    else:
        raise UserError(f"--github-since {text!r}: write a number of days (90 or 90d) or a past date (2026-01-31)")
    return start.replace(hour=0, minute=0, second=0, microsecond=0)  # one window per day: the cache is reused


def _summary(repo: dict[str, Any]) -> dict[str, str]:
    """What a unit needs of a repository: its name, default branch and visibility."""
    return {
        "full_name": repo["full_name"],
        "default_branch": repo.get("default_branch") or "main",
        "visibility": repo.get("visibility") or ("private" if repo.get("private") else "public"),
    }


def token_from_env() -> str:
    token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or ""
    if not token.strip():
        raise ProviderError("no GitHub token: set GITHUB_TOKEN or GH_TOKEN (see docs/github.md for the scopes)")
    return token.strip()


class GitHubProvider(Provider):
    name = "github"
    context = "trustsweep_github.collect.base:GitHubCollector"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        if not self.options.get("endpoint"):
            self.options["endpoint"] = os.environ.get("TRUSTSWEEP_GITHUB_ENDPOINT", "")
        self.since = window_start(self.options.get("since"), dt.datetime.now(dt.UTC))
        self._session: GitHubSession | None = None

    def _client(self, token: str) -> GitHubSession:
        if self._session is None:
            self._session = session_for(self.options, token)
        return self._session

    def targets(self, requested: Sequence[str]) -> list[Target]:
        if not requested:
            raise UserError("the github provider needs a target: -t org:NAME or -t OWNER/REPO")
        parsed = [parse_target(t) for t in requested]  # bad input refused before the token is looked at
        token = token_from_env()
        out = []
        for kind, name in parsed:
            try:  # a revoked token stops here, with one line
                doc = self._client(token).get(f"/orgs/{name}" if kind == "org" else f"/repos/{name}")
            except NotFound:
                raise UserError(
                    f"github target {name!r}: no such {'organisation' if kind == 'org' else 'repository'}, "
                    "or the token may not see it"
                ) from None
            attrs: dict[str, Any] = {"kind": kind, "secret_token": token}
            if kind == "repo":
                attrs["repo"] = _summary(doc)
            out.append(Target("github", name, name, attrs))
        self._client(token).close()  # reopened on use; a closed cache folds its journal away
        return out

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        common = {k: self.options[k] for k in UNIT_KEYS if self.options.get(k) not in (None, "")}
        common["since"] = self.since.isoformat()
        common.update(unit_options(self.options, shared=QUOTA))
        if target.attrs.get("kind") == "repo":
            return [
                self.unit(
                    target, "global", "repos", repos.collect, repos.TYPES, {**common, "repos": [target.attrs["repo"]]}
                )
            ]
        client = self._client(target.attrs["secret_token"])
        try:
            listed = client.paged(f"/orgs/{target.id}/repos", {"type": "all"})
            active = sorted(
                (_summary(r) for r in listed if not r.get("archived") and not r.get("disabled")),
                key=lambda r: r["full_name"],
            )
        finally:
            client.close()
        size = int(self.options.get("repos_per_unit") or 10)
        units = [self.unit(target, "global", "org", org.collect, org.TYPES, common)]
        for i in range(0, len(active), size):
            units.append(
                self.unit(
                    target,
                    "global",
                    f"repos-{i // size + 1:03d}",
                    repos.collect,
                    repos.TYPES,
                    {**common, "repos": active[i : i + size]},
                )
            )
        return units
