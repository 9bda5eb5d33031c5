"""Secrets planted in the estate never reach the wire, the inventory, OSCAL or logs; the CLI sweeps
the emulator end to end and writes valid OSCAL; bad options exit 2 with one line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_aws.emulator import ACCOUNT, AwsEmulator, FaultProxy, seed_estate

from .sweeping import SECRET, aws_sweep

REGION = "us-east-1"


def _all_text(directory: Path) -> bytes:
    import gzip

    out = b""
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out += gzip.decompress(data) if path.suffix == ".gz" else data
    return out


def test_planted_secrets_appear_nowhere(
    aws_env: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
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
    proc = run_cli(
        "sweep",
        "--provider",
        "aws",
        "--region",
        REGION,
        "--out",
        str(out),
        "--no-store",
        "--quiet",
        "--aws-production-account",
        ACCOUNT,
        "--aws-max-attempts",
        "2",
        env=env,
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "accessanalyzer" in proc.stdout + proc.stderr  # the error is named
    assert_valid_oscal(out)
    text = _all_text(out).decode("utf-8", "replace")
    assert "aws.s3.bucket_encryption" in text and "nw-public-assets" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aws-retry-mode", "eager"], "--aws-retry-mode"),
        (["--aws-max-attempts", "zero"], "--aws-max-attempts"),
        (["--target", "no-such-profile"], "no such AWS profile"),
    ],
)
def test_bad_options_exit_2_with_one_line(aws_env: AwsEmulator, args: list[str], message: str) -> None:
    import os

    env = {k: os.environ[k] for k in os.environ if k.startswith("AWS_")}
    proc = run_cli("sweep", "--provider", "aws", "--region", REGION, "--no-store", "--quiet", *args, env=env)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new"), [("connect_timeout", "connect_timeout_seconds"), ("read_timeout", "read_timeout_seconds")]
)
def test_a_config_with_a_former_setting_name_exits_2_naming_the_new_one(tmp_path: Path, old: str, new: str) -> None:
    config = tmp_path / "trustsweep.yaml"
    config.write_text(f"settings:\n  aws:\n    {old}: 5\n", encoding="utf-8")
    proc = run_cli("sweep", "--provider", "aws", "--config", str(config), "--no-store", "--quiet")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.strip() == (
        f"trustsweep: error: {config}:line 3: settings.aws: unknown setting {old!r} (did you mean {new!r}?)"
    )
