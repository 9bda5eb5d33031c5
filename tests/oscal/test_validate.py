"""``validate``: NIST's schema plus uuid uniqueness and references, on hand-broken documents."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from trustsweep.cli import app
from trustsweep.errors import UserError
from trustsweep.oscal import assessment_results_document, build_result
from trustsweep.oscal.validate import _compiled, validate_document, validate_file

BACKENDS = ["rust", "python"]
R = "$.assessment-results.results[0]"


@pytest.fixture(scope="module")
def good(sweep) -> dict:
    return assessment_results_document([build_result(sweep)], chain_head="d" * 64)


def _first_related(doc):
    findings = doc["assessment-results"]["results"][0]["findings"]
    return next(i for i, f in enumerate(findings) if f.get("related-observations"))


def _set(doc, path, value):
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _res(*path):
    return ["assessment-results", "results", 0, *path]


BROKEN = {
    "wrong enum value": (
        lambda d: _set(d, _res("findings", 0, "target", "status", "state"), "mostly-satisfied"),
        f"{R}.findings[0].target.status.state",
        "mostly-satisfied",
    ),
    "uuid v1": (
        lambda d: _set(d, _res("local-definitions", "components", 0, "uuid"), str(uuid.uuid1())),
        f"{R}.local-definitions.components[0].uuid",
        "does not match",
    ),
    "naive datetime": (lambda d: _set(d, _res("start"), "2026-03-01T12:00:00"), f"{R}.start", "2026-03-01T12:00:00"),
    "year 3000": (lambda d: _set(d, _res("end"), "3000-01-01T00:00:00+00:00"), f"{R}.end", "3000-01-01"),
    "empty array": (lambda d: _set(d, _res("observations", 0, "props"), []), f"{R}.observations[0].props", ""),
    "dangling related-observation": (
        lambda d: _set(
            d,
            _res("findings", _first_related(d), "related-observations", 0, "observation-uuid"),
            "0b7c2c1e-6d5e-4f3a-9b8c-7d6e5f4a3b2c",
        ),
        ".related-observations[0].observation-uuid",
        "0b7c2c1e-6d5e-4f3a-9b8c-7d6e5f4a3b2c, which is not defined",
    ),
    "token ending in a newline": (
        lambda d: _set(d, _res("observations", 0, "props", 0, "name"), "check-id\n"),
        f"{R}.observations[0].props[0].name",
        "does not match",
    ),
    "duplicate uuid": (
        lambda d: _set(
            d, _res("observations", 1, "uuid"), d["assessment-results"]["results"][0]["observations"][0]["uuid"]
        ),
        f"{R}.observations[1].uuid",
        "duplicate uuid",
    ),
    "empty string": (
        lambda d: _set(d, ["assessment-results", "metadata", "version"], ""),
        "$.assessment-results.metadata.version",
        "",
    ),
    "multi-line title": (lambda d: _set(d, _res("title"), "two\nlines"), f"{R}.title", "does not match"),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_good_document_has_no_problem(good, schemas, backend):
    assert validate_document(good, schema_dir=schemas, backend=backend) == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_document_is_reported_with_its_json_path(good, schemas, backend, case):
    mutate, path, text = BROKEN[case]
    doc = copy.deepcopy(good)
    mutate(doc)
    problems = validate_document(doc, schema_dir=schemas, backend=backend)
    assert problems, case
    matching = [p for p in problems if p.path.endswith(path) and text in p.message]
    assert matching, f"{case}: no problem at {path} mentioning {text!r}; got {[str(p) for p in problems]}"
    assert str(matching[0]) == f"{matching[0].path}: {matching[0].message}"


def test_python_patterns_treat_dollar_as_end_of_string():
    assert _compiled("^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$").search("check-id")
    assert not _compiled("^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$").search("check-id\n")
    assert _compiled("^a\\$$").search("a$")


def _write(tmp_path: Path, doc, name="doc.json") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(doc))
    else:
        path.write_text(yaml.safe_dump(doc))
    return path


def test_cli_validate_exit_codes_and_paths(good, schemas, tmp_path):
    runner = CliRunner()
    ok = _write(tmp_path, good)
    result = runner.invoke(app, ["validate", str(ok), "--schema-dir", str(schemas)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output

    bad = copy.deepcopy(good)
    BROKEN["wrong enum value"][0](bad)
    BROKEN["duplicate uuid"][0](bad)
    path = _write(tmp_path, bad, "bad.yaml")
    result = runner.invoke(app, ["validate", str(path), "--schema-dir", str(schemas)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{R}.findings[0].target.status.state: ") for line in lines)
    assert any(line.startswith(f"{R}.observations[1].uuid: duplicate uuid") for line in lines)


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "malformed JSON"),
        ('{"something": {}}', "not an OSCAL document"),
        ("[1, 2]", "not an OSCAL document"),
    ],
)
def test_cli_validate_bad_file_is_one_line_exit_2(tmp_path, schemas, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    proc = subprocess.run(
        [sys.executable, "-m", "trustsweep.cli", "validate", str(path), "--schema-dir", str(schemas)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert str(path) in line and message in line


def test_missing_file_and_missing_schema_dir_are_user_errors(good, tmp_path, monkeypatch):
    with pytest.raises(UserError, match="cannot read"):
        validate_file(tmp_path / "absent.json", schema_dir=tmp_path)
    monkeypatch.setenv("TRUSTSWEEP_OSCAL_SCHEMA_DIR", str(tmp_path / "nowhere"))
    path = _write(tmp_path, good)
    with pytest.raises(UserError, match="schema directory not found"):
        validate_file(path)


def test_schema_version_choice(good, schemas, tmp_path):
    path = _write(tmp_path, good)
    # the same document also validates against 1.1.3 when asked; a flat folder of one version works
    assert validate_file(path, schema_dir=schemas, oscal_version="1.1.3") == []
    assert validate_file(path, schema_dir=schemas / "v1.2.1") == []
    with pytest.raises(UserError, match="1.1.3"):
        validate_file(path, schema_dir=schemas / "v1.2.1", oscal_version="1.1.3")
    broken = copy.deepcopy(good)
    broken["assessment-results"]["metadata"]["oscal-version"] = "1.2.0"
    with pytest.raises(UserError, match="broken"):
        validate_file(_write(tmp_path, broken, "old.json"), schema_dir=schemas)


def test_references_into_an_imported_document_resolve(sweep, schemas, tmp_path):
    """An observation may point at a subject the imported plan defines; that is not dangling."""
    from trustsweep.oscal import write_bundle

    write_bundle(sweep, tmp_path)
    ar_path = tmp_path / "assessment-results.json"
    ap = json.loads((tmp_path / "assessment-plan.json").read_text())["assessment-plan"]
    task_uuid = ap["tasks"][0]["uuid"]
    doc = json.loads(ar_path.read_text())
    doc["assessment-results"]["results"][0]["observations"][0]["origins"] = [
        {
            "actors": [
                {
                    "type": "tool",
                    "actor-uuid": doc["assessment-results"]["results"][0]["local-definitions"]["components"][0]["uuid"],
                }
            ],
            "related-tasks": [{"task-uuid": task_uuid}],
        }
    ]
    ar_path.write_text(json.dumps(doc))
    assert validate_file(ar_path, schema_dir=schemas) == []
    (tmp_path / "assessment-plan.json").unlink()
    problems = validate_file(ar_path, schema_dir=schemas)
    assert [p.path for p in problems] == [f"{R}.observations[0].origins[0].related-tasks[0].task-uuid"]
    assert "imports not read: assessment-plan.json" in problems[0].message


@pytest.mark.parametrize("version", ["1.1.3", "1.2.1"])
def test_documents_of_other_models_validate_against_the_complete_schema(schemas, tmp_path, version):
    """Not ours: a profile (no dedicated schema file here) is checked against its branch of the complete schema."""
    profile = {
        "profile": {
            "uuid": str(uuid.uuid4()),
            "metadata": {
                "title": "Baseline",
                "last-modified": "2026-01-01T00:00:00Z",
                "version": "1",
                "oscal-version": version,
            },
            "imports": [{"href": "catalog.json", "include-all": {}}],
        }
    }
    assert validate_file(_write(tmp_path, profile, "profile.json"), schema_dir=schemas) == []
    profile["profile"]["imports"][0]["include-all"] = []
    problems = validate_file(_write(tmp_path, profile, "profile.yaml"), schema_dir=schemas)
    assert problems and all(p.path.startswith("$.profile.imports[0]") for p in problems), [str(p) for p in problems]


def test_yaml_with_unquoted_timestamps_is_read_as_text(schemas, tmp_path):
    """Hand-written YAML (like NIST's examples) leaves datetimes unquoted; they stay strings."""
    path = tmp_path / "catalog.yaml"
    path.write_text(f"""\
catalog:
  uuid: {uuid.uuid4()}
  metadata:
    title: Hand-written
    last-modified: 2020-02-10T11:01:04.736-04:00
    version: "1.0"
    oscal-version: 1.1.3
""")
    assert validate_file(path, schema_dir=schemas) == []
    path.write_text(path.read_text().replace("2020-02-10T11:01:04.736-04:00", "2020-02-10T11:01:04"))
    assert {p.path for p in validate_file(path, schema_dir=schemas)} == {"$.catalog.metadata.last-modified"}
