"""OSCAL output. (Being built: see the OSCAL issue.)"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sweep import Sweep


def write_bundle(sweep: "Sweep", out_dir: Path, *, oscal_version: str = "1.2.1", fmt: str = "json") -> list[Path]:
    raise RuntimeError("OSCAL output is not built yet")
