"""The store as a read-only "what was recorded before" lookup (trustsweep.store.sightings), on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.sightings import NO_SIGHTINGS
from trustsweep.store import record_sweep
from trustsweep.store.sightings import StoreSightings
from trustsweep.testing.synthetic import synthetic_sweep

BUCKET = "synthetic.bucket"


def _record(tmp_path: Path, url: str, *counts: int) -> list:
    sweeps = []
    for n in counts:
        sweep = synthetic_sweep(tmp_path, resources_per_unit=n, targets=1)
        record_sweep(sweep, url)
        sweeps.append(sweep)
    return sweeps


def _buckets(sweep) -> dict:
    return {r.id: r for r in sweep.resources if r.type == BUCKET}


def test_each_id_gets_its_latest_earlier_record(tmp_path: Path, store_url: str) -> None:
    first, second = _record(tmp_path, store_url, 5, 3)  # buckets 0, 2, 4 then 0, 2
    early, late = _buckets(first), _buckets(second)
    gone = sorted(set(early) - set(late))
    assert gone and set(late) < set(early)
    seen = StoreSightings(store_url).last_seen("synthetic", BUCKET, [*early, "syn:never-seen"])
    assert set(seen) == set(early)
    for rid in late:
        assert seen[rid].sweep == second.id and seen[rid].properties == late[rid].properties
        assert abs((seen[rid].at - second.started).total_seconds()) < 1
    for rid in gone:
        assert seen[rid].sweep == first.id and seen[rid].properties == early[rid].properties


def test_since_type_and_provider_narrow_the_search(tmp_path: Path, store_url: str) -> None:
    first, second = _record(tmp_path, store_url, 5, 3)
    early = _buckets(first)
    lookup = StoreSightings(store_url)
    seen = lookup.last_seen("synthetic", BUCKET, list(early), since=second.started)
    assert set(seen) == set(_buckets(second))  # the first sweep is older than `since`
    assert lookup.last_seen("synthetic", "synthetic.key", list(early)) == {}  # ids of another type
    assert lookup.last_seen("aws", BUCKET, list(early)) == {}  # another provider's sweeps are not read
    assert lookup.last_seen("synthetic", BUCKET, []) == {}


def test_a_store_that_does_not_exist_has_no_history_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    assert StoreSightings(f"sqlite:///{path}").last_seen("synthetic", BUCKET, ["x"]) == {}
    assert not path.exists()
    assert NO_SIGHTINGS.last_seen("synthetic", BUCKET, ["x"]) == {}


def test_a_bad_url_is_bad_input_at_once() -> None:
    with pytest.raises(UserError):
        StoreSightings("mysql://nope")


def test_deleted_records_are_refused_not_skipped(Attacker, tmp_path: Path, store_url: str) -> None:
    first, _second = _record(tmp_path, store_url, 5, 3)
    Attacker(store_url).execute("DELETE FROM resources WHERE entry = 2")  # hide the newer records
    with pytest.raises(UserError, match=r"does not verify.*\(0 rows, \d+ recorded\)"):
        StoreSightings(store_url).last_seen("synthetic", BUCKET, list(_buckets(first)))


def test_an_edited_record_is_refused_not_used(Attacker, tmp_path: Path, store_url: str) -> None:
    _first, second = _record(tmp_path, store_url, 5, 3)
    Attacker(store_url).execute(
        'UPDATE resources SET body = replace(body, \'"region":"\', \'"region":"x\') WHERE entry = 2'
    )
    with pytest.raises(UserError, match=r"does not verify.*do not match its digest"):
        StoreSightings(store_url).last_seen("synthetic", BUCKET, list(_buckets(second)))


def test_an_edited_entry_is_refused(Attacker, tmp_path: Path, store_url: str) -> None:
    first, _second = _record(tmp_path, store_url, 5, 3)
    Attacker(store_url).execute(
        "UPDATE entries SET content = replace(content, '\"exit_code\"', '\"exit_codes\"') WHERE seq = 1"
    )
    with pytest.raises(UserError, match="does not verify"):
        StoreSightings(store_url).last_seen("synthetic", BUCKET, list(_buckets(first)))
