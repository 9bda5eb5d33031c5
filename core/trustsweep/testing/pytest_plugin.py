"""The ``trustsweep`` pytest plugin (entry point ``pytest11``): fixtures for plugin authors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..plugins import Registry


@pytest.fixture
def trustsweep_registry() -> Iterator[Registry]:
    """A fresh registry of the installed plugins (a new plugin manager, no global state)."""
    yield Registry.load()
