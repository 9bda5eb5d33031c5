"""Shared AWS test fixtures: the moto server (``aws_emulator``, once per session; ``aws_env``, reset
per test with boto3 pointed at it), a sweep through the real plugin, and one seeded Northwind
estate swept once per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from trustsweep.config import Config
from trustsweep.model import CheckResult, Status
from trustsweep.plugins import Registry
from trustsweep.sweep import Sweep, run_sweep
from trustsweep_aws import session
from trustsweep_aws.emulator import (
    CLEARED_ENV,
    AwsEmulator,
    Estate,
    finding,
    seed_estate,
    start_emulator,
    write_profiles,
)

SETTINGS = {
    "admin_roles": ["PlatformAdmin"],
    "access_logging_buckets": ["nw-audit-logs", "nw-public-assets"],
}
SECRET = "S3CR3T-nw-7f3a9c21e5"


def aws_sweep(
    *,
    targets: Sequence[str] = (),
    regions: Sequence[str] = (),
    options: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    save_inventory: Path | None = None,
) -> Sweep:
    """One sweep of the aws provider through the installed plugin (threads, like the CLI)."""
    registry = Registry.load()
    mapping = registry.mapping()
    config = Config(settings={"aws": dict(settings if settings is not None else SETTINGS)})
    with ThreadPoolExecutor(8) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=["aws"],
            targets=targets,
            regions=regions,
            provider_options={"aws": dict(options or {})},
            config=config,
            executor=pool,
            now=now,
            save_inventory=save_inventory,
        )


@dataclass
class Swept:
    estate: Estate
    sweep: Sweep
    names: dict[str, str]  # resource id → name
    endpoint: str
    env: dict[str, str]
    inventory: Path

    def results(self, check_id: str, name: str | None = None, target: str | None = None) -> list[CheckResult]:
        out = [
            r
            for r in self.sweep.results
            if r.check_id == check_id
            and (target is None or r.target == target)
            and (name is None or self.names.get(r.resource_id) == name or r.resource_id.endswith(name))
        ]
        return out

    def status(self, check_id: str, name: str, target: str | None = None) -> Status:
        found = self.results(check_id, name, target or self.estate.account)
        statuses = {r.status for r in found}
        assert len(statuses) == 1, f"{check_id} on {name}: got {[(r.resource_id, r.status) for r in found]}"
        return statuses.pop()


@contextmanager
def pointed_at(
    emulator: AwsEmulator, directory: Path, profiles: dict[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """boto3 and the plugin's cached clients pointed at ``emulator`` through the environment, for the block."""
    env = emulator.env(write_profiles(directory, profiles))
    with pytest.MonkeyPatch.context() as mp:
        for name in CLEARED_ENV:
            mp.delenv(name, raising=False)
        for key, value in env.items():
            mp.setenv(key, value)
        session.reset_cache()
        try:
            yield env
        finally:
            session.reset_cache()


@pytest.fixture(scope="session")
def aws_emulator() -> Iterator[AwsEmulator]:
    """One moto server for the test session (reset it between tests with :func:`aws_env`)."""
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def aws_env(aws_emulator: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsEmulator]:
    """A reset emulator with boto3 pointed at it through the environment (and fresh plugin clients)."""
    aws_emulator.reset()
    for name in CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    config = write_profiles(tmp_path / "aws")
    for key, value in aws_emulator.env(config).items():
        monkeypatch.setenv(key, value)
    session.reset_cache()
    yield aws_emulator
    session.reset_cache()


@pytest.fixture(scope="session")
def northwind(aws_emulator: AwsEmulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Swept]:
    """The Northwind estate (2 regions, 1 member account, planted secrets), swept once per session as an organisation."""
    aws_emulator.reset()
    tmp = tmp_path_factory.mktemp("northwind")
    with pointed_at(aws_emulator, tmp / "aws", {"northwind": "testing"}) as env:
        estate = seed_estate(aws_emulator.endpoint, secret=SECRET, members=1)
        aws_emulator.seed_inspector_findings([finding("HIGH", 3, "CVE-2026-1111 in libxml2")], "us-east-1")
        sweep = aws_sweep(
            regions=list(estate.regions),
            save_inventory=tmp / "inventory",
            options={"organization": True, "production_account": [estate.account], "external_id": "nw-external-id"},
        )
    # the environment is restored before tests run: they read the Sweep and the saved inventory only
    yield Swept(estate, sweep, {r.id: r.name for r in sweep.resources}, aws_emulator.endpoint, env, tmp / "inventory")
