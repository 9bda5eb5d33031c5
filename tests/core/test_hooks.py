"""Every hook is documented in docs/plugins.md and exercised by a test; the last two here."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from trustsweep import hookspecs
from trustsweep.demo import run_demo
from trustsweep.hookspecs import hookimpl
from trustsweep.pipeline import Outputs, publish, run
from trustsweep.plugins import Registry
from trustsweep.testing.synthetic import SyntheticPlugin

REPO = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("trustsweep_"))


def test_there_are_hooks() -> None:
    assert len(HOOKS) >= 6


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str) -> None:
    doc = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{hook}\(", doc, re.M), f"{hook} has no row in the hooks table of docs/plugins.md"
    assert getattr(hookspecs, hook).__doc__, f"{hook} has no docstring"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_exercised_by_a_test(hook: str) -> None:
    """A hook counts as tested when a test (other than this file) implements or names it."""
    me = Path(__file__).resolve()
    sources = [p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("test_*.py") if p.resolve() != me]
    sources += [
        (REPO / "core/trustsweep/testing/synthetic.py").read_text(encoding="utf-8"),
        (REPO / "docs/examples/trustsweep-trivy/trustsweep_trivy/plugin.py").read_text(encoding="utf-8"),
    ]
    assert any(hook in s for s in sources) or hook in EXERCISED_HERE, f"no test exercises {hook}"


EXERCISED_HERE = {"trustsweep_sweep_finished", "trustsweep_emulators"}


class Listener:
    def __init__(self) -> None:
        self.seen: list[tuple[str, Path | None]] = []

    @hookimpl
    def trustsweep_sweep_finished(self, sweep, out_dir):  # type: ignore[no-untyped-def]
        self.seen.append((sweep.id, out_dir))


class Broken:
    @hookimpl
    def trustsweep_sweep_finished(self, sweep, out_dir):  # type: ignore[no-untyped-def]
        raise RuntimeError("notifier down")


def _registry(tmp_path: Path, name: str, plugin: object, *, entry_points: bool = False) -> Registry:
    return Registry.load(
        entry_points=entry_points,
        extra_plugins=[("synthetic", SyntheticPlugin(tmp_path, emulator=True)), (name, plugin)],
    )


def test_trustsweep_sweep_finished_is_called_and_cannot_break_the_sweep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listener = Listener()
    registry = _registry(tmp_path, "listener", listener)
    sweep = run_demo(registry, registry.mapping(), tmp_path / "out", store_url=None, quiet=True)
    publish(sweep, registry, Outputs(record=False))
    assert listener.seen == [(sweep.id, None)]
    code = sweep.exit_code
    publish(sweep, _registry(tmp_path, "broken", Broken()), Outputs(record=False))
    err = capsys.readouterr().err
    assert "notifier down" in err and err.startswith("trustsweep: warning: ") and sweep.exit_code == code


def test_the_library_pipeline_writes_records_and_fires_sweep_finished(tmp_path: Path) -> None:
    """``pipeline.run``: the outputs are written, the sweep is recorded, then the hook sees both."""
    from trustsweep.store import open_store

    listener = Listener()
    registry = _registry(tmp_path, "listener", listener, entry_points=True)  # with the built-in export formats
    out, url = tmp_path / "out", f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    sweep = run(registry, providers=["synthetic"], outputs=Outputs(out=out, store=url, exports=("csv",)))
    assert listener.seen == [(sweep.id, out)]
    assert (out / "summary.md").exists() and (out / "assessment-results.json").exists() and list(out.glob("*.csv"))
    assert sweep.chain_head  # recorded before the hook fired
    with open_store(url) as store:
        assert [e.id for e in store.entries("sweep")] == [sweep.id]


def test_the_cli_fires_sweep_finished_through_the_same_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from trustsweep.cli import app, common

    listener = Listener()
    monkeypatch.setattr(common, "load_registry", lambda: _registry(tmp_path, "listener", listener))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["sweep", "-p", "synthetic", "--out", str(out), "--no-store", "-q"])
    assert result.exit_code in (0, 1, 3), result.output  # it ran: a result code, not bad input
    assert len(listener.seen) == 1 and listener.seen[0][1] == out
    assert listener.seen[0][0] in (out / "summary.md").read_text()


def test_trustsweep_emulators_drive_the_demo(tmp_path: Path) -> None:
    registry = Registry.load(
        entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path, emulator=True))]
    )
    assert set(registry.emulators) == {"synthetic"}
    sweep = run_demo(registry, registry.mapping(), tmp_path / "out", store_url=None, quiet=True)
    assert sorted(t.id for t in sweep.targets) == ["acct-0", "acct-1", "acct-2"]
    assert {r.region for r in sweep.resources} == {"north-1"}
    assert len(sweep.resources) == 18
    assert "TRUSTSWEEP_SYNTHETIC_DEMO" not in __import__("os").environ  # environment restored
