"""Saved inventories: re-evaluated offline to the same verdicts; bad files are refused clearly."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from trustsweep.collect import make_executor
from trustsweep.errors import UserError
from trustsweep.inventory import load_file, save_target
from trustsweep.model import Resource, Target
from trustsweep.sweep import evaluate_inventory, run_sweep
from trustsweep.testing.synthetic import PROVIDER, synthetic_registry


def _setup(tmp_path: Path):
    registry = synthetic_registry(tmp_path)
    mapping = registry.mapping()
    return registry, mapping


def test_offline_evaluation_gives_the_live_verdicts(tmp_path: Path) -> None:
    registry, mapping = _setup(tmp_path)
    inv = tmp_path / "inv"
    with make_executor() as pool:
        live = run_sweep(
            registry,
            mapping,
            providers=[PROVIDER],
            executor=pool,
            save_inventory=inv,
            provider_options={PROVIDER: {"resources_per_unit": 9, "fail_units": ["acct-0/north-1"]}},
        )
    offline = evaluate_inventory(registry, mapping, inv)
    key = lambda r: (r.check_id, r.resource_id, r.status, r.reason)  # noqa: E731
    assert sorted(map(key, live.results)) == sorted(map(key, offline.results))
    assert [(f.criterion_id, f.state, f.basis) for f in live.findings] == [
        (f.criterion_id, f.state, f.basis) for f in offline.findings
    ]
    header = orjson.loads(gzip.open(next(inv.glob("synthetic/*.jsonl.gz"))).readline())
    assert header["format"] == "trustsweep-inventory" and header["version"] == 2 and header["provider"] == PROVIDER
    assert header["properties_version"] == 1


def test_an_inventory_of_an_older_shape_of_properties_is_refused_not_misread(tmp_path: Path) -> None:
    """A plugin that renamed its properties (properties_version 2) must not judge version-1 evidence:
    a check reading a property that is no longer there could pass what fails."""
    from dataclasses import replace

    registry, mapping = _setup(tmp_path)
    inv = tmp_path / "inv"
    with make_executor() as pool:
        run_sweep(registry, mapping, providers=[PROVIDER], executor=pool, save_inventory=inv)
    registry.providers[PROVIDER] = replace(registry.providers[PROVIDER], properties_version=2)
    with pytest.raises(UserError, match="properties version 1; this trustsweep's synthetic plugin reads version 2"):
        evaluate_inventory(registry, mapping, inv)
    with make_executor() as pool:  # collected again under version 2, it evaluates
        run_sweep(registry, mapping, providers=[PROVIDER], executor=pool, save_inventory=inv)
    assert evaluate_inventory(registry, mapping, inv).results


def test_the_built_in_clouds_refuse_inventories_saved_before_their_properties_changed() -> None:
    from trustsweep.plugins import Registry

    registry = Registry.load()
    assert {p: registry.providers[p].properties_version for p in ("aws", "gcp", "azure")} == {
        "aws": 2,
        "gcp": 2,
        "azure": 2,
    }


def _write(tmp_path: Path, lines: list[bytes], gz: bool = False) -> Path:
    folder = tmp_path / "inv" / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("t.jsonl.gz" if gz else "t.jsonl")
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


HEADER = orjson.dumps(
    {
        "format": "trustsweep-inventory",
        "version": 1,
        "provider": "synthetic",
        "target": "t",
        "collected_at": "2026-01-01T00:00:00+00:00",
    }
)
RES = orjson.dumps({"resource": Resource("synthetic", "t", "r", "synthetic.key", "k1").to_dict()})


@pytest.mark.parametrize(
    ("lines", "place", "message"),
    [
        ([HEADER, RES, b"{not json"], "line 3", "invalid JSON"),
        ([HEADER.replace(b'"version":1', b'"version":9'), RES], "line 1", "unsupported inventory version 9"),
        ([b'{"format":"something-else"}'], "line 1", "not a trustsweep inventory"),
        ([HEADER, b'{"resource": {"provider": "synthetic"}}'], "line 2", "malformed record"),
        ([b""], "", "empty inventory file"),
    ],
)
def test_bad_inventory_files_name_file_and_line(tmp_path: Path, lines: list[bytes], place: str, message: str) -> None:
    path = _write(tmp_path, lines)
    with pytest.raises(UserError) as info:
        load_file(path)
    assert str(info.value).startswith(f"{path}:{place}: " if place else f"{path}: ")
    assert message in str(info.value)


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    path = save_target(
        tmp_path / "inv",
        Target("synthetic", "t"),
        [Resource("synthetic", "t", "r", "synthetic.key", f"k{i}", properties={"pad": "x" * 200}) for i in range(500)],
        [],
        __import__("datetime").datetime.now().astimezone(),
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="truncated"):
        load_file(path)


def test_one_bad_file_stops_evaluation_before_anything_is_evaluated(tmp_path: Path) -> None:
    registry, mapping = _setup(tmp_path)
    _write(tmp_path, [HEADER, RES])
    bad = tmp_path / "inv" / "synthetic" / "u.jsonl"
    bad.write_bytes(HEADER + b"\n{oops\n")
    with pytest.raises(UserError, match="u.jsonl:line 2"):
        evaluate_inventory(registry, mapping, tmp_path / "inv")


def test_inventory_of_an_uninstalled_provider_is_refused(tmp_path: Path) -> None:
    registry, mapping = _setup(tmp_path)
    folder = tmp_path / "inv2" / "martian"
    folder.mkdir(parents=True)
    (folder / "x.jsonl").write_bytes(HEADER.replace(b'"synthetic"', b'"martian"') + b"\n")
    with pytest.raises(UserError, match="provider 'martian' is not installed"):
        evaluate_inventory(registry, mapping, tmp_path / "inv2")


def test_a_file_replaced_between_validation_and_evaluation_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file is validated first and read again, one at a time, when it is evaluated: a file
    replaced in between (another sweep saving into the folder) is refused, never half-used."""
    import trustsweep.sweep as sweep_module

    registry, mapping = _setup(tmp_path)
    inv, other = tmp_path / "inv", tmp_path / "other"
    with make_executor() as pool:
        run_sweep(registry, mapping, providers=[PROVIDER], executor=pool, save_inventory=inv)
        run_sweep(
            registry,
            mapping,
            providers=[PROVIDER],
            executor=pool,
            save_inventory=other,
            provider_options={PROVIDER: {"resources_per_unit": 3}},
        )
    reads: list[Path] = []

    def load_then_replace(path: Path):
        reads.append(path)
        if len(reads) == 2:  # the second file has been validated: replace the first one now
            first = reads[0]
            first.write_bytes((other / first.relative_to(inv)).read_bytes())
        return load_file(path)

    monkeypatch.setattr(sweep_module, "load_file", load_then_replace)
    with pytest.raises(UserError, match="changed while it was being evaluated"):
        evaluate_inventory(registry, mapping, inv)
