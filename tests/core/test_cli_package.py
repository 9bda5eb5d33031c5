"""The CLI package: no import cycle between its modules, Enum choices, plugin options as real Click options."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trustsweep import cli
from trustsweep.cli import app, common
from trustsweep.hookspecs import hookimpl
from trustsweep.model import OptionSpec
from trustsweep.plugins import Registry
from trustsweep.testing.cli import run_cli
from trustsweep.testing.synthetic import SyntheticPlugin

PACKAGE = Path(cli.__file__).parent


def _imports(path: Path) -> set[str]:
    """The sibling modules a CLI module imports at module level (``from . import x``, ``from .x import y``)."""
    out: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= {node.module} if node.module else {a.name for a in node.names}
    return out


def test_the_cli_modules_import_each_other_without_a_cycle() -> None:
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert {"common", "sweep", "store", "attest", "checks", "report", "validate"} <= set(graph)
    for name, deps in graph.items():
        assert deps <= set(graph), f"cli/{name}.py imports the package itself or an unknown module: {deps}"
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path, name))}"
        if name not in done:
            for dep in graph[name]:
                visit(dep, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_oscal_version_choices_are_the_supported_versions() -> None:
    from trustsweep.oscal.common import DEFAULT_VERSION, SUPPORTED_VERSIONS

    assert tuple(v.value for v in common.OscalVersion) == SUPPORTED_VERSIONS
    assert common.OscalVersion.v1_2_1.value == DEFAULT_VERSION


class SyntheticOptions:
    """Provider options of the synthetic provider: ``str`` (targets), ``multi`` (fail units), ``flag``."""

    @hookimpl
    def trustsweep_options(self) -> list[OptionSpec]:
        return [
            OptionSpec("synthetic-targets", "synthetic", "How many accounts to sweep.", env="TS_TEST_TARGETS"),
            OptionSpec(
                "synthetic-fail-units",
                "synthetic",
                "Unit that fails (TARGET/REGION).",
                kind="multi",
                env="TS_TEST_FAIL",
            ),
            OptionSpec("synthetic-loud", "synthetic", "Say more.", kind="flag", env="TS_TEST_LOUD"),
        ]


@pytest.fixture
def given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The CLI on the synthetic provider with :class:`SyntheticOptions`; returns the options each provider got."""
    seen: list[dict[str, Any]] = []
    make = Registry.make_provider

    def spy(self: Registry, name: str, options: dict[str, Any] | None = None) -> Any:
        seen.append(dict(options or {}))
        return make(self, name, options)

    monkeypatch.setattr(Registry, "make_provider", spy)
    monkeypatch.setattr(
        common,
        "load_registry",
        lambda: Registry.load(
            entry_points=False,
            extra_plugins=[("synthetic", SyntheticPlugin(tmp_path)), ("options", SyntheticOptions())],
        ),
    )
    for name in ("TS_TEST_TARGETS", "TS_TEST_FAIL", "TS_TEST_LOUD"):
        monkeypatch.delenv(name, raising=False)
    return seen


def _sweep(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["sweep", "-p", "synthetic", "--no-store", "-q", *args], env=env)


def test_plugin_options_are_listed_in_sweep_help_with_their_environment(given: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(app, ["sweep", "--help"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "--synthetic-targets VALUE How many accounts to sweep. [env var: TS_TEST_TARGETS]" in text
    assert "--synthetic-fail-units VALUE Unit that fails (TARGET/REGION). (repeatable) [env var: TS_TEST_FAIL]" in text
    assert "--synthetic-loud Say more. [env var: TS_TEST_LOUD]" in text  # a flag takes no value


def test_plugin_options_reach_the_provider_from_the_command_line(given: list[dict[str, Any]]) -> None:
    result = _sweep(
        "--synthetic-targets",
        "3",
        "--synthetic-fail-units",
        "acct-0/north-1",
        "--synthetic-fail-units=acct-1/north-1",
        "--synthetic-loud",
    )
    assert result.exit_code == 3, result.output  # two units failed: incomplete
    assert given == [{"targets": "3", "fail_units": ["acct-0/north-1", "acct-1/north-1"], "loud": True}]


def test_plugin_options_fall_back_to_their_environment_variable(given: list[dict[str, Any]]) -> None:
    result = _sweep(env={"TS_TEST_TARGETS": "1", "TS_TEST_FAIL": "acct-0/north-1,,acct-0/south-2", "TS_TEST_LOUD": "1"})
    assert result.exit_code == 3, result.output
    assert given == [{"targets": "1", "fail_units": ["acct-0/north-1", "acct-0/south-2"], "loud": True}]
    given.clear()
    assert _sweep("--synthetic-targets", "2", env={"TS_TEST_TARGETS": "1"}).exit_code != 2
    assert given == [{"targets": "2"}]  # the command line wins; an option not given and without default is absent


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--synthetic-loud=yes"], "--synthetic-loud' does not take a value"),
        (["--synthetic-targets"], "requires an argument"),
        (["--synthetic-nope", "x"], "no such option: --synthetic-nope"),
    ],
)
def test_bad_plugin_options_are_one_line_and_exit_2(given: list[dict[str, Any]], args: list[str], message: str) -> None:
    result = _sweep(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustsweep: error: ") and message in lines[0].lower(), lines
    assert given == []  # refused before any provider was made


def test_an_option_of_a_provider_not_swept_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        common, "load_registry", lambda: Registry.load(extra_plugins=[("synthetic", SyntheticPlugin(tmp_path))])
    )
    result = _sweep("--gcp-scope", "organizations/1")
    assert result.exit_code == 2
    assert "option --gcp-scope is for provider 'gcp', which is not being swept" in result.output


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_bad_unit_timeout_is_one_line_and_exit_2_before_any_work(value: str, tmp_path: Path) -> None:
    proc = run_cli("sweep", "-p", "aws", "--unit-timeout", value, "--no-store", "--out", str(tmp_path / "out"))
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and "timeout" in lines[0].lower(), proc.stderr
    assert not (tmp_path / "out").exists()
