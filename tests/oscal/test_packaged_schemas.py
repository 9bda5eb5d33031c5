"""NIST's schemas ship inside the package, recorded in PROVENANCE.md, and are what validate uses by default."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trustsweep.oscal import validate

PACKAGED = Path(validate.__file__).resolve().parent / "schemas"


def test_provenance_lists_every_shipped_schema_with_its_sha256() -> None:
    listed = {}
    for note in sorted(PACKAGED.glob("v*/PROVENANCE.md")):  # a provenance note beside each version's files
        text = note.read_text(encoding="utf-8")
        listed |= {
            f"{note.parent.name}/{file}": (tag, digest)
            for tag, file, digest in re.findall(r"^\| `(v[\d.]+)` \| `([^`]+)` \| `([0-9a-f]{64})` \|$", text, re.M)
        }
    shipped = {p.relative_to(PACKAGED).as_posix(): p for p in PACKAGED.rglob("*.json")}
    assert set(listed) == set(shipped)
    for name, path in shipped.items():
        tag, digest = listed[name]
        assert name.startswith(f"{tag}/")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("version", ["1.2.1", "1.1.3"])
def test_both_written_versions_are_shipped_for_every_model(version: str) -> None:
    for model in validate.MODELS:
        path = validate.schema_file(PACKAGED, version, model)
        assert path.parent == PACKAGED / f"v{version}"


def test_default_is_the_packaged_schemas_and_the_variable_overrides(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(validate.SCHEMA_DIR_ENV, raising=False)
    assert validate.default_schema_dir() == PACKAGED
    monkeypatch.setenv(validate.SCHEMA_DIR_ENV, str(tmp_path))
    assert validate.default_schema_dir() == tmp_path


@pytest.mark.parametrize("version", ["1.2.1", "1.1.3"])
def test_validate_without_schema_dir_from_anywhere(bundles, version: str, tmp_path: Path) -> None:
    bundle = bundles[(version, "json")]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no TRUSTSWEEP_OSCAL_SCHEMA_DIR
    for name in ("assessment-results", "assessment-plan", "catalog", "component-definition"):
        proc = subprocess.run(
            [sys.executable, "-m", "trustsweep.cli", "validate", str(bundle / f"{name}.json")],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
