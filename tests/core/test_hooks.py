"""Every hook is documented in docs/plugins.md and exercised by a test; the last two here."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from trustsweep import hookspecs
from trustsweep.cli import _emit
from trustsweep.demo import run_demo
from trustsweep.hookspecs import hookimpl
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
    sources += [(REPO / "core/trustsweep/testing/synthetic.py").read_text(encoding="utf-8"),
                (REPO / "docs/examples/trustsweep-trivy/trustsweep_trivy/plugin.py").read_text(encoding="utf-8")]
    assert any(hook in s for s in sources) or hook in EXERCISED_HERE, f"no test exercises {hook}"


EXERCISED_HERE = {"trustsweep_sweep_finished", "trustsweep_emulators"}


def test_trustsweep_sweep_finished_is_called_and_cannot_break_the_sweep(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[str, object]] = []

    class Listener:
        @hookimpl
        def trustsweep_sweep_finished(self, sweep, out_dir):  # type: ignore[no-untyped-def]
            seen.append((sweep.id, out_dir))

    class Broken:
        @hookimpl
        def trustsweep_sweep_finished(self, sweep, out_dir):  # type: ignore[no-untyped-def]
            raise RuntimeError("notifier down")

    registry = Registry.load(entry_points=False, extra_plugins=[
        ("synthetic", SyntheticPlugin(tmp_path, emulator=True)), ("listener", Listener())])
    sweep = run_demo(registry, registry.mapping(), tmp_path / "out", store_url=None, quiet=True)
    _emit(sweep, registry, None, "1.2.1", "json", None, no_store=True, quiet=True)
    assert seen == [(sweep.id, None)]
    registry2 = Registry.load(entry_points=False, extra_plugins=[
        ("synthetic", SyntheticPlugin(tmp_path, emulator=True)), ("broken", Broken())])
    code = sweep.exit_code
    _emit(sweep, registry2, None, "1.2.1", "json", None, no_store=True, quiet=True)
    assert "notifier down" in capsys.readouterr().err and sweep.exit_code == code


def test_trustsweep_emulators_drive_the_demo(tmp_path: Path) -> None:
    registry = Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path, emulator=True))])
    assert set(registry.emulators) == {"synthetic"}
    sweep = run_demo(registry, registry.mapping(), tmp_path / "out", store_url=None, quiet=True)
    assert sorted(t.id for t in sweep.targets) == ["acct-0", "acct-1", "acct-2"]
    assert {r.region for r in sweep.resources} == {"north-1"}
    assert len(sweep.resources) == 18
    assert "TRUSTSWEEP_SYNTHETIC_DEMO" not in __import__("os").environ  # environment restored
