"""Secrets in tags (named like secrets or shaped like them) never reach the inventory, the evidence
store, OSCAL, the summary or the terminal: a CLI sweep of the emulator, every byte it wrote read."""

from __future__ import annotations

import os
from pathlib import Path

import boto3

from trustsweep.testing.cli import run_cli
from trustsweep.testing.leaks import written_bytes
from trustsweep_aws.emulator import ACCOUNT, AwsEmulator, seed_estate

REGION = "us-east-1"
TAGGED = "tag-secret-4c1d9e77aa"
SHAPED = "postgresql://app:shaped-secret-83bb2@db.internal:5432/app"
SALT = "salt-must-not-leak-5e0a"


def test_secret_tags_are_redacted_everywhere_a_sweep_writes(aws_env: AwsEmulator, tmp_path: Path) -> None:
    seed_estate(aws_env.endpoint, regions=(REGION,))
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=aws_env.endpoint)
    rds = boto3.client("rds", region_name=REGION, endpoint_url=aws_env.endpoint)
    volume = ec2.describe_volumes()["Volumes"][0]["VolumeId"]
    ec2.create_tags(
        Resources=[volume], Tags=[{"Key": "db_password", "Value": TAGGED}, {"Key": "note", "Value": SHAPED}]
    )
    db = rds.describe_db_instances()["DBInstances"][0]["DBInstanceArn"]
    rds.add_tags_to_resource(ResourceName=db, Tags=[{"Key": "API_TOKEN", "Value": TAGGED}])

    env = {k: os.environ[k] for k in os.environ if k.startswith("AWS_")} | {"TRUSTSWEEP_REDACTION_SALT": SALT}
    inv, out, store = tmp_path / "inv", tmp_path / "out", tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep",
        "--provider",
        "aws",
        "--region",
        REGION,
        "--save-inventory",
        str(inv),
        "--out",
        str(out),
        "--store",
        f"sqlite:///{store}",
        "--aws-production-account",
        ACCOUNT,
        "--aws-max-attempts",
        "2",
        "--check",
        "aws.ec2.volume_encrypted",
        "--check",
        "aws.rds.storage_encrypted",
        env=env,
    )
    assert proc.returncode in (0, 1, 3), proc.stderr
    written = written_bytes(inv, out, tmp_path, proc.stdout, proc.stderr)
    for secret in (TAGGED, SHAPED, "shaped-secret-83bb2", SALT):
        assert secret.encode() not in written
    assert b"[redacted hmac-sha256:" in written_bytes(inv)  # the store keeps resource facts only: no properties
    assert written_bytes(store)
    assert b'"backup":"daily"' in written_bytes(inv)  # ordinary tags are kept as they were
