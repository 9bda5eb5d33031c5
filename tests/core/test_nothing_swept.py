"""Nothing swept is not a pass: a provider of which no resource was assessed makes the sweep
incomplete (exit 3) with one line saying what was empty, through the real plugins and emulators
(the Azure case is in tests/azure/test_azure_cli.py, beside the Azure emulator's fixture)."""

from __future__ import annotations

import json
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_gcp.emulator import FakeGcp, seed_northwind


def _states(out: Path) -> dict[str, int]:
    """How many findings are satisfied / incomplete, and whether the result marks itself incomplete."""
    result = json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]
    props = {p["name"]: p["value"] for p in result["props"]}
    basis = [next(p["value"] for p in f["props"] if p["name"] == "basis") for f in result["findings"]]
    return {
        "satisfied": sum(f["target"]["status"]["state"] == "satisfied" for f in result["findings"]),
        "incomplete": basis.count("incomplete"),
        "flag": props["incomplete"] == "true",
        "nothing-swept": "nothing-swept" in json.dumps(result),
    }


def _assert_incomplete(proc, out: Path, provider: str, needle: str) -> None:
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if "no resource was assessed" in ln]
    assert len(lines) == 1 and lines[0].startswith(f"trustsweep: incomplete: {provider}: no resource was assessed (")
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr
    assert_valid_oscal(out)
    states = _states(out)
    assert states["satisfied"] == 0 and states["incomplete"] > 0 and states["flag"] and states["nothing-swept"]
    assert "no resource was assessed" in (out / "summary.md").read_text()


def test_wrong_gcp_scope_finds_no_project_and_exits_3(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    seed_northwind(gcp_fake)  # organizations/4471 has projects; organizations/999 has none
    inv, out, again = tmp_path / "inv", tmp_path / "out", tmp_path / "again"
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "organizations/999",
        "--gcp-endpoint",
        gcp_fake.endpoint,
        "--save-inventory",
        str(inv),
        "--out",
        str(out),
        "--no-store",
        "--quiet",
    )
    _assert_incomplete(proc, out, "gcp", "0 targets found")
    # the saved inventory says so too: evaluating it is not a pass either
    offline = run_cli("evaluate", "--inventory", str(inv), "--out", str(again), "--no-store")
    _assert_incomplete(offline, again, "gcp", "0 targets found")


def test_evaluate_of_an_inventory_file_with_no_resource_exits_3(tmp_path: Path) -> None:
    import datetime as dt

    from trustsweep.inventory import save_target
    from trustsweep.model import Target

    inv, out = tmp_path / "inv", tmp_path / "out"
    save_target(inv, Target("aws", "123456789012"), [], [], dt.datetime.now(dt.UTC), properties_version=2)
    proc = run_cli("evaluate", "--inventory", str(inv), "--out", str(out), "--no-store")
    _assert_incomplete(proc, out, "aws", "empty inventory: 1 inventory file(s) with 0 resources")


def test_targets_without_resources_and_zero_targets_are_incomplete(tmp_path: Path) -> None:
    from trustsweep.collect import make_executor
    from trustsweep.sweep import nothing_swept, run_sweep
    from trustsweep.testing.synthetic import PROVIDER, synthetic_registry

    registry = synthetic_registry(tmp_path)
    mapping = registry.mapping()
    with make_executor() as pool:
        some = run_sweep(registry, mapping, providers=[PROVIDER], executor=pool)
        empty = run_sweep(
            registry,
            mapping,
            providers=[PROVIDER],
            executor=pool,
            provider_options={PROVIDER: {"resources_per_unit": 0}},
        )
        none = run_sweep(
            registry, mapping, providers=[PROVIDER], executor=pool, provider_options={PROVIDER: {"targets": 0}}
        )
    assert nothing_swept(some) == [] and not any(e.service == "nothing-swept" for e in some.collection_errors)
    assert nothing_swept(empty) == [f"{PROVIDER}: no resource was assessed (2 target(s) found, 0 resources collected)"]
    assert nothing_swept(none)[0].startswith(f"{PROVIDER}: no resource was assessed (0 targets found")
    for s in (empty, none):
        assert s.exit_code == 3 and s.incomplete
        assert not any(f.state == "satisfied" for f in s.findings)
        assert any(f.basis.value == "incomplete" for f in s.findings)
