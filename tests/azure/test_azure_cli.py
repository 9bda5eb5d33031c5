"""End to end through the ``trustsweep`` command: exit codes, OSCAL, demo, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from azure_estates import GRAPH, checks_estate, small_estate

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "trustsweep.yaml"
    path.write_text("settings:\n  azure:\n    retry_base_seconds: 0.01\n    max_attempts: 3\n", encoding="utf-8")
    return path


def test_cli_sweep_exit_1_with_failures_and_valid_oscal(fake, tmp_path: Path) -> None:
    fake.reset(checks_estate())
    out = tmp_path / "out"
    proc = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--out",
        str(out),
        "--no-store",
        "--quiet",
        "--config",
        str(_config(tmp_path)),
        env=fake.env(),
    )
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert_valid_oscal(out)
    results = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    outcomes = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "result"}
    assert {"pass", "fail"} <= outcomes
    assert "test-token" not in (out / "assessment-results.json").read_text()


def test_cli_unrecoverable_failure_exit_3_with_valid_oscal(fake, tmp_path: Path) -> None:
    fake.reset(small_estate(storage=2, servers=1))
    fake.inject(GRAPH, "429", persistent=True)
    out = tmp_path / "out"
    proc = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--out",
        str(out),
        "--no-store",
        "--quiet",
        "--config",
        str(_config(tmp_path)),
        env=fake.env(),
    )
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert_valid_oscal(out)
    results = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    outcomes = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "result"}
    assert "error" in outcomes


def test_cli_bad_input_is_one_line_exit_2(fake, tmp_path: Path) -> None:
    for args, needle in ((["--target", "not-a-guid"], "GUID"), (["--azure-cloud", "mars"], "--azure-cloud")):
        proc = run_cli("sweep", "--provider", "azure", "--no-store", "--quiet", *args, env=fake.env())
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--no-store",
        "--quiet",
        env={**fake.env(), "TRUSTSWEEP_AZURE_ENDPOINT": "http://127.0.0.1:1"},
    )
    assert proc.returncode == 2 and "https://" in proc.stderr


def test_registration_imports_no_azure_sdk() -> None:
    code = (
        "import sys, trustsweep_azure.plugin as p, trustsweep_azure.settings, trustsweep_azure.provider, "
        "trustsweep_azure.emulator; "
        "p.trustsweep_checks(); p.trustsweep_options(); p.trustsweep_mapping_files(); "
        "bad = [m for m in sys.modules if m.startswith(('azure', 'trustme'))]; print(bad); sys.exit(bool(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_saved_inventory_reevaluates_offline(fake, tmp_path: Path) -> None:
    fake.reset(checks_estate())
    inventory = tmp_path / "inventory"
    live = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--save-inventory",
        str(inventory),
        "--no-store",
        "--quiet",
        "--config",
        str(_config(tmp_path)),
        env=fake.env(),
    )
    assert live.returncode == 1, live.stderr[-2000:]
    served = fake.count()
    offline = run_cli("evaluate", "--inventory", str(inventory), "--no-store")
    assert offline.returncode == 1, offline.stderr[-2000:]
    assert fake.count() == served  # no API call


def test_old_setting_names_are_refused_with_one_line_exit_2(fake, tmp_path: Path) -> None:
    """``attempts``, ``timeout_seconds`` and ``production_tags`` were renamed (max_attempts,
    read_timeout_seconds, production_tag_keys / production_tag_values): a config using them is refused."""
    for text, name in (
        ("settings:\n  azure:\n    attempts: 3\n", "attempts"),
        ("settings:\n  azure:\n    timeout_seconds: 5\n", "timeout_seconds"),
        ("checks:\n  azure.storage.geo_redundant_production:\n    production_tags: [env=prod]\n", "production_tags"),
    ):
        config = tmp_path / "old.yaml"
        config.write_text(text, encoding="utf-8")
        proc = run_cli("sweep", "--provider", "azure", "--no-store", "--quiet", "--config", str(config), env=fake.env())
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert name in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert fake.count() == 0  # refused before any request


# moved from tests/core (they use the Azure emulator, whose fixture lives with the plugin's tests)


def test_azure_credential_that_sees_no_subscription_exits_3(fake, tmp_path: Path) -> None:
    """Nothing swept is not a pass: no subscription at all is an incomplete sweep, exit 3, said once."""
    out = tmp_path / "out"
    proc = run_cli("sweep", "--provider", "azure", "--out", str(out), "--no-store", "--quiet", env=fake.env())
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if "no resource was assessed" in ln]
    assert len(lines) == 1 and lines[0].startswith("trustsweep: incomplete: azure: no resource was assessed (")
    assert "0 targets found" in lines[0] and "Traceback" not in proc.stderr
    assert_valid_oscal(out)
    result = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    assert {p["name"]: p["value"] for p in result["props"]}["incomplete"] == "true"
    assert not any(f["target"]["status"]["state"] == "satisfied" for f in result["findings"])
    basis = [next(p["value"] for p in f["props"] if p["name"] == "basis") for f in result["findings"]]
    assert basis.count("incomplete") > 0
    assert "nothing-swept" in json.dumps(result) and "no resource was assessed" in (out / "summary.md").read_text()


def test_input_the_plugin_refuses_never_creates_the_store(fake, tmp_path: Path) -> None:
    store = tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--target",
        "not-a-guid",
        "--store",
        f"sqlite:///{store}",
        "--quiet",
        env=fake.env(),
    )
    assert proc.returncode == 2 and "GUID" in proc.stderr, proc.stderr
    assert not store.exists()
