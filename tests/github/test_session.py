"""The HTTP client against the fake over HTTPS: headers, paging, rate limits, retries, ETags, auth."""

from __future__ import annotations

import sqlite3
import time
import zlib
from pathlib import Path

import pytest

from trustsweep_github.cache import EtagCache
from trustsweep_github.emulator import FakeGitHub
from trustsweep_github.session import BadCredentials, GitHubError, GitHubSession, NotFound, RateLimited


def test_paging_follows_link_headers_to_the_last_page(session: GitHubSession, fake: FakeGitHub) -> None:
    repos = [r["name"] for r in session.paged("/orgs/northwind/repos")]
    assert repos == ["api", "web", "infra", "docs", "legacy-site"]
    assert fake.count(r"/orgs/northwind/repos") == 3  # pages of 2, 2 and 1
    assert fake.headers_seen == {("application/vnd.github+json", "2022-11-28")}
    assert fake.writes() == []


def test_an_enterprise_server_endpoint_keeps_its_api_prefix_across_pages(fake: FakeGitHub) -> None:
    client = GitHubSession(f"{fake.url}/api/v3", fake.estate.token, ca_bundle=str(fake.ca_bundle))
    assert [r["name"] for r in client.paged("/orgs/northwind/repos")][-1] == "legacy-site"
    assert fake.count(r"^GET /api/v3/orgs/northwind/repos\?") == 3 and fake.count(r"^GET /orgs/") == 0


def test_not_found_and_revoked_token_are_distinct_errors(session: GitHubSession, fake: FakeGitHub) -> None:
    with pytest.raises(NotFound):
        session.get("/repos/northwind/nothing")
    fake.estate.revoked = True
    with pytest.raises(BadCredentials) as caught:
        session.get("/orgs/northwind")
    assert "revoked, expired or wrong" in str(caught.value)
    assert fake.estate.token not in str(caught.value)


@pytest.mark.parametrize("fault", ["500", "502", "503", "timeout"])
def test_server_errors_and_timeouts_are_retried_with_backoff(
    session: GitHubSession, fake: FakeGitHub, fault: str
) -> None:
    fake.inject(r"/orgs/northwind$", fault, fault)
    assert session.get("/orgs/northwind")["login"] == "northwind"
    assert fake.count(r"/orgs/northwind$") == 3
    assert session.waits == [0.01, 0.02]  # exponential backoff


def test_persistent_server_errors_end_in_an_error_naming_the_path(session: GitHubSession, fake: FakeGitHub) -> None:
    fake.inject(r"/orgs/northwind$", "502", persistent=True)
    with pytest.raises(GitHubError, match=r"GitHub 502 on GET /orgs/northwind"):
        session.get("/orgs/northwind")
    assert fake.count(r"/orgs/northwind$") == session.retries + 1


@pytest.mark.parametrize("fault", ["429:7", "403s:7"])
def test_secondary_rate_limits_wait_for_retry_after(session: GitHubSession, fake: FakeGitHub, fault: str) -> None:
    fake.inject(r"/orgs/northwind$", fault)
    assert session.get("/orgs/northwind")["login"] == "northwind"
    assert session.waits == [7.0]
    assert session.messages and "secondary rate limit reached; waiting 7 s" in session.messages[0]


def test_primary_rate_limit_waits_until_the_reset(session: GitHubSession, fake: FakeGitHub) -> None:
    fake.inject(r"/orgs/northwind$", "limit:30")
    assert session.get("/orgs/northwind")["login"] == "northwind"
    assert len(session.waits) == 1 and 29 <= session.waits[0] <= 32
    assert "primary rate limit reached" in session.messages[0]


def test_an_exhausted_quota_pauses_before_the_next_request(fake: FakeGitHub) -> None:
    said: list[str] = []
    client = GitHubSession(fake.url, fake.estate.token, ca_bundle=str(fake.ca_bundle), say=said.append)
    fake.quota = (2, 1.0)
    client.get("/orgs/northwind")
    client.get("/repos/northwind/api")  # the last request of the window: X-RateLimit-Remaining: 0
    client.get("/repos/northwind/web")  # sleeps until the reset instead of being refused
    assert len(said) == 1 and "primary rate limit reached" in said[0]
    assert fake.count("/repos/northwind/web") == 1  # paused before sending, not refused


def test_a_wait_longer_than_the_maximum_fails_with_a_clear_reason(fake: FakeGitHub) -> None:
    client = GitHubSession(
        fake.url,
        fake.estate.token,
        ca_bundle=str(fake.ca_bundle),
        max_wait=60,
        sleep=lambda s: None,
        say=lambda m: None,
    )
    fake.inject(r"/orgs/northwind$", "limit:3600")
    with pytest.raises(RateLimited, match=r"the reset is 3\d{3} s away, longer than max_wait_seconds=60"):
        client.get("/orgs/northwind")


def test_retry_after_waits_add_up_to_the_maximum(fake: FakeGitHub) -> None:
    waits: list[float] = []
    client = GitHubSession(
        fake.url, fake.estate.token, ca_bundle=str(fake.ca_bundle), max_wait=20, sleep=waits.append, say=lambda m: None
    )
    fake.inject(r"/orgs/northwind$", "429:8", persistent=True)
    with pytest.raises(RateLimited, match=r"after 16 s of waiting, longer than max_wait_seconds=20"):
        client.get("/orgs/northwind")
    assert waits == [8.0, 8.0]


def test_a_kept_alive_connection_closed_by_the_server_is_replaced_at_once(
    session: GitHubSession, fake: FakeGitHub
) -> None:
    session.get("/orgs/northwind")  # leaves its connection in the pool
    fake.inject(r"/repos/northwind/api$", "drop")
    assert session.get("/repos/northwind/api")["name"] == "api"
    assert fake.count(r"/repos/northwind/api$") == 2 and session.waits == []  # no backoff


def test_conditional_requests_reuse_the_cache_without_the_token(fake: FakeGitHub, tmp_path: Path) -> None:
    def client() -> GitHubSession:
        return GitHubSession(fake.url, fake.estate.token, ca_bundle=str(fake.ca_bundle), cache=EtagCache(tmp_path))

    first = list(client().paged("/orgs/northwind/repos"))
    assert fake.not_modified == 0
    again = client()
    assert list(again.paged("/orgs/northwind/repos")) == first
    assert fake.not_modified == 3 and again.stats["not_modified"] == 3  # every page answered 304
    fake.estate.repo("northwind", "new-service")
    changed = [r["name"] for r in client().paged("/orgs/northwind/repos")]
    assert changed[-1] == "new-service"  # a changed page is read again
    with sqlite3.connect(tmp_path / "etags.sqlite") as db:
        rows = db.execute("SELECT key, etag, link, body FROM etags").fetchall()
    stored = b"".join(k.encode() + e.encode() + link.encode() + zlib.decompress(body) for k, e, link, body in rows)
    assert len(rows) == 3 and b"new-service" in stored
    assert fake.estate.token.encode() not in stored + (tmp_path / "etags.sqlite").read_bytes()


def test_the_reset_header_is_honoured_in_real_time(fake: FakeGitHub) -> None:
    said: list[str] = []
    client = GitHubSession(fake.url, fake.estate.token, ca_bundle=str(fake.ca_bundle), say=said.append)
    fake.inject(r"/orgs/northwind$", "429:1")
    started = time.monotonic()
    assert client.get("/orgs/northwind")["login"] == "northwind"
    assert time.monotonic() - started >= 1.0 and len(said) == 1
