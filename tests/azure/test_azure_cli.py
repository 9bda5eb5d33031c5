"""End to end through the ``trustsweep`` command: exit codes, OSCAL, demo, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal

from azure_helpers import sweep
from test_azure_checks import checks_estate
from test_azure_wire import GRAPH, small_estate


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "trustsweep.yaml"
    path.write_text("settings:\n  azure:\n    retry_base_seconds: 0.01\n    attempts: 3\n", encoding="utf-8")
    return path


def test_cli_sweep_exit_1_with_failures_and_valid_oscal(fake, tmp_path: Path) -> None:  # noqa: ANN001
    fake.reset(checks_estate())
    out = tmp_path / "out"
    proc = run_cli("sweep", "--provider", "azure", "--out", str(out), "--no-store", "--quiet",
                   "--config", str(_config(tmp_path)), env=fake.env())
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert_valid_oscal(out)
    results = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    outcomes = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "result"}
    assert {"pass", "fail"} <= outcomes
    assert "test-token" not in (out / "assessment-results.json").read_text()


def test_cli_unrecoverable_failure_exit_3_with_valid_oscal(fake, tmp_path: Path) -> None:  # noqa: ANN001
    fake.reset(small_estate(storage=2, servers=1))
    fake.inject(GRAPH, "429", persistent=True)
    out = tmp_path / "out"
    proc = run_cli("sweep", "--provider", "azure", "--out", str(out), "--no-store", "--quiet",
                   "--config", str(_config(tmp_path)), env=fake.env())
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert_valid_oscal(out)
    results = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    outcomes = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "result"}
    assert "error" in outcomes


def test_cli_bad_input_is_one_line_exit_2(fake, tmp_path: Path) -> None:  # noqa: ANN001
    for args, needle in ((["--target", "not-a-guid"], "GUID"), (["--azure-cloud", "mars"], "--azure-cloud")):
        proc = run_cli("sweep", "--provider", "azure", "--no-store", "--quiet", *args, env=fake.env())
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("sweep", "--provider", "azure", "--no-store", "--quiet",
                   env={**fake.env(), "TRUSTSWEEP_AZURE_ENDPOINT": "http://127.0.0.1:1"})
    assert proc.returncode == 2 and "https://" in proc.stderr


def test_demo_emulator_estate(azure_registry, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from trustsweep.testing.azure import demo_emulator

    with demo_emulator(tmp_path) as env:
        for key, value in env.env.items():
            monkeypatch.setenv(key, value)
        from concurrent.futures import ThreadPoolExecutor

        from trustsweep.sweep import run_sweep

        registry, mapping = azure_registry
        with ThreadPoolExecutor(8) as pool:
            s = run_sweep(registry, mapping, providers=["azure"], targets=env.targets,
                          provider_options={"azure": env.options}, executor=pool)
    counts = s.counts()
    assert counts["pass"] > 10 and counts["fail"] > 10 and counts["error"] == 0
    assert s.exit_code == 1
    assert len(s.targets) == 2


def test_registration_imports_no_azure_sdk() -> None:
    code = ("import sys, trustsweep_azure.plugin as p, trustsweep_azure.catalog, trustsweep_azure.provider, "
            "trustsweep_azure.checks.access, trustsweep_azure.checks.logs, trustsweep.testing.azure; "
            "p.trustsweep_checks(); p.trustsweep_options(); "
            "bad = [m for m in sys.modules if m.startswith(('azure', 'trustme'))]; print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_saved_inventory_reevaluates_offline(fake, tmp_path: Path) -> None:  # noqa: ANN001
    fake.reset(checks_estate())
    inventory = tmp_path / "inventory"
    live = run_cli("sweep", "--provider", "azure", "--save-inventory", str(inventory), "--no-store", "--quiet",
                   "--config", str(_config(tmp_path)), env=fake.env())
    assert live.returncode == 1, live.stderr[-2000:]
    served = fake.count()
    offline = run_cli("evaluate", "--inventory", str(inventory), "--no-store")
    assert offline.returncode == 1, offline.stderr[-2000:]
    assert fake.count() == served  # no API call
