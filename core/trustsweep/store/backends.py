"""The two databases behind the evidence store: SQLite (default) and PostgreSQL (psycopg 3).

Both hold the same tables (see ``SCHEMA_*``) and both refuse UPDATE and DELETE with triggers
(PostgreSQL: TRUNCATE too). SQLite needs ``PRAGMA recursive_triggers=ON`` on every connection,
or ``INSERT OR REPLACE`` deletes the old row without firing the DELETE trigger. SQL is written
with ``?`` placeholders; the PostgreSQL backend translates them.
"""

from __future__ import annotations

import abc
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import quote

from ..errors import UserError
from .urls import StoreURL

# 2: revocation entries (same tables). A schema 1 store opens and verifies as it is, and takes
# revocations; a trustsweep that reads only schema 1 refuses a schema 2 store instead of misreading it.
SCHEMA_VERSION = 2
APPEND_ONLY = "trustsweep evidence store is append-only"
BULK_TABLES = ("resources", "observations", "findings")
ALL_TABLES = ("meta", "entries", *BULK_TABLES, "files")


class StoreError(UserError):
    """The store cannot be opened or used (exit 2)."""


def _tables_sql(big_int: str, blob: str) -> str:
    """The tables, the same on both databases but for the integer and binary types."""
    return f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    seq {big_int} PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    content TEXT NOT NULL,
    prev TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX entries_kind_at ON entries (kind, at);
CREATE TABLE resources (entry {big_int} NOT NULL, idx INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (entry, idx));
CREATE TABLE observations (entry {big_int} NOT NULL, idx INTEGER NOT NULL, check_id TEXT NOT NULL,
    resource_key TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (entry, idx));
CREATE TABLE findings (entry {big_int} NOT NULL, idx INTEGER NOT NULL, criterion_id TEXT NOT NULL,
    state TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (entry, idx));
CREATE TABLE files (sha256 TEXT PRIMARY KEY, data {blob} NOT NULL);
"""


# INTEGER PRIMARY KEY is SQLite's rowid alias
_SQLITE_SCHEMA = _tables_sql("INTEGER", "BLOB") + "".join(
    f"""
CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END;
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END;"""
    for t in ALL_TABLES
)

_POSTGRES_SCHEMA = (
    _tables_sql("BIGINT", "BYTEA")
    + f"""CREATE FUNCTION trustsweep_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY} (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
"""
    + "".join(
        f"""
CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION trustsweep_append_only();
CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION trustsweep_append_only();"""
        for t in ALL_TABLES
    )
)


class Backend(abc.ABC):
    """What the store needs from a database. Subclasses: SQLite and PostgreSQL."""

    url: StoreURL
    db_errors: tuple[type[BaseException], ...] = ()  # the driver's errors, turned into StoreError

    def error(self, exc: BaseException) -> StoreError:
        """A one-line StoreError for a driver error (no password, no traceback)."""
        return StoreError(f"{self.url.redacted()}: the evidence store failed: {self._clean(exc)}")

    def _clean(self, exc: BaseException) -> str:
        """The driver's message on one line, without any password of the URL."""
        return self.url.scrub(" ".join(str(exc).split()))

    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abc.abstractmethod
    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows one by one without loading them all (use inside :meth:`snapshot`)."""

    def stream_rows(self, table: str, entry: int, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """One entry's bulk rows ``(idx, column..., body)`` in ``idx`` order, streamed."""
        cols = ", ".join(("idx", *columns, "body"))
        return self.stream(f"SELECT {cols} FROM {table} WHERE entry = ? ORDER BY idx", (entry,))

    @abc.abstractmethod
    def appending(self) -> AbstractContextManager[None]:
        """One write transaction holding the store's append lock; commits or rolls back."""

    @abc.abstractmethod
    def snapshot(self) -> AbstractContextManager[None]:
        """A read transaction: every query inside sees the same state (inside an append: that one)."""

    @abc.abstractmethod
    def insert(self, sql: str, params: Sequence[Any]) -> None: ...

    @abc.abstractmethod
    def insert_rows(self, table: str, entry: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Bulk-insert ``(idx, col..., body)`` rows of one entry."""

    @abc.abstractmethod
    def insert_file(self, sha256: str, data: bytes) -> None: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    # ----------------------------------------------------------------------------------------

    @abc.abstractmethod
    def _tables(self) -> set[str]: ...

    @abc.abstractmethod
    def _create_schema(self) -> None: ...

    def prepare(self, create: bool) -> None:
        """Check the schema version; create the schema in an empty database when ``create``.

        A database (PostgreSQL: the schema in use) holding any table that is not the store's is
        refused, whether or not the store's tables are there too: trustsweep never shares it.
        """
        tables = {t for t in self._tables() if not t.startswith("sqlite_")}  # SQLite's own tables
        where = self.url.redacted()
        foreign = sorted(tables - set(ALL_TABLES))
        if foreign or (tables and "meta" not in tables):
            shown = f"{len(foreign)} other table(s), e.g. {foreign[0]!r}" if foreign else "an incomplete set of tables"
            raise StoreError(
                f"{where}: not a trustsweep evidence store (it holds {shown}); "
                "use an empty database or schema for the store"
            )
        if not tables:
            if not create:
                raise StoreError(f"{where}: no evidence store here yet (record a sweep first)")
            with self.appending():
                if "meta" not in self._tables():  # another process may have won the race
                    self._create_schema()
                    self.insert("INSERT INTO meta (key, value) VALUES (?, ?)", ("schema_version", str(SCHEMA_VERSION)))
            return
        rows = self.query("SELECT value FROM meta WHERE key = ?", ("schema_version",))
        try:
            version = max(int(r[0]) for r in rows)
        except ValueError:
            raise StoreError(f"{where}: the store has no readable schema version") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{where}: written by a newer trustsweep (store schema {version}; this version reads "
                f"up to {SCHEMA_VERSION}); upgrade trustsweep"
            )


class SQLiteBackend(Backend):
    db_errors = (sqlite3.Error,)

    def __init__(self, url: StoreURL, create: bool) -> None:
        self.url = url
        path = url.path
        assert path is not None
        if url.is_default:
            path.parent.mkdir(parents=True, exist_ok=True)
            create = True
        hint = "" if path.is_absolute() else " (a relative path; write sqlite:////absolute/path for an absolute one)"
        if not path.exists():
            if not create:
                raise StoreError("no evidence store at this path" + hint, path=path)
            if not path.parent.is_dir():
                raise StoreError(
                    f"cannot create the evidence store: directory {path.parent} does not exist{hint}", path=path
                )
        elif path.is_dir():
            raise StoreError("the evidence store path is a directory", path=path)
        readonly = url.readonly or (
            path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
        )
        if readonly and create:
            raise StoreError(
                "the evidence store is read-only here (?mode=ro or no write permission); cannot record into it",
                path=path,
            )
        try:
            if readonly:  # immutable (no locking, no -shm) unless a WAL may hold committed entries
                wal = path.with_name(path.name + "-wal")
                uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("" if wal.exists() else "&immutable=1")
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
                self.conn.execute("PRAGMA busy_timeout = 60000")
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA recursive_triggers = ON")  # or INSERT OR REPLACE slips past the triggers
            self.prepare(create)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the evidence store: {exc}", path=path) from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.conn.execute(sql, params)

    @contextmanager
    def appending(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock: appends are serialised
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self.conn.in_transaction:  # inside appending(): its write lock already holds the state still
            yield
            return
        self.conn.execute("BEGIN")
        try:
            self.conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # take the read snapshot now
            yield
        finally:
            self.conn.execute("ROLLBACK")

    def insert(self, sql: str, params: Sequence[Any]) -> None:
        self.conn.execute(sql, params)

    def insert_rows(self, table: str, entry: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in range(len(columns) + 2))
        cols = ", ".join(("idx", *columns, "body"))
        self.conn.executemany(f"INSERT INTO {table} (entry, {cols}) VALUES ({int(entry)}, {marks})", rows)

    def insert_file(self, sha256: str, data: bytes) -> None:
        self.conn.execute("INSERT OR IGNORE INTO files (sha256, data) VALUES (?, ?)", (sha256, data))

    def close(self) -> None:
        self.conn.close()

    def _tables(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _create_schema(self) -> None:
        for statement in _split(_SQLITE_SCHEMA):
            self.conn.execute(statement)


def _split(script: str) -> list[str]:
    """Split a schema script into statements (trigger bodies keep their inner semicolons)."""
    out: list[str] = []
    current: list[str] = []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        inner = (
            text.upper().startswith("CREATE TRIGGER") and "BEGIN" in text.upper() and not text.upper().endswith("END;")
        )
        in_function = "$$" in text and text.count("$$") % 2 == 1
        if text.endswith(";") and not inner and not in_function:
            out.append(text)
            current = []
    return [s for s in out if s]


class PostgresBackend(Backend):
    def __init__(self, url: StoreURL, create: bool) -> None:
        self.url = url
        try:
            import psycopg
        except ImportError:
            raise StoreError("a postgresql:// store needs psycopg: install trustsweep[postgres]") from None
        self._psycopg = psycopg
        self.db_errors = (psycopg.Error,)
        try:
            self.conn = psycopg.connect(url.raw, autocommit=True, connect_timeout=10)
        except Exception as exc:
            raise StoreError(f"cannot open the evidence store {url.redacted()}: {self._clean(exc)}") from None
        try:
            self.prepare(create)
        except psycopg.Error as exc:
            raise StoreError(f"cannot use the evidence store {url.redacted()}: {self._clean(exc)}") from None
        self._cursors = 0

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(self._sql(sql), params)
            return cur.fetchall() if cur.description else []

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        self._cursors += 1
        with self.conn.cursor(name=f"trustsweep_stream_{self._cursors}") as cur:
            cur.itersize = 20000
            cur.execute(self._sql(sql), params)
            yield from cur

    def stream_rows(self, table: str, entry: int, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        # COPY TO STDOUT streams faster than a server-side cursor (no FETCH round trips)
        cols = ", ".join(("idx", *columns, "body"))
        sql = f"COPY (SELECT {cols} FROM {table} WHERE entry = {int(entry)} ORDER BY idx) TO STDOUT"
        with self.conn.cursor() as cur, cur.copy(sql) as copy:
            copy.set_types(["int4", *["text"] * (len(columns) + 1)])
            yield from copy.rows()

    @contextmanager
    def appending(self) -> Iterator[None]:
        with self.conn.transaction():
            # Any role may take an advisory lock (LOCK TABLE would need UPDATE/DELETE rights).
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.trustsweep-evidence'))")
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self.conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            yield  # inside appending(): its advisory lock already keeps other writers out
            return
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def insert(self, sql: str, params: Sequence[Any]) -> None:
        self.conn.execute(self._sql(sql), params)

    def insert_rows(self, table: str, entry: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cols = ", ".join(("entry", "idx", *columns, "body"))
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write((entry, *row))

    def insert_file(self, sha256: str, data: bytes) -> None:
        self.conn.execute(
            "INSERT INTO files (sha256, data) VALUES (%s, %s) ON CONFLICT (sha256) DO NOTHING", (sha256, data)
        )

    def close(self) -> None:
        self.conn.close()

    def _tables(self) -> set[str]:
        rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {r[0] for r in rows}

    def _create_schema(self) -> None:
        self.conn.execute(_POSTGRES_SCHEMA)


def connect(url: StoreURL, *, create: bool) -> Backend:
    """Open (and with ``create``, initialise) the store; failures are a StoreError (exit 2)."""
    if url.kind == "sqlite":
        return SQLiteBackend(url, create)
    return PostgresBackend(url, create)
