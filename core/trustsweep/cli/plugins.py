"""``trustsweep plugins list``: the installed plugins, the providers and checks each declares (no cloud SDK import)."""

from __future__ import annotations

from typing import Any

import typer

from . import common
from .common import ListFormat, ListFormatOpt, json_out, table


def plugins_list(fmt: ListFormatOpt = ListFormat.table) -> None:
    """Installed plugins, the providers and checks each declares."""
    registry = common.load_registry()
    rows: list[dict[str, Any]] = []
    cells: list[list[Any]] = []
    for info in registry.plugins:
        providers = [p.name for p in registry.providers.values() if p.plugin == info.name]
        checks = sum(1 for c in registry.checks.values() if c.plugin == info.name)
        emulator = any(e.provider in providers for e in registry.emulators.values())
        rows.append(
            {
                "name": info.name,
                "module": info.module,
                "distribution": info.distribution,
                "version": info.version,
                "providers": providers,
                "checks": checks,
                "emulator": emulator,
            }
        )
        cells.append(
            [info.name, info.distribution, info.version, ", ".join(providers), checks, "yes" if emulator else ""]
        )
    if fmt is ListFormat.json:
        json_out(rows)
        return
    table("Plugins", ["name", "distribution", "version", "providers", "checks", "emulator"], cells)


def register(plugins_app: typer.Typer) -> None:
    """Add ``list`` to the ``plugins`` command group."""
    plugins_app.command("list")(plugins_list)
