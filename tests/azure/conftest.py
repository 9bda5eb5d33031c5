"""Helpers for the Azure plugin tests: sweeps through the real plugin, SDK and HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from trustsweep.mappings import load_mapping
from trustsweep.plugins import Registry
from trustsweep.testing.azure import AzureEstate, FakeAzure

@pytest.fixture(scope="session")
def azure_registry() -> tuple[Registry, Any]:
    registry = Registry.load()
    known = {c: c for c in registry.checks} | dict(registry.aliases)
    mapping = load_mapping(known_checks=known, installed_providers=registry.providers,
                           plugin_files=registry.mapping_files)
    return registry, mapping


@pytest.fixture
def fake(azure_fake: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """The session's fake, emptied, with the plugin pointed at it."""
    azure_fake.reset(AzureEstate())
    for key, value in azure_fake.env().items():
        monkeypatch.setenv(key, value)
    yield azure_fake
    azure_fake.reset()
