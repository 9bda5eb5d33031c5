"""The documents reach users through ``evaluate``/``sweep``/``demo --out``, and the evidence store
re-exports stored results over an audit window; both must give valid OSCAL."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from typer.testing import CliRunner

from trustsweep.oscal import assessment_results_document, build_result, dump
from trustsweep.oscal.validate import validate_document
from trustsweep.testing.oscal import assert_valid_oscal


@pytest.mark.parametrize("version,fmt", [("1.2.1", "json"), ("1.1.3", "yaml")])
def test_cli_evaluate_writes_a_valid_bundle(tmp_path, monkeypatch, version, fmt):
    from trustsweep import cli
    from trustsweep.cli import common
    from trustsweep.sweep import run_sweep
    from trustsweep.testing.synthetic import synthetic_mapping, synthetic_registry

    registry = synthetic_registry(tmp_path)
    mapping = synthetic_mapping(registry)
    inventory = tmp_path / "inventory"
    with ThreadPoolExecutor(2) as pool:
        run_sweep(
            registry,
            mapping,
            providers=["synthetic"],
            executor=pool,
            save_inventory=inventory,
            provider_options={"synthetic": {"fail_units": ["acct-0/north-1"]}},
        )
    monkeypatch.setattr(common, "load_registry", lambda: synthetic_registry(tmp_path))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli.app,
        [
            "evaluate",
            "--inventory",
            str(inventory),
            "--out",
            str(out),
            "--no-store",
            "--oscal-version",
            version,
            "--format",
            fmt,
        ],
    )
    assert result.exit_code == 3, result.output  # a unit failed to collect: incomplete
    files = assert_valid_oscal(out)
    assert {f.suffix for f in files} == {f".{fmt}"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp file left behind


def test_store_export_of_several_sweeps_is_one_valid_document(sweep, attestations, schemas, tmp_path):
    """Results of several sweeps (stored as JSON, read back) form one document; nothing collides."""
    from trustsweep.testing.synthetic import synthetic_sweep

    other = synthetic_sweep(tmp_path, resources_per_unit=5, attestations=attestations)
    stored = [orjson.loads(orjson.dumps(build_result(s))) for s in (sweep, other)]  # as the store keeps them
    doc = assessment_results_document(stored, chain_head="e" * 64, title="Audit window 2026-Q3")
    assert validate_document(doc, schema_dir=schemas) == []
    ar = doc["assessment-results"]
    assert [r["uuid"] for r in ar["results"]] == [sweep.id, other.id]
    # the same attestation evidence is cited by both sweeps: one back-matter resource each
    assert len(ar["back-matter"]["resources"]) == 2
    path = dump(doc, tmp_path / "window.json", "json")
    assert json.loads(path.read_text())["assessment-results"]["metadata"]["title"] == "Audit window 2026-Q3"


def test_empty_window_is_still_valid(schemas):
    doc = assessment_results_document([])
    assert validate_document(doc, schema_dir=schemas) == []


def test_assert_valid_oscal_reports_problems_and_missing_documents(bundles, tmp_path):
    import shutil

    copy = tmp_path / "bundle"
    shutil.copytree(bundles[("1.2.1", "json")], copy)
    assert len(assert_valid_oscal(copy)) == 4
    assert_valid_oscal(copy / "catalog.json")
    doc = json.loads((copy / "assessment-results.json").read_text())
    doc["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = "fine"
    (copy / "assessment-results.json").write_text(json.dumps(doc))
    with pytest.raises(
        AssertionError, match=r"assessment-results.json: \$\.assessment-results\.results\[0\]\.findings\[0\]"
    ):
        assert_valid_oscal(copy)
    (copy / "assessment-results.json").unlink()
    with pytest.raises(AssertionError, match="lacks assessment-results"):
        assert_valid_oscal(copy)
    assert len(assert_valid_oscal(copy, require_bundle=False)) == 3
