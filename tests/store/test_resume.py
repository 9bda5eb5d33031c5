"""Resumable sweeps (issue 15 item 4): checkpoints per finished target, ``--resume SWEEP_ID``, refusals.

Over the synthetic provider with a real evidence store (SQLite and PostgreSQL): a sweep interrupted
by Ctrl-C after some targets finished is resumed, sweeps only the missing targets and records ONE
sweep whose verdicts equal an uninterrupted sweep's, marked as resumed in the store and in OSCAL.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trustsweep.cli import app, common
from trustsweep.errors import UserError
from trustsweep.model import Collected
from trustsweep.pipeline import Outputs, run
from trustsweep.plugins import Registry
from trustsweep.store import open_store
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import PROVIDER, SyntheticPlugin, synthetic_registry

TARGETS = 5


class CtrlC:
    """Progress that presses Ctrl-C once ``after`` units of work are done."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.done = 0

    def planned(self, provider: str, units: int) -> None:
        pass

    def unit_done(self, collected: Collected) -> None:
        self.done += 1
        if self.done >= self.after:
            raise KeyboardInterrupt

    def message(self, text: str) -> None:
        pass


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path))])


def _sweep(registry: Registry, outputs: Outputs, targets: int = TARGETS, **kwargs: Any) -> Any:
    return run(
        registry,
        providers=[PROVIDER],
        provider_options={PROVIDER: {"targets": targets, "resources_per_unit": 3}},
        executor="threads",
        workers=1,
        outputs=outputs,
        **kwargs,
    )


def _verdicts(sweep: Any) -> Counter[tuple[str, str, str, str]]:
    return Counter((r.check_id, r.target, r.resource_id, r.status.value) for r in sweep.results)


def _interrupt(registry: Registry, outputs: Outputs, after: int = 2 * TARGETS - 2) -> str:
    """A sweep stopped by Ctrl-C on its ``after``-th finished unit (2 per target; they finish in any
    order, so the default leaves at least 2 targets finished and at least one not); its id."""
    sweep_id = str(uuid.uuid4())
    with pytest.raises(KeyboardInterrupt):
        _sweep(registry, outputs, progress=CtrlC(after), sweep_id=sweep_id)
    return sweep_id


def test_an_interrupted_sweep_resumes_into_one_complete_sweep(
    registry: Registry, store_url: str, tmp_path: Path
) -> None:
    whole = _sweep(registry, Outputs(record=False))
    sweep_id = _interrupt(registry, Outputs(store=store_url))
    with open_store(store_url) as store:
        checkpoints = store.entries("checkpoint")
        assert 1 <= len(checkpoints) < TARGETS  # some targets finished before Ctrl-C, not all
        assert not store.entries("sweep")
        assert verify(store).ok
    carried = sorted(f"{PROVIDER}:{e.data['target']['id']}" for e in checkpoints)

    out = tmp_path / "out"
    resumed = _sweep(registry, Outputs(store=store_url, out=out), resume=sweep_id)

    assert resumed.id == sweep_id
    assert _verdicts(resumed) == _verdicts(whole)
    assert resumed.exit_code == whole.exit_code
    assert len(resumed.resources) == len(whole.resources)
    assert resumed.stats["units"] == 2 * (TARGETS - len(carried))  # only the missing targets were swept
    mark = resumed.provenance["resumed"]
    assert mark["carried"] == carried
    assert mark["started"] == checkpoints[0].data["started"]
    with open_store(store_url) as store:
        (entry,) = store.entries("sweep")
        assert entry.id == sweep_id and entry.data["provenance"]["resumed"]["carried"] == carried
        assert store.load_sweep(entry).counts() == whole.counts()
        assert verify(store).ok
    document = json.loads(next(out.glob("**/assessment-results*.json")).read_text())
    props = {p["name"]: p["value"] for p in document["assessment-results"]["results"][0]["props"]}
    assert props["resumed-carried-targets"] == " ".join(carried)
    assert props["resumed-from-start"] == mark["started"]
    assert "resumed" in document["assessment-results"]["results"][0]["description"]


def test_a_resumed_sweep_interrupted_again_resumes_again(registry: Registry, sqlite_url: str) -> None:
    whole = _sweep(registry, Outputs(record=False))
    sweep_id = _interrupt(registry, Outputs(store=sqlite_url))
    with open_store(sqlite_url) as store:
        first = len(store.entries("checkpoint"))
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C on the resumed sweep's last unit
        _sweep(registry, Outputs(store=sqlite_url), progress=CtrlC(2 * (TARGETS - first)), resume=sweep_id)
    resumed = _sweep(registry, Outputs(store=sqlite_url), resume=sweep_id)
    assert _verdicts(resumed) == _verdicts(whole)
    assert len(resumed.provenance["resumed"]["carried"]) >= first >= 2


def test_resume_refuses_what_it_cannot_finish(registry: Registry, sqlite_url: str, tmp_path: Path) -> None:
    sweep_id = _interrupt(registry, Outputs(store=sqlite_url))
    refusals = {
        "no interrupted sweep": dict(resume=str(uuid.uuid4())),
        "not a sweep id": dict(resume="abc%"),
        "other targets, regions, provider options": dict(resume=sweep_id, targets=TARGETS + 1),
    }
    for reason, kwargs in refusals.items():
        with pytest.raises(UserError, match=reason):
            _sweep(registry, Outputs(store=sqlite_url), **kwargs)
    with pytest.raises(UserError, match="drop --no-store"):
        _sweep(registry, Outputs(record=False), resume=sweep_id)
    with pytest.raises(UserError, match="--provider synthetic, not synthetic aws"):
        everything = synthetic_registry(tmp_path)  # the installed plugins too
        run(everything, providers=[PROVIDER, "aws"], outputs=Outputs(store=sqlite_url), resume=sweep_id)
    _sweep(registry, Outputs(store=sqlite_url), resume=sweep_id)
    with pytest.raises(UserError, match="already finished"):
        _sweep(registry, Outputs(store=sqlite_url), resume=sweep_id)


def test_a_tampered_checkpoint_is_refused(registry: Registry, store_url: str, Attacker: Any) -> None:
    sweep_id = _interrupt(registry, Outputs(store=store_url))
    Attacker(store_url).execute(
        'UPDATE entries SET content = REPLACE(content, \'"status":"error"\', \'"status":"pass"\') '
        "WHERE kind = 'checkpoint'"
    )
    with open_store(store_url) as store:
        report = verify(store)
        assert not report.ok and "checkpoint" in report.first_bad
    with pytest.raises(UserError, match="does not verify"):
        _sweep(registry, Outputs(store=store_url), resume=sweep_id)


def test_cli_interrupt_then_resume(
    registry: Registry, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trustsweep.report import progress

    monkeypatch.setattr(common, "load_registry", lambda: registry)
    targets = [arg for i in range(TARGETS) for arg in ("-t", f"acct-{i}")]
    args = ["sweep", "-p", PROVIDER, *targets, "--store", sqlite_url, "-q", "--workers", "1"]
    whole = CliRunner().invoke(app, [*args, "--no-store"])
    assert whole.exit_code == 3, whole.output  # the synthetic checks error on some resources
    done = progress.CliProgress.unit_done
    calls = {"n": 0}

    def ctrl_c(self: Any, collected: Collected) -> None:
        calls["n"] += 1
        if calls["n"] == 2 * TARGETS - 2:
            raise KeyboardInterrupt
        done(self, collected)

    monkeypatch.setattr(progress.CliProgress, "unit_done", ctrl_c)
    stopped = CliRunner().invoke(app, args)
    assert stopped.exit_code == 130, stopped.output
    found = re.search(r"--resume ([0-9a-f-]{36})", stopped.stderr)
    assert found, stopped.stderr
    monkeypatch.setattr(progress.CliProgress, "unit_done", done)
    resumed = CliRunner().invoke(app, [*args, "--resume", found.group(1), "--out", str(tmp_path / "resumed")])
    assert resumed.exit_code == whole.exit_code, resumed.output
    again = CliRunner().invoke(app, [*args, "--resume", found.group(1)])
    assert again.exit_code == 2 and "already finished" in again.stderr
    verified = CliRunner().invoke(app, ["verify", "--store", sqlite_url])
    assert verified.exit_code == 0, verified.output
