"""`trustsweep demo`: the real pipeline, real plugins and SDKs, against the bundled emulators."""

from __future__ import annotations

import json
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal

DOCUMENTS = ("assessment-results.json", "assessment-plan.json", "catalog.json", "component-definition.json")


def test_demo_sweeps_every_cloud_and_leaves_valid_oscal(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    proc = run_cli("demo", "--out", str(out), "--quiet", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in DOCUMENTS:
        assert_valid_oscal(out / name)
        check = run_cli("validate", str(out / name))
        assert check.returncode == 0, check.stdout + check.stderr
    assert (out / "summary.md").is_file()
    results = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    providers = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "provider"}
    assert {"aws", "gcp", "azure"} <= providers, providers
    outcomes = {p["value"] for o in results["observations"] for p in o.get("props", []) if p["name"] == "result"}
    assert {"pass", "fail"} <= outcomes  # a company with some controls met and some not
    # every criterion is reviewed; those with no evidence get no finding (not assessed, not failed)
    reviewed = results["reviewed-controls"]["control-selections"][0]["include-controls"]
    not_assessed = next(int(p["value"]) for p in results["props"] if p["name"] == "count-not-assessed")
    assert len(reviewed) == 61 and len(results["findings"]) + not_assessed == 61 and not_assessed > 0
    second = run_cli("demo", "--out", str(out), "--quiet", timeout=600)  # re-runnable, appends to its store
    assert second.returncode == 0, second.stderr[-3000:]
    verify = run_cli("verify", "--store", f"sqlite:///{out / 'evidence.sqlite'}")
    assert verify.returncode == 0, verify.stdout + verify.stderr
