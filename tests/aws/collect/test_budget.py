"""The account's request budget over the real wire: every HTTP attempt, retries included, is paced
under its account, Region and service before it is sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from trustsweep.budget import TARGET
from trustsweep.testing.pacing import recording
from trustsweep_aws.emulator import AwsEmulator, FaultProxy, Rule, ec2_error, seed_estate

from ..sweeping import aws_sweep

REGION = "eu-west-1"


@pytest.fixture
def proxy(aws_env: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    seed_estate(aws_env.endpoint, regions=(REGION,))
    fp = FaultProxy(aws_env.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", fp.endpoint)
    yield fp
    fp.stop()


def test_every_attempt_is_paced_under_its_account_region_and_service(proxy: FaultProxy) -> None:
    throttled = proxy.add(Rule("Action=DescribeSecurityGroups", 400, ec2_error("RequestLimitExceeded"), times=2))
    with recording() as pacer:
        sweep = aws_sweep(regions=[REGION], options={"max_attempts": 4})
    assert throttled.hits == 2
    planning = proxy.count("Action=GetCallerIdentity") + proxy.count("Action=DescribeRegions")
    assert len(pacer.paced) == sweep.stats["requests"] == len(proxy.requests) - planning
    assert {(provider, kind) for provider, kind, _ in pacer.paced} == {("aws", TARGET)}
    account = sweep.targets[0].id
    keys = Counter(key for *_, key in pacer.paced)
    assert keys[f"{account}/ec2:{REGION}"] >= 3  # DescribeSecurityGroups: two refusals and the answer, paced each
    assert any(key.startswith(f"{account}/iam:") for key in keys)  # a global service, in the home Region
    assert all(key.startswith(f"{account}/") and key.count(":") == 1 for key in keys), keys
