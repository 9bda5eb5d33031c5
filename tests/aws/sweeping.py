"""AWS test helpers (imported by tests and by ``conftest.py``, never from it): a sweep of the aws
provider through the installed plugin, the Northwind sweep's view, and boto3 pointed at an emulator."""

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
from trustsweep_aws.emulator import CLEARED_ENV, AwsEmulator, Estate, write_profiles

SETTINGS = {"admin_roles": ["PlatformAdmin"], "access_logging_buckets": ["nw-audit-logs", "nw-public-assets"]}
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
