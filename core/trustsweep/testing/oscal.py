"""Test helper: assert that OSCAL documents (or a whole bundle directory) are valid.

    from trustsweep.testing.oscal import assert_valid_oscal

    def test_end_to_end(tmp_path):
        ...  # a sweep writing its bundle into tmp_path / "out"
        assert_valid_oscal(tmp_path / "out")  # every OSCAL file there, schema + references

Validation uses NIST's schemas shipped in the package (or ``$TRUSTSWEEP_OSCAL_SCHEMA_DIR``).
"""

from __future__ import annotations

from pathlib import Path

OSCAL_SUFFIXES = (".json", ".yaml", ".yml")
BUNDLE_FILES = ("catalog", "assessment-plan", "component-definition", "assessment-results")


def schema_dir() -> Path:
    """The OSCAL schema directory: ``$TRUSTSWEEP_OSCAL_SCHEMA_DIR``, else the packaged schemas."""
    from ..oscal.validate import default_schema_dir

    return default_schema_dir()


def oscal_files(directory: Path) -> list[Path]:
    """The OSCAL documents of a bundle directory (JSON or YAML whose top level is an OSCAL model)."""
    from ..oscal.validate import MODELS, load_document

    found: list[Path] = []
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() in OSCAL_SUFFIXES and path.is_file():
            doc = load_document(path)
            if isinstance(doc, dict) and any(k in MODELS for k in doc):
                found.append(path)
    return found


def assert_valid_oscal(
    path_or_dir: str | Path, *, oscal_version: str | None = None, require_bundle: bool | None = None
) -> list[Path]:
    """Validate one OSCAL file, or every OSCAL file of a directory; raise AssertionError listing problems.

    For a directory, the four bundle documents (catalog, assessment-plan, component-definition,
    assessment-results) must all be there unless ``require_bundle=False``. Returns the files checked.
    """
    from ..oscal.validate import validate_file

    target = Path(path_or_dir)
    schemas = schema_dir()
    if target.is_dir():
        files = oscal_files(target)
        if require_bundle is not False:
            stems = {f.stem for f in files}
            missing = [name for name in BUNDLE_FILES if name not in stems]
            assert not missing, f"{target}: bundle lacks {', '.join(missing)}"
    else:
        assert target.is_file(), f"{target}: no such file"
        files = [target]
    assert files, f"{target}: no OSCAL document found"
    report: list[str] = []
    for path in files:
        problems = validate_file(path, schema_dir=schemas, oscal_version=oscal_version)
        report.extend(f"{path.name}: {p}" for p in problems[:50])
        if len(problems) > 50:
            report.append(f"{path.name}: … {len(problems) - 50} more problem(s)")
    assert not report, "invalid OSCAL:\n" + "\n".join(report)
    return files
