"""Secrets planted in the estate never reach the wire, the inventory, OSCAL or logs; the CLI sweeps
the emulator end to end and writes valid OSCAL; bad options exit 2."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from trustsweep.testing.aws import ACCOUNT, AwsEmulator, seed_estate
from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal

from .conftest import SECRET, aws_sweep
from .faultproxy import FaultProxy

REGION = "us-east-1"


def _all_text(directory: Path) -> bytes:
    import gzip

    out = b""
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out += gzip.decompress(data) if path.suffix == ".gz" else data
    return out


def test_planted_secrets_appear_nowhere(aws_env: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        caplog: pytest.LogCaptureFixture) -> None:
    estate = seed_estate(aws_env.endpoint, regions=(REGION,), secret=SECRET)
    marker = estate.names["private_key_marker"]  # a line of an imported certificate's private key
    proxy = FaultProxy(aws_env.endpoint, record_bodies=True)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
    caplog.set_level(logging.INFO)
    for name in ("trustsweep", "trustsweep_aws"):
        caplog.set_level(logging.DEBUG, logger=name)
    try:
        sweep = aws_sweep(regions=[REGION], save_inventory=tmp_path / "inv")
    finally:
        proxy.stop()
    from trustsweep.oscal import write_bundle

    write_bundle(sweep, tmp_path / "oscal", oscal_version="1.2.1", fmt="json")
    wire = b"".join(proxy.bodies)
    assert wire, "the proxy saw the sweep's traffic"
    for needle in (SECRET, marker):
        assert needle.encode() not in wire, "a secret crossed the wire: the plugin asked for it"
        assert needle.encode() not in _all_text(tmp_path / "inv")
        assert needle.encode() not in _all_text(tmp_path / "oscal")
        assert needle not in caplog.text
        assert needle not in repr(sweep.results)
    # the secrets really were planted where a careless collector would find them
    import boto3

    lam = boto3.client("lambda", region_name=REGION, endpoint_url=aws_env.endpoint)
    assert lam.get_function_configuration(FunctionName="nw-etl")["Environment"]["Variables"]["API_TOKEN"] == SECRET


def test_cli_sweep_of_the_emulator_exits_3_with_valid_oscal(aws_env: AwsEmulator, tmp_path: Path) -> None:
    seed_estate(aws_env.endpoint, regions=(REGION,))
    import os

    env = {k: os.environ[k] for k in os.environ if k.startswith("AWS_")}
    out = tmp_path / "out"
    proc = run_cli("sweep", "--provider", "aws", "--region", REGION, "--out", str(out), "--no-store", "--quiet",
                   "--aws-production-account", ACCOUNT, "--aws-max-attempts", "2", env=env)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "accessanalyzer" in proc.stdout + proc.stderr  # the error is named
    assert_valid_oscal(out)
    text = _all_text(out).decode("utf-8", "replace")
    assert "aws.s3.bucket_encryption" in text and "nw-public-assets" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--aws-retry-mode", "eager"], "--aws-retry-mode"),
    (["--aws-max-attempts", "zero"], "--aws-max-attempts"),
    (["--target", "no-such-profile"], "no such AWS profile"),
])
def test_bad_options_exit_2_with_one_line(aws_env: AwsEmulator, args: list[str], message: str) -> None:
    import os

    env = {k: os.environ[k] for k in os.environ if k.startswith("AWS_")}
    proc = run_cli("sweep", "--provider", "aws", "--region", REGION, "--no-store", "--quiet", *args, env=env)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_profile_target(aws_env: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trustsweep.testing.aws import write_profiles

    config = write_profiles(tmp_path / "profiles", {"northwind-prod": "testing"})
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config.with_name("credentials")))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    from trustsweep_aws.provider import AwsProvider

    provider = AwsProvider({"production_account": ["northwind-*"]})
    [target] = provider.targets(["northwind-prod"])
    assert (target.id, target.name, target.attrs["profile"], target.attrs["production"]) == (
        ACCOUNT, "northwind-prod", "northwind-prod", True)
    units = provider.work(target, [REGION])
    assert {u.service for u in units if u.region == "global"} == {"iam", "s3", "cloudfront", "cloudtrail"}
    assert all(u.target.attrs["profile"] == "northwind-prod" for u in units)


def test_all_enabled_regions_by_default(aws_env: AwsEmulator) -> None:
    from trustsweep_aws.provider import AwsProvider

    provider = AwsProvider({})
    [target] = provider.targets([])
    regions = {u.region for u in provider.work(target, [])}
    assert {"us-east-1", "eu-west-1", "ap-southeast-2", "global"} <= regions
    assert "ap-east-1" not in regions  # an opt-in region that is not enabled


def test_demo_emulator_serves_the_northwind_estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trustsweep.testing.aws import demo_emulator
    from trustsweep_aws import session

    with demo_emulator(tmp_path / "demo") as demo:
        for key, value in demo.env.items():
            monkeypatch.setenv(key, value)
        session.reset_cache()
        sweep = aws_sweep(targets=demo.targets, regions=demo.regions, options=demo.options)
        session.reset_cache()
    statuses = {r.status.value for r in sweep.results}
    assert {"pass", "fail"} <= statuses
    sla = [r for r in sweep.results if r.check_id == "aws.inspector2.findings_sla" and r.region == "us-east-1"]
    assert [r.status.value for r in sla] == ["fail"]  # the 12-day-old CRITICAL finding
    assert "Northwind" in demo.description


def test_plugin_registration_imports_no_sdk() -> None:
    import subprocess
    import sys

    code = ("import sys, trustsweep_aws.plugin as p; p.trustsweep_checks(); p.trustsweep_options(); "
            "p.trustsweep_providers(); p.trustsweep_emulators(); import trustsweep_aws.provider, trustsweep_aws.checks.access; "
            "bad=[m for m in ('boto3','botocore','moto') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
