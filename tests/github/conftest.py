"""One fake GitHub (HTTPS, paging by 2) per test session; each test gets it reset to a fresh demo estate."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from trustsweep.testing.cli import run_cli
from trustsweep_github.emulator import FakeGitHub, GitHubEstate, demo_estate
from trustsweep_github.session import GitHubSession


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


Results = dict[tuple[str, str], tuple[str, str]]
Sweep = Callable[..., tuple[subprocess.CompletedProcess[str], Results]]


@pytest.fixture
def github_sweep() -> Sweep:
    return sweep


def sweep(
    env: dict[str, str], tmp_path: Path, *args: str, config: str = ""
) -> tuple[subprocess.CompletedProcess[str], Results]:
    """``trustsweep sweep -p github ARGS`` into ``tmp_path/out``: the process and
    ``{(check, resource): (status, reason)}`` read from the OSCAL assessment results."""
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)  # a sweep that writes nothing must not be read as the last one
    extra = []
    if config:
        (tmp_path / "trustsweep.yaml").write_text(config, encoding="utf-8")
        extra = ["--config", str(tmp_path / "trustsweep.yaml")]
    proc = run_cli(
        "sweep",
        "-p",
        "github",
        "--out",
        str(out),
        "--store",
        f"sqlite:///{tmp_path / 'ev.sqlite'}",
        "--quiet",
        *extra,
        *args,
        env=env,
    )
    results: dict[tuple[str, str], tuple[str, str]] = {}
    path = out / "assessment-results.json"
    if path.exists():
        doc = json.loads(path.read_text())["assessment-results"]["results"][0]
        for obs in doc.get("observations", []):
            props = {p["name"]: p["value"] for p in obs.get("props", [])}
            if "check-id" in props:
                resource = obs["title"].split(" on ", 1)[1]
                results[(props["check-id"], resource)] = (props.get("result", ""), obs.get("description", ""))
    return proc, results
