"""Export formats are plugins: a third party's format works like the built-in ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.export import ExporterSpec, parse_exports, run_exports
from trustsweep.hookspecs import hookimpl
from trustsweep.plugins import Registry


def write_ids(sweep, out_dir: Path, ctx) -> list[Path]:
    path = out_dir / "ids.txt"
    lines = [r.resource_id for r in sweep.results if "failing" not in ctx.options or r.status.value == "fail"]
    path.write_text(json.dumps(lines), encoding="utf-8")
    return [path]


class IdsPlugin:
    @hookimpl
    def trustsweep_exporters(self) -> list[ExporterSpec]:
        return [ExporterSpec("ids", f"{__name__}:write_ids", ("ids.txt",), "resource ids", options=("failing",))]


class ClashPlugin:
    @hookimpl
    def trustsweep_exporters(self) -> list[ExporterSpec]:
        return [ExporterSpec("csv", f"{__name__}:write_ids")]


def test_third_party_format(sweep, tmp_path: Path) -> None:
    registry = Registry.load(extra_plugins=[("ids", IdsPlugin())])
    assert {"csv", "ocsf", "junit", "html", "ids"} <= set(registry.exporters)
    assert registry.exporters["ids"].plugin == "ids" and registry.exporters["csv"].plugin == "exports"
    written = run_exports(
        registry.exporters, parse_exports(registry.exporters, ["ids:failing", "csv"]), sweep, tmp_path
    )
    assert [p.name for p in written] == ["ids.txt", "results.csv", "criteria.csv"]
    failing = [r.resource_id for r in sweep.results if r.status.value == "fail"]
    assert json.loads((tmp_path / "ids.txt").read_text(encoding="utf-8")) == failing


def test_a_name_declared_twice_is_an_error() -> None:
    with pytest.raises(UserError, match="export format 'csv' is declared by both plugin 'exports' and plugin 'clash'"):
        Registry.load(extra_plugins=[("clash", ClashPlugin())])


def test_built_in_formats_can_be_disabled() -> None:
    registry = Registry.load(disable=["exports"])
    assert not registry.exporters
    with pytest.raises(UserError, match="unknown --export format 'csv' \\(installed: none\\)"):
        parse_exports(registry.exporters, ["csv"])
