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


def test_datetimes_keep_their_exact_text_through_trestle(sweep, tmp_path):
    """trestle re-serialises a datetime from its value: ``:21.000+00:00`` would come back as
    ``:21+00:00``. Ours (milliseconds, none on a whole second) come back character for character."""
    import dataclasses
    import datetime as dt

    from trestle.oscal.assessment_results import AssessmentResults

    from trustsweep.oscal import write_bundle
    from trustsweep.oscal.common import timestamp

    whole = dt.datetime(2026, 11, 26, 10, 57, 21, tzinfo=dt.UTC)
    stats = {**sweep.stats, "collected_at": (whole + dt.timedelta(microseconds=400)).isoformat()}
    s = dataclasses.replace(
        sweep, started=whole, finished=whole + dt.timedelta(seconds=4, microseconds=651_900), stats=stats
    )
    write_bundle(s, tmp_path)
    path = tmp_path / "assessment-results.json"
    ours = json.loads(path.read_text())["assessment-results"]
    (result,) = ours["results"]
    assert (result["start"], result["end"]) == ("2026-11-26T10:57:21+00:00", "2026-11-26T10:57:25.651+00:00")
    assert result["observations"][0]["collected"] == "2026-11-26T10:57:21+00:00"
    back = json.loads(AssessmentResults.oscal_read(path).oscal_serialize_json(pretty=False))
    assert back == json.loads(path.read_text())
    for value in (
        whole,
        whole.replace(microsecond=500),
        whole.replace(microsecond=100_000),
        dt.datetime(1900, 1, 1),
        dt.datetime(2999, 12, 31, 23, 59, 59, 999_999),
    ):
        text = timestamp(value)
        round_trip = AssessmentResults(**{**ours, "metadata": {**ours["metadata"], "last-modified": text}})
        assert (
            json.loads(round_trip.oscal_serialize_json(pretty=False))["assessment-results"]["metadata"]["last-modified"]
            == text
        )
