"""Where a sweep's evidence came from: a live read-only sweep, or a saved inventory evaluated offline.

The provenance is plain data on the :class:`~trustsweep.sweep.Sweep`; the evidence store keeps it
in the sweep's hashed entry and the OSCAL result states it (props and description). An offline
evaluation names the inventory's digest, its collection time and whether every file still matches
the seal it was saved with (see :mod:`trustsweep.inventory`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import UserError
from .inventory import EDITED, SEALED, UNSEALED, InventoryFile

LIVE = "automated-sweep"
OFFLINE = "offline-inventory"
_WORST = {SEALED: 0, UNSEALED: 1, EDITED: 2}


def live() -> dict[str, Any]:
    return {"mode": LIVE}


def offline(directory: Path, loaded: Sequence[InventoryFile]) -> dict[str, Any]:
    """The provenance of an evaluation of ``loaded`` (read from ``directory``).

    ``sha256`` of the whole inventory covers each file's relative path and content digest.
    """
    files = []
    for inv in loaded:
        path = inv.path.relative_to(directory).as_posix() if inv.path else inv.target.id
        files.append(
            {
                "path": path,
                "provider": inv.target.provider,
                "target": inv.target.id,
                "sha256": inv.sha256,
                "collected_at": inv.collected_at.isoformat(),
                "integrity": inv.integrity,
                "tool_version": inv.tool_version,
            }
        )
    files.sort(key=lambda f: f["path"])
    digest = hashlib.sha256("".join(f"{f['path']}\t{f['sha256']}\n" for f in files).encode()).hexdigest()
    return {
        "mode": OFFLINE,
        "inventory": {
            "sha256": digest,
            "collected_at": min((f["collected_at"] for f in files), default=""),
            "integrity": max((f["integrity"] for f in files), key=_WORST.__getitem__, default=SEALED),
            "files": files,
        },
    }


def refuse_unsealed(loaded: Sequence[InventoryFile], accept_edited: bool) -> None:
    """An inventory file that does not match its seal (or has none) is refused unless accepted."""
    if accept_edited:
        return
    for inv in loaded:
        if inv.integrity == EDITED:
            raise UserError(
                "the inventory was changed after it was saved (its content does not match its seal); "
                "--accept-edited evaluates it anyway, marked as edited",
                path=inv.path,
            )
        if inv.integrity == UNSEALED:
            raise UserError(
                "the inventory has no seal (saved by an older trustsweep, or cut short), so an edit "
                "cannot be detected; --accept-edited evaluates it anyway, marked as unsealed",
                path=inv.path,
            )


def warnings(provenance: dict[str, Any], directory: Path | None = None) -> list[str]:
    """One line per inventory file evaluated although edited or unsealed."""
    inventory = provenance.get("inventory") or {}
    base = directory or Path()
    return [
        f"{base / f['path']}: evaluated although {f['integrity']} "
        f"({'changed after it was saved' if f['integrity'] == EDITED else 'no seal to check it against'})"
        for f in inventory.get("files", ())
        if f.get("integrity") != SEALED
    ]


def describe(provenance: dict[str, Any]) -> str:
    """How the evidence was obtained, as the start of a sentence (for the OSCAL result)."""
    if provenance.get("mode") != OFFLINE:
        resumed = provenance.get("resumed")
        if not resumed:
            return "Automated read-only sweep"
        return (
            f"Automated read-only sweep, started at {resumed.get('started')}, interrupted and resumed at "
            f"{resumed.get('at')} ({len(resumed.get('carried') or ())} target(s) carried over from before the "
            "interruption),"
        )
    inv = provenance.get("inventory") or {}
    state = {
        SEALED: "every file matches its seal",
        EDITED: "EDITED after it was saved",
        UNSEALED: "UNSEALED, edits cannot be detected",
    }.get(inv.get("integrity", ""), "integrity unknown")
    return (
        f"Offline evaluation, without calling any cloud API, of an inventory saved at {inv.get('collected_at')} "
        f"(SHA-256 {inv.get('sha256')}; {state}),"
    )


def props(provenance: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value) pairs for the OSCAL result's props in trustsweep's namespace."""
    out = [("evidence-mode", str(provenance.get("mode") or LIVE))]
    inv = provenance.get("inventory")
    if provenance.get("mode") == OFFLINE and inv:
        out += [
            ("inventory-sha256", inv["sha256"]),
            ("inventory-collected", inv["collected_at"]),
            ("inventory-integrity", inv["integrity"]),
        ]
    resumed = provenance.get("resumed")
    if resumed:
        out += [
            ("resumed-from-start", str(resumed["started"])),
            ("resumed-at", str(resumed["at"])),
            ("resumed-carried-targets", " ".join(resumed["carried"]) or "none"),
        ]
    return out
