"""The evidence store as a :class:`~trustsweep.sightings.Sightings` lookup (read-only).

Walks the stored sweeps that covered the provider, newest first, and stops as soon as every
asked id has been found, so a resource seen in the last sweep costs one sweep's rows. The chain
of entries is verified once, and each sweep's resource rows before they are read: tampered
evidence is a :class:`~trustsweep.store.ledger.TamperedError` (one line, exit 2), never a quietly
shorter history. A SQLite store that does not exist yet has no history and is not created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING

import orjson

from ..sightings import Sighting

if TYPE_CHECKING:
    from .ledger import EvidenceStore


class StoreSightings:
    """What the store at ``url`` recorded of each resource (opened on the first lookup, per lookup)."""

    def __init__(self, url: str | None) -> None:
        from .urls import parse_url

        self.url = url
        self._parsed = parse_url(url)  # a bad URL is bad input now, before any work

    def _missing(self) -> bool:
        p = self._parsed
        return p.kind == "sqlite" and p.path is not None and not p.path.exists()

    def last_seen(self, provider: str, type_: str, ids: Collection[str],
                  since: dt.datetime | None = None) -> dict[str, Sighting]:
        wanted = set(ids)
        if not wanted or self._missing():
            return {}
        from . import open_store

        with open_store(self.url, create=False) as store, store.translated(), store.readable():
            return _walk(store, provider, type_, wanted, since)


def _walk(store: EvidenceStore, provider: str, type_: str, wanted: set[str],
          since: dt.datetime | None) -> dict[str, Sighting]:
    from .ledger import TamperedError, decoded, sweep_parts
    from .verify import _rows_problem, verify

    report = verify(store, rows=False)  # the chain of entries: hashes and links, no bulk rows
    if not report.ok:
        raise TamperedError(report.problems[0])
    found: dict[str, Sighting] = {}
    prefix = f"{provider}|"
    for entry in reversed(store.entries("sweep", since)):
        data = decoded(entry, sweep_parts)
        if provider not in (data.get("providers") or ()):
            continue
        problem = _rows_problem(store, entry, data, "resources")
        if problem:
            raise TamperedError(f"{entry.label()}: {problem}")
        at = dt.datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
        for _idx, key, kind, body in store.rows("resources", entry.seq):
            if kind != type_ or not key.startswith(prefix):
                continue
            resource = orjson.loads(body)
            rid = resource.get("id")
            if rid in wanted and rid not in found:
                found[rid] = Sighting(entry.id, at, resource.get("properties") or {})
        if len(found) == len(wanted):
            break
    return found
