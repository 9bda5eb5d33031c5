"""Sweeps of report folders through the real engine, and report files written for one test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from trustsweep.collect import make_executor
from trustsweep.sightings import Sightings
from trustsweep.sweep import Sweep, run_sweep
from trustsweep.testing.checks import installed_registry

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scanners"
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def sweep(*targets: str | Path, now: dt.datetime = NOW, history: Sightings | None = None, **options: Any) -> Sweep:
    """Sweep ``targets`` with the scanners provider, evaluated at ``now``."""
    reg = installed_registry()
    with make_executor("threads", 4) as pool:
        return run_sweep(
            reg,
            reg.mapping(),
            providers=["scanners"],
            targets=[str(t) for t in targets],
            provider_options={"scanners": options},
            executor=pool,
            now=now,
            history=history,
        )


def artifacts(result: Sweep) -> dict[str, dict[str, Any]]:
    """Each artifact's properties by resource id."""
    return {r.id: r.properties for r in result.resources}


def statuses(result: Sweep, resource: str) -> dict[str, str]:
    """Each check's status on one resource."""
    return {r.check_id: r.status.value for r in result.results if r.resource_id == resource}


def findings(props: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["id"], f["package"]): f for f in props["findings"]}


@pytest.fixture
def reports(tmp_path: Path) -> Iterator[Path]:
    """A folder to write reports into."""
    folder = tmp_path / "reports"
    folder.mkdir()
    yield folder


def names(items: Sequence[dict[str, Any]]) -> list[str]:
    return sorted(f"{f['id']}/{f['package']}" for f in items)
