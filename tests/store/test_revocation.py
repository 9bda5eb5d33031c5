"""Withdrawing attestations and waivers: revocations are appended (the ledger stays append-only),
count from their time on, and every listing and finding shows who revoked what, when and why.
Also: a store written before revocations existed still opens, verifies and takes them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from trustsweep.aggregate import aggregate
from trustsweep.model import Status
from trustsweep.store import current_attestations, current_waivers, open_store, record_sweep
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep

UTC = dt.UTC
FIXTURE = Path(__file__).parent / "fixtures" / "store-schema1.sqlite"  # written by trustsweep before this change


def _add(cli, url: str, tmp_path: Path) -> tuple[str, str]:
    review = tmp_path / "review.md"
    review.write_text("Q3 access review\n")
    soon = (dt.datetime.now(UTC) + dt.timedelta(days=30)).date().isoformat()
    att = cli(
        "attest",
        "add",
        "CC6.2",
        "--type",
        "access-review",
        "--file",
        str(review),
        "--expires",
        soon,
        "--by",
        "Ann",
        "--store",
        url,
    )
    assert att.exit_code == 0, att.output
    with open_store(url) as store:  # the CLI knows no synthetic checks
        waiver = store.add_waiver(
            check_id="synthetic.keys.rotation",
            resource="*",
            reason="vendor keys",
            expires=dt.datetime.now(UTC) + dt.timedelta(days=30),
            approved_by="CISO",
            allowed=["wildcard"],
        )
    return re.search(r"attestation (\S+):", att.stdout).group(1), waiver.id


def test_revoking_appends_and_the_lists_show_who_when_why(tmp_path: Path, store_url: str, cli) -> None:
    att_id, waiver_id = _add(cli, store_url, tmp_path)
    before = current_attestations(store_url)
    assert before[0].valid(dt.datetime.now(UTC))
    out = cli(
        "attest", "revoke", att_id[:8], "--by", "Dana Lead", "--reason", "review was incomplete", "--store", store_url
    )
    assert out.exit_code == 0, out.output
    assert "revoked on" in out.stdout and "Dana Lead" in out.stdout
    assert (
        cli("waive", "revoke", waiver_id, "--by", "CISO", "--reason", "keys rotated", "--store", store_url).exit_code
        == 0
    )
    listed = json.loads(cli("attest", "list", "--format", "json", "--store", store_url).stdout)
    assert [(a["id"], a["state"], a["revocation"]["by"], a["revocation"]["reason"]) for a in listed] == [
        (att_id, "revoked", "Dana Lead", "review was incomplete")
    ]
    assert "revoked" in cli("attest", "list", "--store", store_url).stdout
    waivers = json.loads(cli("waivers", "list", "--format", "json", "--store", store_url).stdout)
    assert [(w["id"], w["state"], w["revocation"]["by"]) for w in waivers] == [(waiver_id, "revoked", "CISO")]
    assert "revoked" in cli("waivers", "list", "--store", store_url).stdout
    with open_store(store_url) as store:
        kinds = [e.kind for e in store.entries()]
        report = verify(store)
    assert kinds == ["attestation", "waiver", "revocation", "revocation"] and report.ok, report.problems


def test_a_revoked_attestation_or_waiver_no_longer_counts(tmp_path: Path, sqlite_url: str, cli) -> None:
    att_id, waiver_id = _add(cli, sqlite_url, tmp_path)
    live = synthetic_sweep(
        tmp_path,
        resources_per_unit=10,
        attestations=current_attestations(sqlite_url),
        waivers=current_waivers(sqlite_url),
    )
    assert {f.criterion_id: f for f in live.findings}["CC6.2"].state == "satisfied"
    assert any(r.waiver is not None for r in live.results)
    cli("attest", "revoke", att_id, "--by", "Dana", "--reason", "wrong system", "--store", sqlite_url)
    cli("waive", "revoke", waiver_id, "--by", "CISO", "--reason", "keys rotated", "--store", sqlite_url)
    after = synthetic_sweep(
        tmp_path,
        resources_per_unit=10,
        attestations=current_attestations(sqlite_url),
        waivers=current_waivers(sqlite_url),
    )
    cc62 = {f.criterion_id: f for f in after.findings}["CC6.2"]
    assert cc62.state == "not-satisfied" and cc62.blocking
    assert cc62.attestations[0].state == "revoked"
    assert re.search(r"attestation access-review revoked on \d{4}-\d\d-\d\d by Dana: wrong system", cc62.reason)
    assert all(r.waiver is None for r in after.results if r.status is Status.FAIL)
    from trustsweep.report.summary import render_markdown

    summary = render_markdown(after)  # summary.md names who revoked what, when and why
    assert re.search(r"revoked on \d{4}-\d\d-\d\d by CISO: keys rotated", summary)
    assert re.search(r"revoked on \d{4}-\d\d-\d\d by Dana: wrong system", summary)
    # the sweep records the waiver with its revocation, and the stored sweep rebuilds the same
    record_sweep(after, sqlite_url)
    with open_store(sqlite_url) as store:
        rebuilt = store.load_sweep(store.find_sweep(after.id))
    assert rebuilt.waivers[0].revocation is not None and rebuilt.waivers[0].revocation.by == "CISO"
    assert rebuilt.findings == after.findings


def test_a_revocation_counts_from_its_time_on_not_before(tmp_path: Path, sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        store.add_attestation(
            criterion="CC6.2",
            type_="access-review",
            data=b"r",
            filename="r.md",
            attested_by="A",
            expires=dt.datetime.now(UTC) + dt.timedelta(days=30),
            created=dt.datetime.now(UTC) - dt.timedelta(days=10),
            ident="att-1",
        )
        _, revocation = store.revoke("attestation", "att-1", by="B", reason="why")
    mapping = synthetic_sweep(tmp_path, resources_per_unit=1).mapping
    atts = current_attestations(sqlite_url)

    def state(now: dt.datetime) -> str:
        finding = next(f for f in aggregate(mapping, [], attestations=atts, now=now) if f.criterion_id == "CC6.2")
        return finding.attestations[0].state

    assert state(revocation.at - dt.timedelta(days=1)) == "valid"
    assert state(revocation.at) == "revoked"


@pytest.mark.parametrize(
    "args,message",
    [
        (["attest", "revoke", "no-such-id", "--by", "x", "--reason", "r"], "no attestation"),
        (["waive", "revoke", "no-such-id", "--by", "x", "--reason", "r"], "no waiver"),
        (["attest", "revoke", "{att}", "--by", " ", "--reason", "r"], "--by must not be empty"),
        (["attest", "revoke", "{att}", "--by", "x", "--reason", ""], "--reason must not be empty"),
        (["waivers", "revoke", "{att}", "--by", "x", "--reason", "r"], "no waiver"),  # an attestation's id
    ],
)
def test_bad_revocations_are_one_line_exit_2_and_change_nothing(
    tmp_path: Path, sqlite_url: str, cli, args: list[str], message: str
) -> None:
    att_id, _ = _add(cli, sqlite_url, tmp_path)
    with open_store(sqlite_url) as store:
        head = store.head()
    result = cli(*[a.replace("{att}", att_id) for a in args], "--store", sqlite_url)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    with open_store(sqlite_url) as store:
        assert store.head() == head


def test_revoking_twice_is_refused(tmp_path: Path, store_url: str, cli) -> None:
    att_id, _ = _add(cli, store_url, tmp_path)
    assert cli("attest", "revoke", att_id, "--by", "x", "--reason", "r", "--store", store_url).exit_code == 0
    again = cli("attest", "revoke", att_id, "--by", "y", "--reason", "s", "--store", store_url)
    assert again.exit_code == 2 and "already revoked" in again.stderr


def test_a_store_from_before_revocations_opens_verifies_and_takes_them(tmp_path: Path, cli) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    url = f"sqlite:///{path}"
    with open_store(url, create=False) as store:
        report = verify(store)
        assert report.ok and report.entries == 3 and report.sweeps == 1, report.problems
        old_head = report.head
    assert [a.id for a in current_attestations(url)] == ["11111111-1111-4111-8111-111111111111"]
    # the old attestation claimed "valid until 2999": capped at the access review's 90 days
    listed = json.loads(cli("attest", "list", "--format", "json", "--store", url).stdout)
    assert listed[0]["valid_until"].startswith("2026-04-10") and "at most 90 days" in listed[0]["note"]
    assert cli("waive", "revoke", "22222222", "--by", "CISO", "--reason", "done", "--store", url).exit_code == 0
    assert cli("history", "--store", url).exit_code == 0
    ok = cli("verify", "--store", url, "--head", old_head)
    assert ok.exit_code == 0 and "4 entries" in ok.stdout, ok.output
    assert current_waivers(url)[0].revocation is not None


def test_new_stores_are_schema_2_so_older_versions_refuse_them(sqlite_url: str, Attacker) -> None:
    open_store(sqlite_url).close()
    assert Attacker(sqlite_url).query("SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
