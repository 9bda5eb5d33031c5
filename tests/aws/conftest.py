"""Shared AWS test fixtures: the moto server (``aws_emulator``, once per session; ``aws_env``, reset
per test with boto3 pointed at it) and one seeded Northwind estate swept once per session. The
helpers they use are in :mod:`.sweeping`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trustsweep_aws import session
from trustsweep_aws.emulator import CLEARED_ENV, AwsEmulator, finding, seed_estate, start_emulator, write_profiles

from .sweeping import SECRET, Swept, aws_sweep, pointed_at


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
