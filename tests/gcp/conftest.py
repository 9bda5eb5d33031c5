"""Helpers for the GCP plugin tests: sweeps run through the real plugin, SDK and HTTP."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from trustsweep.config import Config
from trustsweep.mappings import load_mapping
from trustsweep.model import CheckResult
from trustsweep.plugins import Registry
from trustsweep.sweep import Sweep, run_sweep
from trustsweep.testing.gcp import FakeGcp

FAST_RETRY = {"retry_initial": 0.01, "retry_maximum": 0.05, "retry_deadline": 3.0, "request_timeout": 5.0}


@pytest.fixture(scope="session")
def gcp_registry() -> tuple[Registry, Any]:
    registry = Registry.load()
    known = {c: c for c in registry.checks} | dict(registry.aliases)
    mapping = load_mapping(known_checks=known, installed_providers=registry.providers,
                           plugin_files=registry.mapping_files)
    return registry, mapping


def sweep(fake: FakeGcp, registry_mapping: tuple[Registry, Any], *, targets: list[str] = (),
          checks: dict[str, dict[str, Any]] | None = None, **options: Any) -> Sweep:
    registry, mapping = registry_mapping
    opts = {"endpoint": fake.endpoint, **FAST_RETRY, **options}
    with ThreadPoolExecutor(6) as pool:
        return run_sweep(registry, mapping, providers=["gcp"], targets=list(targets),
                         provider_options={"gcp": opts}, config=Config(checks=checks or {}), executor=pool)


def results_by(s: Sweep) -> dict[tuple[str, str], CheckResult]:
    """(check id, resource id) → result."""
    return {(r.check_id, r.resource_id): r for r in s.results}


@pytest.fixture
def run_gcp(gcp_fake: FakeGcp, gcp_registry: tuple[Registry, Any]) -> Callable[..., Sweep]:
    def run(**kwargs: Any) -> Sweep:
        return sweep(gcp_fake, gcp_registry, **kwargs)
    return run
