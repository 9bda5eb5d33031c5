"""A report the plugin cannot read stops the sweep with one line naming it: exit 2, nothing stored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trustsweep.testing.cli import run_cli

from .conftest import FIXTURES


def _sweep(tmp_path: Path, *targets: str) -> tuple[int, str]:
    store = tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep",
        "-p",
        "scanners",
        *[a for t in targets for a in ("-t", t)],
        "--store",
        f"sqlite:///{store}",
        "-q",
        cwd=tmp_path,
    )
    assert not store.exists(), "bad input must not create (or change) the store"
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stderr.strip()


CASES = {
    "not-json.json": (
        '{"SchemaVersion": 2,\n  "Results": [',
        "not-json.json:line 2 column 15: not valid JSON (unexpected end of data)",
    ),
    "sbom.json": (
        json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5"}),
        "sbom.json: not a Trivy, Grype or Snyk JSON report (an object with bomFormat, specVersion)",
    ),
    "list.json": ("[1, 2]", "list.json: not a Trivy, Grype or Snyk JSON report (a JSON list)"),
    "snyk-error.json": (
        json.dumps({"ok": False, "error": "Could not detect supported target files in /app", "path": "/app"}),
        "snyk-error.json: a Snyk error, not a report: Could not detect supported target files in /app",
    ),
    "trivy-bad.json": (
        json.dumps({"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Vulnerabilities": {"a": 1}}]}),
        "trivy-bad.json:Results[0].Vulnerabilities: not a valid Trivy report: expected a list, found an object",
    ),
    "trivy-time.json": (
        json.dumps({"SchemaVersion": 2, "ArtifactName": "x", "CreatedAt": "yesterday"}),
        "trivy-time.json:CreatedAt: not a valid Trivy report: not a time: 'yesterday'",
    ),
    "grype-bad.json": (
        json.dumps({"matches": [{"vulnerability": {"id": 7}}], "descriptor": {}}),
        "grype-bad.json:matches[0].vulnerability.id: not a valid Grype report: expected text, found a number",
    ),
    "snyk-bad.json": (
        json.dumps([{"vulnerabilities": [{"id": "x", "severity": ["high"]}], "projectName": "p"}]),
        "snyk-bad.json:[0].vulnerabilities[0].severity: not a valid Snyk report: expected text, found a list",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, name: str) -> None:
    body, expected = CASES[name]
    folder = tmp_path / "reports"
    shutil.copytree(FIXTURES, folder)  # good reports beside it do not hide it
    (folder / name).write_text(body, encoding="utf-8")
    code, err = _sweep(tmp_path, "reports")
    assert code == 2, err
    assert err.count("\n") == 0 and err.endswith(expected), err
    assert err.startswith(f"trustsweep: error: reports/{name}:"), err


def test_a_missing_path_and_an_empty_folder(tmp_path: Path) -> None:
    assert _sweep(tmp_path, "nowhere") == (2, "trustsweep: error: nowhere: no such report file or folder")
    (tmp_path / "empty").mkdir()
    code, err = _sweep(tmp_path, "empty")
    assert (code, err) == (2, "trustsweep: error: empty: no *.json report in this folder (Trivy, Grype or Snyk JSON)")


def test_no_target_says_what_to_give(tmp_path: Path) -> None:
    code, err = _sweep(tmp_path)
    assert code == 2 and "the scanners provider needs report files or folders: --target PATH" in err, err


def test_relative_targets_start_from_the_root_option_or_its_variable(tmp_path: Path) -> None:
    args = ("sweep", "-p", "scanners", "-t", "scanners", "--no-store", "--out", str(tmp_path / "out"), "-q")
    by_option = run_cli(*args, "--scanners-root", str(FIXTURES.parent), cwd=tmp_path)
    by_variable = run_cli(*args, cwd=tmp_path, env={"TRUSTSWEEP_SCANNERS_ROOT": str(FIXTURES.parent)})
    for proc in (by_option, by_variable):
        assert proc.returncode == 1 and "Wrote OSCAL bundle" in proc.stdout, proc.stderr  # the fixtures have failures
    assert run_cli(*args, cwd=tmp_path).returncode == 2  # from tmp_path, there is no 'scanners' folder
