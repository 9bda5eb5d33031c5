"""Store tests run on SQLite and on PostgreSQL (a fresh schema per test).

PostgreSQL: ``$TRUSTSWEEP_TEST_POSTGRES`` (``make test`` starts a throwaway server and sets it).
Without it the PostgreSQL cases skip with a reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trustsweep.cli import app
from trustsweep.store.backends import ALL_TABLES

PG_ENV = "TRUSTSWEEP_TEST_POSTGRES"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_base() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        message = (
            f"no PostgreSQL server (${PG_ENV}): `make test` starts a throwaway one where PostgreSQL's "
            "initdb and pg_ctl are installed (Debian/Ubuntu: apt-get install postgresql)"
        )
        if _in_ci():
            pytest.fail(message + "; it must be present under CI")
        pytest.skip(message)
    return url


def with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evidence.sqlite'}"
        return
    base = postgres_base()
    import psycopg

    schema = f"ts_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'evidence.sqlite'}"


class Attacker:
    """Someone with raw access to the database files or superuser: bypasses the triggers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite:")

    def _connect(self) -> Any:
        if self.sqlite:
            return sqlite3.connect(self.url[len("sqlite:///") :], isolation_level=None)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def execute(self, *statements: str, drop_triggers: bool = True) -> None:
        conn = self._connect()
        try:
            if drop_triggers:
                for table in ALL_TABLES:
                    if self.sqlite:
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
                    else:
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            for statement in statements:
                conn.execute(statement)
        finally:
            conn.close()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            return list(conn.execute(sql).fetchall())
        finally:
            conn.close()


@pytest.fixture
def cli() -> Any:
    """Invoke the CLI in-process: ``cli("verify", "--store", url)`` → a click Result."""
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture(name="Attacker")
def attacker_class() -> type[Attacker]:
    """The Attacker class (test modules here are not a package, so they take it as a fixture)."""
    return Attacker
