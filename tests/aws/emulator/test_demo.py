"""The demo factory serves the Northwind estate, and the emulator's request log names every request
and tells writes from reads (so the read-only assertions of the conformance suite can fail)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from trustsweep_aws import session
from trustsweep_aws.emulator import AwsEmulator, demo_emulator

from ..sweeping import aws_sweep

REGION = "us-east-1"


def test_demo_emulator_serves_the_northwind_estate_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_emulator(tmp_path / "demo") as demo:
        assert demo.requests is not None and demo.writes is not None
        assert demo.requests() == []  # seeding is not the sweep's: the log starts empty
        for key, value in demo.env.items():
            monkeypatch.setenv(key, value)
        session.reset_cache()
        sweep = aws_sweep(targets=demo.targets, regions=demo.regions, options=demo.options)
        session.reset_cache()
        served, writes = demo.requests(), demo.writes()
    statuses = {r.status.value for r in sweep.results}
    assert {"pass", "fail"} <= statuses
    sla = [r for r in sweep.results if r.check_id == "aws.inspector2.findings_sla" and r.region == REGION]
    assert [r.status.value for r in sla] == ["fail"]  # the 12-day-old CRITICAL finding
    assert "Northwind" in demo.description
    assert writes == []
    assert {
        "POST GetCallerIdentity",
        "GET ListBuckets",
        "POST DescribeVolumes",
        "POST ListKeys",
        "GET GetBucketEncryption",
        "POST ListFindings",
        "GET ListAnalyzers",
        "POST GenerateCredentialReport",
    } <= set(served)
    assert len(served) >= sweep.stats["requests"] > 0  # the units' requests, plus planning's


def test_the_log_names_every_request_and_reports_the_writes(aws_env: AwsEmulator) -> None:
    def client(service: str) -> object:
        return boto3.client(service, region_name=REGION, endpoint_url=aws_env.endpoint)

    aws_env.clear_log()
    client("s3").create_bucket(Bucket="nw-written")  # REST-XML
    client("s3").list_buckets()
    client("iam").create_user(UserName="mallory")  # query protocol
    client("ec2").describe_volumes()
    client("kms").list_keys()  # JSON protocol
    client("guardduty").create_detector(Enable=True)  # REST-JSON
    client("inspector2").list_findings()  # REST-JSON, a read sent as POST
    assert aws_env.requests() == [
        "PUT CreateBucket",
        "GET ListBuckets",
        "POST CreateUser",
        "POST DescribeVolumes",
        "POST ListKeys",
        "POST CreateDetector",
        "POST ListFindings",
    ]
    assert aws_env.writes() == ["PUT CreateBucket", "POST CreateUser", "POST CreateDetector"]
    aws_env.reset()
    assert aws_env.requests() == []
