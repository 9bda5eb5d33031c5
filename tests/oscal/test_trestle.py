"""Round trip through compliance-trestle: its models load our documents and give back the same
JSON, and ``trestle import`` accepts them into a workspace."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trestle")

MODELS = {
    "assessment-results": ("trestle.oscal.assessment_results", "AssessmentResults"),
    "assessment-plan": ("trestle.oscal.assessment_plan", "AssessmentPlan"),
    "catalog": ("trestle.oscal.catalog", "Catalog"),
    "component-definition": ("trestle.oscal.component", "ComponentDefinition"),
}
TRESTLE = Path(sys.executable).parent / "trestle"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_trestle_models_give_the_same_document(bundles, name):
    """Our plain dicts are exactly what trestle's pydantic models serialise (small case)."""
    import importlib

    module, cls_name = MODELS[name]
    cls = getattr(importlib.import_module(module), cls_name)
    path = bundles[("1.2.1", "json")] / f"{name}.json"
    model = cls.oscal_read(path)
    assert json.loads(model.oscal_serialize_json(pretty=False)) == json.loads(path.read_text())


def test_trestle_import_into_a_workspace(bundles, tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()

    def trestle(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(TRESTLE), *args], cwd=workspace, capture_output=True, text=True, timeout=120)

    assert trestle("init").returncode == 0
    folders = {"assessment-results": "assessment-results"}  # the others load with the models above
    for name, folder in folders.items():
        source = bundles[("1.2.1", "json")] / f"{name}.json"
        proc = trestle("import", "-f", str(source), "-o", f"ts-{name}")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        imported = workspace / folder / f"ts-{name}" / f"{name}.json"
        assert json.loads(imported.read_text()) == json.loads(source.read_text())
    proc = trestle("validate", "-a")
    assert proc.returncode == 0, proc.stdout + proc.stderr
