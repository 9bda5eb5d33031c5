"""Test-suite wide settings: no test writes to the real user data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("TRUSTSWEEP_STORE", raising=False)
    monkeypatch.delenv("TRUSTSWEEP_CONFIG", raising=False)
    yield


@pytest.fixture
def synthetic_dir(tmp_path: Path) -> Path:
    d = tmp_path / "synthetic"
    d.mkdir()
    return d
