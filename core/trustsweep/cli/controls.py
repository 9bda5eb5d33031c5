"""``trustsweep controls``: the SOC 2 criteria × providers, from the mapping (no cloud SDK import)."""

from __future__ import annotations

from typing import Any

import typer

from . import common
from .common import ListFormat, ListFormatOpt, MappingOpt, json_out, load_mapping, table


def controls(fmt: ListFormatOpt = ListFormat.table, mapping: MappingOpt = []) -> None:
    """The 61 SOC 2 criteria × providers: how many checks and which attestation types evidence each."""
    registry = common.load_registry()
    mapping_ = load_mapping(registry, mapping)
    providers = sorted(registry.providers)
    rows: list[dict[str, Any]] = []
    cells: list[list[Any]] = []
    for cid, criterion in mapping_.criteria.items():
        entry = mapping_.entries[cid]
        per = {p: sum(1 for c in entry.checks if registry.checks[c].provider == p) for p in providers}
        rows.append(
            {
                "id": cid,
                "category": criterion.category,
                "title": criterion.title,
                "checks": per,
                "attestations": list(entry.attestations),
            }
        )
        cells.append([cid, *[per[p] or "" for p in providers], ", ".join(entry.attestations), criterion.title])
    if fmt is ListFormat.json:
        json_out(rows)
        return
    table("SOC 2 criteria coverage", ["criterion", *providers, "attestations", "title"], cells)


def register(app: typer.Typer) -> None:
    """Add ``controls`` to the CLI."""
    app.command()(controls)
