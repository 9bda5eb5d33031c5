"""``trustsweep plugins list``: the installed plugins, the providers and checks each declares (no cloud SDK import)."""

from __future__ import annotations

import typer

from . import common
from .common import ListFormat, ListFormatOpt, json_out, table


def plugins_list(fmt: ListFormatOpt = ListFormat.table) -> None:
    """Installed plugins, the providers and checks each declares."""
    registry = common.load_registry()
    rows = []
    for info in registry.plugins:
        providers = [p.name for p in registry.providers.values() if p.plugin == info.name]
        checks = [c for c in registry.checks.values() if c.plugin == info.name]
        rows.append({"name": info.name, "module": info.module, "distribution": info.distribution,
                     "version": info.version, "providers": providers, "checks": len(checks),
                     "emulator": any(e.provider in providers for e in registry.emulators.values())})
    if fmt is ListFormat.json:
        json_out(rows)
        return
    table("Plugins", ["name", "distribution", "version", "providers", "checks", "emulator"],
          [[r["name"], r["distribution"], r["version"], ", ".join(r["providers"]), r["checks"],
            "yes" if r["emulator"] else ""] for r in rows])


def register(plugins_app: typer.Typer) -> None:
    """Add ``list`` to the ``plugins`` command group."""
    plugins_app.command("list")(plugins_list)
