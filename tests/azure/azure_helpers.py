"""Helpers for the Azure plugin tests (importable because tests/azure is on sys.path)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from trustsweep.config import Config
from trustsweep.model import CheckResult
from trustsweep.plugins import Registry
from trustsweep.sweep import Sweep, run_sweep
from trustsweep_azure.emulator import AzureEstate, FakeAzure

FAST = {"retry_base_seconds": 0.01, "read_timeout_seconds": 1.0, "max_attempts": 4}


def sweep(
    fake: FakeAzure,
    registry_mapping: tuple[Registry, Any],
    estate: AzureEstate | None = None,
    *,
    targets: list[str] = (),
    checks: dict[str, dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
    inventory: Path | None = None,
    **options: Any,
) -> Sweep:
    """A sweep of the fake (``estate`` loaded first); ``inventory``: save the collected resources there."""
    if estate is not None:
        fake.reset(estate)
    registry, mapping = registry_mapping
    with ThreadPoolExecutor(6) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=["azure"],
            targets=list(targets),
            provider_options={"azure": {**FAST, **options}},
            config=Config(checks=checks or {}),
            executor=pool,
            now=now,
            save_inventory=inventory,
        )


def by_name(s: Sweep) -> dict[tuple[str, str], CheckResult]:
    """(check id, resource name) → result; the name is the last segment of the resource id or its name."""
    names = {r.key: r.name for r in s.resources}
    out = {}
    for result in s.results:
        name = names.get(result.resource_key) or result.resource_id.rsplit("/", 1)[-1]
        out[(result.check_id, name)] = result
    return out
