"""Resources deleted between listing and reading are noted (not assessed), not errors for the
service: a bucket that answers NoSuchBucket, a KMS key that answers NotFoundException."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from trustsweep.model import Status
from trustsweep.testing.aws import AwsEmulator, seed_estate

from .conftest import aws_sweep
from .faultproxy import FaultProxy, Rule, json_error

REGION = "us-east-1"
NO_SUCH_BUCKET = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>"


@pytest.fixture
def proxy(aws_env: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    seed_estate(aws_env.endpoint, regions=(REGION,))
    fp = FaultProxy(aws_env.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", fp.endpoint)
    yield fp
    fp.stop()


def test_a_bucket_deleted_mid_sweep_is_noted_and_the_others_judged(proxy: FaultProxy) -> None:
    proxy.add(Rule("GET /nw-public-assets?", 404, NO_SUCH_BUCKET))
    sweep = aws_sweep(regions=[REGION])
    gone = [r for r in sweep.results if r.resource_id.endswith(":nw-public-assets")]
    assert gone and all(r.status is Status.NOT_APPLICABLE for r in gone)
    assert all("deleted during the sweep" in r.reason and "NoSuchBucket" in r.reason for r in gone)
    others = {r.resource_id.rsplit(":", 1)[-1]: r.status for r in sweep.results if r.check_id == "aws.s3.bucket_encryption"}
    assert others["nw-audit-logs"] is Status.PASS and others["nw-public-assets"] is Status.NOT_APPLICABLE
    assert not [e for e in sweep.collection_errors if e.service == "s3"]
    assert not [r for r in sweep.results if r.check_id.startswith("aws.s3.") and r.status is Status.ERROR]


def test_a_kms_key_deleted_mid_sweep_is_noted_and_the_others_judged(aws_env: AwsEmulator, proxy: FaultProxy) -> None:
    kms = boto3.client("kms", region_name=REGION, endpoint_url=aws_env.endpoint)
    customer = [k["KeyId"] for k in kms.list_keys()["Keys"]
                if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"]
    assert len(customer) >= 2
    proxy.add(Rule(customer[0], 400, json_error("NotFoundException", f"Key '{customer[0]}' does not exist"),
                   "application/x-amz-json-1.1"))
    sweep = aws_sweep(regions=[REGION])
    rotation = {r.resource_id.rsplit("/", 1)[-1]: r for r in sweep.results if r.check_id == "aws.kms.key_rotation"}
    assert rotation[customer[0]].status is Status.NOT_APPLICABLE
    assert "deleted during the sweep" in rotation[customer[0]].reason
    assert {rotation[k].status for k in customer[1:]} <= {Status.PASS, Status.FAIL}
    assert not [e for e in sweep.collection_errors if e.service == "kms"]
