"""Test-suite wide settings: no test writes to the real user data directory; under CI a skip fails the run."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# the emulators' fixtures that tests outside the plugin's folder use too (gcp_emulator, gcp_fake)
pytest_plugins = ("trustsweep_gcp.emulator.fixtures",)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("TRUSTSWEEP_STORE", raising=False)
    monkeypatch.delenv("TRUSTSWEEP_CONFIG", raising=False)
    yield


@pytest.fixture
def synthetic_dir(tmp_path: Path) -> Path:
    d = tmp_path / "synthetic"
    d.mkdir()
    return d


def in_ci() -> bool:
    """``CI`` set to a true value: every reason a test may skip (a missing PostgreSQL, tool or package)
    can be removed there, so a skip is a failure."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _skips(config: pytest.Config) -> list[pytest.TestReport]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return list(reporter.stats.get("skipped", [])) if reporter is not None else []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest collects garbage twice after a session (to report objects whose finalizer raised). Over
    # the ~1M objects the cloud SDKs leave alive that took longer than the 5 s an xdist worker is given
    # to stop once it reports finished: execnet then SIGINTs it and the KeyboardInterrupt, landing in
    # a gc callback, was printed as a PytestUnraisableExceptionWarning. Collect now, before the worker
    # reports, and freeze the survivors so those later passes only walk what is new.
    gc.collect()
    gc.freeze()
    if in_ci() and exitstatus == pytest.ExitCode.OK and _skips(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skips = _skips(config)
    if in_ci() and skips:
        terminalreporter.write_line(
            f"CI: {len(skips)} test(s) skipped; under CI=true a skip fails the run (reasons in the short test summary)",
            red=True,
        )
