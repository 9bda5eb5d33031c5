"""Faults over the real wire: throttling and 5xx are retried, each attempt paced by the account's
request budget; AccessDenied, exhausted retries and operations the emulator lacks become ``error``
results; the sweep completes (exit 3, valid OSCAL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import boto3
import pytest

from trustsweep.budget import TARGET
from trustsweep.model import Status
from trustsweep.testing.pacing import recording
from trustsweep_aws.emulator import AwsEmulator, FaultProxy, Rule, ec2_error, json_error, query_error, seed_estate

from ..sweeping import aws_sweep

REGION = "us-east-1"


@pytest.fixture
def proxy(aws_env: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    seed_estate(aws_env.endpoint, regions=(REGION,))
    fp = FaultProxy(aws_env.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", fp.endpoint)
    yield fp
    fp.stop()


def by_check(sweep, check_id):
    return [r for r in sweep.results if r.check_id == check_id]


def test_throttling_and_5xx_are_retried(proxy: FaultProxy) -> None:
    throttled = proxy.add(Rule("Action=DescribeSecurityGroups", 400, ec2_error("RequestLimitExceeded"), times=2))
    unavailable = proxy.add(Rule("TrentService.ListKeys", 503, "", "text/plain", times=2))
    iam = proxy.add(Rule("Action=GetAccountSummary", 400, query_error("Throttling", "Rate exceeded"), times=1))
    sweep = aws_sweep(regions=[REGION], options={"retry_mode": "standard", "max_attempts": 4})
    assert (throttled.hits, unavailable.hits, iam.hits) == (2, 2, 1)
    assert proxy.count("Action=DescribeSecurityGroups") == 3  # two refusals, then the answer
    for check in ("aws.ec2.security_group_ingress", "aws.kms.key_rotation", "aws.iam.root_mfa"):
        results = by_check(sweep, check)
        assert results and all(r.status is not Status.ERROR for r in results), check
    # HTTP attempts are counted, retries included, and match what crossed the wire
    assert sweep.stats["requests"] == len(proxy.requests) - _planning_requests(proxy)


def test_every_attempt_is_paced_under_its_account_region_and_service(proxy: FaultProxy) -> None:
    throttled = proxy.add(Rule("Action=DescribeSecurityGroups", 400, ec2_error("RequestLimitExceeded"), times=2))
    with recording() as pacer:
        sweep = aws_sweep(regions=[REGION], options={"max_attempts": 4})
    assert throttled.hits == 2
    assert len(pacer.paced) == sweep.stats["requests"] == len(proxy.requests) - _planning_requests(proxy)
    assert {(provider, kind) for provider, kind, _ in pacer.paced} == {("aws", TARGET)}
    account = sweep.targets[0].id
    keys = Counter(key for *_, key in pacer.paced)
    assert keys[f"{account}/ec2:{REGION}"] >= 3  # DescribeSecurityGroups: two refusals and the answer, paced each
    assert keys[f"{account}/iam:{REGION}"] > 0  # a global service, in the home Region
    assert all(key.startswith(f"{account}/") and key.count(":") == 1 for key in keys), keys
    assert set(pacer.rates.values()) == {20.0}  # the default budget reached every unit


def _planning_requests(proxy: FaultProxy) -> int:
    """Requests made outside collection units (caller identity while resolving targets)."""
    return proxy.count("Action=GetCallerIdentity")


def test_exhausted_retries_and_access_denied_become_errors(proxy: FaultProxy) -> None:
    proxy.add(Rule("Action=DescribeDBInstances", 400, query_error("Throttling", "Rate exceeded")))
    proxy.add(
        Rule(
            "GET /detector",
            403,
            json_error("AccessDeniedException", "not authorized to guardduty:ListDetectors"),
            "application/json",
        )
    )
    proxy.add(Rule("Action=DescribeVolumes", 500, "", "text/plain"))
    sweep = aws_sweep(regions=[REGION], options={"max_attempts": 2, "retry_mode": "adaptive"})
    rds = by_check(sweep, "aws.rds.storage_encrypted")
    assert rds and all(r.status is Status.ERROR for r in rds)
    assert "Throttling" in rds[0].reason and "retries" in rds[0].reason
    assert proxy.count("Action=DescribeDBInstances") == 2  # max_attempts total, first included
    gd = by_check(sweep, "aws.guardduty.enabled")
    assert [r.status for r in gd] == [Status.ERROR] and "AccessDenied" in gd[0].reason
    assert proxy.count("GET /detector") == 1  # AccessDenied is not retried
    vols = by_check(sweep, "aws.ec2.volume_encrypted")
    assert vols and all(r.status is Status.ERROR for r in vols)
    # the rest of the sweep went on
    assert {r.status for r in by_check(sweep, "aws.s3.bucket_encryption")} == {Status.PASS, Status.FAIL}
    assert sweep.exit_code == 3


def test_partial_access_denied_on_one_bucket_is_an_error_for_that_bucket_only(proxy: FaultProxy) -> None:
    proxy.add(
        Rule(
            "GET /nw-public-assets?encryption",
            403,
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
        )
    )
    sweep = aws_sweep(regions=[REGION])
    results = {r.resource_id.rsplit(":", 1)[-1]: r for r in by_check(sweep, "aws.s3.bucket_encryption")}
    assert results["nw-public-assets"].status is Status.ERROR
    assert "AccessDenied" in results["nw-public-assets"].reason
    assert results["nw-audit-logs"].status is Status.PASS
    tls = {r.resource_id.rsplit(":", 1)[-1]: r.status for r in by_check(sweep, "aws.s3.bucket_tls_only")}
    assert tls["nw-public-assets"] is Status.FAIL  # other facts of that bucket were still read


def test_no_credentials_is_an_error_not_a_pass(aws_env: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = FaultProxy(aws_env.endpoint)
    proxy.add(
        Rule("Action=GetCallerIdentity", 403, query_error("InvalidClientTokenId", "The security token is invalid"))
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
    try:
        sweep = aws_sweep(regions=[REGION])
    finally:
        proxy.stop()
    assert sweep.results and all(r.status is Status.ERROR for r in sweep.results)
    assert "InvalidClientTokenId" in sweep.results[0].reason
    assert sweep.exit_code == 3


def test_denied_credential_report_errors_only_the_checks_that_need_it(proxy: FaultProxy) -> None:
    proxy.add(
        Rule(
            "Action=GetCredentialReport",
            403,
            query_error("AccessDenied", "not authorized to iam:GetCredentialReport"),
            times=1,
        )
    )
    sweep = aws_sweep(regions=[REGION])
    users = lambda check: {r.resource_id.rsplit("/", 1)[-1]: r for r in by_check(sweep, check)}  # noqa: E731
    mfa = users("aws.iam.user_console_mfa")
    assert {u: r.status for u, r in mfa.items()} == {"alice": Status.ERROR, "bob": Status.ERROR, "ci-bot": Status.ERROR}
    assert "AccessDenied" in mfa["bob"].reason
    assert by_check(sweep, "aws.iam.root_not_used")[0].status is Status.ERROR
    # what the authorization details alone decide is still decided
    direct = {u: r.status for u, r in users("aws.iam.no_user_policies").items()}
    assert direct == {"alice": Status.PASS, "bob": Status.FAIL, "ci-bot": Status.FAIL}
    assert by_check(sweep, "aws.iam.root_no_access_keys")[0].status is Status.PASS


# resources deleted between listing and reading are noted (not assessed), not errors for the service
NO_SUCH_BUCKET = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>"


def test_a_bucket_deleted_mid_sweep_is_noted_and_the_others_judged(proxy: FaultProxy) -> None:
    proxy.add(Rule("GET /nw-public-assets?", 404, NO_SUCH_BUCKET))
    sweep = aws_sweep(regions=[REGION])
    gone = [r for r in sweep.results if r.resource_id.endswith(":nw-public-assets")]
    assert gone and all(r.status is Status.NOT_APPLICABLE for r in gone)
    assert all("deleted during the sweep" in r.reason and "NoSuchBucket" in r.reason for r in gone)
    others = {
        r.resource_id.rsplit(":", 1)[-1]: r.status for r in sweep.results if r.check_id == "aws.s3.bucket_encryption"
    }
    assert others["nw-audit-logs"] is Status.PASS and others["nw-public-assets"] is Status.NOT_APPLICABLE
    assert not [e for e in sweep.collection_errors if e.service == "s3"]
    assert not [r for r in sweep.results if r.check_id.startswith("aws.s3.") and r.status is Status.ERROR]


def test_a_kms_key_deleted_mid_sweep_is_noted_and_the_others_judged(aws_env: AwsEmulator, proxy: FaultProxy) -> None:
    kms = boto3.client("kms", region_name=REGION, endpoint_url=aws_env.endpoint)
    customer = [
        k["KeyId"]
        for k in kms.list_keys()["Keys"]
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"
    ]
    assert len(customer) >= 2
    proxy.add(
        Rule(
            customer[0],
            400,
            json_error("NotFoundException", f"Key '{customer[0]}' does not exist"),
            "application/x-amz-json-1.1",
        )
    )
    sweep = aws_sweep(regions=[REGION])
    rotation = {r.resource_id.rsplit("/", 1)[-1]: r for r in sweep.results if r.check_id == "aws.kms.key_rotation"}
    assert rotation[customer[0]].status is Status.NOT_APPLICABLE
    assert "deleted during the sweep" in rotation[customer[0]].reason
    assert {rotation[k].status for k in customer[1:]} <= {Status.PASS, Status.FAIL}
    assert not [e for e in sweep.collection_errors if e.service == "kms"]
