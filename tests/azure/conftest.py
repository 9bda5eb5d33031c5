"""Fixtures of the Azure plugin tests: the HTTPS fake (the plugin's emulator) and the registry.

Test modules in the subfolders import ``azure_helpers`` and ``azure_estates`` from here (this
folder is on ``sys.path`` because this conftest has no package around it: a ``tests/azure``
package would be named ``azure`` and shadow the Azure SDK).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from trustsweep.plugins import Registry
from trustsweep_azure.emulator import AzureEstate, FakeAzure


@pytest.fixture(scope="session")
def azure_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeAzure]:
    """One fake Azure (HTTPS) per test session; call ``fake.reset(estate)`` in each test.

    Serves an empty estate until reset. ``arm_page_size=2`` so that ``nextLink`` paging runs.
    """
    with FakeAzure(AzureEstate(), tmp_path_factory.mktemp("azure-fake"), arm_page_size=2,
                   timeout_delay=2.5) as fake:
        yield fake


@pytest.fixture(scope="session")
def azure_registry() -> tuple[Registry, Any]:
    """The installed plugins and the mapping they ship (the Azure plugin's ``soc2.yaml`` among them)."""
    registry = Registry.load()
    return registry, registry.mapping()


@pytest.fixture
def fake(azure_fake: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """The session's fake, emptied, with the plugin pointed at it."""
    azure_fake.reset(AzureEstate())
    for key, value in azure_fake.env().items():
        monkeypatch.setenv(key, value)
    yield azure_fake
    azure_fake.reset()
