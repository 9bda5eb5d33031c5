"""The disk-backed sequence a sweep keeps its results and resource facts in."""

from __future__ import annotations

import pytest

from trustsweep import spool as spool_module
from trustsweep.accumulate import resource_spool, result_spool
from trustsweep.model import CheckResult, Resource, Status, Waiver
from trustsweep.spool import Spool


def test_items_come_back_in_order_pass_after_pass_and_by_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool_module, "BLOCK", 64)  # lines straddle many reads
    monkeypatch.setattr(spool_module, "BUFFER", 100)  # and many writes
    s: Spool[dict[str, object]] = Spool(dict, memory_items=100)
    items = [{"i": i, "text": "é" * (i % 13), "nested": [i, {"x": None}]} for i in range(500)]
    s.extend(items[:100])
    assert not s.on_disk and list(s) == items[:100] and s[99] == items[99]  # small: in memory
    s.extend(items[100:])
    assert s.on_disk and len(s) == 500  # past the limit: every item on disk
    assert list(s) == items and list(s) == items  # a second pass reads the same
    assert s[0] == items[0] and s[-1] == items[-1] and s[250] == items[250]
    assert s[10:13] == items[10:13] and s[-2:] == items[-2:]
    with pytest.raises(IndexError):
        s[500]
    s.append({"i": 500})  # appending after reading goes on where it was
    assert len(s) == 501 and s[500] == {"i": 500} and list(s)[-1] == {"i": 500}


def test_results_and_resources_round_trip_with_waivers_and_enums(tmp_path) -> None:
    import datetime as dt

    waiver = Waiver("c", "*", "accepted", dt.datetime(2031, 1, 2, tzinfo=dt.UTC), "Carol", id="W-1")
    result = CheckResult("c", "p", "t", "r", "id", "type", Status.FAIL, "why", {"n": [1, 2]}, waiver)
    results = result_spool(memory_items=0)
    results.extend([result, CheckResult("c", "p", "t", "r", "id2", "type", Status.ERROR, "could not")])
    assert next(iter(results)) == result and results[1].status is Status.ERROR
    resources = resource_spool(memory_items=0)
    fact = Resource("p", "t", "r", "type", "id", "name")
    resources.append(fact)
    assert list(resources) == [fact]


def test_an_empty_spool_and_a_closed_one_read_as_empty() -> None:
    s: Spool[int] = Spool(int, memory_items=1)
    assert len(s) == 0 and list(s) == []
    s.extend([1, 2, 3])
    assert s.on_disk and list(s) == [1, 2, 3]
    s.close()
    assert len(s) == 0 and list(s) == []
