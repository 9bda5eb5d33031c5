"""Helpers for the GCP plugin tests: the fake's fixtures, and sweeps through the real plugin, SDK and HTTP."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from trustsweep.config import Config
from trustsweep.mappings import Mapping
from trustsweep.model import CheckResult
from trustsweep.plugins import Registry
from trustsweep.sweep import Sweep, run_sweep
from trustsweep_gcp.emulator import FakeGcp

FAST_RETRY = {"retry_initial": 0.01, "retry_maximum": 0.05, "retry_deadline": 3.0, "read_timeout_seconds": 5.0}


@pytest.fixture(scope="session")
def gcp_registry() -> tuple[Registry, Mapping]:
    registry = Registry.load()
    return registry, registry.mapping()


def sweep(
    fake: FakeGcp,
    registry_mapping: tuple[Registry, Mapping],
    *,
    targets: list[str] = (),
    checks: dict[str, dict[str, Any]] | None = None,
    inventory: Path | None = None,
    **options: Any,
) -> Sweep:
    """A sweep of the fake; ``inventory``: save the collected resources there (see ``saved_resources``)."""
    registry, mapping = registry_mapping
    opts = {"endpoint": fake.endpoint, **FAST_RETRY, **options}
    with ThreadPoolExecutor(6) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=["gcp"],
            targets=list(targets),
            provider_options={"gcp": opts},
            config=Config(checks=checks or {}),
            executor=pool,
            save_inventory=inventory,
        )


def sweep_in_processes(fake: FakeGcp, registry_mapping: tuple[Registry, Mapping], **options: Any) -> Sweep:
    """A sweep on a pool of two worker processes (``targets`` among ``options``, like :func:`sweep`)."""
    from trustsweep.collect import make_executor

    registry, mapping = registry_mapping
    targets = list(options.pop("targets", ()))
    with make_executor("processes", 2) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=["gcp"],
            targets=targets,
            executor=pool,
            config=Config(),
            provider_options={"gcp": {"endpoint": fake.endpoint, **FAST_RETRY, **options}},
        )


def results_by(s: Sweep) -> dict[tuple[str, str], CheckResult]:
    """(check id, resource id) → result."""
    return {(r.check_id, r.resource_id): r for r in s.results}


@pytest.fixture
def run_gcp(gcp_fake: FakeGcp, gcp_registry: tuple[Registry, Mapping]) -> Callable[..., Sweep]:
    def run(**kwargs: Any) -> Sweep:
        return sweep(gcp_fake, gcp_registry, **kwargs)

    return run
