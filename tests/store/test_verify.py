"""verify: usage errors, case-insensitive heads, malformed entries reported (never a KeyError), rows
added to attestation/waiver entries, revocations, random tampering (hypothesis), and history/diff
refusing unverified evidence — on both databases where a database matters."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trustsweep.store import open_store, record_sweep
from trustsweep.store.canonical import dumps, sha256_hex
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep

UTC = dt.UTC
FUTURE = dt.datetime(2099, 1, 1, tzinfo=UTC)


def _store_with_every_kind(tmp_path: Path, url: str) -> list:
    """sweep, attestation (file kept), waiver, revocation, sweep."""
    first = synthetic_sweep(tmp_path, resources_per_unit=3, targets=1)
    record_sweep(first, url)
    with open_store(url) as store:
        store.add_attestation(
            criterion="CC6.2",
            type_="access-review",
            data=b"review",
            filename="r.md",
            attested_by="Ann",
            expires=FUTURE,
            keep_file=True,
        )
        waiver = store.add_waiver(
            check_id="synthetic.keys.rotation", resource="*", reason="legacy", expires=FUTURE, approved_by="CISO"
        )
        store.revoke("waiver", waiver.id, by="Dana", reason="HSM replaced")
    second = synthetic_sweep(tmp_path, resources_per_unit=4, targets=1)
    record_sweep(second, url)
    return [first, second]


def rechain(attacker: Any, seq: int, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit entry ``seq``'s content and re-hash it and every later entry: a consistent, forged chain."""
    rows = attacker.query(f"SELECT seq, content FROM entries WHERE seq >= {seq} ORDER BY seq")
    prev = attacker.query(f"SELECT hash FROM entries WHERE seq = {seq - 1}")
    prev_hash = prev[0][0] if prev else "0" * 64
    statements = []
    for number, content in rows:
        data = orjson.loads(content)
        if number == seq:
            edit(data)
        data["prev"] = prev_hash
        text = dumps(data)
        new_hash = sha256_hex(text)
        quoted = text.replace("'", "''")
        statements.append(
            f"UPDATE entries SET content = '{quoted}', prev = '{prev_hash}', hash = '{new_hash}' WHERE seq = {number}"
        )
        prev_hash = new_hash
    # hashes and prevs are UNIQUE: move them out of the way first
    attacker.execute(f"UPDATE entries SET prev = 'x' || prev, hash = 'x' || hash WHERE seq >= {seq}", *statements)


def _problem(url: str) -> str:
    with open_store(url, create=False) as store:
        report = verify(store)
    assert not report.ok
    return report.problems[0]


def test_head_is_case_insensitive_and_an_empty_head_is_a_usage_error(tmp_path: Path, store_url: str, cli) -> None:
    sweeps = _store_with_every_kind(tmp_path, store_url)
    head = sweeps[-1].chain_head
    ok = cli("verify", "--store", store_url, "--head", head.upper())
    assert ok.exit_code == 0, ok.output
    for bad in ("", "   ", "abc", head[:-1] + "g"):
        result = cli("verify", "--store", store_url, "--head", bad)
        assert result.exit_code == 2, (bad, result.output)
        assert "is not a chain head" in result.stderr and "Traceback" not in result.output
    with open_store(store_url) as store:
        assert verify(store, expect_head=f" {head.upper()} ").ok


@pytest.mark.parametrize(
    "seq,part",
    [(1, "tables"), (1, "mapping_sha256"), (2, "expires"), (3, "approved_by"), (4, "target"), (2, "created")],
)
def test_an_entry_missing_a_part_is_reported_not_a_crash(
    tmp_path: Path, store_url: str, Attacker, cli, seq: int, part: str
) -> None:
    _store_with_every_kind(tmp_path, store_url)
    rechain(Attacker(store_url), seq, lambda data: data.pop(part))
    problem = _problem(store_url)
    assert f"#{seq}" in problem and repr(part) in problem and "missing" in problem, problem
    result = cli("verify", "--store", store_url)
    assert result.exit_code == 1 and "Traceback" not in result.output
    for command in (["attest", "list"], ["waivers", "list"], ["history"]):
        listed = cli(*command, "--store", store_url)
        assert listed.exit_code in (0, 1) and "Traceback" not in listed.output, (command, listed.output)


def test_malformed_parts_and_unknown_kinds_are_reported(tmp_path: Path, store_url: str, Attacker) -> None:
    _store_with_every_kind(tmp_path, store_url)
    attacker = Attacker(store_url)
    rechain(attacker, 2, lambda data: data.update(expires="next year"))
    assert "cannot be read" in _problem(store_url)
    rechain(attacker, 2, lambda data: data.update(expires="2099-01-01T00:00:00+00:00"))
    with open_store(store_url) as store:
        assert verify(store).ok  # the forged chain is consistent again: only a recorded head tells
    tables = orjson.loads(attacker.query("SELECT content FROM entries WHERE seq = 1")[0][0])["tables"]
    rechain(attacker, 1, lambda data: data.update(tables={"resources": 1}))
    assert "#1" in _problem(store_url) and "cannot be read" in _problem(store_url)
    rechain(attacker, 1, lambda data: data.update(tables=[]))
    assert "cannot be read" in _problem(store_url)
    rechain(attacker, 1, lambda data: data.update(tables=tables))
    rechain(attacker, 3, lambda data: data.update(kind="memo"))
    attacker.execute("UPDATE entries SET kind = 'memo' WHERE seq = 3")
    assert "its kind 'memo' is not one trustsweep writes" in _problem(store_url)


def test_rows_added_to_an_attestation_or_waiver_entry_are_detected(tmp_path: Path, store_url: str, Attacker) -> None:
    _store_with_every_kind(tmp_path, store_url)
    for seq, kind in ((2, "attestation"), (3, "waiver")):
        attacker = Attacker(store_url)
        attacker.execute(
            f"INSERT INTO observations (entry, idx, check_id, resource_key, status, body) "
            f"VALUES ({seq}, 0, 'c', 'r', 'pass', '{{}}')"
        )
        problem = _problem(store_url)
        assert problem.startswith(f"{kind} ") and f"#{seq}" in problem and "observations rows were added" in problem
        attacker.execute(f"DELETE FROM observations WHERE entry = {seq}")


def test_a_revocation_of_something_not_in_the_chain_is_detected(tmp_path: Path, store_url: str, Attacker) -> None:
    _store_with_every_kind(tmp_path, store_url)
    rechain(Attacker(store_url), 4, lambda data: data.update(target="11111111-0000-4000-8000-000000000000"))
    assert "not an earlier waiver" in _problem(store_url)


# --------------------------------------------------------------------------------------------
# random tampering: any change to any stored row of any kind of entry is detected

TAMPERABLE = {  # table → columns an attacker may change (the primary key of files included)
    "entries": ["seq", "kind", "id", "at", "content", "prev", "hash"],
    "resources": ["entry", "idx", "key", "type", "body"],
    "observations": ["entry", "idx", "check_id", "resource_key", "status", "body"],
    "findings": ["entry", "idx", "criterion_id", "state", "body"],
    "files": ["sha256", "data"],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("template")
    url = f"sqlite:///{tmp / 'evidence.sqlite'}"
    sweeps = _store_with_every_kind(tmp, url)
    with open_store(url) as store:
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return tmp / "evidence.sqlite", sweeps[-1].chain_head


def _mutate(value: Any, how: int) -> Any:
    if isinstance(value, int):
        return value + (how % 5) + 1
    if isinstance(value, bytes):
        return value + b"\x00" if how % 2 else value[1:]
    text = str(value)
    if how % 3 == 0 and text:
        i = how % len(text)
        return text[:i] + ("A" if text[i] != "A" else "B") + text[i + 1 :]
    return text + " " if how % 3 == 1 else text[:-1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(sorted(TAMPERABLE)),
    row=st.integers(0, 10_000),
    column=st.integers(0, 10),
    how=st.integers(0, 10_000),
    delete=st.booleans(),
)
def test_any_tampering_with_any_row_is_detected(
    tmp_path: Path, template: tuple[Path, str], Attacker, table: str, row: int, column: int, how: int, delete: bool
) -> None:
    path = tmp_path / f"t{table}{row}{column}{how}{delete}.sqlite"
    shutil.copy(template[0], path)
    url = f"sqlite:///{path}"
    attacker = Attacker(url)
    rowids = [r[0] for r in attacker.query(f"SELECT rowid FROM {table} ORDER BY rowid")]
    rowid = rowids[row % len(rowids)]
    if delete:
        attacker.execute(f"DELETE FROM {table} WHERE rowid = {rowid}")
    else:
        name = TAMPERABLE[table][column % len(TAMPERABLE[table])]
        old = attacker.query(f"SELECT {name} FROM {table} WHERE rowid = {rowid}")[0][0]
        new = _mutate(old, how)
        assume(new != old)
        import sqlite3

        try:
            conn = sqlite3.connect(path, isolation_level=None)
            for trigger in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]:
                conn.execute(f"DROP TRIGGER {trigger}")
            conn.execute(f"UPDATE {table} SET {name} = ? WHERE rowid = ?", (new, rowid))
        except sqlite3.IntegrityError:
            assume(False)
        finally:
            conn.close()
    with open_store(url, create=False) as store:
        report = verify(store, expect_head=template[1])
    assert not report.ok


# --------------------------------------------------------------------------------------------
# history and diff read only verified evidence


def test_history_and_diff_refuse_unverified_evidence_unless_told(tmp_path: Path, store_url: str, Attacker, cli) -> None:
    sweeps = _store_with_every_kind(tmp_path, store_url)
    a, b = sweeps[0].id, sweeps[1].id
    assert cli("history", "--store", store_url).exit_code == 0
    assert cli("diff", a, b, "--store", store_url).exit_code == 0
    Attacker(store_url).execute(
        "UPDATE findings SET body = replace(body, 'not-satisfied', 'satisfied') WHERE entry = 1"
    )
    for args in (["history"], ["history", "--format", "json"], ["diff", a, b]):
        result = cli(*args, "--store", store_url)
        assert result.exit_code == 1, (args, result.output)
        assert "does not verify" in result.stderr and a in result.stderr and "findings" in result.stderr
        assert result.stdout == ""
    unverified = cli("history", "--store", store_url, "--format", "json", "--no-verify")
    assert unverified.exit_code == 0
    assert len(json.loads(unverified.stdout)) == 2
    assert cli("diff", a, b, "--store", store_url, "--no-verify").exit_code == 0


def test_diff_checks_the_observations_it_reads(tmp_path: Path, sqlite_url: str, Attacker, cli) -> None:
    sweeps = _store_with_every_kind(tmp_path, sqlite_url)
    Attacker(sqlite_url).execute("UPDATE observations SET status = 'pass' WHERE entry = 5 AND status = 'fail'")
    result = cli("diff", sweeps[0].id, sweeps[1].id, "--store", sqlite_url)
    assert result.exit_code == 1 and sweeps[1].id in result.stderr and "observations" in result.stderr
    # history reads only findings: the chart is still shown, and verify names the sweep
    assert cli("history", "--store", sqlite_url).exit_code == 0
    assert sweeps[1].id in _problem(sqlite_url) or "#5" in _problem(sqlite_url)


def test_the_summary_chart_is_withheld_when_the_store_does_not_verify(
    tmp_path: Path, sqlite_url: str, Attacker
) -> None:
    from trustsweep.store import recent_history_markdown

    _store_with_every_kind(tmp_path, sqlite_url)
    assert "| CC6.1 |" in recent_history_markdown(sqlite_url)
    Attacker(sqlite_url).execute("UPDATE findings SET state = 'satisfied' WHERE entry = 1")
    text = recent_history_markdown(sqlite_url)
    assert "does not verify" in text and "| CC6.1 |" not in text
