"""Fuzzing the inputs: config, mapping, inventory and OSCAL files, mutated from valid documents.

The property everywhere: a broken file is refused with a :class:`UserError` (one line, exit 2) or
reported as a problem, never an exception of another kind (a traceback) and never silently read
as something else. ``make test`` runs a few examples of each; ``make fuzz`` many more.
"""

from __future__ import annotations

import datetime as dt
import gzip
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustsweep.config import load_config
from trustsweep.errors import UserError
from trustsweep.inventory import load_file, save_target
from trustsweep.model import Resource, Target
from trustsweep.plugins import Registry
from trustsweep.sweep import evaluate_inventory
from trustsweep.testing.strategies import budget, deep, json_values, mutated_bytes, swapped


def fuzz(examples: int) -> settings:
    """``examples`` in ``make test`` (seconds per property), many more under ``make fuzz``."""
    return settings(deadline=None, max_examples=budget(examples), suppress_health_check=[HealthCheck.too_slow])


CONFIG = {
    "settings": {"aws": {"admin_roles": ["OrganizationAccountAccessRole"], "production_accounts": ["111122223333"]}},
    "checks": {"aws.logs.retention": {"min_days": 400}},
    "waivers": [
        {
            "check": "aws.s3.bucket_tls_only",
            "resource": "arn:aws:s3:::legacy",
            "reason": "partner needs HTTP",
            "expires": "2027-03-31",
            "approved_by": "CISO",
        }
    ],
}
MAPPING = {
    "criteria": {
        "CC6.1": {"checks": ["aws.s3.bucket_tls_only"]},
        "CC7.2": {"checks": ["aws.cloudtrail.multi_region_trail"], "replace": True},
    }
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def mapping(registry: Registry) -> Any:
    return registry.mapping()


def _file(data: bytes | str, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        yield path


def _yaml_inputs(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    text = yaml.safe_dump(base, sort_keys=False).encode()
    return st.one_of(
        swapped(base).map(lambda d: yaml.safe_dump(d, sort_keys=False, allow_unicode=True).encode()),
        mutated_bytes(text),
        st.integers(50, 400).map(lambda n: yaml.safe_dump({"settings": deep(n)}).encode()),
    )


# --------------------------------------------------------------------------------------------


@fuzz(30)
@given(data=_yaml_inputs(CONFIG))
def test_config_files(registry: Registry, data: bytes) -> None:
    for path in _file(data, "config.yaml"):
        try:
            config = load_config(path, registry)
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            continue
        assert all(w.expires.tzinfo is not None for w in config.waivers)


@fuzz(12)
@given(data=_yaml_inputs(MAPPING))
def test_mapping_files(registry: Registry, data: bytes) -> None:
    for path in _file(data, "mapping.yaml"):
        try:
            registry.mapping([path])
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)


# --------------------------------------------------------------------------------------------
# inventories


def _records() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        resources = [
            Resource(
                "aws",
                "111122223333",
                "eu-west-1",
                "aws.s3.bucket",
                f"arn:aws:s3:::b{i}",
                f"b{i}",
                {"encryption": {"rules": [{"algorithm": "aws:kms"}]}, "public": i % 2 == 0},
            )
            for i in range(6)
        ]
        path = save_target(
            Path(tmp),
            Target("aws", "111122223333", "prod"),
            resources,
            [],
            dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
            properties_version=2,
        )
        return [orjson.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]


RECORDS = _records()
GZ = gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in RECORDS), mtime=0)


@st.composite
def swapped_inventory(draw: st.DrawFn) -> list[dict[str, Any]]:
    index = draw(st.integers(0, len(RECORDS) - 1))
    return [draw(swapped(r)) if i == index else r for i, r in enumerate(RECORDS)]  # type: ignore[misc]


def _write_inventory(directory: Path, payload: bytes) -> Path:
    path = directory / "aws" / "111122223333.jsonl.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(payload)
    return path


@fuzz(12)
@given(records=swapped_inventory())
def test_inventory_records_of_any_shape(registry: Registry, mapping: Any, records: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_inventory(Path(tmp), gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in records)))
        try:
            sweep = evaluate_inventory(registry, mapping, Path(tmp), accept_edited=True)  # unsealed: we edited it
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            return
        assert sweep.exit_code in (0, 1, 3)


@fuzz(40)
@given(payload=mutated_bytes(GZ))
def test_corrupted_inventory_bytes_are_refused_or_read_intact(payload: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_inventory(Path(tmp), payload)
        try:
            inv = load_file(path)
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            return
    assert not GZ.startswith(payload) or payload == GZ, "a truncated inventory was read as complete"
    assert [r.to_dict() for r in inv.resources] == [r["resource"] for r in RECORDS if "resource" in r]
    assert inv.integrity == "sealed"  # read intact: the lines are the sealed ones


# --------------------------------------------------------------------------------------------
# OSCAL documents given to `validate`


@pytest.fixture(scope="module")
def oscal_doc(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    from trustsweep.oscal import write_bundle
    from trustsweep.testing.oscal import schema_dir
    from trustsweep.testing.synthetic import synthetic_sweep

    schemas = schema_dir()
    sweep = synthetic_sweep(tmp_path_factory.mktemp("sweep"), resources_per_unit=2, targets=1)
    out = tmp_path_factory.mktemp("bundle")
    write_bundle(sweep, out)
    return orjson.loads((out / "assessment-results.json").read_bytes()), schemas


def _strings(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [prefix]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [p for k, v in items for p in _strings(v, (*prefix, k))]


def _validate(text: bytes, schemas: Path) -> list[Any] | None:
    from trustsweep.oscal.validate import validate_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assessment-results.json"
        path.write_bytes(text)
        try:
            return validate_file(path, schema_dir=schemas)
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            return None


@fuzz(8)
@given(data=st.data())
def test_oscal_with_a_string_swapped_for_another_type_never_validates(
    oscal_doc: tuple[dict[str, Any], Path], data: st.DataObject
) -> None:
    doc, schemas = oscal_doc
    path = data.draw(st.sampled_from(_strings(doc)))
    number = st.integers(-(2**63), 2**63 - 1)
    new = data.draw(
        st.none()
        | st.booleans()
        | number
        | st.lists(number, max_size=2)
        | st.dictionaries(st.text(max_size=3), number, max_size=2)
    )
    node = broken = orjson.loads(orjson.dumps(doc))
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    problems = _validate(orjson.dumps(broken), schemas)
    assert problems is None or problems, f"{path} = {new!r} passed validation"


@fuzz(8)
@given(data=st.data())
def test_oscal_bytes_mutated_are_refused_or_reported(
    oscal_doc: tuple[dict[str, Any], Path], data: st.DataObject
) -> None:
    doc, schemas = oscal_doc
    text = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    payload = data.draw(mutated_bytes(text) | st.just(orjson.dumps(data.draw(json_values()))))
    problems = _validate(payload, schemas)
    if text.startswith(payload) and payload != text:
        assert problems is None or problems, "a truncated document validated"
