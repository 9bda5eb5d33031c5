"""What the check modules share: glob matching and the bounds of settings in days."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from trustsweep.plugin import SettingSpec, setting

DAYS = 3653  # ten years: the upper bound of every threshold in days


def days(default: int, help: str, most: int = DAYS) -> SettingSpec:
    """A threshold in whole days, 1 to ``most``."""
    return setting("int", default, help, min=1, max=most)


def matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether ``name`` matches one of the glob ``patterns`` (case-sensitive)."""
    return any(fnmatch.fnmatchcase(name, str(p)) for p in patterns)
