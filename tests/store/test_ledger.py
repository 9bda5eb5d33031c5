"""Recording sweeps, rebuilding them, the append-only triggers and tamper evidence (both backends)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.model import Status
from trustsweep.oscal import build_result
from trustsweep.store import current_attestations, current_waivers, open_store, record_sweep
from trustsweep.store.canonical import GENESIS, sha256_hex
from trustsweep.store.ledger import TamperedError
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep

UTC = dt.UTC


def _three_sweeps(tmp_path: Path, url: str) -> list:
    sweeps = []
    for i in range(3):
        s = synthetic_sweep(tmp_path, resources_per_unit=6 + i)
        record_sweep(s, url)
        sweeps.append(s)
    return sweeps


def test_record_sets_chain_head_and_links_each_sweep_to_the_previous(tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    with open_store(store_url) as store:
        entries = store.entries("sweep")
        assert [e.id for e in entries] == [s.id for s in sweeps]
        assert [e.hash for e in entries] == [s.chain_head for s in sweeps]
        assert [e.prev for e in entries] == [GENESIS, sweeps[0].chain_head, sweeps[1].chain_head]
        for entry in entries:
            assert sha256_hex(entry.content) == entry.hash
            assert entry.data["prev"] == entry.prev and entry.data["seq"] == entry.seq
        header = entries[1].data
        assert header["tables"]["observations"]["count"] == len(sweeps[1].results)
        assert header["tool"]["version"] == sweeps[1].tool_version
        assert header["mapping_sha256"] and header["checks_sha256"] and header["inventory_sha256"]
        report = verify(store)
    assert report.ok, report.problems
    assert (report.entries, report.sweeps, report.head) == (3, 3, sweeps[-1].chain_head)
    assert report.observations == sum(len(s.results) for s in sweeps)


def test_a_stored_sweep_rebuilds_to_the_same_oscal_result(tmp_path: Path, store_url: str) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=9, fail_units=["acct-1/south-1"])
    assert any(r.status is Status.ERROR for r in sweep.results)
    record_sweep(sweep, store_url)
    with open_store(store_url) as store:
        rebuilt = store.load_sweep(store.find_sweep(sweep.id))
    assert list(rebuilt.results) == list(sweep.results)
    assert list(rebuilt.resources) == list(sweep.resources)
    assert rebuilt.findings == sweep.findings
    assert rebuilt.collection_errors == sweep.collection_errors
    assert rebuilt.mapping.criteria == sweep.mapping.criteria
    assert rebuilt.chain_head == sweep.chain_head
    assert build_result(rebuilt) == build_result(sweep)


def test_the_same_sweep_cannot_be_recorded_twice(tmp_path: Path, sqlite_url: str) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=2)
    record_sweep(sweep, sqlite_url)
    with pytest.raises(UserError, match="already recorded"):
        record_sweep(sweep, sqlite_url)


def test_triggers_refuse_update_delete_and_replace(Attacker, tmp_path: Path, store_url: str) -> None:
    _three_sweeps(tmp_path, store_url)
    attacker = Attacker(store_url)
    if attacker.sqlite:
        import sqlite3

        errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
        attempts = [
            "UPDATE observations SET status = 'pass' WHERE status = 'fail'",
            "DELETE FROM entries WHERE seq = 2",
            "DELETE FROM findings",
            # without recursive_triggers the REPLACE would delete the old row silently
            "INSERT OR REPLACE INTO entries SELECT seq, kind, id, at, content, prev || 'x', hash || 'x' FROM entries WHERE seq = 1",
            "INSERT OR REPLACE INTO observations SELECT entry, idx, check_id, resource_key, 'pass', body FROM observations WHERE entry = 1 AND idx = 0",
        ]
    else:
        import psycopg

        errors = (psycopg.Error,)
        attempts = [
            "UPDATE observations SET status = 'pass' WHERE status = 'fail'",
            "DELETE FROM entries WHERE seq = 2",
            "TRUNCATE findings",
            "INSERT INTO entries SELECT * FROM entries WHERE seq = 1 ON CONFLICT (seq) DO UPDATE SET content = 'x'",
        ]
    for sql in attempts:
        with pytest.raises(errors, match="append-only"):
            if attacker.sqlite:
                # what the store's own connections do: recursive_triggers on
                import sqlite3

                conn = sqlite3.connect(store_url[len("sqlite:///") :], isolation_level=None)
                conn.execute("PRAGMA recursive_triggers = ON")
                try:
                    conn.execute(sql)
                finally:
                    conn.close()
            else:
                attacker.execute(sql, drop_triggers=False)
    with open_store(store_url) as store:
        assert verify(store).ok


def _verify_fails_naming(url: str, sweep_id: str, why: str) -> None:
    with open_store(url, create=False) as store:
        report = verify(store)
    assert not report.ok
    assert sweep_id in report.first_bad, report.problems
    assert why in report.problems[0], report.problems


def test_edited_observation_is_detected_and_the_sweep_named(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    Attacker(store_url).execute(
        "UPDATE observations SET status = 'pass', "
        'body = replace(body, \'"status":"fail"\', \'"status":"pass"\') '
        "WHERE entry = 2 AND status = 'fail'"
    )
    _verify_fails_naming(store_url, sweeps[1].id, "observations do not match")


def test_edited_index_column_alone_is_detected(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    Attacker(store_url).execute("UPDATE findings SET state = 'satisfied' WHERE entry = 3")
    _verify_fails_naming(store_url, sweeps[2].id, "findings do not match")


def test_edited_sweep_header_is_detected_even_when_rehashed(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    attacker = Attacker(store_url)
    attacker.execute(
        "UPDATE entries SET content = replace(content, '\"exit_code\":3', '\"exit_code\":0') WHERE seq = 1"
    )
    _verify_fails_naming(store_url, sweeps[0].id, "does not match its hash")
    # the attacker recomputes that entry's hash: now the next sweep no longer links to it
    content = attacker.query("SELECT content FROM entries WHERE seq = 1")[0][0]
    attacker.execute(f"UPDATE entries SET hash = '{sha256_hex(content)}' WHERE seq = 1")
    _verify_fails_naming(store_url, sweeps[1].id, "does not link")


def test_deleted_sweep_is_detected(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    Attacker(store_url).execute(
        *[f"DELETE FROM {t} WHERE entry = 2" for t in ("resources", "observations", "findings")],
        "DELETE FROM entries WHERE seq = 2",
    )
    _verify_fails_naming(store_url, sweeps[2].id, "missing")


def test_deleted_and_renumbered_sweep_is_detected(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    statements = [f"DELETE FROM {t} WHERE entry = 2" for t in ("resources", "observations", "findings")]
    statements += ["DELETE FROM entries WHERE seq = 2", "UPDATE entries SET seq = 2 WHERE seq = 3"]
    statements += [f"UPDATE {t} SET entry = 2 WHERE entry = 3" for t in ("resources", "observations", "findings")]
    Attacker(store_url).execute(*statements)
    _verify_fails_naming(store_url, sweeps[2].id, "reordered")


def test_reordered_sweeps_are_detected(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    swap = [
        sql
        for t in ("resources", "observations", "findings")
        for sql in (
            f"UPDATE {t} SET entry = -entry WHERE entry IN (1, 2)",
            f"UPDATE {t} SET entry = 2 WHERE entry = -1",
            f"UPDATE {t} SET entry = 1 WHERE entry = -2",
        )
    ]
    Attacker(store_url).execute(
        "UPDATE entries SET seq = -seq WHERE seq IN (1, 2)",
        "UPDATE entries SET seq = 2 WHERE seq = -1",
        "UPDATE entries SET seq = 1 WHERE seq = -2",
        *swap,
    )
    _verify_fails_naming(store_url, sweeps[1].id, "reordered")


def test_truncated_chain_is_caught_with_a_recorded_head(Attacker, tmp_path: Path, store_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, store_url)
    Attacker(store_url).execute(
        *[f"DELETE FROM {t} WHERE entry = 3" for t in ("resources", "observations", "findings")],
        "DELETE FROM entries WHERE seq = 3",
    )
    with open_store(store_url) as store:
        assert verify(store).ok  # the chain alone cannot know its newest entry is gone …
        report = verify(store, expect_head=sweeps[2].chain_head)  # … the head in the OSCAL can
    assert not report.ok and "expected head" in report.problems[0]


def test_orphan_rows_of_a_deleted_last_entry_are_detected(Attacker, tmp_path: Path, sqlite_url: str) -> None:
    _three_sweeps(tmp_path, sqlite_url)
    Attacker(sqlite_url).execute("DELETE FROM entries WHERE seq = 3")
    with open_store(sqlite_url) as store:
        report = verify(store)
    assert not report.ok and "not in the chain" in report.problems[0]


def test_export_refuses_tampered_evidence(Attacker, tmp_path: Path, sqlite_url: str) -> None:
    sweeps = _three_sweeps(tmp_path, sqlite_url)
    Attacker(sqlite_url).execute(
        'UPDATE resources SET body = replace(body, \'"region":"\', \'"region":"x\') WHERE entry = 1'
    )
    with open_store(sqlite_url) as store, pytest.raises(TamperedError, match=sweeps[0].id):
        store.load_sweep(store.find_sweep(sweeps[0].id))


def test_edited_attestation_and_stored_file_are_detected(Attacker, tmp_path: Path, store_url: str) -> None:
    with open_store(store_url) as store:
        att = store.add_attestation(
            criterion="CC6.2",
            type_="access-review",
            data=b"reviewed",
            filename="r.md",
            attested_by="Ann",
            expires=dt.datetime(2099, 1, 1, tzinfo=UTC),
            keep_file=True,
        )
    attacker = Attacker(store_url)
    if attacker.sqlite:
        attacker.execute(f"UPDATE files SET data = X'00' WHERE sha256 = '{att.sha256}'")
    else:
        attacker.execute(f"UPDATE files SET data = '\\x00'::bytea WHERE sha256 = '{att.sha256}'")
    with open_store(store_url) as store:
        report = verify(store)
    assert not report.ok and att.id in report.first_bad and "stored file" in report.problems[0]


def test_attestations_and_waivers_round_trip(tmp_path: Path, store_url: str) -> None:
    assert current_attestations(store_url) == [] and current_waivers(store_url) == []
    expires = dt.datetime(2099, 1, 1, tzinfo=UTC)
    with open_store(store_url) as store:
        att = store.add_attestation(
            criterion="CC7.3",
            type_="incident-response-plan",
            data=b"plan",
            filename="/home/me/secret-path/plan.pdf",
            attested_by="CISO",
            expires=expires,
        )
        waiver = store.add_waiver(
            check_id="synthetic.storage.encrypted", resource="*", reason="legacy", expires=expires, approved_by="CTO"
        )
        assert store.file(att.sha256) is None  # only the hash unless asked to keep the file
    assert current_attestations(store_url) == [att]
    assert att.filename == "plan.pdf"  # no local path in the evidence
    assert current_waivers(store_url) == [waiver]


def test_concurrent_writers_keep_one_chain(tmp_path: Path, store_url: str) -> None:
    sweeps = [synthetic_sweep(tmp_path, resources_per_unit=20) for _ in range(4)]
    errors: list[BaseException] = []

    def write(s) -> None:
        try:
            record_sweep(s, store_url)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in sweeps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(store_url) as store:
        report = verify(store)
    assert report.ok and report.sweeps == 4, report.problems


def test_default_store_is_created_in_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert current_attestations(None) == []
    sweep = synthetic_sweep(tmp_path, resources_per_unit=2)
    head = record_sweep(sweep, None)
    path = tmp_path / "xdg" / "trustsweep" / "evidence.sqlite"
    assert path.is_file()
    with open_store(f"sqlite:///{path}", create=False) as store:
        assert store.head() == head


def test_store_does_not_hold_the_store_url_or_password(tmp_path: Path, store_url: str) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=2)
    record_sweep(sweep, store_url)
    with open_store(store_url) as store:
        content = store.entries("sweep")[0].content
    assert "postgresql://" not in content and "evidence.sqlite" not in content


def test_waived_failures_keep_their_waiver_and_expired_ones_do_not_apply(tmp_path: Path, sqlite_url: str) -> None:
    past = dt.datetime.now(UTC) - dt.timedelta(days=1)
    future = dt.datetime.now(UTC) + dt.timedelta(days=30)
    with open_store(sqlite_url) as store:
        store.add_waiver(
            check_id="synthetic.tags.env", resource="*", reason="expired already", expires=past, approved_by="CTO"
        )
        live = store.add_waiver(
            check_id="synthetic.keys.rotation", resource="*", reason="vendor keys", expires=future, approved_by="CISO"
        )
    sweep = synthetic_sweep(tmp_path, resources_per_unit=10, waivers=current_waivers(sqlite_url))
    record_sweep(sweep, sqlite_url)
    rotation = [r for r in sweep.results if r.check_id == "synthetic.keys.rotation" and r.status is Status.FAIL]
    assert rotation and all(r.waiver == live for r in rotation)
    assert all(r.waiver is None for r in sweep.results if r.check_id == "synthetic.tags.env")
    with open_store(sqlite_url) as store:
        rebuilt = store.load_sweep(store.find_sweep(sweep.id))
    waived = [r for r in rebuilt.results if r.waiver is not None]
    assert waived and {r.waiver.approved_by for r in waived} == {"CISO"}
    assert {r.waiver.reason for r in waived} == {"vendor keys"}
    # what an export shows: the failure is still there, marked waived with reason, approver and expiry
    observations = build_result(rebuilt)["observations"]
    marked = [{p["name"]: p["value"] for p in o.get("props", [])} for o in observations]
    marked = [m for m in marked if m.get("waived") == "true"]
    assert len(marked) == len(waived)
    assert {(m["result"], m["waiver-reason"], m["waiver-approved-by"]) for m in marked} == {
        ("fail", "vendor keys", "CISO")
    }
    assert all(m["waiver-expires"].startswith(future.date().isoformat()) for m in marked)


def test_secret_target_attrs_are_never_stored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from trustsweep.model import Target
    from trustsweep.store import record_sweep
    from trustsweep.testing.synthetic import synthetic_sweep

    sweep = synthetic_sweep(tmp_path, resources_per_unit=2, targets=1)
    sweep.targets.append(
        Target(
            "synthetic", "acct-x", attrs={"role_arn": "arn:aws:iam::1:role/R", "secret_external_id": "do-not-store-me"}
        )
    )
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    record_sweep(sweep, url)
    raw = (tmp_path / "e.sqlite").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("e.sqlite-*"))
    assert b"arn:aws:iam::1:role/R" in raw and b"do-not-store-me" not in raw
