"""Checkpoint entries: each finished target of a sweep, appended to the chain as it completes.

A ``checkpoint`` entry is hash-chained like every other entry (``trustsweep verify`` re-hashes
it) and holds one target's results, collection errors and compact resource facts, with the
sweep's id, start and plan digest. Its id is ``checkpoint:SWEEP_ID:PROVIDER:TARGET``. A sweep
entry with the same SWEEP_ID means the sweep finished; checkpoints without one are what
``trustsweep sweep --resume SWEEP_ID`` carries over (:mod:`trustsweep.resume`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ..errors import UserError
from ..model import CheckResult, CollectionError, Resource, Target
from ..resume import Carried, ResumeState
from . import canonical as c
from .ledger import ENTRY_COLUMNS, Entry, EvidenceStore, decoded

KIND = "checkpoint"


def checkpoint_id(sweep_id: str, provider: str, target: str) -> str:
    return f"{KIND}:{sweep_id}:{provider}:{target}"


def checkpoint_parts(data: dict[str, Any]) -> Carried:
    """A checkpoint entry's content as a :class:`Carried` target (KeyError/TypeError/ValueError if malformed)."""
    for key in ("sweep", "started", "plan_sha256"):
        if not isinstance(data[key], str):
            raise TypeError(f"{key} is not text")
    t = data["target"]
    target = Target(t["provider"], t["id"], t["name"], dict(t["attrs"]))
    resources = [  # [type, id, name, region] and, for a provider's history types, the properties
        Resource(target.provider, target.id, row[3], row[0], row[1], row[2], dict(row[4]) if len(row) > 4 else {})
        for row in data["resources"]
    ]
    results = [c._result_from(r) for r in data["results"]]
    errors = [CollectionError.from_dict(e) for e in data["collection_errors"]]
    return Carried(target, resources, results, errors)


class Checkpointer:
    """Appends a checkpoint per finished target of one sweep to an open store (close it when done)."""

    def __init__(self, url: str | None, sweep_id: str, started: dt.datetime, plan_sha256: str, providers: list[str]):
        self.url = url
        self.head = {"sweep": sweep_id, "started": c.iso(started), "plan_sha256": plan_sha256, "providers": providers}
        self.store: EvidenceStore | None = None

    def __call__(
        self, target: Target, resources: list[Resource], results: list[CheckResult], errors: list[CollectionError]
    ) -> None:
        if self.store is None:
            self.store = EvidenceStore.open(self.url)
        content = {
            **self.head,
            "at": c.iso(dt.datetime.now(dt.UTC)),
            "target": c._target_dict(target),
            "resources": [
                [r.type, r.id, r.name, r.region, *([r.properties] if r.properties else [])] for r in resources
            ],
            "results": results,
            "collection_errors": [e.to_dict() for e in errors],
        }
        with self.store.translated():
            self.store.append(KIND, checkpoint_id(self.head["sweep"], target.provider, target.id), content)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def load_resume(url: str | None, sweep_id: str) -> ResumeState:
    """The interrupted sweep ``sweep_id`` as checkpointed in the store (UserError, exit 2, if it cannot be resumed).

    The whole chain of entries is verified first: a checkpoint that does not match its hash is refused.
    """
    from .urls import parse_url
    from .verify import require_verified

    try:
        sweep_id = str(uuid.UUID(sweep_id))  # the stored form: no LIKE wildcard in it
    except ValueError:
        raise UserError(f"--resume {sweep_id!r}: not a sweep id (see 'trustsweep history')") from None
    parsed = parse_url(url)
    if parsed.kind == "sqlite" and parsed.path is not None and not parsed.path.exists():
        raise UserError(f"--resume {sweep_id}: no interrupted sweep with that id in {parsed.redacted()}")
    with EvidenceStore.open(url, create=False) as store, store.translated(), store.readable():
        require_verified(store)
        if store.db.query("SELECT 1 FROM entries WHERE kind = 'sweep' AND id = ?", (sweep_id,)):
            raise UserError(f"--resume {sweep_id}: that sweep already finished; nothing to resume")
        rows = store.db.query(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE kind = ? AND id LIKE ? ORDER BY seq",
            (KIND, f"{KIND}:{sweep_id}:%"),
        )
        entries = [Entry(int(r[0]), *r[1:]) for r in rows]
        if not entries:
            raise UserError(f"--resume {sweep_id}: no interrupted sweep with that id in {store.where}")
        first = entries[0].data
        state = ResumeState(
            sweep_id, c.from_iso(first["started"]), first["plan_sha256"], list(first.get("providers") or [])
        )
        for entry in entries:
            carried = decoded(entry, checkpoint_parts)
            state.carried[(carried.target.provider, carried.target.id)] = carried
        return state
