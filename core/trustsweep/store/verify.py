"""``trustsweep verify``: re-hash every entry and every stored row; name the first that fails.

The walk checks, entry by entry in chain order: positions are contiguous from 1; the content names
its own position and the previous entry's hash; the content hashes to the stored hash; the indexed
columns agree with the content; a sweep's bulk rows, mapping and check catalog match the digests
in its content; a stored attestation file matches its SHA-256. Then that no bulk row belongs to
an entry that is not in the chain, and (with ``expect_head``) that the chain still reaches a head
recorded elsewhere, e.g. in an OSCAL document's ``evidence-chain-head`` prop — the only way to
notice that the newest entries were cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from . import canonical as c
from .ledger import AT_FIELD, ENTRY_COLUMNS, Entry, EvidenceStore


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


def _check_entry(store: EvidenceStore, entry: Entry, expected_seq: int, prev_hash: str, report: VerifyReport,
                 rows: bool = True) -> str | None:
    """The reason this entry fails, or None."""
    if entry.seq != expected_seq:
        if entry.seq > expected_seq:
            return f"entries #{expected_seq}..#{entry.seq - 1} before it are missing (deleted)"
        return f"its position #{entry.seq} repeats an earlier one"
    try:
        data = orjson.loads(entry.content)
    except orjson.JSONDecodeError:
        return "its content is not valid JSON"
    if c.sha256_hex(entry.content) != entry.hash:
        return "its content does not match its hash (edited)"
    if data.get("seq") != entry.seq:
        return f"its content says position #{data.get('seq')}, the store has it at #{entry.seq} (reordered)"
    if data.get("prev") != prev_hash or entry.prev != prev_hash:
        return "it does not link to the entry before it (an entry was removed, inserted or reordered)"
    if (data.get("kind"), data.get("id")) != (entry.kind, entry.id) or data.get(AT_FIELD.get(entry.kind, "")) != entry.at:
        return "its indexed columns (kind, id, time) disagree with its content (edited)"
    if entry.kind == "sweep":
        for key in ("mapping", "checks"):
            blob = store.file(data[f"{key}_sha256"])
            if blob is None or c.sha256_hex(blob) != data[f"{key}_sha256"]:
                return f"its {key} record is missing or altered"
        for table in c.TABLES if rows else ():
            count, digest = c.digest_rows(store.rows(table, entry.seq))
            expected = data["tables"][table]
            if count != expected["count"] or digest != expected["sha256"]:
                return f"its stored {table} do not match its digest ({count} rows, {expected['count']} recorded)"
        report.sweeps += 1
        report.observations += data["tables"]["observations"]["count"]
    elif entry.kind == "attestation" and data.get("file_stored"):
        blob = store.file(data["sha256"])
        if blob is None or c.sha256_hex(blob) != data["sha256"]:
            return "its stored file is missing or altered"
    return None


def verify(store: EvidenceStore, *, expect_head: str | None = None, rows: bool = True,
           progress: Callable[[Entry], None] | None = None) -> VerifyReport:
    """Walk the whole chain in one read snapshot; stop at the first entry that does not match.

    ``rows=False`` checks only the chain of entries (fast), not the sweeps' bulk rows.
    """
    report = VerifyReport()
    prev_hash = c.GENESIS
    seqs: set[int] = set()
    heads: set[str] = set()
    with store.db.snapshot():
        entries = store.db.stream(f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY seq")
        for row in entries:
            entry = Entry(int(row[0]), *row[1:])
            problem = _check_entry(store, entry, report.entries + 1, prev_hash, report, rows)
            if problem:
                report.first_bad = entry.label()
                report.problems.append(f"{entry.label()}: {problem}")
                return report
            report.entries += 1
            prev_hash = entry.hash
            seqs.add(entry.seq)
            heads.add(entry.hash)
            if progress:
                progress(entry)
        report.head = prev_hash if report.entries else ""
        for table in c.TABLES:
            orphans = store.db.query(f"SELECT DISTINCT entry FROM {table} WHERE entry > ? OR entry < 1",
                                     (report.entries,))
            if orphans:
                report.problems.append(f"{table} rows belong to entry #{orphans[0][0]}, which is not in the chain "
                                       "(an entry was deleted)")
                return report
    if expect_head and expect_head not in heads:
        report.problems.append(f"the chain does not contain the expected head {expect_head} "
                               "(entries were removed from its end, or this is another store)")
    return report
