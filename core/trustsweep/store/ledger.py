"""The append-only, hash-chained ledger of sweeps, attestations and waivers.

Every record is an *entry*: canonical JSON ``content`` that names its position ``seq`` and the
previous entry's hash ``prev``; its own hash is the SHA-256 of that text. A sweep's entry carries
the counts and digests of its bulk rows, and the digests of its mapping and check catalog, which
are stored once per distinct content in ``files`` (content-addressed). One append is one
transaction under the store's append lock, so the chain never forks and a crash leaves no trace.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from ..errors import UserError
from ..model import Attestation, Revocation, Waiver
from . import canonical as c
from . import readback as rb
from .backends import Backend, connect
from .urls import parse_url

if TYPE_CHECKING:
    from ..sweep import Sweep

ENTRY_COLUMNS = "seq, kind, id, at, content, prev, hash"
AT_FIELD = {"sweep": "started", "attestation": "created", "waiver": "recorded", "revocation": "at", "checkpoint": "at"}
REVOCABLE = ("attestation", "waiver")


class _Writer:
    """Inserts the bulk rows of one entry on a thread of its own, in order; re-raises its failure."""

    def __init__(self, db: Backend, seq: int) -> None:
        self.db = db
        self.seq = seq
        self.queue: queue.Queue[tuple[str, list[tuple[Any, ...]]] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="trustsweep-store-writer", daemon=True)

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.db.insert_rows(item[0], self.seq, c.TABLES[item[0]], item[1])
                except BaseException as exc:  # re-raised in the caller's thread
                    self.error = exc
            self.queue.task_done()
        self.queue.task_done()

    def settle(self) -> None:
        """Wait until every row put so far is inserted (so nothing more is held than the caller's)."""
        self.queue.join()

    def put(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self.error
        if rows:
            self.queue.put((table, rows))

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.queue.put(None)
        self.thread.join()  # never leave the transaction while the thread still writes
        if self.error is not None and exc[0] is None:
            raise self.error


class TamperedError(Exception):
    """Stored evidence does not match its hashes (exit 1, never 2: the input was fine)."""


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    kind: str
    id: str
    at: str
    content: str
    prev: str
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        return orjson.loads(self.content)

    def label(self) -> str:
        when = f", {self.at[:19]}Z" if self.at else ""
        return f"{self.kind} {self.id} (#{self.seq}{when})"


T = TypeVar("T")


def decoded(entry: Entry, decode: Callable[[dict[str, Any]], T]) -> T:
    """``decode(entry.data)``; content that is not JSON or lacks a part is a TamperedError naming the entry."""
    try:
        data = orjson.loads(entry.content)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        return decode(data)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        part = f"its part {exc.args[0]!r} is missing" if isinstance(exc, KeyError) else f"it cannot be read ({exc})"
        raise TamperedError(f"{entry.label()}: {part}") from None


def sweep_parts(data: dict[str, Any]) -> dict[str, Any]:
    """A sweep entry's content, checked to hold the parts verify and readers rely on (KeyError/TypeError if not)."""
    for key in ("mapping_sha256", "checks_sha256"):
        if not isinstance(data[key], str):
            raise TypeError(f"{key} is not text")
    for table in c.TABLES:
        count, digest = data["tables"][table]["count"], data["tables"][table]["sha256"]
        if not isinstance(count, int) or not isinstance(digest, str):
            raise TypeError(f"the digest of {table} is malformed")
    return data


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EvidenceStore:
    """An open evidence store. Use :meth:`open` and close it (or use it as a context manager)."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    @classmethod
    def open(cls, url: str | None, *, create: bool = True) -> EvidenceStore:
        return cls(connect(parse_url(url), create=create))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Driver errors (permission denied, disk full, ...) become one-line StoreErrors (exit 2)."""
        try:
            yield
        except self.db.db_errors as exc:
            raise self.db.error(exc) from None

    @contextmanager
    def readable(self) -> Iterator[None]:
        """Unreadable evidence (a TamperedError) becomes a one-line StoreError (exit 2) for commands that only read it."""
        from .backends import StoreError

        try:
            yield
        except TamperedError as exc:
            raise StoreError(f"{self.where}: evidence does not verify: {exc} (run 'trustsweep verify')") from None

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        return self.db.url.redacted()

    # ---------------------------------------------------------------------------------- write

    def _position(self) -> tuple[int, str]:
        """The next entry's position and the hash it must link to (call inside the append lock)."""
        last = self.db.query("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")
        return (int(last[0][0]) + 1, last[0][1]) if last else (1, c.GENESIS)

    def _refuse_duplicate(self, kind: str, ident: str) -> None:
        if self.db.query("SELECT 1 FROM entries WHERE id = ?", (ident,)):
            raise UserError(f"{self.where}: {kind} {ident} is already recorded")

    def _insert_entry(self, seq: int, prev: str, kind: str, ident: str, content: dict[str, Any]) -> Entry:
        text = c.dumps({**content, "kind": kind, "id": ident, "seq": seq, "prev": prev})
        entry = Entry(seq, kind, ident, content[AT_FIELD[kind]], text, prev, c.sha256_hex(text))
        self.db.insert(
            f"INSERT INTO entries ({ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.seq, kind, ident, entry.at, text, prev, entry.hash),
        )
        return entry

    def append(self, kind: str, ident: str, content: dict[str, Any], *, files: dict[str, bytes] | None = None) -> Entry:
        """Append one entry (and its files) in ONE transaction; return it."""
        with self.db.appending():
            self._refuse_duplicate(kind, ident)
            seq, prev = self._position()
            for digest, data in (files or {}).items():
                self.db.insert_file(digest, data)
            return self._insert_entry(seq, prev, kind, ident, content)

    def record(
        self,
        sweep: Sweep,
        *,
        recorded: dt.datetime | None = None,
        before_commit: Callable[[EvidenceStore], None] | None = None,
    ) -> str:
        """Append a sweep in ONE transaction; set ``sweep.chain_head`` to its hash and return it.

        Rows are encoded and digested chunk by chunk while a writer thread inserts the previous
        chunk (the database drivers release the GIL while they work). ``before_commit(self)``
        runs last inside the transaction, with ``sweep.chain_head`` set; if it raises, the
        transaction is rolled back and nothing is stored.
        """
        header = c.encode_header(sweep, recorded or _now())
        files = {}
        for key in ("mapping", "checks"):  # stored once per distinct content, referenced by hash
            blob = c.dumps_bytes(header.pop(key))
            header[f"{key}_sha256"] = c.sha256_hex(blob)
            files[header[f"{key}_sha256"]] = blob
        with self.db.appending():
            self._refuse_duplicate("sweep", sweep.id)
            seq, prev = self._position()
            tables: dict[str, Any] = {}
            with _Writer(self.db, seq) as writer:
                for table, chunks in c.encode_rows(sweep):
                    digest = c.RowDigest()
                    for chunk in chunks:
                        if table == "findings":  # a body holds its criterion's result indices (tens of MB
                            digest.update(chunk)  # on a big sweep): digested, then inserted, one chunk at a time
                            writer.put(table, chunk)
                            writer.settle()
                            continue
                        writer.put(table, chunk)
                        digest.update(chunk)
                    tables[table] = digest.result()
            header["tables"] = tables
            header["inventory_sha256"] = tables["resources"]["sha256"]
            for digest_hex, data in files.items():
                self.db.insert_file(digest_hex, data)
            entry = self._insert_entry(seq, prev, "sweep", sweep.id, header)
            sweep.chain_head = entry.hash
            if before_commit is not None:
                before_commit(self)
        return entry.hash

    def add_attestation(
        self,
        *,
        criterion: str,
        type_: str,
        data: bytes,
        filename: str,
        attested_by: str,
        expires: dt.datetime,
        created: dt.datetime | None = None,
        keep_file: bool = False,
        ident: str | None = None,
    ) -> Attestation:
        created = created or _now()
        att = Attestation(
            ident or str(uuid.uuid4()),
            criterion,
            type_,
            c.sha256_hex(data),
            Path(filename).name,
            attested_by,
            created,
            expires,
        )
        content = {**c.attestation_dict(att), "size": len(data), "file_stored": keep_file, "recorded": c.iso(_now())}
        self.append("attestation", att.id, content, files={att.sha256: data} if keep_file else None)
        return att

    def add_waiver(
        self,
        *,
        check_id: str,
        resource: str,
        reason: str,
        expires: dt.datetime,
        approved_by: str,
        ident: str | None = None,
        allowed: list[str] | None = None,
        recorded: dt.datetime | None = None,
    ) -> Waiver:
        """Append a waiver; ``allowed`` names the bounds it was explicitly let past (``wildcard``, ``long``)."""
        waiver = Waiver(check_id, resource, reason, expires, approved_by, id=ident or str(uuid.uuid4()))
        content = {**c.waiver_dict(waiver), "recorded": c.iso(recorded or _now())}
        if allowed:
            content["allowed"] = sorted(allowed)
        self.append("waiver", waiver.id, content)
        return waiver

    def revoke(self, kind: str, ident: str, *, by: str, reason: str) -> tuple[Entry, Revocation]:
        """Append the revocation of an attestation or waiver (by id or unique prefix); it counts from now on.

        The revoked entry stays in the chain; a second revocation of the same entry is refused.
        """
        target = self.find(kind, ident)
        revocation = Revocation(f"revocation:{target.id}", target.id, _now(), by, reason)
        with self.db.appending():
            if self.db.query("SELECT 1 FROM entries WHERE id = ?", (revocation.id,)):
                raise UserError(f"{kind} {target.id} is already revoked")
            seq, prev = self._position()
            self._insert_entry(
                seq,
                prev,
                "revocation",
                revocation.id,
                {**c.revocation_dict(revocation), "target_kind": kind, "recorded": c.iso(_now())},
            )
        return target, revocation

    # ----------------------------------------------------------------------------------- read

    def entries(
        self, kind: str | None = None, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> list[Entry]:
        """Entries in chain order, optionally of one kind with ``start <= at < end``."""
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries WHERE 1 = 1"
        params: list[Any] = []
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        if start:
            sql += " AND at >= ?"
            params.append(c.iso(start))
        if end:
            sql += " AND at < ?"
            params.append(c.iso(end))
        return [Entry(int(r[0]), *r[1:]) for r in self.db.query(sql + " ORDER BY seq", params)]

    def head(self) -> str:
        rows = self.db.query("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1")
        return rows[0][0] if rows else ""

    def revocations(self) -> dict[str, Revocation]:
        """Every revocation on record, by the id of what it revokes."""
        return {r.target: r for r in (decoded(e, c.revocation_from) for e in self.entries("revocation"))}

    def attestations(self) -> list[Attestation]:
        """Every attestation on record, each with its revocation if it was revoked."""
        revoked = self.revocations()
        out = [decoded(e, c.attestation_from) for e in self.entries("attestation")]
        return [dataclasses.replace(a, revocation=revoked[a.id]) if a.id in revoked else a for a in out]

    def waivers(self) -> list[Waiver]:
        """Every waiver on record, each with its revocation if it was revoked."""
        revoked = self.revocations()
        out = [decoded(e, c.waiver_from) for e in self.entries("waiver")]
        return [dataclasses.replace(w, revocation=revoked[w.id]) if w.id in revoked else w for w in out]

    def find(self, kind: str, ident: str) -> Entry:
        """An entry of ``kind`` by id or unique id prefix (at least 4 characters)."""
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries WHERE kind = ? AND id "
        rows = self.db.query(sql + "= ?", (kind, ident))
        if not rows and len(ident) >= 4:
            like = ident.replace("\\", "").replace("%", "").replace("_", "")
            rows = self.db.query(sql + "LIKE ?", (kind, like + "%"))
        if len(rows) > 1:
            raise UserError(f"{kind} id {ident!r} is ambiguous ({len(rows)} {kind}s start with it)")
        if not rows:
            raise UserError(f"no {kind} {ident!r} in {self.where}")
        r = rows[0]
        return Entry(int(r[0]), *r[1:])

    def find_sweep(self, ident: str) -> Entry:
        """A sweep by id or unique id prefix (at least 4 characters)."""
        try:
            return self.find("sweep", ident)
        except UserError as exc:
            raise UserError(f"{exc} (see 'trustsweep history')" if str(exc).startswith("no ") else str(exc)) from None

    def rows(self, table: str, seq: int) -> Iterator[tuple[Any, ...]]:
        """One sweep's rows of a bulk table, ``(idx, column..., body)`` in order."""
        return self.db.stream_rows(table, seq, c.TABLES[table])

    def file(self, digest: str) -> bytes | None:
        rows = self.db.query("SELECT data FROM files WHERE sha256 = ?", (digest,))
        return bytes(rows[0][0]) if rows else None

    def load_sweep(self, entry: Entry) -> Sweep:
        """Rebuild a stored sweep, checking every digest on the way (TamperedError if one differs).

        Its resources and results are read back into spools (temporary files), not memory
        (:mod:`trustsweep.store.readback`).
        """
        header = decoded(entry, sweep_parts)
        if c.sha256_hex(entry.content) != entry.hash:
            raise TamperedError(f"{entry.label()}: its content does not match its hash")
        for key in ("mapping", "checks"):
            blob = self.file(header[f"{key}_sha256"])
            if blob is None or c.sha256_hex(blob) != header[f"{key}_sha256"]:
                raise TamperedError(f"{entry.label()}: its {key} record is missing or altered")
            header[key] = orjson.loads(blob)
        with self.db.snapshot():  # one pass per table; resources and results into spools (temporary files)
            resources, results, findings = rb.read_tables(
                lambda table: self.rows(table, entry.seq), header["tables"], entry.label()
            )
        return decoded(entry, lambda _: rb.decode_sweep(header, resources, results, findings, entry.hash))
