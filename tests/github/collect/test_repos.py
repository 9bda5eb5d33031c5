"""Collection through a real sweep of the fake: what each repository's resources say, and how
protection, rulesets, history, unread fields, rate limits and the ETag cache shape the results."""

from __future__ import annotations

from pathlib import Path

from trustsweep.testing.leaks import written_bytes
from trustsweep_github.emulator import FakeGitHub
from trustsweep_github.emulator.estate import NO_FORCE_PUSH, ORG_ADMIN_BYPASS, pr_rule

from ..sweeping import Sweep


def test_failures_name_the_commit_the_pull_request_and_the_people(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    proc, _ = github_sweep(sweep_env, tmp_path, "-t", "northwind/web", "--save-inventory", str(tmp_path / "inv"))
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


def test_the_merger_does_not_count_as_approver_when_configured(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.estate.find("northwind", "api").merge(
        90, "bob", ("alice",), fake.estate.find("northwind", "api").commits[0].date, merged_by="alice"
    )
    _, results = github_sweep(sweep_env, tmp_path, "-t", "northwind/api")
    assert results[("github.changes.independent_review", "northwind/api@main")][0] == "pass"
    _, results = github_sweep(
        sweep_env, tmp_path, "-t", "northwind/api", config="settings:\n  github:\n    approver_not_merger: true\n"
    )
    status, reason = results[("github.changes.independent_review", "northwind/api@main")]
    assert status == "fail" and "#90" in reason and "merged by alice" in reason, reason
    assert fake.count(r"/pulls/90$") == 1


def test_the_window_excludes_older_merges(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    _, results = github_sweep(sweep_env, tmp_path, "-t", "northwind/web", "--github-since", "4d")
    status, reason = results[("github.changes.independent_review", "northwind/web@main")]
    assert status == "fail" and "1 of 1 pull requests" in reason and "#41" in reason, reason
    assert results[("github.changes.no_direct_push", "northwind/web@main")][0] == "pass"


def test_ruleset_bypass_actors_and_admin_exemption(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    infra = fake.estate.find("northwind", "infra")
    fake.estate.ruleset(
        "northwind", "force pushes", [NO_FORCE_PUSH, pr_rule(2)], bypass=[ORG_ADMIN_BYPASS], repos=[infra]
    )
    _, results = github_sweep(sweep_env, tmp_path, "-t", "northwind/infra")
    status, reason = results[("github.branch.no_bypass", "northwind/infra")]
    assert status == "fail" and "ruleset force pushes may be bypassed by OrganizationAdmin" in reason, reason
    _, results = github_sweep(
        sweep_env,
        tmp_path,
        "-t",
        "northwind/infra",
        config="checks:\n  github.branch.no_bypass:\n    allowed_bypass: [OrganizationAdmin]\n",
    )
    assert results[("github.branch.no_bypass", "northwind/infra")][0] == "pass"


def test_bypass_actors_hidden_from_the_token_are_an_error(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.estate.limited_token = True
    _, results = github_sweep(sweep_env, tmp_path, "-t", "northwind/infra")
    status, reason = results[("github.branch.no_bypass", "northwind/infra")]
    assert status == "error" and "Administration read" in reason, reason
    assert results[("github.branch.pull_request_required", "northwind/infra")][0] == "pass"


def test_unreadable_fields_are_errors_never_passes(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.estate.orgs["northwind"].two_factor = None  # not an owner's token
    fake.inject(r"/repos/northwind/api/branches/main/protection", "403", persistent=True)
    fake.inject(r"/repos/northwind/api/pulls/\d+/reviews", "502", persistent=True)
    proc, results = github_sweep(
        sweep_env, tmp_path, "-t", "org:northwind", config="settings:\n  github:\n    retry_base_seconds: 0.01\n"
    )
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert results[("github.org.two_factor_required", "northwind")][0] == "error"
    status, reason = results[("github.branch.pull_request_required", "northwind/api")]
    assert status == "error" and "403" in reason, reason
    assert results[("github.changes.independent_review", "northwind/api@main")][0] == "error"
    assert results[("github.branch.pull_request_required", "northwind/web")][0] == "fail"  # the rest is judged


def test_a_rate_limit_wait_beyond_the_maximum_fails_the_unit(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    fake.inject(r"/repos/northwind/web/commits\?", "limit:7200")
    proc, results = github_sweep(
        sweep_env, tmp_path, "-t", "northwind/web", config="settings:\n  github:\n    max_wait_seconds: 5\n"
    )
    assert proc.returncode == 3
    errors = [
        reason
        for (check, _), (status, reason) in results.items()
        if check == "github.changes.no_direct_push" and status == "error"
    ]
    assert errors and "longer than max_wait_seconds=5" in errors[0], results


def test_a_repeated_sweep_is_answered_from_the_etag_cache(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    first, results = github_sweep(sweep_env, tmp_path, "-t", "org:northwind")
    sent, reused = len(fake.requests()), fake.not_modified
    assert reused <= 1  # only the organisation, read while planning and again by its unit
    again, again_results = github_sweep(sweep_env, tmp_path, "-t", "org:northwind")
    assert again.returncode == first.returncode == 1
    assert {k: v[0] for k, v in again_results.items()} == {k: v[0] for k, v in results.items()}
    assert len(fake.requests()) == 2 * sent
    # every request of the repeat answered 304 but four 404s, which carry no ETag (docs and infra have
    # no branch protection and no CODEOWNERS)
    assert fake.not_modified - reused == sent - 4
    proc, _ = github_sweep(sweep_env, tmp_path, "-t", "org:northwind", "--github-no-cache")
    assert proc.returncode == 1 and fake.not_modified - reused == sent - 4  # no conditional request
