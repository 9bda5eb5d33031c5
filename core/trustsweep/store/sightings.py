"""The evidence store as a :class:`~trustsweep.sightings.Sightings` lookup (read-only).

Walks the stored sweeps that covered the provider, newest first, and stops as soon as every
asked id has been found, so a resource seen in the last sweep costs one sweep's rows. Of the
other sweeps only the index columns (idx, key, type) are read. The chain of entries is verified
once; each sweep read must hold as many resource rows as its entry recorded (a deleted record is
noticed), and the rows of each sweep a record is taken from are re-hashed before it is used: a
tampered store is a :class:`~trustsweep.store.ledger.TamperedError` (one line, exit 2), never a
quietly shorter history. (An edited key column of a sweep no record is taken from is found by
``trustsweep verify``, not here.) A SQLite store that does not exist yet is not created.
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

    def last_seen(
        self, provider: str, type_: str, ids: Collection[str], since: dt.datetime | None = None
    ) -> dict[str, Sighting]:
        wanted = set(ids)
        if not wanted or self._missing():
            return {}
        from . import open_store

        with open_store(self.url, create=False) as store, store.translated(), store.readable():
            return _walk(store, provider, type_, wanted, since)


def _walk(
    store: EvidenceStore, provider: str, type_: str, wanted: set[str], since: dt.datetime | None
) -> dict[str, Sighting]:
    from .ledger import TamperedError, decoded, sweep_parts
    from .verify import _rows_problem, verify

    report = verify(store, rows=False)  # the chain of entries: hashes and links, no bulk rows
    if not report.ok:
        raise TamperedError(report.problems[0])
    found: dict[str, Sighting] = {}
    prefix = f"{provider}|"
    for entry in reversed(store.entries("sweep", since)):
        if len(found) == len(wanted):
            break
        data = decoded(entry, sweep_parts)
        if provider not in (data.get("providers") or ()):
            continue
        # the index columns first (no bodies read): most sweeps hold none of the ids still wanted
        rows = store.db.query("SELECT idx, key, type FROM resources WHERE entry = ?", (entry.seq,))
        if len(rows) != data["tables"]["resources"]["count"]:
            raise TamperedError(
                f"{entry.label()}: its stored resources do not match its digest "
                f"({len(rows)} rows, {data['tables']['resources']['count']} recorded)"
            )
        missing = wanted.difference(found)
        hits = {
            int(idx)
            for idx, key, kind in rows
            if kind == type_ and key.startswith(prefix) and _names_one(key[len(prefix) :], missing)
        }
        if not hits:
            continue
        problem = _rows_problem(store, entry, data, "resources")  # the rows about to be read verify
        if problem:
            raise TamperedError(f"{entry.label()}: {problem}")
        at = dt.datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
        for idx, _key, _kind, body in store.rows("resources", entry.seq):
            if idx in hits:
                resource = orjson.loads(body)
                rid = resource.get("id")
                if rid in wanted and rid not in found:
                    found[rid] = Sighting(entry.id, at, resource.get("properties") or {})
    return found


def _names_one(target_and_id: str, ids: set[str]) -> bool:
    """Whether a resource key's ``TARGET|ID`` part ends in one of ``ids`` (either may hold a ``|``)."""
    at = target_and_id.find("|")
    while at >= 0:
        if target_and_id[at + 1 :] in ids:
            return True
        at = target_and_id.find("|", at + 1)
    return False
