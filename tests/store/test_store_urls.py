"""Store URLs never print a password (userinfo or query string), and a database holding other
applications' tables is refused on both databases, untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustsweep.errors import UserError
from trustsweep.store import open_store
from trustsweep.store.urls import parse_url

PASSWORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=16).map(
    lambda s: "Pw9" + s + "#zq"
)
PLACES = st.sampled_from(["userinfo", "password", "sslpassword", "PASSWORD"])


def _url(password: str, place: str, host: str) -> str:
    if place == "userinfo":
        return f"postgresql://auditor:{quote(password, safe='')}@{host}/evidence?connect_timeout=2"
    return f"postgresql://auditor@{host}/evidence?sslmode=disable&{place}={quote(password, safe='')}&application_name=x"


def _hidden(password: str, text: str) -> bool:
    return all(form not in text for form in (password, quote(password, safe=""), quote(password)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=PASSWORDS, place=PLACES, host=st.sampled_from(["127.0.0.1:1", "127.0.0.1:notaport", "[::1", "h:1,"]))
def test_no_password_in_any_message(cli, password: str, place: str, host: str) -> None:
    url = _url(password, place, host)
    parsed = parse_url(url)
    assert _hidden(password, parsed.redacted())
    result = cli("verify", "--store", url)
    assert result.exit_code == 2, result.output
    assert _hidden(password, result.output), result.output
    assert "Traceback" not in result.output


def test_a_query_string_password_is_masked_and_the_rest_kept() -> None:
    url = parse_url("postgresql://u@db:5432/ev?options=-csearch_path%3Devidence&password=s3cret&sslpassword=k3y")
    assert url.redacted() == "postgresql://u@db:5432/ev?options=-csearch_path%3Devidence&password=***&sslpassword=***"
    assert parse_url("postgresql://u:s3cret@db/ev").redacted() == "postgresql://u:***@db/ev"
    assert url.scrub("could not connect: password=s3cret key k3y") == "could not connect: password=*** key ***"


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_postgres_password_in_the_query_is_not_printed_by_a_real_server(store_url: str, cli) -> None:
    wrong = f"{store_url}&password=Wr0ngPassw0rd&sslmode=bogus"
    result = cli("verify", "--store", wrong)
    assert result.exit_code == 2 and "Wr0ngPassw0rd" not in result.output and "password=***" in result.stderr


def _foreign_table(url: str) -> None:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (9.5)")
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id SERIAL PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (9.5)")


def _invoices(url: str) -> list:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return conn.execute("SELECT * FROM invoices").fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT * FROM invoices").fetchall()


@pytest.mark.parametrize("store_first", [False, True])
def test_a_database_with_other_applications_tables_is_refused(
    tmp_path: Path, store_url: str, cli, store_first: bool
) -> None:
    if store_first:  # the store exists; another application then adds its tables beside it
        open_store(store_url).close()
    _foreign_table(store_url)
    for args in (
        ["verify"],
        ["waivers", "list"],
        [
            "waive",
            "aws.s3.bucket_encryption",
            "--resource",
            "arn:aws:s3:::b",
            "--reason",
            "r",
            "--expires",
            "2099-01-01",
            "--approved-by",
            "x",
            "--allow-long",
        ],
    ):
        result = cli(*args, "--store", store_url)
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "not a trustsweep evidence store" in lines[0] and "'invoices'" in lines[0]
    with pytest.raises(UserError, match="other table"):
        open_store(store_url)
    assert len(_invoices(store_url)) == 1
    if not store_first:
        tables = _tables(store_url)
        assert tables == {"invoices"}, tables  # nothing of ours was created beside them


def _tables(url: str) -> set[str]:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def test_sqlite_internal_tables_are_not_foreign(tmp_path: Path, sqlite_url: str) -> None:
    open_store(sqlite_url).close()
    conn = sqlite3.connect(sqlite_url[len("sqlite:///") :])
    conn.execute("ANALYZE")  # creates sqlite_stat1
    conn.close()
    open_store(sqlite_url).close()
