"""pytest fixtures of the GCP fake, for the plugin's tests and anyone testing against it.

Import them into a ``conftest.py``: ``from trustsweep_gcp.emulator.fixtures import gcp_emulator, gcp_fake``.
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
