"""The engine's side of scale, without a cluster: bounded window, unit deadlines, withheld secrets."""

from __future__ import annotations

import pickle
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from scale_plugin import slow_registry

from trustsweep.cluster import version_mismatches
from trustsweep.collect import collect, run_unit, unit_timeout
from trustsweep.errors import UserError
from trustsweep.redact import Redactor, redactor
from trustsweep.testing.synthetic import PROVIDER
from trustsweep.worker_secrets import MissingWorkerSecret, WorkerSecret, resolve, withhold


class Counting(ThreadPoolExecutor):
    """A thread pool that records the most units ever submitted and not yet finished."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.lock = threading.Lock()
        self.flight = self.most = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self.lock:
            self.flight += 1
            self.most = max(self.most, self.flight)
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self.lock:
            self.flight -= 1


def units(tmp: Path, **options: Any) -> list[Any]:
    provider = slow_registry(tmp).make_provider(PROVIDER, {"targets": 10, "resources_per_unit": 3, **options})
    return [u for t in provider.targets([]) for u in provider.work(t, [])]


def test_no_more_than_the_window_is_in_flight(tmp_path: Path) -> None:
    work = units(tmp_path, delay=0.01)
    with Counting(2) as pool:
        done = list(collect(work, pool, window=3))
    assert len(done) == len(work) == 20
    assert all(not c.errors and len(c.resources) == 3 for c in done)
    assert pool.most == 3  # 20 units, never more than 3 submitted at once


def test_the_window_defaults_to_twice_the_executor(tmp_path: Path) -> None:
    work = units(tmp_path, delay=0.01)
    with Counting(3) as pool:
        list(collect(work, pool))
    assert pool.most == 6


def test_a_unit_past_its_deadline_is_an_error_naming_why(tmp_path: Path) -> None:
    work = units(tmp_path, targets=2)
    hung = units(tmp_path, targets=1, delay=2.0)[:1]
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        done = {(c.unit.target.id, c.unit.region): c for c in collect([*hung, *work[2:]], pool, timeout=0.5)}
        took = time.monotonic() - start
    late = done[("acct-0", "north-1")]
    assert [e.reason for e in late.errors] == [
        "no result within 0.5 s (unit timeout): the worker running it died or the unit hung"
    ]
    assert not late.resources and took < 2.0
    assert all(not c.errors for k, c in done.items() if k != ("acct-0", "north-1"))


def test_the_unit_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert unit_timeout(5) == 5
    monkeypatch.setenv("TRUSTSWEEP_UNIT_TIMEOUT", "42")
    assert unit_timeout() == 42
    monkeypatch.setenv("TRUSTSWEEP_UNIT_TIMEOUT", "soon")
    with pytest.raises(UserError, match="TRUSTSWEEP_UNIT_TIMEOUT must be a number"):
        unit_timeout()
    with pytest.raises(UserError, match="more than 0"):
        unit_timeout(0)


def test_secret_attrs_are_withheld_and_resolved_from_the_worker_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = units(tmp_path, secret="hunter2-external-id")[0]
    assert unit.target.attrs["secret_token"] == "hunter2-external-id"
    sent = withhold(unit)
    assert sent.target.attrs["secret_token"] == WorkerSecret("TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN")
    assert sent.target.attrs["production"] is True  # other attrs travel as they are
    assert b"hunter2" not in pickle.dumps(sent)
    assert unit.target.attrs["secret_token"] == "hunter2-external-id"  # the client's unit is untouched
    monkeypatch.delenv("TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN", raising=False)
    with pytest.raises(MissingWorkerSecret, match="set TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN in every worker"):
        resolve(sent)
    missing = run_unit(sent)
    assert "TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN" in missing.errors[0].reason and "hunter2" not in missing.errors[0].reason
    monkeypatch.setenv("TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN", "hunter2-external-id")
    assert resolve(sent).target.attrs["secret_token"] == "hunter2-external-id"
    out = run_unit(sent)
    assert not out.errors and out.unit is sent  # what goes back holds no secret either
    assert b"hunter2" not in pickle.dumps(out)
    plain = units(tmp_path)[0]
    assert withhold(plain) is plain  # nothing secret: sent as it is


def test_the_redaction_salt_stays_home_and_workers_use_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    salt = b"client-salt-0123456789abcdef0123"
    unit = replace(units(tmp_path)[0], redaction=Redactor(salt, ("tags",)))
    sent = withhold(unit)
    assert salt not in pickle.dumps(sent) and sent.redaction == Redactor(b"", ("tags",))
    monkeypatch.setenv("TRUSTSWEEP_REDACTION_SALT", "the-deployment-salt")
    worker_side = resolve(sent).redaction
    assert worker_side is not None and worker_side.fields == ("tags",)
    assert worker_side.salt == redactor().salt != salt  # the worker's own: TRUSTSWEEP_REDACTION_SALT


def test_version_mismatches_name_each_worker_and_what_differs() -> None:
    local = {"trustsweep": "1.2.0", "trustsweep-aws": "1.2.0"}
    remote = {
        "w2": {"trustsweep": "1.2.0", "trustsweep-aws": "1.1.9"},
        "w1": dict(local),
        "w3": {"trustsweep": "missing", "trustsweep-aws": "1.2.0"},
    }
    assert version_mismatches(local, remote) == ["w2 has trustsweep-aws 1.1.9", "w3 has trustsweep missing"]
    assert version_mismatches(local, {"w1": dict(local)}) == []
