"""The token's shared request budget, seen at the fake GitHub: a sweep paced to the budget."""

from __future__ import annotations

from pathlib import Path

from trustsweep.testing.pacing import busiest
from trustsweep_github.emulator import FakeGitHub

from .sweeping import Sweep


def test_a_sweep_sends_no_faster_than_its_shared_budget(
    fake: FakeGitHub, sweep_env: dict[str, str], tmp_path: Path, github_sweep: Sweep
) -> None:
    rate, burst = 12.0, 3
    config = f"settings:\n  github:\n    shared_rate_limit: {rate}\n    shared_rate_burst: {burst}\n"
    proc, results = github_sweep(sweep_env, tmp_path, "-t", "org:northwind", config=config)
    assert proc.returncode in (0, 1), proc.stderr
    assert results
    # planning lists the repositories in the client, unpaced (docs/budgets.md): the units' requests follow
    planned = max(i for i, line in enumerate(fake.log) if "/orgs/northwind/repos" in line) + 1
    seen = fake.arrivals[planned:]
    assert len(seen) > 2 * (burst + rate)  # unpaced, these would arrive within a fraction of a second
    for window in (0.5, 1.0, 2.0):
        assert busiest(seen, window) <= burst + rate * window + 2, window  # 2: the clocks' slack
