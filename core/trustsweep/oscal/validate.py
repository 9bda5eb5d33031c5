"""Validate any OSCAL document: NIST's JSON schema plus what a schema cannot say.

* Schema: NIST's official JSON schema of the document's OSCAL version (or the one asked for).
  ``jsonschema-rs`` is used when installed (fast, Rust regexes); otherwise stock ``jsonschema``
  with the pattern keyword swapped for one on the ``regex`` module (stock ``re`` crashes on
  ``\\p{L}``) where ``$`` means end of string (``\\Z``; Python's ``$`` lets a trailing newline
  through).
* Referential integrity: every ``uuid`` unique; every uuid reference (``subject-uuid``,
  ``observation-uuid``, ``party-uuids``, ``#uuid`` hrefs, ...) defined in the document or in a
  document it imports by a relative href that can be read beside it.
* NIST's Metaschema constraints (allowed values, cardinalities, indexes, ...) from the table
  derived for the version (:mod:`trustsweep.oscal.constraints`); messages carry the constraint id.

Each problem carries a JSON path (``$.assessment-results.results[0].findings[3]``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError

SCHEMA_DIR_ENV = "TRUSTSWEEP_OSCAL_SCHEMA_DIR"
MAX_PROBLEMS = 1000

# root key of each OSCAL model → the name used in NIST's schema file names
MODELS = {
    "catalog": "catalog",
    "profile": "profile",
    "mapping-collection": "mapping",
    "component-definition": "component",
    "system-security-plan": "ssp",
    "assessment-plan": "assessment-plan",
    "assessment-results": "assessment-results",
    "plan-of-action-and-milestones": "poam",
}

# keys whose value refers to a uuid defined elsewhere (single value or list of values)
REF_KEYS = frozenset(
    {
        "subject-uuid",
        "observation-uuid",
        "party-uuid",
        "component-uuid",
        "task-uuid",
        "risk-uuid",
        "response-uuid",
        "activity-uuid",
        "actor-uuid",
        "finding-uuid",
        "location-uuid",
        "subject-placeholder-uuid",
        "responsibility-uuid",
        "provided-uuid",
        "implementation-statement-uuid",
        "by-component-uuid",
    }
)
REF_LIST_KEYS = frozenset({"party-uuids", "location-uuids", "member-of-organizations"})
IMPORT_KEYS = ("import-ap", "import-ssp", "import-profile", "import-component-definitions")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document, at a JSON path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def json_path(parts: Any) -> str:
    """``["a", 0, "b-c"]`` → ``$.a[0].b-c``."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


# ---------------------------------------------------------------------------------------------
# loading


def load_document(path: Path) -> Any:
    """Read a JSON or YAML document; unreadable or malformed → UserError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        from ..yamlfile import check_expansion

        loader = _yaml_loader()(raw)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            check_expansion(node, path)  # a recursive alias or an alias bomb: one line, not a hang
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f"line {mark.line + 1}" if mark is not None else ""
            raise UserError(f"malformed YAML: {getattr(exc, 'problem', None) or exc}", path=path, place=place) from None
        finally:
            loader.dispose()
    import orjson

    from .common import gc_paused

    try:
        with gc_paused():
            return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise UserError(f"malformed JSON: {exc}", path=path) from None


@functools.lru_cache(maxsize=1)
def _yaml_loader() -> Any:
    """A safe YAML loader that keeps timestamps as text (OSCAL's datetimes are strings)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("OscalYamlLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return loader


def model_of(doc: Any) -> str:
    """The OSCAL model (root key) of a document, or a UserError."""
    if not isinstance(doc, dict):
        raise UserError("not an OSCAL document: the top level must be an object")
    roots = [k for k in doc if k in MODELS]
    if len(roots) != 1:
        raise UserError(f"not an OSCAL document: expected one of {', '.join(MODELS)} at the top level")
    return roots[0]


# ---------------------------------------------------------------------------------------------
# schema


def default_schema_dir() -> Path:
    """``$TRUSTSWEEP_OSCAL_SCHEMA_DIR``, else NIST's schemas shipped in the package (``schemas/PROVENANCE.md``)."""
    env = os.environ.get(SCHEMA_DIR_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "schemas"


def schema_file(schema_dir: Path, version: str, model: str) -> Path:
    """NIST's schema file for a model and version; ``schema_dir`` holds ``v<version>/`` or the files."""
    schema_dir = Path(schema_dir)
    if not schema_dir.is_dir():
        raise UserError("schema directory not found", path=schema_dir)
    short = MODELS[model]
    folders = [schema_dir / f"v{version}", schema_dir / version, schema_dir]
    for folder in folders:
        for name in (f"oscal_{short}_schema.json", "oscal_complete_schema.json"):
            candidate = folder / name
            if candidate.is_file() and (folder != schema_dir or _schema_version(candidate) == version):
                return candidate
    if version == "1.2.0":
        raise UserError(
            "OSCAL 1.2.0 is not supported: its published schema is broken (usnistgov/OSCAL#2178); use 1.2.1"
        )
    raise UserError(f"no NIST JSON schema for OSCAL {version} ({model}) in this directory", path=schema_dir)


@functools.lru_cache(maxsize=32)
def _schema_version(path: Path) -> str:
    import orjson

    schema_id = str(orjson.loads(path.read_bytes()).get("$id", ""))
    versions = [p for p in schema_id.split("/") if p.count(".") == 2 and p.replace(".", "").isdigit()]
    return versions[0] if versions else ""


@functools.lru_cache(maxsize=16)
def _validator(path: Path, backend: str, model: str = "") -> Any:
    import orjson

    schema = orjson.loads(path.read_bytes())
    branches = schema.get("oneOf")
    if model and isinstance(branches, list):  # the complete schema: keep only this model's branch
        for branch in branches:
            if branch.get("required") == [model]:
                del schema["oneOf"]
                schema.update(branch)
                break
    if backend == "rust":
        import jsonschema_rs

        return jsonschema_rs.Draft7Validator(schema, validate_formats=True)
    from jsonschema import Draft7Validator, validators

    cls = validators.extend(Draft7Validator, {"pattern": _pattern_keyword})
    return cls(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> Any:
    import regex

    # ``$`` (unescaped) means end of string in JSON Schema (ECMA-262); Python's allows a final \n
    return regex.compile(regex.sub(r"(?<!\\)\$", r"\\Z", pattern))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def default_backend() -> str:
    """``rust`` (jsonschema-rs) when installed, else ``python`` (jsonschema + regex)."""
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return "python"
    return "rust"


def schema_problems(doc: Any, schema_path: Path, *, backend: str | None = None) -> list[Problem]:
    """Problems NIST's schema finds in ``doc``."""
    backend = backend or default_backend()
    try:
        model = model_of(doc)
    except UserError:
        model = ""
    validator = _validator(Path(schema_path), backend, model)
    problems: list[Problem] = []
    if backend == "rust":
        for error in validator.iter_errors(doc):
            problems.append(Problem(json_path(error.instance_path), error.message))
            if len(problems) >= MAX_PROBLEMS:
                break
        return problems
    from jsonschema.exceptions import best_match

    for error in validator.iter_errors(doc):
        message = error.message
        if error.context:
            message += f" ({best_match(error.context).message})"
        problems.append(Problem(json_path(error.absolute_path), message))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


# ---------------------------------------------------------------------------------------------
# referential integrity


def validate_document(
    doc: Any,
    *,
    schema_dir: Path | None = None,
    oscal_version: str | None = None,
    base_dir: Path | None = None,
    backend: str | None = None,
) -> list[Problem]:
    """Schema and integrity problems of a loaded document (empty list when valid)."""
    model = model_of(doc)
    root = doc[model]
    if oscal_version is None:
        meta = root.get("metadata") if isinstance(root, dict) else None
        oscal_version = meta.get("oscal-version") if isinstance(meta, dict) else None
        if not isinstance(oscal_version, str) or not oscal_version:
            return [
                Problem(
                    json_path([model, "metadata", "oscal-version"]),
                    "missing; pass --oscal-version to choose the schema",
                )
            ]
    path = schema_file(Path(schema_dir) if schema_dir else default_schema_dir(), oscal_version, model)
    from .integrity import integrity_problems

    problems = schema_problems(doc, path, backend=backend)
    problems.extend(integrity_problems(doc, base_dir=base_dir))
    from .constraints import constraint_problems

    problems.extend(constraint_problems(doc, model, oscal_version))
    return problems


def validate_file(path: Path, *, schema_dir: Path | None = None, oscal_version: str | None = None) -> list[Problem]:
    """Validate an OSCAL JSON or YAML file, ours or not; ``[]`` means valid.

    The document's own ``metadata.oscal-version`` picks the schema unless ``oscal_version`` is
    given. ``schema_dir`` defaults to ``$TRUSTSWEEP_OSCAL_SCHEMA_DIR``, then the packaged schemas.
    """
    path = Path(path)
    doc = load_document(path)
    try:
        return validate_document(
            doc, schema_dir=schema_dir, oscal_version=oscal_version, base_dir=path.resolve().parent
        )
    except UserError as exc:
        if exc.path:
            raise
        raise UserError(exc.detail, path=path, place=exc.place) from None
