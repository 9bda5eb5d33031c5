"""Targets and the work plan: account ids (an assumed role) collected in worker processes (units
pickle; each process builds its own guarded clients), profiles, every enabled region by default,
the home region of each partition."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from trustsweep.model import Status
from trustsweep.plugins import Registry
from trustsweep.sweep import run_sweep
from trustsweep_aws.emulator import ACCOUNT, AwsEmulator, seed_estate, write_profiles

REGION = "eu-west-1"


def test_account_id_target_assumes_the_role_in_a_process_pool(aws_env: AwsEmulator) -> None:
    estate = seed_estate(aws_env.endpoint, regions=(REGION,), members=1)
    member = estate.member_accounts[0]
    registry = Registry.load()
    mapping = registry.mapping()
    with ProcessPoolExecutor(2) as pool:
        sweep = run_sweep(
            registry,
            mapping,
            providers=["aws"],
            targets=[member, ACCOUNT],
            regions=[REGION],
            provider_options={"aws": {"role_name": "TrustsweepReadOnly", "external_id": "x-1"}},
            executor=pool,
        )
    by_target = {t.id: t for t in sweep.targets}
    assert by_target[member].attrs["role_arn"] == f"arn:aws:iam::{member}:role/TrustsweepReadOnly"
    assert "role_arn" not in by_target[ACCOUNT].attrs  # the caller's own account: no role needed
    buckets = {(r.target, r.name) for r in sweep.resources if r.type == "aws.s3.bucket"}
    assert (member, "nw-staging-0-data") in buckets and (ACCOUNT, "nw-audit-logs") in buckets
    assert (member, "nw-audit-logs") not in buckets
    gd = {r.target: r.status for r in sweep.results if r.check_id == "aws.guardduty.enabled"}
    assert gd == {member: Status.FAIL, ACCOUNT: Status.PASS}  # the estate's primary region is eu-west-1 here
    assert sweep.stats["requests"] > 0  # counted in the worker processes and carried back


def test_unknown_profile_is_a_user_error(aws_env: AwsEmulator) -> None:
    from trustsweep.errors import UserError
    from trustsweep_aws.provider import AwsProvider

    with pytest.raises(UserError, match="no such AWS profile"):
        AwsProvider({}).targets(["nope"])


def test_home_region_follows_the_partition() -> None:
    from trustsweep.model import Target
    from trustsweep_aws.provider import AwsProvider

    provider = AwsProvider({"regions": ["cn-northwest-1", "cn-north-1"]})
    units = provider.work(Target("aws", "111122223333", attrs={"partition": "aws-cn"}), [])
    assert {u.options["home_region"] for u in units} == {"cn-north-1"}
    provider = AwsProvider({"regions": ["eu-west-1", "eu-central-1"]})
    units = provider.work(Target("aws", "111122223333", attrs={"partition": "aws"}), [])
    assert {u.options["home_region"] for u in units} == {"eu-west-1"}  # us-east-1 not swept: first region


def test_profile_target(aws_env: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_profiles(tmp_path / "profiles", {"northwind-prod": "testing"})
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config.with_name("credentials")))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    from trustsweep_aws.provider import AwsProvider

    provider = AwsProvider({"production_account": ["northwind-*"]})
    [target] = provider.targets(["northwind-prod"])
    assert (target.id, target.name, target.attrs["profile"], target.attrs["production"]) == (
        ACCOUNT,
        "northwind-prod",
        "northwind-prod",
        True,
    )
    units = provider.work(target, ["us-east-1"])
    assert {u.service for u in units if u.region == "global"} == {"iam", "s3", "cloudfront", "cloudtrail"}
    assert all(u.target.attrs["profile"] == "northwind-prod" for u in units)


def test_all_enabled_regions_by_default(aws_env: AwsEmulator) -> None:
    from trustsweep_aws.provider import AwsProvider

    provider = AwsProvider({})
    [target] = provider.targets([])
    regions = {u.region for u in provider.work(target, [])}
    assert {"us-east-1", "eu-west-1", "ap-southeast-2", "global"} <= regions
    assert "ap-east-1" not in regions  # an opt-in region that is not enabled
