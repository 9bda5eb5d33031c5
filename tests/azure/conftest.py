"""Fixtures of the Azure plugin tests: the HTTPS fake (the plugin's emulator) and the registry.

Test modules in the subfolders import ``azure_helpers`` and ``azure_estates`` from here (this
folder is on ``sys.path`` because this conftest has no package around it: a ``tests/azure``
package would be named ``azure`` and shadow the Azure SDK).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from trustsweep.plugins import Registry
from trustsweep_azure.emulator import AzureEstate, FakeAzure


@pytest.fixture(scope="session")
def azure_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeAzure]:
    """One fake Azure (HTTPS) per test session; call ``fake.reset(estate)`` in each test.

    Serves an empty estate until reset. ``arm_page_size=2`` so that ``nextLink`` paging runs.
    """
    with FakeAzure(AzureEstate(), tmp_path_factory.mktemp("azure-fake"), arm_page_size=2, timeout_delay=2.5) as fake:
        yield fake


@pytest.fixture(scope="session")
def azure_registry() -> tuple[Registry, Any]:
    """The installed plugins and the mapping they ship (the Azure plugin's ``soc2.yaml`` among them)."""
    registry = Registry.load()
    return registry, registry.mapping()


@pytest.fixture(scope="session")
def checks_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where :func:`checks_sweep` saves what it collected (the resources with their properties)."""
    return tmp_path_factory.mktemp("azure-checks-inventory")


@pytest.fixture(scope="session")
def checks_sweep(azure_fake: FakeAzure, azure_registry: tuple[Registry, Any], checks_inventory: Path) -> Any:
    """One sweep of ``azure_estates.checks_estate`` (a passing and a failing resource per check,
    ``require_cmk`` on), shared by the tests that judge its results and (saved in
    ``checks_inventory``) its properties."""
    from azure_estates import NOW, checks_estate
    from azure_helpers import sweep

    with pytest.MonkeyPatch.context() as patch:
        for key, value in azure_fake.env().items():
            patch.setenv(key, value)
        try:
            s = sweep(
                azure_fake,
                azure_registry,
                checks_estate(),
                now=NOW,
                checks={"azure.compute.disk_encryption": {"require_cmk": True}},
                inventory=checks_inventory,
            )
        finally:
            azure_fake.reset()
    assert not s.collection_errors, s.collection_errors
    return s


@pytest.fixture
def fake(azure_fake: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """The session's fake, emptied, with the plugin pointed at it."""
    azure_fake.reset(AzureEstate())
    for key, value in azure_fake.env().items():
        monkeypatch.setenv(key, value)
    yield azure_fake
    azure_fake.reset()
