"""pytest fixtures of the GCP fake, for the plugin's tests and anyone testing against it.

Load them with one line in the root ``conftest.py``: ``pytest_plugins = ("trustsweep_gcp.emulator.fixtures",)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeGcp


@pytest.fixture(scope="session")
def gcp_emulator() -> Iterator[FakeGcp]:
    """One fake Cloud Asset / Security Command Center server for the test session."""
    with FakeGcp() as fake:
        yield fake


@pytest.fixture
def gcp_fake(gcp_emulator: FakeGcp, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGcp]:
    """The session's fake, emptied, with ``TRUSTSWEEP_GCP_ENDPOINT`` pointing at it."""
    gcp_emulator.reset()
    monkeypatch.setenv("TRUSTSWEEP_GCP_ENDPOINT", gcp_emulator.endpoint)
    yield gcp_emulator
    gcp_emulator.reset()
