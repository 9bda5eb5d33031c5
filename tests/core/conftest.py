"""Fixtures for the core tests: a third-party plugin exposed through a real dist-info."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TRIVY_SRC = REPO / "docs" / "examples" / "trustsweep-trivy"


def make_dist_info(site: Path, name: str, version: str, entry_points: dict[str, str]) -> Path:
    """Write a real ``*.dist-info`` (METADATA, entry_points.txt, RECORD) under ``site``."""
    dist = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = ["[trustsweep]"] + [f"{k} = {v}" for k, v in entry_points.items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    (dist / "RECORD").write_text("")
    return dist


@pytest.fixture
def trivy_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example Trivy plugin, discoverable through its entry point (in-process and subprocesses)."""
    site = tmp_path / "site"
    make_dist_info(site, "trustsweep-trivy", "0.1.0", {"trivy": "trustsweep_trivy.plugin"})
    monkeypatch.syspath_prepend(str(TRIVY_SRC))
    monkeypatch.syspath_prepend(str(site))
    path = os.pathsep.join([str(site), str(TRIVY_SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    monkeypatch.setenv("PYTHONPATH", path)
    yield site
    for mod in [m for m in sys.modules if m.startswith("trustsweep_trivy")]:
        del sys.modules[mod]
