"""End to end through the ``trustsweep`` command against the fake GitHub over HTTPS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trustsweep.testing.cli import run_cli
from trustsweep.testing.leaks import written_bytes
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_github.emulator import FakeGitHub, demo_estate
from trustsweep_github.emulator.estate import ORG_ADMIN_BYPASS, NO_FORCE_PUSH, pr_rule


def sweep(env: dict[str, str], tmp_path: Path, *args: str, config: str = "") -> tuple[Any, dict[tuple[str, str], tuple[str, str]]]:
    """Run a sweep; the process and ``{(check, resource): (status, reason)}`` from the saved inventory."""
    out = tmp_path / "out"
    extra = []
    if config:
        (tmp_path / "trustsweep.yaml").write_text(config, encoding="utf-8")
        extra = ["--config", str(tmp_path / "trustsweep.yaml")]
    proc = run_cli("sweep", "-p", "github", "--out", str(out), "--store", f"sqlite:///{tmp_path / 'ev.sqlite'}",
                   "--quiet", *extra, *args, env=env)
    results: dict[tuple[str, str], tuple[str, str]] = {}
    path = out / "assessment-results.json"
    if path.exists():
        doc = json.loads(path.read_text())["assessment-results"]["results"][0]
        for obs in doc.get("observations", []):
            props = {p["name"]: p["value"] for p in obs.get("props", [])}
            if "check-id" in props:
                resource = obs["title"].split(" on ", 1)[1]
                results[(props["check-id"], resource)] = (props.get("result", ""), obs.get("description", ""))
    return proc, results


def test_org_sweep_judges_each_repository_and_skips_archived(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    proc, results = sweep(sweep_env, tmp_path, "-t", "org:northwind")
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


def test_failures_name_the_commit_the_pull_request_and_the_people(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/web", "--save-inventory", str(tmp_path / "inv"))
    assert proc.returncode == 1, proc.stderr[-2000:]
    web = fake.estate.find("northwind", "web")
    pushed = next(c for c in web.commits if c.message.startswith("hotfix"))
    self_approved = next(p for p in web.pulls if p.number == 40)
    inventory = written_bytes(tmp_path / "inv").decode(errors="replace")
    assert pushed.sha[:12] in inventory and "dave" in inventory
    reasons = written_bytes(tmp_path / "out").decode(errors="replace")
    assert f"{pushed.sha[:12]} by dave" in reasons
    assert f"#40 ({self_approved.merge_sha[:12]}) by erin: approved only by erin (self-approved)" in reasons
    assert "#41" in reasons and "merged without approval" in reasons
    # the passing population is kept: every merged pull request with its approvers
    assert '"approvers"' in inventory and '"pr"' in inventory


def test_the_merger_does_not_count_as_approver_when_configured(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    fake.estate.find("northwind", "api").merge(90, "bob", ("alice",), fake.estate.find("northwind", "api").commits[0].date,
                                               merged_by="alice")
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/api")
    assert results[("github.changes.independent_review", "northwind/api@main")][0] == "pass"
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/api",
                          config="settings:\n  github:\n    approver_not_merger: true\n")
    status, reason = results[("github.changes.independent_review", "northwind/api@main")]
    assert status == "fail" and "#90" in reason and "merged by alice" in reason, reason
    assert fake.count(r"/pulls/90$") == 1


def test_the_window_excludes_older_merges(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/web", "--github-since", "4d")
    status, reason = results[("github.changes.independent_review", "northwind/web@main")]
    assert status == "fail" and "1 of 1 pull requests" in reason and "#41" in reason, reason
    assert results[("github.changes.no_direct_push", "northwind/web@main")][0] == "pass"


def test_ruleset_bypass_actors_and_admin_exemption(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    infra = fake.estate.find("northwind", "infra")
    fake.estate.ruleset("northwind", "force pushes", [NO_FORCE_PUSH, pr_rule(2)], bypass=[ORG_ADMIN_BYPASS],
                        repos=[infra])
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/infra")
    status, reason = results[("github.branch.no_bypass", "northwind/infra")]
    assert status == "fail" and "ruleset force pushes may be bypassed by OrganizationAdmin" in reason, reason
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/infra",
                          config="checks:\n  github.branch.no_bypass:\n    allowed_bypass: [OrganizationAdmin]\n")
    assert results[("github.branch.no_bypass", "northwind/infra")][0] == "pass"


def test_unreadable_fields_are_errors_never_passes(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    fake.estate.orgs["northwind"].two_factor = None  # not an owner's token
    fake.inject(r"/repos/northwind/api/branches/main/protection", "403", persistent=True)
    fake.inject(r"/repos/northwind/api/pulls/\d+/reviews", "502", persistent=True)
    proc, results = sweep(sweep_env, tmp_path, "-t", "org:northwind", config="settings:\n  github:\n    retry_base_seconds: 0.01\n")
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert results[("github.org.two_factor_required", "northwind")][0] == "error"
    status, reason = results[("github.branch.pull_request_required", "northwind/api")]
    assert status == "error" and "403" in reason, reason
    assert results[("github.changes.independent_review", "northwind/api@main")][0] == "error"
    assert results[("github.branch.pull_request_required", "northwind/web")][0] == "fail"  # the rest is judged


def test_a_revoked_token_is_one_clear_line_and_exit_3(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    fake.estate.revoked = True
    proc, _ = sweep(sweep_env, tmp_path, "-t", "org:northwind")
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if "Bad credentials" in line]
    assert len(lines) == 1 and "revoked, expired or wrong" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_rate_limit_wait_beyond_the_maximum_fails_the_unit(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    fake.inject(r"/repos/northwind/web/commits\?", "limit:7200")
    proc, results = sweep(sweep_env, tmp_path, "-t", "northwind/web", config="settings:\n  github:\n    max_wait_seconds: 5\n")
    assert proc.returncode == 3
    errors = [reason for (check, _), (status, reason) in results.items()
              if check == "github.changes.no_direct_push" and status == "error"]
    assert errors and "longer than max_wait_seconds=5" in errors[0], results


def test_the_token_is_written_nowhere(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    proc, _ = sweep(sweep_env, tmp_path, "-t", "org:northwind", "--save-inventory", str(tmp_path / "inv"),
                    "--export", "html", "--export", "csv", "--export", "ocsf", "--export", "junit")
    assert proc.returncode == 1, proc.stderr[-2000:]
    everything = written_bytes(tmp_path, proc.stdout, proc.stderr)
    assert b"northwind/api" in everything
    assert fake.estate.token.encode() not in everything


def test_a_repeated_sweep_is_answered_from_the_etag_cache(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    first, results = sweep(sweep_env, tmp_path, "-t", "org:northwind")
    sent, reused = len(fake.requests()), fake.not_modified
    assert reused <= 1  # only the organisation, read while planning and again by its unit
    again, again_results = sweep(sweep_env, tmp_path, "-t", "org:northwind")
    assert again.returncode == first.returncode == 1
    assert {k: v[0] for k, v in again_results.items()} == {k: v[0] for k, v in results.items()}
    assert len(fake.requests()) == 2 * sent
    # every request of the repeat answered 304 but four 404s, which carry no ETag (docs and infra have
    # no branch protection and no CODEOWNERS)
    assert fake.not_modified - reused == sent - 4
    proc, _ = sweep(sweep_env, tmp_path, "-t", "org:northwind", "--github-no-cache")
    assert proc.returncode == 1 and fake.not_modified - reused == sent - 4  # no conditional request


def test_bad_targets_are_one_line_exit_2(sweep_env: dict[str, str], tmp_path: Path) -> None:
    for bad in ("org:", "a/b/c", "org:no such org"):
        proc = run_cli("sweep", "-p", "github", "-t", bad, "--no-store", "--quiet", env=sweep_env)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "OWNER/REPO" in proc.stderr
    proc = run_cli("sweep", "-p", "github", "-t", "northwind", "--github-since", "yesterday", "--no-store", "--quiet",
                   env=sweep_env)
    assert proc.returncode == 2 and "--github-since 'yesterday'" in proc.stderr, proc.stderr


def test_no_token_is_an_error_not_a_pass(fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path) -> None:
    proc, results = sweep({**sweep_env, "GITHUB_TOKEN": "", "GH_TOKEN": ""}, tmp_path, "-t", "org:northwind")
    assert proc.returncode == 3
    assert "no GitHub token: set GITHUB_TOKEN or GH_TOKEN" in proc.stderr
    assert fake.requests() == []
