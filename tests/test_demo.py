"""`trustsweep demo`: the real pipeline, real plugins and SDKs, against the bundled emulators."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal

DOCUMENTS = ("assessment-results.json", "assessment-plan.json", "catalog.json", "component-definition.json")


def _sweep_ids(store: str) -> list[str]:
    proc = run_cli("history", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return [row["sweep"] for row in json.loads(proc.stdout)]


def test_demo_sweeps_every_cloud_and_leaves_valid_oscal(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    proc = run_cli("demo", "--out", str(out), "--quiet", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # failures by design of the fictional estate, and no emulator gap left as an error
    assert "would exit 1 (some criteria not satisfied)" in proc.stdout, proc.stdout[-3000:]
    store = f"sqlite:///{(out / 'evidence.sqlite').resolve()}"
    assert f"demo: evidence store {store}; inspect it with: trustsweep history --store {store}" in proc.stdout
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
    assert "error" not in outcomes
    # every criterion is reviewed; those with no evidence get no finding (not assessed, not failed)
    reviewed = results["reviewed-controls"]["control-selections"][0]["include-controls"]
    not_assessed = next(int(p["value"]) for p in results["props"] if p["name"] == "count-not-assessed")
    assert len(reviewed) == 61 and len(results["findings"]) + not_assessed == 61 and not_assessed > 0
    second = run_cli("demo", "--out", str(out), "--quiet", timeout=600)  # re-runnable, appends to its store
    assert second.returncode == 0, second.stderr[-3000:]
    verify = run_cli("verify", "--store", f"sqlite:///{out / 'evidence.sqlite'}")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # the estate has stable ids: two demo runs in a row differ in nothing
    first, last = _sweep_ids(store)
    diff = run_cli("diff", "--store", store, first, last)
    assert diff.returncode == 0, diff.stderr
    counts = diff.stdout.split("new failures", 1)[1]  # new failures, fixed, new errors, added, removed, criteria
    assert len(re.findall(r"\d+", counts)) == 6 and set(re.findall(r"\d+", counts)) == {"0"}, diff.stdout
    changes = json.loads(run_cli("diff", "--store", store, first, last, "--format", "json").stdout)
    assert all(changes[k] == [] for k in changes if k not in ("a", "b")), changes


def test_demo_refuses_a_store_with_real_entries_and_leaves_it_unchanged(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'team.sqlite'}"
    review = tmp_path / "review.md"
    review.write_text("Q4 access review of production, signed.\n")
    added = run_cli(
        "attest",
        "add",
        "CC6.2",
        "--type",
        "access-review",
        "--file",
        str(review),
        "--expires",
        "2099-01-01",
        "--by",
        "IT lead",
        "--store",
        store,
    )
    assert added.returncode == 0, added.stderr
    before = run_cli("verify", "--store", store).stdout
    proc = run_cli("demo", "--out", str(tmp_path / "out"), "--store", store, "--quiet", timeout=600)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1 and "did not write" in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("verify", "--store", store).stdout == before  # 1 entry, same chain head
    assert "OK" in before and not (tmp_path / "out" / "assessment-results.json").exists()
