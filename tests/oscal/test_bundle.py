"""The bundle a sweep writes: four valid documents whose content says what the sweep found."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path

import pytest

from trustsweep.aggregate import Basis
from trustsweep.model import Status
from trustsweep.oscal import NS, TRESTLE_NS, build_result, write_bundle
from trustsweep.oscal.common import UUID_NAMESPACE, timestamp, uuid5
from trustsweep.oscal.validate import load_document
from trustsweep.testing.oscal import assert_valid_oscal

VERSIONS = [("1.2.1", "json"), ("1.2.1", "yaml"), ("1.1.3", "json"), ("1.1.3", "yaml")]


def _ours(props, name):
    return [p["value"] for p in props or [] if p["name"] == name and p.get("ns") == NS]


@pytest.mark.parametrize("version,fmt", VERSIONS)
def test_bundle_is_schema_and_integrity_valid(bundles, version, fmt):
    files = assert_valid_oscal(bundles[(version, fmt)], oscal_version=None)
    assert sorted(f.name for f in files) == sorted(
        f"{n}.{fmt}" for n in ("catalog", "assessment-plan", "component-definition", "assessment-results")
    )
    for f in files:
        doc = load_document(f)
        assert next(iter(doc.values()))["metadata"]["oscal-version"] == version


def test_results_document_content(sweep, bundles):
    doc = load_document(bundles[("1.2.1", "json")] / "assessment-results.json")["assessment-results"]
    assert doc["import-ap"] == {"href": "assessment-plan.json"}
    assert _ours(doc["metadata"]["props"], "evidence-chain-head") == ["c" * 64]
    (result,) = doc["results"]
    assert result["uuid"] == sweep.id
    assert result["start"] == timestamp(sweep.started) and result["end"] == timestamp(sweep.finished)
    reviewed = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert [c["control-id"] for c in reviewed] == list(sweep.mapping.criteria) and len(reviewed) == 61

    items = result["local-definitions"]["inventory-items"]
    asset = {next(p["value"] for p in i["props"] if p["name"] == "asset-id" and "ns" not in p): i for i in items}
    for res in sweep.resources:
        item = asset[res.id]
        assert {"name": "asset-type", "value": res.type} in item["props"]
    assert any(e.subject_id in asset for e in sweep.collection_errors)
    assert len(items) == len(sweep.resources) + len(sweep.collection_errors)
    components = result["local-definitions"]["components"]
    assert components[0]["title"] == "trustsweep"
    assert {c["title"] for c in components[1:]} == {f"trustsweep plugin {p.name}" for p in sweep.plugins}

    tests = [o for o in result["observations"] if o["methods"] == ["TEST"]]
    assert len(tests) == len(sweep.results)
    item_uuids = {i["uuid"]: i for i in items}
    for obs, res in zip(tests, sweep.results):
        assert _ours(obs["props"], "check-id") == [res.check_id]
        assert _ours(obs["props"], "result") == [res.status.value]
        assert _ours(obs["props"], "provider") == [res.provider]
        (subject,) = obs["subjects"]
        item = item_uuids[subject["subject-uuid"]]
        assert {"name": "asset-id", "value": res.resource_id} in item["props"]
        assert obs["relevant-evidence"] and obs["collected"]
        if res.waiver is not None:
            assert _ours(obs["props"], "waived") == ["true"]
            assert _ours(obs["props"], "waiver-approved-by") == ["Carol CISO"]
            assert _ours(obs["props"], "waiver-reason") == ["Legacy HSM keys, replacement planned"]
            assert res.status is Status.FAIL
    assert Counter(_ours(o["props"], "result")[0] for o in tests) == Counter(sweep.counts()) - Counter()
    assert sum(1 for r in sweep.results if r.waiver) > 0

    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    assessed = [f.criterion_id for f in sweep.findings if f.basis is not Basis.NOT_ASSESSED]
    assert list(findings) == assessed and len(assessed) < len(sweep.findings)
    obs_by_uuid = {o["uuid"]: o for o in result["observations"]}
    for f in sweep.findings:
        if f.basis is Basis.NOT_ASSESSED:
            continue
        out = findings[f.criterion_id]
        assert out["target"]["type"] == "objective-id"
        assert out["target"]["status"]["state"] == f.state
        assert _ours(out["props"], "basis") == [f.basis.value]
        related = [r["observation-uuid"] for r in out.get("related-observations", [])]
        assert len([u for u in related if obs_by_uuid[u]["methods"] == ["TEST"]]) == len(f.results)
        for u in related:
            assert u in obs_by_uuid
    assert _ours(findings["CC6.1"]["props"], "basis") == ["incomplete"]


def test_attestations_are_examine_observations_with_hash_in_back_matter(bundles):
    doc = load_document(bundles[("1.2.1", "json")] / "assessment-results.json")["assessment-results"]
    (result,) = doc["results"]
    examine = [o for o in result["observations"] if o["methods"] == ["EXAMINE"]]
    assert sorted(_ours(o["props"], "attestation-state")[0] for o in examine) == ["expired", "valid"]
    resources = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
    for obs in examine:
        (ev,) = obs["relevant-evidence"]
        res = resources[ev["href"][1:]]
        (link,) = res["rlinks"]
        assert link["hashes"] == [{"algorithm": "SHA-256", "value": _ours(ev["props"], "sha256")[0]}]
    hrefs = sorted(r["rlinks"][0]["href"] for r in resources.values())
    assert hrefs == ["idp%20report%202026.pdf", "ir-plan.docx"]
    cc73 = next(f for f in result["findings"] if f["target"]["target-id"] == "CC7.3")
    assert any(
        obs_uuid["observation-uuid"] in {o["uuid"] for o in examine} for obs_uuid in cc73["related-observations"]
    )


def test_catalog_plan_and_component_definition(sweep, bundles):
    d = bundles[("1.2.1", "json")]
    catalog = load_document(d / "catalog.json")["catalog"]
    controls = []
    stack = list(catalog["groups"])
    while stack:
        g = stack.pop()
        controls += [c["id"] for c in g.get("controls", [])]
        stack += g.get("groups", [])
    assert sorted(controls) == sorted(sweep.mapping.criteria)
    assert {g["title"] for g in catalog["groups"]} >= {"Security", "Availability", "Privacy"}

    plan = load_document(d / "assessment-plan.json")["assessment-plan"]
    assert [c["control-id"] for c in plan["reviewed-controls"]["control-selections"][0]["include-controls"]] == list(
        sweep.mapping.criteria
    )
    assert plan["tasks"] and plan["assessment-subjects"]
    activities = plan["local-definitions"]["activities"]
    tests = [a for a in activities if {"name": "method", "value": "TEST"} in a["props"]]
    assert {_ours(a["props"], "check-id")[0] for a in tests} == set(sweep.checks)

    cd = load_document(d / "component-definition.json")["component-definition"]
    (component,) = [c for c in cd["components"] if c["title"] == "trustsweep plugin synthetic"]
    rules = {p["remarks"]: {} for p in component["props"]}
    for p in component["props"]:
        assert p["ns"] == TRESTLE_NS
        rules[p["remarks"]][p["name"]] = p["value"]
    assert {r["Rule_Id"] for r in rules.values()} == set(sweep.checks)
    assert all(set(r) == {"Rule_Id", "Rule_Description", "Check_Id", "Check_Description"} for r in rules.values())
    impl = component["control-implementations"][0]
    assert impl["source"] == "catalog.json"
    reqs = {r["control-id"]: {p["value"] for p in r["props"]} for r in impl["implemented-requirements"]}
    assert reqs["CC6.1"] == {"synthetic.storage.encrypted", "synthetic.keys.rotation"}
    assert reqs["CC2.1"] == {"synthetic.tags.env"}


def test_build_result_is_deterministic_and_uuids_are_v5_of_natural_keys(sweep):
    a, b = build_result(sweep), build_result(sweep)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    first = sweep.results[0]
    expected = str(
        uuid.uuid5(UUID_NAMESPACE, "|".join([sweep.id, "observation", f"{first.check_id}|{first.resource_key}"]))
    )
    assert a["observations"][0]["uuid"] == expected
    assert uuid5("x", "y") == str(uuid.uuid5(UUID_NAMESPACE, "x|y"))
    assert uuid.UUID(a["uuid"]).version == 4
    for obs in a["observations"]:
        assert uuid.UUID(obs["uuid"]).version == 5


def test_documents_get_fresh_v4_uuids(sweep, tmp_path):
    one = write_bundle(sweep, tmp_path / "one")
    two = write_bundle(sweep, tmp_path / "two")
    for p, q in zip(one, two):
        u1 = next(iter(load_document(p).values()))["uuid"]
        u2 = next(iter(load_document(q).values()))["uuid"]
        assert u1 != u2 and uuid.UUID(u1).version == 4


def test_timestamps_are_timezone_aware(bundles):
    text = (bundles[("1.2.1", "json")] / "assessment-results.json").read_text()
    doc = json.loads(text)["assessment-results"]
    for value in (
        doc["metadata"]["last-modified"],
        doc["results"][0]["start"],
        doc["results"][0]["observations"][0]["collected"],
    ):
        assert value.endswith("+00:00")
    assert text.startswith('{\n  "assessment-results": {\n')  # small documents are indented


def test_write_is_atomic_and_leaves_no_temp_files(sweep, tmp_path, monkeypatch):
    from trustsweep.oscal import io

    out = tmp_path / "out"
    write_bundle(sweep, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(doc, fmt="json", **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(io, "serialize", broken)
    with pytest.raises(RuntimeError):
        write_bundle(sweep, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, no temp left

    calls = {"n": 0}
    real_replace = io.os.replace

    def failing_replace(src, dst):
        calls["n"] += 1
        raise OSError("simulated crash before rename")

    monkeypatch.undo()
    monkeypatch.setattr(io.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_bundle(sweep, out)
    monkeypatch.setattr(io.os, "replace", real_replace)
    assert calls["n"] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_version_or_format_is_a_user_error(sweep, tmp_path):
    from trustsweep.errors import UserError

    with pytest.raises(UserError, match="1.2.0"):
        write_bundle(sweep, tmp_path, oscal_version="1.2.0")
    with pytest.raises(UserError, match="xml"):
        write_bundle(sweep, tmp_path, fmt="xml")


def test_no_secret_reaches_the_results():
    from trustsweep.oscal.evidence import evidence_text

    evidence = {
        "user": "alice",
        "password": "hunter2",
        "nested": {"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG"},
        "keys": [{"client_secret": "s3cr3t"}],
        "cert": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
        "password_last_used": "2026-01-02",
        "password_enabled": True,
        "session_duration": 3600,
        "secret_arn": "arn:aws:secretsmanager:eu-west-1:1:secret:db",
        "kms_key_id": "k-1",
    }
    text = evidence_text(evidence)
    for secret in ("hunter2", "wJalrXUtnFEMI", "s3cr3t", "MIIE"):
        assert secret not in text
    for kept in ("alice", "2026-01-02", '"password_enabled":true', "3600", "secretsmanager", "k-1"):
        assert kept in text
    assert evidence_text({"encrypted": True, "n": 3}) == '{"encrypted":true,"n":3}'


def _comparable(path: Path) -> dict:
    doc = json.loads(path.read_text())["assessment-results"]
    doc.pop("uuid")
    doc["metadata"].pop("last-modified")
    return doc


@pytest.mark.parametrize("chunk", [1, 7, 5000])
def test_large_results_are_streamed_to_the_same_document(sweep, tmp_path, monkeypatch, chunk):
    import functools

    import trustsweep.oscal as oscal

    whole = write_bundle(sweep, tmp_path / "whole")[-1]
    monkeypatch.setattr(oscal, "INDENT_LIMIT", 5)  # make this small sweep count as large
    monkeypatch.setattr(oscal, "dump_streaming", functools.partial(oscal.dump_streaming, chunk_size=chunk))
    streamed = write_bundle(sweep, tmp_path / "streamed")[-1]
    assert b"\n  " not in streamed.read_bytes()  # compact
    assert _comparable(streamed) == _comparable(whole)
    assert_valid_oscal(tmp_path / "streamed")


@pytest.mark.parametrize("items,tail", [([], []), ([], [{"b": 2}]), ([{"a": 1}] * 4, []), ([{"a": 1}] * 3, [{"b": 2}])])
def test_stream_writes_items_then_tail(tmp_path, items, tail):
    from trustsweep.oscal.io import Stream, dump_streaming

    path = dump_streaming({"x": {"list": Stream(iter(items), tail), "after": True}}, tmp_path / "s.json", chunk_size=2)
    assert json.loads(path.read_text()) == {"x": {"list": items + tail, "after": True}}


def test_several_streams_in_one_document(tmp_path):
    from trustsweep.oscal.io import Stream, dump_streaming

    doc = {
        "a": Stream(iter(range(5)), [9]),
        "b": [{"c": Stream(iter(["x"] * 3))}, {"d": Stream(iter([]), ["t"])}],
        "e": 1,
    }
    path = dump_streaming(doc, tmp_path / "s.json", chunk_size=2)
    assert json.loads(path.read_text()) == {
        "a": [0, 1, 2, 3, 4, 9],
        "b": [{"c": ["x", "x", "x"]}, {"d": ["t"]}],
        "e": 1,
    }
