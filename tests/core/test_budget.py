"""Request budgets: the token bucket on an injected clock, the registry's scopes, a unit's budgets in its
context (and its fan-out threads), the settings each provider declares, and the share per executor."""

from __future__ import annotations

import pickle
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest

from trustsweep import budget
from trustsweep.budget import SHARED, TARGET, Limits, Pacer, Quota, TokenBucket, pace, pacing, share_for, unit_options
from trustsweep.collector import Collector
from trustsweep.errors import UserError
from trustsweep.model import Target, WorkUnit
from trustsweep.plugins import Registry
from trustsweep.settings import declaration_problem
from trustsweep.testing.pacing import busiest, recording


class Clock:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def unit(target: str = "acct-1", share: float = 1.0, **options: Any) -> WorkUnit:
    return WorkUnit("prov", Target("prov", target), "r1", "svc", "m:f", ("t",), options, rate_share=share)


# -- the bucket ----------------------------------------------------------------------------------


def test_a_bucket_starts_full_then_spaces_requests_by_its_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=4.0, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert [bucket.reserve() for _ in range(3)] == [0.25, 0.5, 0.75]  # in arrival order, never spinning


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2.0, burst=4, clock=clock)
    for _ in range(4):
        bucket.reserve()
    clock.now += 1.0  # two tokens back
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.5]
    clock.now += 3600  # idle for an hour: still at most 4 at once
    assert [bucket.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 0.0, 0.5]


def test_requests_in_any_window_stay_within_burst_plus_rate() -> None:
    clock, rate, burst = Clock(), 5.0, 10
    pacer = Pacer(clock, clock.sleep)
    limits = Limits("prov", "t", rate=rate, burst=burst)
    sent = []
    for _ in range(200):
        pacer.pace(limits, "api", TARGET)
        sent.append(clock.now)
    for window in (0.5, 1.0, 7.0):
        assert busiest(sent, window) <= burst + rate * window
    assert sent[-1] - sent[0] == pytest.approx((200 - burst) / rate)  # and no slower than the budget


def test_a_bucket_shared_by_threads_loses_no_reservation() -> None:
    clock = Clock()  # frozen: every reservation after the burst waits one more interval
    bucket = TokenBucket(rate=10.0, burst=5, clock=clock)
    with ThreadPoolExecutor(8) as pool:
        waits = sorted(pool.map(lambda _: bucket.reserve(), range(200)))
    assert waits == pytest.approx([0.0] * 5 + [k / 10 for k in range(1, 196)])


def test_a_bucket_needs_a_positive_rate() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0.0, 1)


# -- scopes and kinds ----------------------------------------------------------------------------


def test_target_scopes_are_per_target_and_shared_scopes_are_not() -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    one = Limits("prov", "acct-1", rate=1.0, burst=1, shared_rate=1.0, shared_burst=1)
    two = Limits("prov", "acct-2", rate=1.0, burst=1, shared_rate=1.0, shared_burst=1)
    assert pacer.pace(one, "ec2:r1", TARGET) == 0.0
    assert pacer.pace(two, "ec2:r1", TARGET) == 0.0  # another account: its own bucket
    assert pacer.pace(one, "ec2:r2", TARGET) == 0.0  # another region of the same account: its own too
    assert pacer.pace(one, "ec2:r1", TARGET) == 1.0
    assert pacer.pace(one, "graph", SHARED) == 0.0
    assert pacer.pace(two, "graph", SHARED) == 1.0  # one quota for every target
    assert clock.slept == [1.0, 1.0]
    assert pacer.waits == 2 and pacer.waited == 2.0


def test_the_share_scales_a_shared_budget_and_not_a_target_one() -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    limits = Limits("prov", "t", rate=8.0, burst=1, shared_rate=8.0, shared_burst=4, share=0.25)
    waits = [pacer.pace(limits, "quota", SHARED) for _ in range(3)]
    assert waits == [0.0, 0.5, 0.5]  # 2/s and a burst of 1 in this process
    assert [pacer.pace(limits, "api", TARGET) for _ in range(2)] == [0.0, 0.125]


def test_zero_is_unlimited_and_an_unknown_kind_is_a_bug() -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    free = Limits("prov", "t")
    assert [pacer.pace(free, "api", kind) for kind in (TARGET, SHARED) for _ in range(1000)] == [0.0] * 2000
    with pytest.raises(ValueError, match="unknown budget kind"):
        pacer.pace(free, "api", "tenant")


def test_another_budget_for_the_same_scope_gets_a_new_bucket() -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    pacer.pace(Limits("prov", "t", rate=1.0, burst=1), "api", TARGET)
    assert pacer.pace(Limits("prov", "t", rate=2.0, burst=1), "api", TARGET) == 0.0  # settings of another sweep


# -- a unit's budgets in its context --------------------------------------------------------------


def test_nothing_is_paced_outside_a_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(budget, "PACER", Pacer(clock, clock.sleep))
    assert [pace("api", SHARED) for _ in range(50)] == [0.0] * 50


def test_a_unit_paces_its_requests_and_its_fan_out_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    monkeypatch.setattr(budget, "PACER", pacer)
    work = unit(rate_limit=1000.0, rate_burst=2.0, shared_rate_limit=4.0, shared_rate_burst=2.0, share=0.5)
    lock = threading.Lock()

    def collect(ctx: Collector) -> None:
        def request(_: int) -> None:
            with lock:  # one at a time, so the frozen clock's waits are exact
                pace("quota", SHARED)
                ctx.count()

        ctx.map(request, list(range(4)))

    result = Collector(work).run(collect)
    assert result.requests == 4 and not result.errors
    assert clock.slept == [0.5, 0.5, 0.5]  # 2/s and a burst of 1: half of 4/s and of 2
    assert pace("quota", SHARED) == 0.0  # the unit's context is gone


def test_limits_come_from_the_unit_options_and_share() -> None:
    limits = Limits.of(unit(share=0.0001, rate_limit=3, rate_burst=9.0, shared_rate_limit=0.5))
    assert (limits.rate, limits.burst, limits.shared_rate, limits.shared_burst) == (3.0, 9.0, 0.5, 1.0)
    assert limits.share == budget.MIN_SHARE
    assert Limits.of(unit(rate_limit="lots")).rate == 0.0  # not a number: not paced (providers validate)
    with pacing(unit(target="x")) as current:
        assert current.target == "x"


def test_a_work_unit_carries_its_share_and_stays_picklable() -> None:
    assert WorkUnit("p", Target("p", "t"), "r", "s", "m:f", ()).rate_share == 1.0
    sent = pickle.loads(pickle.dumps(unit(share=0.125)))
    assert sent.rate_share == 0.125
    assert sent == unit(share=1.0)  # the share is not part of a unit's identity


# -- settings ------------------------------------------------------------------------------------


def test_budget_settings_and_unit_options() -> None:
    quota = Quota(rate=100 / 60, burst=100)
    declared = budget.settings(shared=quota)
    assert list(declared) == ["shared_rate_limit", "shared_rate_burst"]
    assert declared["shared_rate_limit"].default == 1.667
    assert all(declaration_problem(spec) is None for spec in declared.values())
    assert unit_options({}, target=Quota(20, 100)) == {"rate_limit": 20.0, "rate_burst": 100.0}
    assert unit_options({"shared_rate_limit": 0, "shared_rate_burst": "7"}, shared=quota) == {
        "shared_rate_limit": 0.0,
        "shared_rate_burst": 7.0,
    }
    for bad in ({"rate_limit": -1}, {"rate_limit": "fast"}, {"rate_burst": 0.5}, {"rate_limit": float("nan")}):
        with pytest.raises(UserError, match=next(iter(bad))):
            unit_options(bad, target=quota)


def test_every_provider_declares_its_budgets_under_the_same_names() -> None:
    registry = Registry.load()
    declared = {
        spec.name: spec
        for name, provider in registry.providers.items()
        for spec in provider.settings
        if "rate" in spec.name
    }
    assert set(declared) == set(budget.OPTION_KEYS)
    budgets = {
        name: {s.name for s in provider.settings if s.name in budget.OPTION_KEYS}
        for name, provider in registry.providers.items()
    }
    assert budgets["aws"] == {"rate_limit", "rate_burst"}
    assert budgets["gcp"] == budgets["github"] == {"shared_rate_limit", "shared_rate_burst"}
    assert budgets["azure"] == set(budget.OPTION_KEYS)


# -- the share per executor ----------------------------------------------------------------------


class FakeClient:
    def __init__(self, workers: int, fail: bool = False) -> None:
        self.workers, self.fail = workers, fail

    def nthreads(self) -> dict[str, int]:
        if self.fail:
            raise OSError("scheduler unreachable")
        return {f"tcp://10.0.0.{i}:4000": 4 for i in range(self.workers)}


class FakeDaskExecutor:
    def __init__(self, client: FakeClient) -> None:
        self.client = client


def test_the_share_is_one_over_the_worker_processes() -> None:
    with ThreadPoolExecutor(16) as threads:
        assert share_for(threads) == 1.0
    processes = ProcessPoolExecutor(4)
    try:
        assert share_for(processes) == 0.25  # each process holds its own buckets
    finally:
        processes.shutdown()
    assert share_for(FakeDaskExecutor(FakeClient(16))) == 1 / 16
    assert share_for(FakeClient(2)) == 0.5  # a Dask client itself
    assert share_for(FakeDaskExecutor(FakeClient(0))) == 1.0
    assert share_for(FakeDaskExecutor(FakeClient(100_000))) == budget.MIN_SHARE
    assert share_for(FakeDaskExecutor(FakeClient(3, fail=True))) == 1.0


def test_refilled_buckets_are_forgotten_and_busy_ones_kept() -> None:
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    busy = Limits("prov", "busy", rate=1.0, burst=1)
    pacer.pace(busy, "api", TARGET)
    pacer.pace(busy, "api", TARGET)  # waits (the clock moves) 1 s: empty at clock 101
    for i in range(budget.PRUNE_EVERY - 2):
        pacer.pace(Limits("prov", f"t{i}", rate=10.0, burst=1), "api", TARGET)
    assert len(pacer) == budget.PRUNE_EVERY - 1
    clock.now += 0.5  # the others have refilled; "busy" has not
    pacer.pace(Limits("prov", "new", rate=10.0, burst=1), "api", TARGET)
    assert len(pacer) == 2  # "busy" and the new one
    assert pacer.pace(busy, "api", TARGET) == pytest.approx(0.5)  # half refilled: not a new, full bucket


def test_a_recording_pacer_sees_each_paced_request() -> None:
    work = unit(target="acct-9", rate_limit=1000.0, rate_burst=10.0, shared_rate_limit=1000.0, shared_rate_burst=10.0)
    with recording() as pacer, pacing(work):
        pace("ec2:r1", TARGET)
        pace("graph", SHARED)
    assert pacer.paced == [("prov", TARGET, "acct-9/ec2:r1"), ("prov", SHARED, "graph")]
    assert pacer.rates == {("prov", TARGET, "acct-9/ec2:r1"): 1000.0, ("prov", SHARED, "graph"): 1000.0}
    assert budget.PACER is not pacer


def test_busiest_counts_the_densest_window() -> None:
    assert busiest([0.0, 0.1, 0.2, 1.5, 1.6], 0.5) == 3
    assert busiest([2.0, 0.0, 1.0], 0.5) == 1  # in any order
    assert busiest([], 1.0) == 0
