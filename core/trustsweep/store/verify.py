"""``trustsweep verify``: re-hash every entry and every stored row; name the first that fails.

The walk checks, entry by entry in chain order: positions are contiguous from 1; the content is a
JSON object that names its own position and the previous entry's hash; the content hashes to the
stored hash; the indexed columns agree with the content; the content holds every part its kind
needs (a missing or malformed part is reported, never a crash); a revocation revokes an earlier
attestation or waiver; a sweep's bulk rows, mapping and check catalog match the digests in its
content, and no other kind of entry owns bulk rows; a stored attestation file matches its SHA-256.
Then that no bulk row belongs to an entry that is not in the chain, and (with ``expect_head``) that
the chain still reaches a head recorded elsewhere, e.g. in an OSCAL document's
``evidence-chain-head`` prop — the only way to notice that the newest entries were cut off.

:func:`require_verified` is the cheaper check run before ``history``, ``diff`` and ``export`` read
the store: the whole chain of entries, plus the rows those commands read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from . import canonical as c
from .checkpoints import checkpoint_parts
from .ledger import AT_FIELD, ENTRY_COLUMNS, REVOCABLE, Entry, EvidenceStore, TamperedError, decoded, sweep_parts

DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "sweep": sweep_parts,
    "attestation": c.attestation_from,
    "waiver": c.waiver_from,
    "revocation": c.revocation_from,
    "checkpoint": checkpoint_parts,
}


@dataclass
class VerifyReport:
    entries: int = 0
    sweeps: int = 0
    observations: int = 0
    head: str = ""
    problems: list[str] = field(default_factory=list)
    first_bad: str = ""  # label of the first entry that does not match

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    """What the walk has seen so far."""

    prev: str = c.GENESIS
    kinds: dict[str, str] = field(default_factory=dict)  # entry id → kind
    files: set[str] = field(default_factory=set)  # digests of files already re-hashed


def _rows_problem(store: EvidenceStore, entry: Entry, data: dict[str, Any], table: str) -> str | None:
    count, digest = c.digest_rows(store.rows(table, entry.seq))
    expected = data["tables"][table]
    if count != expected["count"] or digest != expected["sha256"]:
        return f"its stored {table} do not match its digest ({count} rows, {expected['count']} recorded)"
    return None


def _file_problem(store: EvidenceStore, digest: str, walk: _Walk) -> bool:
    if digest in walk.files:
        return False
    blob = store.file(digest)
    if blob is None or c.sha256_hex(blob) != digest:
        return True
    walk.files.add(digest)
    return False


def _check_entry(
    store: EvidenceStore, entry: Entry, expected_seq: int, walk: _Walk, report: VerifyReport, rows: bool = True
) -> str | None:
    """The reason this entry fails, or None."""
    if entry.seq != expected_seq:
        if entry.seq > expected_seq:
            return f"entries #{expected_seq}..#{entry.seq - 1} before it are missing (deleted)"
        return f"its position #{entry.seq} repeats an earlier one"
    try:
        data = orjson.loads(entry.content)
    except orjson.JSONDecodeError:
        return "its content is not valid JSON"
    if not isinstance(data, dict):
        return "its content is not a JSON object"
    if c.sha256_hex(entry.content) != entry.hash:
        return "its content does not match its hash (edited)"
    if data.get("seq") != entry.seq:
        return f"its content says position #{data.get('seq')}, the store has it at #{entry.seq} (reordered)"
    if data.get("prev") != walk.prev or entry.prev != walk.prev:
        return "it does not link to the entry before it (an entry was removed, inserted or reordered)"
    if entry.kind not in DECODERS:
        return f"its kind {entry.kind!r} is not one trustsweep writes"
    try:
        decoded(entry, DECODERS[entry.kind])
    except TamperedError as exc:
        return str(exc).removeprefix(f"{entry.label()}: ")
    if (data.get("kind"), data.get("id")) != (entry.kind, entry.id) or data.get(AT_FIELD[entry.kind]) != entry.at:
        return "its indexed columns (kind, id, time) disagree with its content (edited)"
    if entry.kind == "revocation":
        target, kind = data["target"], data.get("target_kind")
        if kind not in REVOCABLE or walk.kinds.get(target) != kind:
            return f"it revokes {kind} {target}, which is not an earlier {kind} of this chain"
    if entry.kind == "sweep":
        for key in ("mapping", "checks"):
            if _file_problem(store, data[f"{key}_sha256"], walk):
                return f"its {key} record is missing or altered"
        for table in c.TABLES if rows else ():
            problem = _rows_problem(store, entry, data, table)
            if problem:
                return problem
        report.sweeps += 1
        report.observations += data["tables"]["observations"]["count"]
    else:
        for table in c.TABLES:
            if store.db.query(f"SELECT 1 FROM {table} WHERE entry = ? LIMIT 1", (entry.seq,)):
                return f"{table} rows were added to it (only sweeps have them)"
    if entry.kind == "attestation" and data.get("file_stored") and _file_problem(store, data["sha256"], walk):
        return "its stored file is missing or altered"
    walk.kinds[entry.id] = entry.kind
    return None


def normal_head(head: str) -> str:
    """A chain head as stored: 64 lower-case hex digits (heads are compared case-insensitively)."""
    return head.strip().lower()


def verify(
    store: EvidenceStore,
    *,
    expect_head: str | None = None,
    rows: bool = True,
    progress: Callable[[Entry], None] | None = None,
) -> VerifyReport:
    """Walk the whole chain in one read snapshot; stop at the first entry that does not match.

    ``rows=False`` checks only the chain of entries (fast), not the sweeps' bulk rows.
    """
    report = VerifyReport()
    walk = _Walk()
    heads: set[str] = set()
    with store.db.snapshot():
        entries = store.db.stream(f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY seq")
        for row in entries:
            entry = Entry(int(row[0]), *row[1:])
            problem = _check_entry(store, entry, report.entries + 1, walk, report, rows)
            if problem:
                report.first_bad = entry.label()
                report.problems.append(f"{entry.label()}: {problem}")
                return report
            report.entries += 1
            walk.prev = entry.hash
            heads.add(entry.hash)
            if progress:
                progress(entry)
        report.head = walk.prev if report.entries else ""
        for table in c.TABLES:
            orphans = store.db.query(
                f"SELECT DISTINCT entry FROM {table} WHERE entry > ? OR entry < 1", (report.entries,)
            )
            if orphans:
                report.problems.append(
                    f"{table} rows belong to entry #{orphans[0][0]}, which is not in the chain (an entry was deleted)"
                )
                return report
    if expect_head is not None and normal_head(expect_head) not in heads:
        report.problems.append(
            f"the chain does not contain the expected head {normal_head(expect_head)} "
            "(entries were removed from its end, or this is another store)"
        )
    return report


def require_verified(store: EvidenceStore, sweeps: Sequence[Entry] = (), tables: Sequence[str] = ()) -> str:
    """Check the chain of entries and ``tables`` of ``sweeps``; return the head, or raise TamperedError.

    What ``history``, ``diff`` and ``export`` run before they read: every entry's hash and link
    (fast: no bulk rows), plus the bulk rows they are about to read.
    """
    report = verify(store, rows=False)
    if not report.ok:
        raise TamperedError(report.problems[0])
    for entry in sweeps:
        data = decoded(entry, sweep_parts)
        for table in tables:
            problem = _rows_problem(store, entry, data, table)
            if problem:
                raise TamperedError(f"{entry.label()}: {problem}")
    return report.head
