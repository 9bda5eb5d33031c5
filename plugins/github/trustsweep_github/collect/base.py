"""The GitHub collector context: one :class:`~trustsweep_github.session.GitHubSession` per unit."""

from __future__ import annotations

import datetime as dt

from trustsweep.plugin import Collector, describe_exception, parse_time

from ..session import GitHubError, GitHubSession, session_for


class GitHubCollector(Collector):
    provider = "github"
    _session: GitHubSession | None = None

    @property
    def session(self) -> GitHubSession:
        if self._session is None:
            self._session = session_for(self.options, str(self.target.attrs.get("secret_token", "")))
        return self._session

    @property
    def since(self) -> dt.datetime:
        """The start of the operating window (planned by the provider)."""
        start = parse_time(self.options.get("since"))
        if start is None:
            raise ValueError("unit planned without a window start")
        return start

    def describe(self, exc: BaseException) -> str:
        return str(exc) if isinstance(exc, GitHubError) else describe_exception(exc)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
