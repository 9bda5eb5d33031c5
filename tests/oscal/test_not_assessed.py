"""What a consumer reading only standard OSCAL fields sees: a criterion without evidence is not
assessed (no finding, still reviewed, the plan names the attestation that would cover it), never
failed; ``import-ssp`` resolves inside the plan."""

from __future__ import annotations

import base64
import json

from trustsweep.aggregate import Basis
from trustsweep.oscal import NS
from trustsweep.oscal.validate import load_document

NIST_METHOD = "method"


def _results(bundles):
    return load_document(bundles[("1.2.1", "json")] / "assessment-results.json")["assessment-results"]


def _plan(bundles):
    return load_document(bundles[("1.2.1", "json")] / "assessment-plan.json")["assessment-plan"]


def _selected(selection) -> list[str]:
    return [c["control-id"] for s in selection["control-selections"] for c in s.get("include-controls", [])]


def test_criteria_without_evidence_have_no_finding_and_stay_reviewed(sweep, bundles):
    (result,) = _results(bundles)["results"]
    by_basis = {f.criterion_id: f.basis for f in sweep.findings}
    not_assessed = [c for c, b in by_basis.items() if b is Basis.NOT_ASSESSED]
    assert len(not_assessed) > 10
    status = {f["target"]["target-id"]: f["target"]["status"] for f in result["findings"]}
    assert not set(not_assessed) & set(status)  # no finding at all, so no state to misread
    assert set(status) | set(not_assessed) == set(sweep.mapping.criteria)
    assert _selected(result["reviewed-controls"]) == list(sweep.mapping.criteria)
    assert {"name": "count-not-assessed", "ns": NS, "value": str(len(not_assessed))} in result["props"]
    assert f"Not assessed (no evidence, hence no finding): {', '.join(not_assessed)}." in result["remarks"]


def test_status_reason_tells_failure_from_incomplete(sweep, bundles):
    (result,) = _results(bundles)["results"]
    status = {f["target"]["target-id"]: f["target"]["status"] for f in result["findings"]}
    mine = {f.criterion_id: f for f in sweep.findings}
    assert mine["CC6.1"].basis is Basis.INCOMPLETE and mine["CC6.1"].counts["fail"]
    assert status["CC6.1"] == {"state": "not-satisfied", "reason": "fail"}  # failing checks, some errors too
    assert mine["CC2.1"].basis is Basis.INCOMPLETE and not mine["CC2.1"].counts.get("fail")
    assert status["CC2.1"] == {"state": "not-satisfied", "reason": "other"}  # could not be decided: never satisfied
    assert status["CC7.3"] == {"state": "not-satisfied", "reason": "fail"}  # its attestation expired
    for cid, s in status.items():
        assert (s["state"] == "satisfied") == (mine[cid].state == "satisfied")


def test_plan_names_the_attestation_that_would_cover_each_criterion(sweep, bundles):
    plan = _plan(bundles)
    activities = plan["local-definitions"]["activities"]
    for activity in activities:  # NIST: exactly one method prop per activity
        assert [p["value"] for p in activity["props"] if p["name"] == NIST_METHOD and "ns" not in p] in (
            ["TEST"],
            ["EXAMINE"],
        )
    examine = {
        next(p["value"] for p in a["props"] if p["name"] == "attestation-type"): _selected(a["related-controls"])
        for a in activities
        if {"name": NIST_METHOD, "value": "EXAMINE"} in a["props"]
    }
    for cid, entry in sweep.mapping.entries.items():
        for type_id in entry.attestations:
            assert cid in examine[type_id], (cid, type_id)
    not_assessed = {f.criterion_id for f in sweep.findings if f.basis is Basis.NOT_ASSESSED}
    covered = {c for controls in examine.values() for c in controls}
    assert not_assessed <= covered
    (task,) = [t for t in plan["tasks"] if t["title"] == "Examine attestations"]
    examine_uuids = {a["uuid"] for a in activities if {"name": NIST_METHOD, "value": "EXAMINE"} in a["props"]}
    assert {a["activity-uuid"] for a in task["associated-activities"]} == examine_uuids


def test_import_ssp_resolves_to_a_resource_describing_the_system(sweep, bundles):
    plan = _plan(bundles)
    href = plan["import-ssp"]["href"]
    assert href.startswith("#")
    (resource,) = [r for r in plan["back-matter"]["resources"] if r["uuid"] == href[1:]]
    assert resource["base64"]["media-type"] == "application/json"
    described = json.loads(base64.b64decode(resource["base64"]["value"]))
    assert described == {
        "providers": sweep.providers,
        "targets": [{"provider": t.provider, "id": t.id} for t in sweep.targets],
    }
