"""``trustsweep sweep --provider gcp`` end to end in a subprocess against the fake, and the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_gcp.emulator import FakeGcp, seed_northwind
from trustsweep_gcp.emulator import estate as E

FAST = "settings:\n  gcp: {retry_initial: 0.01, retry_maximum: 0.05, retry_deadline: 1.0, read_timeout_seconds: 5}\n"


def _results(out: Path) -> list[dict]:
    doc = json.loads((out / "assessment-results.json").read_text())
    return doc["assessment-results"]["results"][0]["observations"]


def test_sweep_of_the_demo_estate_fails_some_criteria(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    seed_northwind(gcp_fake)
    out = tmp_path / "out"
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "organizations/4471",
        "--gcp-endpoint",
        gcp_fake.endpoint,
        "--out",
        str(out),
        "--no-store",
        "--quiet",
    )
    assert proc.returncode == 1, proc.stderr
    assert_valid_oscal(out)
    text = (out / "assessment-results.json").read_text()
    assert "gcp.network.firewall_no_open_admin_ports" in text and "allow-ssh-anywhere" in text


def test_unretrievable_page_exits_3_with_valid_oscal(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    gcp_fake.add_project("p-err", "77")
    for i in range(5):
        gcp_fake.add_asset(E.bucket("p-err", f"b{i}", number="77"), "p-err")
    gcp_fake.fail("contentType=2", 503, times=None)  # IAM policies never come back
    config = tmp_path / "config.yaml"
    config.write_text(FAST)
    out = tmp_path / "out"
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--target",
        "p-err",
        "--config",
        str(config),
        "--out",
        str(out),
        "--no-store",
        "--quiet",
        env={"TRUSTSWEEP_GCP_ENDPOINT": gcp_fake.endpoint},
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert_valid_oscal(out)
    assert "could not collect cloudasset" in (out / "assessment-results.json").read_text()


def test_bad_scope_exits_2_with_one_line(gcp_fake: FakeGcp) -> None:
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "projects/1",
        "--gcp-endpoint",
        gcp_fake.endpoint,
        "--no-store",
        "--quiet",
    )
    assert proc.returncode == 2
    assert "organizations/NUMBER" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_registration_and_listing_import_no_google_sdk() -> None:
    code = (
        "import sys; from trustsweep.plugins import Registry; r = Registry.load(); "
        "assert 'gcp' in r.providers and len(r.checks_for('gcp')) >= 20; "
        "import trustsweep_gcp.plugin, trustsweep_gcp.provider, trustsweep_gcp.emulator; "
        "from trustsweep_gcp.collect import cloudasset, orgpolicy, securitycenter, projects; "
        "from trustsweep_gcp.checks import access, encryption, logs, network, availability, detection; "
        "bad = [m for m in sys.modules if m.startswith(('google', 'grpc', 'proto'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_settings_renamed_in_this_version_exit_2_with_one_line(tmp_path: Path) -> None:
    """require_cmek → require_cmk, production_label → production_tag_keys, request_timeout → read_timeout_seconds."""
    for old, text in (
        ("require_cmek", "checks:\n  gcp.encryption.cmek: {require_cmek: true}\n"),
        ("production_label", "checks:\n  gcp.sql.regional_production: {production_label: env}\n"),
        ("request_timeout", "settings:\n  gcp: {request_timeout: 5}\n"),
    ):
        config = tmp_path / f"{old}.yaml"
        config.write_text(text)
        proc = run_cli(
            "sweep",
            "--provider",
            "gcp",
            "--target",
            "p",
            "--config",
            str(config),
            "--no-store",
            "--quiet",
            env={"TRUSTSWEEP_GCP_ENDPOINT": "http://127.0.0.1:9"},
        )
        assert proc.returncode == 2, (old, proc.stderr)
        assert old in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
