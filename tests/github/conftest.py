"""One fake GitHub (HTTPS, paging by 2) per test session; each test gets it reset to a fresh demo estate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trustsweep_github.emulator import FakeGitHub, GitHubEstate, demo_estate
from trustsweep_github.session import GitHubSession

from .sweeping import Sweep, sweep


@pytest.fixture(scope="session")
def _fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGitHub]:
    with FakeGitHub(GitHubEstate(), tmp_path_factory.mktemp("github-fake"), page_size=2, timeout_delay=1.5) as fake:
        yield fake


@pytest.fixture
def fake(_fake: FakeGitHub) -> FakeGitHub:
    """The fake serving Northwind's demo organisation, with no fault and an empty request log."""
    _fake.reset(demo_estate())
    return _fake


@pytest.fixture
def session(fake: FakeGitHub) -> Iterator[GitHubSession]:
    """A client of the fake that records its waits instead of sleeping through them."""
    waits: list[float] = []
    messages: list[str] = []
    client = GitHubSession(
        fake.url,
        fake.estate.token,
        ca_bundle=str(fake.ca_bundle),
        backoff=0.01,
        timeout=1.0,
        say=messages.append,
        sleep=waits.append,
    )
    client.waits, client.messages = waits, messages  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture
def sweep_env(fake: FakeGitHub, tmp_path: Path) -> dict[str, str]:
    """Environment for ``trustsweep sweep -p github`` against the fake (its own ETag cache folder)."""
    return {**fake.env(), "XDG_CACHE_HOME": str(tmp_path / "cache"), "GH_TOKEN": ""}


@pytest.fixture
def github_sweep() -> Sweep:
    return sweep
