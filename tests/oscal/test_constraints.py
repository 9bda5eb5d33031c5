"""NIST's Metaschema constraints: the derived tables, the checker on hand-broken documents (one
per constraint kind, failing with the constraint's id), our bundles satisfying them, and
``trustsweep validate`` reporting them."""

from __future__ import annotations

import copy
import json

import pytest

from trustsweep.oscal.constraints import constraint_problems, coverage, table, versions
from trustsweep.oscal.constraints.metapath import Unsupported, parse
from trustsweep.oscal.validate import load_document
from trustsweep.testing.cli import run_cli

MODELS = ("catalog", "component-definition", "assessment-plan", "assessment-results")


def _doc(bundles, version: str, model: str) -> dict:
    return copy.deepcopy(load_document(bundles[(version, "json")] / f"{model}.json"))


def _id(version: str, kind: str, context: str, text: str = "") -> str:
    """The id of a constraint in a version's table (1.1.3 names most of them by place)."""
    (found,) = [
        c["id"]
        for c in table(version).data["constraints"]
        if c["kind"] == kind and c["context"] == context and text in c["target"] + c.get("test", "")
    ]
    return found


def _messages(doc: dict, version: str) -> list[str]:
    model = next(iter(doc))
    return [str(p) for p in constraint_problems(doc, model, version, warnings=True)]


def test_tables_are_shipped_with_provenance_and_coverage():
    assert versions() == ["1.1.3", "1.2.1"]
    for version in versions():
        data = table(version).data
        assert set(data["roots"]) == set(MODELS)
        files = data["provenance"]["files"]
        assert "oscal_assessment-common_metaschema.xml" in files
        assert all(len(digest) == 64 for digest in files.values())
        cov = coverage(version)
        assert cov["derived"] == cov["checked"] + cov["skipped"] > 200
        assert cov["by-kind"].keys() >= {
            "allowed-values",
            "has-cardinality",
            "index",
            "index-has-key",
            "is-unique",
            "matches",
            "expect",
        }
    ids = {c["id"] for c in table("1.2.1").data["constraints"]}
    assert {"oscal-activity-type-cardinality", "oscal-activity-type-values", "oscal-catalog-controls"} <= ids


@pytest.mark.parametrize("version", ["1.2.1", "1.1.3"])
@pytest.mark.parametrize("model", MODELS)
def test_our_bundle_satisfies_every_constraint(bundles, version, model):
    """Warnings included: what NIST's oscal-cli would say of our documents."""
    assert _messages(_doc(bundles, version, model), version) == []


def _activity(doc: dict) -> dict:
    return doc["assessment-plan"]["local-definitions"]["activities"][0]


def _break_method_value(doc):
    next(p for p in _activity(doc)["props"] if p["name"] == "method")["value"] = "GUESS"
    return (
        ("allowed-values", "activity", "@value"),
        "$.assessment-plan.local-definitions.activities[0].props[0].value",
        "'GUESS' is not an allowed value",
    )


def _drop_method(doc):
    _activity(doc)["props"] = [p for p in _activity(doc)["props"] if p["name"] != "method"]
    return ("has-cardinality", "activity", "method"), "$.assessment-plan.local-definitions.activities[0]", "0 of prop"


def _control(doc):
    return doc["catalog"]["groups"][0]["groups"][0]["controls"]


def _duplicate_control(doc):
    controls = _control(doc)
    twin = copy.deepcopy(controls[0])
    for part in twin["parts"]:
        part["id"] += "-twin"
    controls.append(twin)
    return ("index", "catalog", "//control"), "$.catalog.groups[0].groups[0].controls[", "duplicate key"


def _unknown_reference(doc):
    doc["catalog"]["metadata"]["links"] = [{"href": "#0b7d4a8e-6a35-4c6e-9a55-3b1f8d2c9e10", "rel": "reference"}]
    return (
        ("index-has-key", "link", "@rel=('reference') and starts-with"),
        "$.catalog.metadata.links[0]",
        "is not a key of index",
    )


def _duplicate_metadata_prop(doc):
    props = doc["catalog"]["metadata"]["props"]
    props.append(dict(props[0]))
    return ("is-unique", "metadata", "prop"), f"$.catalog.metadata.props[{len(props) - 1}]", "duplicate"


def _short_hash(doc):
    resource = doc["assessment-results"]["back-matter"]["resources"][0]
    resource["rlinks"][0]["hashes"][0]["value"] = "abc123"
    return (
        ("matches", "hash", "SHA-256"),
        "$.assessment-results.back-matter.resources[0].rlinks[0].hashes[0]",
        "does not match",
    )


def _control_without_statement(doc):
    del _control(doc)[0]["parts"]
    return ("expect", "control", "withdrawn"), "$.catalog.groups[0].groups[0].controls[0]", ""


BREAKERS = {  # one per constraint kind (allowed-values, has-cardinality, index, index-has-key, ...)
    _break_method_value: "assessment-plan",
    _drop_method: "assessment-plan",
    _duplicate_control: "catalog",
    _unknown_reference: "catalog",
    _duplicate_metadata_prop: "catalog",
    _short_hash: "assessment-results",
    _control_without_statement: "catalog",
}


@pytest.mark.parametrize("version", ["1.2.1", "1.1.3"])
@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda b: b.__name__.strip("_"))
def test_each_constraint_kind_is_caught_with_its_id(bundles, version, breaker):
    doc = _doc(bundles, version, BREAKERS[breaker])
    (kind, context, target), path, text = breaker(doc)
    cid = _id(version, kind, context, target)
    lines = _messages(doc, version)
    assert any(line.startswith(path) and f"[{cid}]" in line and text in line for line in lines), (cid, lines)


def test_1_2_1_ids_are_nist_ids(bundles):
    doc = _doc(bundles, "1.2.1", "assessment-plan")
    _drop_method(doc)
    (line,) = _messages(doc, "1.2.1")
    assert line.startswith("$.assessment-plan.local-definitions.activities[0]: [oscal-activity-type-cardinality] ")


def test_allowed_values_are_the_union_of_every_list_on_a_node(bundles):
    """A NIST prop name allowed on inventory items (``asset-id``) passes although the generic prop
    list allows only ``marking``; a name no list allows fails."""
    doc = _doc(bundles, "1.2.1", "assessment-results")
    item = doc["assessment-results"]["results"][0]["local-definitions"]["inventory-items"][0]
    assert any(p["name"] == "asset-id" and "ns" not in p for p in item["props"])
    assert _messages(doc, "1.2.1") == []
    item["props"].append({"name": "colour", "value": "blue"})
    (line,) = _messages(doc, "1.2.1")
    assert ".inventory-items[0].props[" in line and "'colour' is not an allowed value" in line


def test_warnings_are_reported_only_when_asked(bundles):
    doc = _doc(bundles, "1.2.1", "assessment-plan")
    del doc["assessment-plan"]["back-matter"]["resources"][0]["base64"]
    assert constraint_problems(doc, "assessment-plan", "1.2.1") == []
    (line,) = _messages(doc, "1.2.1")
    assert "warning: [oscal-back-matter-resource-base64-rlink-cardinality]" in line


def test_values_of_the_wrong_json_type_are_left_to_the_schema(bundles):
    """A hostile document (a list where a string belongs) gets problems from the schema, never a crash here."""
    doc = _doc(bundles, "1.2.1", "assessment-results")
    resource = doc["assessment-results"]["back-matter"]["resources"][0]
    resource["props"][0]["ns"] = [1, 2]
    resource["rlinks"][0]["hashes"][0]["value"] = [3]
    doc["assessment-results"]["metadata"]["props"][0]["name"] = {"a": 1}
    doc["assessment-results"]["results"][0]["local-definitions"]["inventory-items"][0]["props"] = {"name": "x"}
    assert isinstance(_messages(doc, "1.2.1"), list)


def test_no_table_for_other_versions_or_models():
    assert constraint_problems({"profile": {}}, "profile", "1.2.1") == []
    assert constraint_problems({"catalog": {}}, "catalog", "1.0.0") == []


@pytest.mark.parametrize("text", ["doc(import-ssp/@href)/metadata/role", "../prop", "child::prop", "$x", "1 + 2"])
def test_metapath_outside_the_subset_is_refused(text):
    with pytest.raises(Unsupported):
        parse(text)


def test_validate_cli_reports_constraint_ids_and_exits_2(bundles, schemas, tmp_path):
    doc = _doc(bundles, "1.2.1", "assessment-plan")
    _drop_method(doc)
    path = tmp_path / "assessment-plan.json"
    path.write_text(json.dumps(doc))
    proc = run_cli("validate", str(path), "--schema-dir", str(schemas))
    assert proc.returncode == 2
    assert (
        "$.assessment-plan.local-definitions.activities[0]: [oscal-activity-type-cardinality] "
        in proc.stdout + proc.stderr
    )
    assert "Traceback" not in proc.stderr
