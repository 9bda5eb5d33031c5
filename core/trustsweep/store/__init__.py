"""Evidence store. (Being built: see the evidence-store issue.)"""
from __future__ import annotations

from typing import Any


def record_sweep(sweep: Any, url: str | None) -> str:
    return ""


def current_attestations(url: str | None) -> list[Any]:
    return []


def current_waivers(url: str | None) -> list[Any]:
    return []
