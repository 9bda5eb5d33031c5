"""A sweep's collected resources with their properties, for tests of collectors.

A :class:`~trustsweep.sweep.Sweep` keeps only compact facts of each resource (the raw inventory
never stays in the client); a test that looks at what a collector read sweeps with
``save_inventory=DIR`` and reads the resources back with :func:`saved_resources`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..inventory import inventory_files, load_file
from ..model import Resource

if TYPE_CHECKING:
    from ..sweep import Sweep


def saved_resources(directory: Path) -> list[Resource]:
    """Every resource, properties included, of the inventory saved into ``directory``."""
    return [r for path in inventory_files(directory) for r in load_file(path).resources]


def in_memory(sweep: Sweep) -> Sweep:
    """The sweep with its results and resource facts as lists (for tests that edit or index them)."""
    return replace(sweep, results=list(sweep.results), resources=list(sweep.resources))
