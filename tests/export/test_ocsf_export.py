"""OCSF: every line is a Compliance Finding valid against OCSF 1.5's schema (cloud profile)."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest
from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema("1.5.0")).get_class_schema("compliance_finding", ["cloud"])
    return jsonschema.Draft202012Validator(schema)


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_non_passing_results_only_by_default(sweep, export, validator) -> None:
    events = _lines(export("ocsf") / "findings.ocsf.jsonl")
    wanted = Counter(r.status.value for r in sweep.results if r.status.value in ("fail", "error"))
    assert Counter(e["unmapped"]["result"] for e in events) == wanted
    for event in events:
        errors = [e.message for e in validator.iter_errors(event)]
        assert not errors, errors[:3]
        assert event["class_uid"] == 2003 and event["type_uid"] == 200301
        ComplianceFinding.model_validate(event)  # the library reads it back


def test_passes_option_adds_passing_results(sweep, export, validator) -> None:
    events = _lines(export("ocsf:passes") / "findings.ocsf.jsonl")
    assert len(events) == sum(1 for r in sweep.results if r.status.value in ("pass", "fail", "error"))
    passing = [e for e in events if e["unmapped"]["result"] == "pass"]
    assert passing and all(e["compliance"]["status_id"] == 1 and e["status"] == "Resolved" for e in passing)
    assert not [m for e in passing for m in validator.iter_errors(e)]


def test_waived_failures_are_suppressed(export) -> None:
    events = _lines(export("ocsf") / "findings.ocsf.jsonl")
    waived = [e for e in events if "waiver" in e["unmapped"]]
    assert waived and all(e["status_id"] == 3 and e["status"] == "Suppressed" for e in waived)
    assert all(e["unmapped"]["waiver"]["approved_by"] == "Carol" for e in waived)


def test_finding_uids_are_stable_per_check_and_resource(sweep, export) -> None:
    events = _lines(export("ocsf") / "findings.ocsf.jsonl")
    uids = [e["finding_info"]["uid"] for e in events]
    assert len(set(uids)) == len(uids)
    again = _lines(export("ocsf") / "findings.ocsf.jsonl")
    assert uids == [e["finding_info"]["uid"] for e in again]


def test_unknown_option_is_a_usage_error(registry) -> None:
    from trustsweep.errors import UserError
    from trustsweep.export import parse_exports

    with pytest.raises(UserError, match="unknown option 'everything'"):
        parse_exports(registry.exporters, ["ocsf:everything"])
    with pytest.raises(UserError, match="unknown --export format 'pdf'"):
        parse_exports(registry.exporters, ["pdf"])


def test_finding_uid_is_uuid5() -> None:
    import uuid

    from trustsweep.export.ocsf import _NAMESPACE, finding_uid

    assert finding_uid("aws.s3.x", "aws|1|arn") == str(uuid.uuid5(_NAMESPACE, "aws.s3.x|aws|1|arn"))
