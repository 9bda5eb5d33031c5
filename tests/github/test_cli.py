"""End to end through the ``trustsweep`` command: exit codes, OSCAL, one-line errors, no token written."""

from __future__ import annotations

from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.leaks import written_bytes
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_github.emulator import FakeGitHub

from .sweeping import Sweep


def test_org_sweep_judges_each_repository_and_skips_archived(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    proc, results = github_sweep(sweep_env, tmp_path, "-t", "org:northwind")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert_valid_oscal(tmp_path / "out")
    status = {k: v[0] for k, v in results.items()}
    assert status[("github.branch.pull_request_required", "northwind/api")] == "pass"
    assert status[("github.branch.pull_request_required", "northwind/infra")] == "pass"  # the ruleset carries it
    assert status[("github.branch.pull_request_required", "northwind/web")] == "fail"
    assert status[("github.branch.no_bypass", "northwind/web")] == "fail"
    assert status[("github.repo.no_outside_admins", "northwind/docs")] == "fail"
    assert status[("github.org.two_factor_required", "northwind")] == "pass"
    assert status[("github.changes.no_direct_push", "northwind/web@main")] == "fail"
    assert status[("github.changes.independent_review", "northwind/web@main")] == "fail"
    assert status[("github.changes.independent_review", "northwind/api@main")] == "pass"
    assert not any(r.startswith("northwind/legacy-site") for _, r in results)
    assert "error" not in status.values()
    assert fake.writes() == []


def test_a_revoked_token_is_one_clear_line_and_exit_3(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.estate.revoked = True
    for targets in (["-t", "org:northwind"], ["-t", "northwind/api", "-t", "northwind/web"]):
        proc, _ = github_sweep(sweep_env, tmp_path, *targets)
        assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
        lines = [line for line in proc.stderr.splitlines() if "Bad credentials" in line]
        assert len(lines) == 1 and "revoked, expired or wrong" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr


def test_the_token_is_written_nowhere(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    proc, _ = github_sweep(
        sweep_env,
        tmp_path,
        "-t",
        "org:northwind",
        "--save-inventory",
        str(tmp_path / "inv"),
        "--export",
        "html",
        "--export",
        "csv",
        "--export",
        "ocsf",
        "--export",
        "junit",
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    everything = written_bytes(tmp_path, proc.stdout, proc.stderr)
    assert b"northwind/api" in everything
    assert fake.estate.token.encode() not in everything


def test_bad_targets_are_one_line_exit_2(sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep) -> None:
    for bad in ("org:", "a/b/c", "org:no such org"):
        proc = run_cli("sweep", "-p", "github", "-t", bad, "--no-store", "--quiet", env=sweep_env)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "OWNER/REPO" in proc.stderr
    for missing, what in (("northwind/nothing", "repository"), ("org:southwind", "organisation")):
        proc = run_cli("sweep", "-p", "github", "-t", missing, "--no-store", "--quiet", env=sweep_env)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert f"no such {what}, or the token may not see it" in proc.stderr
    proc = run_cli(
        "sweep",
        "-p",
        "github",
        "-t",
        "northwind",
        "--github-since",
        "yesterday",
        "--no-store",
        "--quiet",
        env=sweep_env,
    )
    assert proc.returncode == 2 and "--github-since 'yesterday'" in proc.stderr, proc.stderr


def test_no_token_is_an_error_not_a_pass(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    proc, _ = github_sweep({**sweep_env, "GITHUB_TOKEN": "", "GH_TOKEN": ""}, tmp_path, "-t", "org:northwind")
    assert proc.returncode == 3
    assert "no GitHub token: set GITHUB_TOKEN or GH_TOKEN" in proc.stderr
    assert fake.requests() == []


def test_a_rate_limit_wait_is_announced_and_then_the_sweep_goes_on(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.inject(r"/repos/northwind/api/pulls\?", "429:1")
    proc, results = github_sweep(sweep_env, tmp_path, "-t", "northwind/api")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "github: secondary rate limit reached; waiting 1 s (until " in proc.stderr
    assert results[("github.changes.independent_review", "northwind/api@main")][0] == "pass"
