"""The demo's AWS emulator (``fill_gaps=True``) also serves what moto lacks and the checks read —
Access Analyzer, Backup selections, the credential report's root row — so those checks reach real
verdicts through boto3 over HTTP. The plain emulator keeps the gaps: ``checks/test_estate.py``
asserts they end as ``error`` there."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from trustsweep.model import Status
from trustsweep.sweep import Sweep
from trustsweep.testing import saved_resources
from trustsweep_aws.emulator import ACCOUNT, REGIONS, AwsEmulator, seed_estate

from ..sweeping import aws_sweep, pointed_at

P, F = Status.PASS, Status.FAIL
US, EU = REGIONS


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AwsEmulator, Sweep]]:
    """The Northwind estate on an emulator with the gaps filled, swept once like the demo does."""
    emulator = AwsEmulator(fill_gaps=True)
    emulator.reset()  # moto's backends are shared by every server in this process
    where = tmp_path_factory.mktemp("filled")
    with pointed_at(emulator, where / "aws"):
        seed_estate(emulator.endpoint, regions=REGIONS)
        sweep = aws_sweep(
            regions=list(REGIONS), options={"production_accounts": [ACCOUNT]}, save_inventory=where / "inventory"
        )
    sweep.stats["inventory"] = str(where / "inventory")  # where the test finds the collected properties
    yield emulator, sweep
    emulator.stop()


def _client(emulator: AwsEmulator, service: str, region: str = US) -> object:
    import boto3

    return boto3.client(
        service,
        region_name=region,
        endpoint_url=emulator.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _verdicts(sweep: Sweep, check_id: str) -> dict[str, Status]:
    return {r.resource_id: r.status for r in sweep.results if r.check_id == check_id}


def test_no_check_errors_and_the_exit_code_says_failures(filled: tuple[AwsEmulator, Sweep]) -> None:
    _, sweep = filled
    assert [(r.check_id, r.reason) for r in sweep.results if r.status is Status.ERROR] == []
    assert sweep.collection_errors == []
    assert sweep.exit_code == 1


def test_access_analyzer_in_the_primary_region_only(filled: tuple[AwsEmulator, Sweep]) -> None:
    verdicts = _verdicts(filled[1], "aws.accessanalyzer.enabled")
    assert {rid.split(":")[3]: status for rid, status in verdicts.items()} == {US: P, EU: F}


def test_backup_selection_covers_the_tagged_database_not_the_scratch_volume(filled: tuple[AwsEmulator, Sweep]) -> None:
    _, sweep = filled
    names = {r.id: r.name for r in sweep.resources}
    verdicts = {names[rid]: status for rid, status in _verdicts(sweep, "aws.backup.production_coverage").items()}
    assert verdicts["orders-db"] is P and verdicts["analytics-db"] is F
    assert verdicts[f"scratch-{US}"] is F and verdicts[f"scratch-{EU}"] is F
    collected = saved_resources(Path(sweep.stats["inventory"]))
    plan = next(r for r in collected if r.type == "aws.backup.region" and r.region == US).properties["plans"][0]
    assert plan["selections"] == [
        {"name": "tagged-daily", "resources": [], "not_resources": [], "tags": [{"key": "backup", "value": "daily"}]}
    ]


def test_root_row_heads_the_credential_report(filled: tuple[AwsEmulator, Sweep]) -> None:
    emulator, sweep = filled
    assert list(_verdicts(sweep, "aws.iam.root_not_used").values()) == [P]  # last used 200 days ago
    iam = _client(emulator, "iam")
    iam.generate_credential_report()
    rows = list(csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode())))
    assert rows[0]["user"] == "<root_account>" and rows[0]["arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert {"alice", "bob", "ci-bot"} <= {r["user"] for r in rows[1:]}  # moto's user rows are kept
    assert all(None not in row and len(row) == len(rows[0]) for row in rows)


def test_errors_and_reset(filled: tuple[AwsEmulator, Sweep]) -> None:
    from botocore.exceptions import ClientError

    emulator, _ = filled
    backup = _client(emulator, "backup")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        backup.list_backup_selections(BackupPlanId="no-such-plan")
    analyzer = _client(emulator, "accessanalyzer", EU)
    analyzer.create_analyzer(analyzerName="probe", type="ACCOUNT")
    with pytest.raises(ClientError, match="ConflictException"):
        analyzer.create_analyzer(analyzerName="probe", type="ACCOUNT")
    assert [a["name"] for a in analyzer.list_analyzers()["analyzers"]] == ["probe"]
    emulator.reset()
    assert analyzer.list_analyzers()["analyzers"] == []


def test_the_plain_emulator_keeps_the_gaps(aws_env: AwsEmulator, tmp_path: Path) -> None:
    """What the error-path tests rely on: without fill_gaps the services still answer NotImplemented."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="NotImplemented"):
        _client(aws_env, "accessanalyzer").list_analyzers()
    iam = _client(aws_env, "iam")
    iam.generate_credential_report()
    assert b"<root_account>" not in iam.get_credential_report()["Content"]
