"""The wheel on its own: built from this checkout, installed into a fresh venv in a temporary directory
with no checkout around it, ``trustsweep demo`` runs and ``trustsweep validate`` checks its documents
with the schemas shipped inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("assessment-plan", "assessment-results", "catalog", "component-definition")


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"  # `make install` puts uv in .venv/bin
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if not found:
        pytest.skip("uv is not installed: `make install` (or `pip install uv`) provides it")
    return found


def _run(args: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)
    assert proc.returncode == 0, (
        f"{' '.join(map(str, args))} → {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([_uv(), "build", "--wheel", "--quiet", "--out-dir", out, ROOT])
    (built,) = out.glob("trustsweep-*.whl")
    return built


def test_wheel_holds_the_data_the_product_reads_and_no_checkout_locator(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for version in ("1.2.1", "1.1.3"):
        for model in ("assessment-results", "assessment-plan", "component", "catalog", "complete"):
            assert f"trustsweep/oscal/schemas/v{version}/oscal_{model}_schema.json" in names
    assert "trustsweep/oscal/schemas/PROVENANCE.md" in names
    assert "trustsweep/py.typed" in names  # type checkers read the package's annotations (PEP 561)
    assert {"trustsweep/oscal/schemas/v1.2.1/PROVENANCE.md", "trustsweep/oscal/schemas/v1.1.3/PROVENANCE.md"} <= names
    assert {f"trustsweep/_mappings/soc2/{n}.yaml" for n in ("criteria", "attestations")} <= names
    assert {"trustsweep_azure/soc2.yaml", "trustsweep_azure/emulator/__init__.py"} <= names  # the plugin's own
    assert {"trustsweep_aws/soc2.yaml", "trustsweep_aws/emulator/__init__.py"} <= names
    assert {"trustsweep_gcp/soc2.yaml", "trustsweep_gcp/emulator/northwind.py"} <= names  # mapping and demo estate
    assert {"trustsweep_scanners/soc2.yaml", "trustsweep_scanners/emulator/__init__.py"} <= names  # the plugin's own
    assert not [n for n in names if "shared" in n.rsplit("/", 1)[-1] or n.startswith("tests/")]


def test_installed_wheel_runs_demo_and_validates_with_packaged_schemas(wheel: Path, tmp_path: Path) -> None:
    uv = _uv()
    venv = tmp_path / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, venv])
    python = venv / "bin" / "python"
    _run([uv, "pip", "install", "--quiet", "--python", python, f"{wheel}[aws,gcp,azure,emulators]"])
    work = tmp_path / "work"
    work.mkdir()
    # nothing from this checkout or the test run: no TRUSTSWEEP_* variables, no PYTHONPATH, a new HOME
    env = {"PATH": os.defpath, "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8"}
    origin = _run([python, "-c", "import trustsweep; print(trustsweep.__file__)"], cwd=work, env=env)
    assert Path(origin.stdout.strip()).is_relative_to(venv)

    trustsweep = venv / "bin" / "trustsweep"
    _run([trustsweep, "demo", "--quiet", "--out", "demo-out"], cwd=work, env=env)
    for name in DOCUMENTS:
        proc = _run([trustsweep, "validate", f"demo-out/{name}.json"], cwd=work, env=env)
        assert "valid" in proc.stdout

    # the same packaged schemas reject a broken document (exit 2, the path named)
    doc = orjson.loads((work / "demo-out" / "assessment-results.json").read_bytes())
    del doc["assessment-results"]["metadata"]["title"]
    (work / "broken.json").write_bytes(orjson.dumps(doc))
    proc = subprocess.run(
        [str(trustsweep), "validate", "broken.json"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2
    assert "$.assessment-results.metadata" in proc.stdout + proc.stderr
