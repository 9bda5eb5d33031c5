"""The store commands: verify, history, export, diff, attest, waive, and bad input (exit 2, nothing changed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

import pytest

from trustsweep.model import Status
from trustsweep.oscal import build_result
from trustsweep.store import current_attestations, open_store, record_sweep
from trustsweep.testing import in_memory
from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep.testing.synthetic import synthetic_sweep

UTC = dt.UTC


def _one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("trustsweep: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _files_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.parent.glob(path.name + "*")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def _record(tmp_path: Path, url: str, n: int = 3) -> list:
    out = []
    for i in range(n):
        s = synthetic_sweep(tmp_path, resources_per_unit=4 + i)
        record_sweep(s, url)
        out.append(s)
    return out


def test_verify_ok_then_tampered_exits_1_naming_the_sweep(tmp_path: Path, store_url: str, cli, Attacker) -> None:
    sweeps = _record(tmp_path, store_url)
    ok = cli("verify", "--store", store_url)
    assert ok.exit_code == 0, ok.output
    assert f"chain head {sweeps[-1].chain_head}" in ok.stdout and "3 sweeps" in ok.stdout
    assert cli("verify", "--store", store_url, "--head", sweeps[1].chain_head).exit_code == 0
    Attacker(store_url).execute("UPDATE observations SET status = 'pass' WHERE entry = 2 AND status = 'fail'")
    bad = cli("verify", "--store", store_url)
    assert bad.exit_code == 1
    assert f"sweep {sweeps[1].id}" in bad.stdout and "observations" in bad.stdout
    as_json = cli("verify", "--store", store_url, "--format", "json")
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and report["ok"] is False and sweeps[1].id in report["first_bad"]


def test_verify_in_a_real_process_is_one_clear_failure(tmp_path: Path, sqlite_url: str, Attacker) -> None:
    sweeps = _record(tmp_path, sqlite_url, 2)
    Attacker(sqlite_url).execute("DELETE FROM entries WHERE seq = 1")
    proc = run_cli("verify", "--store", sqlite_url)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert sweeps[1].id in proc.stdout and "Traceback" not in proc.stderr


def test_history_table_chart_and_window(tmp_path: Path, sqlite_url: str, cli) -> None:
    sweeps = _record(tmp_path, sqlite_url)
    table = cli("history", "--store", sqlite_url)
    assert table.exit_code == 0, table.output
    assert "CC6.1" in table.stdout and "P8.1" in table.stdout
    one = cli("history", "--store", sqlite_url, "--criterion", "CC2.1", "--format", "json")
    data = json.loads(one.stdout)
    assert [d["sweep"] for d in data] == [s.id for s in sweeps]
    expected = next(f for f in sweeps[0].findings if f.criterion_id == "CC2.1")
    assert data[0]["criteria"] == {
        "CC2.1": {
            "state": expected.state,
            "basis": expected.basis.value,
            "label": "not-satisfied",
            "reason": expected.reason,
        }
    }
    md = tmp_path / "history.md"
    assert cli("history", "--store", sqlite_url, "--format", "markdown", "--out", str(md)).exit_code == 0
    text = md.read_text()
    assert "| CC2.1 | ❌ | ❌ | ❌ | 0/3 |" in text and "| CC6.1 | ⚠️ | ⚠️ | ⚠️ | 0/3 |" in text
    page = cli("history", "--store", sqlite_url, "--format", "html")
    assert page.stdout.startswith("<!doctype html>") and "CC2.1" in page.stdout
    yesterday = (dt.datetime.now(UTC) - dt.timedelta(days=1)).date().isoformat()
    assert "no sweep recorded" in cli("history", "--store", sqlite_url, "--to", yesterday).stdout
    today = dt.datetime.now(UTC).date().isoformat()
    window = json.loads(
        cli("history", "--store", sqlite_url, "--from", today, "--to", today, "--format", "json").stdout
    )
    assert len(window) == 3  # --to DATE includes that whole day


def test_export_writes_one_result_per_stored_sweep(tmp_path: Path, store_url: str, cli) -> None:
    sweeps = _record(tmp_path, store_url)
    out = tmp_path / "export"
    today = dt.datetime.now(UTC).date().isoformat()
    result = cli("export", "--store", store_url, "--from", today, "--to", today, "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "assessment-results.json").read_text())["assessment-results"]
    assert [r["uuid"] for r in doc["results"]] == [s.id for s in sweeps]
    assert doc["results"][1] == json.loads(json.dumps(build_result(sweeps[1])))
    head = {p["value"] for p in doc["metadata"]["props"] if p["name"] == "evidence-chain-head"}
    assert head == {sweeps[-1].chain_head}
    assert_valid_oscal(out)
    chart = (out / "history.md").read_text()
    assert "| CC2.1 | ❌ | ❌ | ❌ | 0/3 |" in chart
    assert "CC2.1" in (out / "history.html").read_text()


def test_export_in_oscal_1_1_3_yaml(tmp_path: Path, sqlite_url: str, cli) -> None:
    _record(tmp_path, sqlite_url, 2)
    out = tmp_path / "export"
    result = cli("export", "--store", sqlite_url, "--out", str(out), "--oscal-version", "1.1.3", "--format", "yaml")
    assert result.exit_code == 0, result.output
    assert (out / "assessment-results.yaml").is_file()
    assert_valid_oscal(out / "assessment-results.yaml")


def test_export_of_tampered_evidence_fails_and_names_the_sweep(tmp_path: Path, sqlite_url: str, cli, Attacker) -> None:
    sweeps = _record(tmp_path, sqlite_url)
    Attacker(sqlite_url).execute(
        "UPDATE findings SET body = replace(body, 'not-satisfied', 'satisfied') WHERE entry = 3"
    )
    result = cli("export", "--store", sqlite_url, "--out", str(tmp_path / "x"))
    assert result.exit_code == 1 and sweeps[2].id in result.stderr


def test_export_refuses_a_rehashed_entry_that_breaks_the_chain(tmp_path: Path, sqlite_url: str, cli, Attacker) -> None:
    from trustsweep.store.canonical import sha256_hex

    sweeps = _record(tmp_path, sqlite_url)
    attacker = Attacker(sqlite_url)
    attacker.execute(
        "UPDATE entries SET content = replace(content, '\"exit_code\":3', '\"exit_code\":0') WHERE seq = 2"
    )
    content = attacker.query("SELECT content FROM entries WHERE seq = 2")[0][0]
    attacker.execute(f"UPDATE entries SET hash = '{sha256_hex(content)}' WHERE seq = 2")
    result = cli("export", "--store", sqlite_url, "--out", str(tmp_path / "x"))
    assert result.exit_code == 1 and sweeps[2].id in result.stderr, result.output
    assert not (tmp_path / "x" / "assessment-results.json").exists()


def test_diff_lists_new_failures_fixes_and_resource_changes(tmp_path: Path, sqlite_url: str, cli) -> None:
    a = in_memory(synthetic_sweep(tmp_path, resources_per_unit=10))  # lists: this test edits a copy
    record_sweep(a, sqlite_url)
    fixed = next(r for r in a.results if r.status is Status.FAIL)
    broke = next(r for r in a.results if r.status is Status.PASS)
    gone = a.resources[-1]
    results = []
    for r in a.results:
        if r is fixed:
            r = dataclasses.replace(r, status=Status.PASS, reason="fixed")
        elif r is broke:
            r = dataclasses.replace(r, status=Status.FAIL, reason="broke")
        if r.resource_id != gone.id:
            results.append(r)
    added = dataclasses.replace(a.resources[0], id="syn:new/1")
    b = dataclasses.replace(
        a, id=str(uuid.uuid4()), results=results, resources=[*[r for r in a.resources if r is not gone], added]
    )
    record_sweep(b, sqlite_url)
    out = cli("diff", "--store", sqlite_url, a.id[:8], b.id, "--format", "json")
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert {(x["check"], x["resource"]) for x in d["new_failures"]} == {(broke.check_id, broke.resource_key)}
    assert [(x["check"], x["resource"], x["now"]) for x in d["fixed"]] == [(fixed.check_id, fixed.resource_key, "pass")]
    assert [x["resource"] for x in d["resources_added"]] == [added.key]
    assert [x["resource"] for x in d["resources_removed"]] == [gone.key]
    table = cli("diff", "--store", sqlite_url, a.id, b.id)
    assert "New failures" in table.stdout and "Resources removed" in table.stdout
    assert cli("diff", "--store", sqlite_url, "nope-nope", b.id).exit_code == 2


def test_attest_add_list_and_its_effect_on_a_sweep(tmp_path: Path, sqlite_url: str, cli) -> None:
    review = tmp_path / "access-review.md"
    review.write_text("Q3 review: 12 accounts, 2 removed.\n")
    ok = cli(
        "attest",
        "add",
        "CC6.2",
        "--type",
        "access-review",
        "--file",
        str(review),
        "--expires",
        "2099-01-01",
        "--by",
        "Ann Auditor",
        "--keep-file",
        "--store",
        sqlite_url,
    )
    assert ok.exit_code == 0, ok.output
    old = cli(
        "attest",
        "add",
        "CC7.3",
        "--type",
        "incident-response-plan",
        "--file",
        str(review),
        "--date",
        "2024-01-01",
        "--expires",
        "2025-01-01",
        "--by",
        "Bob",
        "--store",
        sqlite_url,
    )
    assert old.exit_code == 0 and "already expired" in old.stderr
    listed = json.loads(cli("attest", "list", "--store", sqlite_url, "--format", "json").stdout)
    assert [(r["criterion"], r["state"]) for r in listed] == [("CC6.2", "valid"), ("CC7.3", "expired")]
    assert listed[0]["sha256"] == hashlib.sha256(review.read_bytes()).hexdigest()
    sweep = synthetic_sweep(tmp_path, resources_per_unit=3, attestations=current_attestations(sqlite_url))
    findings = {f.criterion_id: f for f in sweep.findings}
    assert findings["CC6.2"].state == "satisfied" and findings["CC6.2"].attestations[0].state == "valid"
    assert findings["CC7.3"].state == "not-satisfied" and "expired on 2024-12-31" in findings["CC7.3"].reason
    assert "not 2025-01-01: type incident-response-plan counts for at most 365 days" in findings["CC7.3"].reason
    record_sweep(sweep, sqlite_url)
    result = build_result(sweep)
    examined = [o for o in result["observations"] if "EXAMINE" in o["methods"]]
    assert len(examined) == 2
    with open_store(sqlite_url) as store:
        assert store.file(listed[0]["sha256"]) == review.read_bytes()
        rebuilt = store.load_sweep(store.find_sweep(sweep.id))
    assert build_result(rebuilt) == result


def test_waive_then_a_sweep_marks_the_failure_waived(tmp_path: Path, sqlite_url: str, cli) -> None:
    ok = cli(
        "waive",
        "aws.s3.bucket_encryption",
        "--resource",
        "arn:aws:s3:::legacy",
        "--reason",
        "partner needs it",
        "--expires",
        "2099-12-31",
        "--approved-by",
        "CISO",
        "--allow-long",
        "--store",
        sqlite_url,
    )
    assert ok.exit_code == 0, ok.output
    listed = json.loads(cli("waivers", "list", "--store", sqlite_url, "--format", "json").stdout)
    assert [(w["check_id"], w["resource"], w["approved_by"], w["state"]) for w in listed] == [
        ("aws.s3.bucket_encryption", "arn:aws:s3:::legacy", "CISO", "active")
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        (
            [
                "waive",
                "aws.nope.nothing",
                "--resource",
                "*",
                "--reason",
                "r",
                "--expires",
                "2099-01-01",
                "--approved-by",
                "x",
            ],
            "unknown check id",
        ),
        (
            [
                "waive",
                "aws.s3.bucket_encryption",
                "--resource",
                "*",
                "--reason",
                "r",
                "--expires",
                "2001-01-01",
                "--approved-by",
                "x",
            ],
            "in the past",
        ),
        (
            [
                "waive",
                "aws.s3.bucket_encryption",
                "--resource",
                "*",
                "--reason",
                "r",
                "--expires",
                "someday",
                "--approved-by",
                "x",
            ],
            "not an ISO date",
        ),
        (
            [
                "attest",
                "add",
                "CC99.9",
                "--type",
                "access-review",
                "--file",
                "{file}",
                "--expires",
                "2099-01-01",
                "--by",
                "a",
            ],
            "unknown criterion",
        ),
        (
            ["attest", "add", "CC6.2", "--type", "selfie", "--file", "{file}", "--expires", "2099-01-01", "--by", "a"],
            "unknown attestation type",
        ),
        (
            [
                "attest",
                "add",
                "CC6.2",
                "--type",
                "access-review",
                "--file",
                "/no/such/file",
                "--expires",
                "2099-01-01",
                "--by",
                "a",
            ],
            "cannot read",
        ),
        (
            [
                "attest",
                "add",
                "CC6.2",
                "--type",
                "access-review",
                "--file",
                "{file}",
                "--date",
                "2999-01-01",
                "--expires",
                "2999-06-01",
                "--by",
                "a",
            ],
            "in the future",
        ),
        (
            [
                "attest",
                "add",
                "CC6.2",
                "--type",
                "access-review",
                "--file",
                "{file}",
                "--date",
                "2025-01-01",
                "--expires",
                "2024-06-01",
                "--by",
                "a",
            ],
            "not after the evidence date",
        ),
        (["history", "--from", "2026-05-01", "--to", "2026-04-01"], "wrong way round"),
        (["export", "--from", "2026-05-01", "--to", "2026-04-01", "--out", "{tmp}/x"], "wrong way round"),
        (["history", "--format", "pdf"], "invalid value for --format: 'pdf'"),
        (["export", "--from", "1999-01-01", "--to", "1999-01-02", "--out", "{tmp}/x"], "no sweep"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(tmp_path: Path, sqlite_url: str, cli, args, message) -> None:
    _record(tmp_path, sqlite_url, 1)
    path = Path(sqlite_url[len("sqlite:///") :])
    before = _files_digest(path)
    evidence = tmp_path / "e.txt"
    evidence.write_text("x")
    args = [a.replace("{file}", str(evidence)).replace("{tmp}", str(tmp_path)) for a in args]
    result = cli(*args, "--store", sqlite_url)
    assert result.exit_code == 2, result.output
    assert message in _one_error_line(result)
    assert _files_digest(path) == before
    assert not (tmp_path / "x").exists()


def test_unopenable_stores_are_exit_2(tmp_path: Path, cli) -> None:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("just some notes, not a database\n" * 100)
    cases = [
        ("mysql://root@localhost/db", "unsupported store URL"),
        (f"sqlite:///{tmp_path}/missing-dir/evidence.sqlite", "no evidence store"),
        (f"sqlite:///{not_db}", "cannot open the evidence store"),
        ("postgresql://auditor:hunter2secret@127.0.0.1:1/evidence", "cannot open the evidence store"),
    ]
    for url, message in cases:
        result = cli("verify", "--store", url)
        assert result.exit_code == 2, (url, result.output)
        line = _one_error_line(result)
        assert message in line, line
        assert "hunter2secret" not in result.output
    assert not_db.read_text().startswith("just some notes")
    fresh = cli(
        "waive",
        "aws.s3.bucket_encryption",
        "--resource",
        "*",
        "--reason",
        "r",
        "--expires",
        "2099-01-01",
        "--approved-by",
        "x",
        "--allow-wildcard",
        "--allow-long",
        "--store",
        f"sqlite:///{tmp_path}/no-dir/e.sqlite",
    )
    assert fresh.exit_code == 2 and not (tmp_path / "no-dir").exists()


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path, store_url: str, cli, Attacker) -> None:
    _record(tmp_path, store_url, 1)
    Attacker(store_url).execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    for args in (["verify"], ["history"], ["attest", "list"], ["waivers", "list"]):
        result = cli(*args, "--store", store_url)
        assert result.exit_code == 2, result.output
        assert "newer trustsweep" in _one_error_line(result)
    from trustsweep.errors import UserError

    with pytest.raises(UserError, match="newer"):
        record_sweep(synthetic_sweep(tmp_path, resources_per_unit=1), store_url)
    assert Attacker(store_url).query("SELECT count(*) FROM entries")[0][0] == 1


def test_evaluate_records_into_the_store_and_the_oscal_carries_the_head(tmp_path: Path, sqlite_url: str) -> None:
    """`trustsweep evaluate --store URL` records the sweep before writing OSCAL that carries the chain head."""
    from trustsweep.inventory import save_target
    from trustsweep.model import Target

    inv = tmp_path / "inv"
    save_target(inv, Target("aws", "123456789012"), [], [], dt.datetime.now(UTC), properties_version=2)
    out = tmp_path / "out"
    proc = run_cli("evaluate", "--inventory", str(inv), "--out", str(out), "--store", sqlite_url)
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    with open_store(sqlite_url, create=False) as store:
        head = store.head()
        assert [e.kind for e in store.entries()] == ["sweep"]
    doc = json.loads((out / "assessment-results.json").read_text())["assessment-results"]
    assert {p["value"] for p in doc["metadata"]["props"] if p["name"] == "evidence-chain-head"} == {head}


def test_a_read_only_copy_verifies_and_refuses_writes(tmp_path: Path, sqlite_url: str, cli) -> None:
    sweeps = _record(tmp_path, sqlite_url, 2)
    with open_store(sqlite_url) as store:
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "auditor" / "evidence.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(Path(sqlite_url[len("sqlite:///") :]).read_bytes())
    ro = f"sqlite:///{copy}?mode=ro"
    before = _files_digest(copy)
    ok = cli("verify", "--store", ro)
    assert ok.exit_code == 0 and sweeps[-1].chain_head in ok.stdout, ok.output
    assert cli("history", "--store", ro, "--format", "json").exit_code == 0
    refused = cli(
        "waive",
        "aws.s3.bucket_encryption",
        "--resource",
        "*",
        "--reason",
        "r",
        "--expires",
        "2099-01-01",
        "--approved-by",
        "x",
        "--allow-wildcard",
        "--allow-long",
        "--store",
        ro,
    )
    assert refused.exit_code == 2 and "read-only" in _one_error_line(refused)
    assert _files_digest(copy) == before and sorted(p.name for p in copy.parent.iterdir()) == ["evidence.sqlite"]
