"""Recording a sweep reads it front to back once, never by index; a stored sweep is read back into
temporary files, not memory; and the stored bytes are what they always were (old entries verify)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustsweep import spool
from trustsweep.aggregate import Basis, CriterionFinding, Indices
from trustsweep.spool import Spool
from trustsweep.store import canonical as c
from trustsweep.store import open_store, readback, record_sweep
from trustsweep.store.verify import verify
from trustsweep.testing.streamed import streamed
from trustsweep.testing.synthetic import synthetic_sweep


def _whole_dict(f: CriterionFinding) -> dict:
    """A finding as it was serialised before the indices were written in slices: all at once."""
    return {**c._finding_dict(f), "results": list(f.results)}


@settings(max_examples=60, deadline=None)
@given(
    indices=st.lists(st.integers(0, 2**40), max_size=300),
    reason=st.text(max_size=40) | st.just('"results":[] ,"results":[1]'),
    checks=st.lists(st.text(max_size=12), max_size=3),
)
def test_a_finding_body_is_the_canonical_json_of_the_whole_finding(indices, reason, checks) -> None:
    f = CriterionFinding("CC6.1", "not-satisfied", Basis.ASSESSED, reason, checks, {"fail": 1}, sorted(indices))
    assert c.finding_body(f) == c.dumps(_whole_dict(f))


def test_a_finding_body_in_many_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c, "_INDICES", 7)
    f = CriterionFinding("CC7.2", "satisfied", Basis.ASSESSED, "r", ["a.b"], {"pass": 100}, list(range(0, 300, 3)))
    assert c.finding_body(f) == c.dumps(_whole_dict(f))


def test_recording_streams_the_sweep_once(tmp_path: Path) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=12, fail_units=["acct-1/south-1"])
    s = streamed(sweep)
    plain_url, streamed_url = f"sqlite:///{tmp_path / 'a.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"
    record_sweep(sweep, plain_url)
    record_sweep(s.sweep, streamed_url)  # a random access would raise
    assert s.resources.passes == 1
    assert s.results.passes <= 2  # the rows, and today's Sweep.counts() for the header
    assert s.index_passes == 1
    with open_store(plain_url) as a, open_store(streamed_url) as b:
        (ea,), (eb,) = a.entries("sweep"), b.entries("sweep")
        assert ea.data["tables"] == eb.data["tables"]  # the same rows, byte for byte
        assert verify(b).ok


def test_small_chunks_store_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=12)
    url = f"sqlite:///{tmp_path / 'big-chunks.sqlite'}"
    record_sweep(sweep, url)
    monkeypatch.setattr(c, "CHUNK", 7)
    monkeypatch.setattr(c, "_FINDINGS_CHUNK", 1)  # a finding per chunk
    small = f"sqlite:///{tmp_path / 'small-chunks.sqlite'}"
    record_sweep(dataclasses.replace(sweep), small)
    with open_store(url) as a, open_store(small) as b:
        assert a.entries("sweep")[0].data["tables"] == b.entries("sweep")[0].data["tables"]


def test_a_stored_sweep_is_read_back_into_spools(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweep = synthetic_sweep(tmp_path, resources_per_unit=9, fail_units=["acct-1/south-1"])
    record_sweep(sweep, store_url)
    monkeypatch.setattr(readback, "_INDEX_TEXT", 5)  # a finding's indices parsed a few at a time
    monkeypatch.setattr(spool, "MEMORY_ITEMS", 5)  # the rows go to the spools' files
    with open_store(store_url) as store:
        rebuilt = store.load_sweep(store.find_sweep(sweep.id))
    # the store is closed: the rows come from the spools' files
    assert isinstance(rebuilt.results, Spool) and isinstance(rebuilt.resources, Spool)
    assert rebuilt.results.on_disk and rebuilt.resources.on_disk
    assert list(rebuilt.results) == list(rebuilt.results) == list(sweep.results)  # several passes
    assert rebuilt.results[-1] == sweep.results[-1] and rebuilt.resources[3:5] == sweep.resources[3:5]
    assert all(isinstance(f.results, Indices) for f in rebuilt.findings)
    for mine, theirs in zip(rebuilt.findings, sweep.findings, strict=True):
        assert list(mine.results) == list(theirs.results) and len(mine.results) == len(theirs.results)
    assert rebuilt.findings == sweep.findings


def test_a_finding_altered_in_the_store_is_refused(tmp_path: Path) -> None:
    from trustsweep.store.ledger import TamperedError

    path = tmp_path / "t.sqlite"
    sweep = synthetic_sweep(tmp_path, resources_per_unit=3)
    record_sweep(sweep, f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER findings_no_update")  # what someone with the file could do
    conn.execute("UPDATE findings SET body = replace(body, '\"results\":[', '\"results\":[x') WHERE idx = 0")
    conn.commit()
    conn.close()
    with open_store(f"sqlite:///{path}") as store, pytest.raises(TamperedError, match="stored findings do not match"):
        store.load_sweep(store.find_sweep(sweep.id))


def test_an_export_of_a_read_back_sweep_matches_the_sweep(tmp_path: Path) -> None:
    from trustsweep.export.csv_population import write

    sweep = synthetic_sweep(tmp_path, resources_per_unit=9)
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    record_sweep(sweep, url)
    with open_store(url) as store:
        rebuilt = store.load_sweep(store.find_sweep(sweep.id))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(sweep, tmp_path / "a")
    write(rebuilt, tmp_path / "b")
    for name in ("results.csv", "criteria.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert orjson.loads(c.finding_body(rebuilt.findings[0])) == orjson.loads(c.finding_body(sweep.findings[0]))


@settings(max_examples=40, deadline=None)
@given(indices=st.lists(st.integers(0, 2**40), max_size=50), reason=st.text(max_size=40))
def test_a_finding_head_is_the_finding_without_its_indices(indices, reason) -> None:
    f = CriterionFinding("CC6.1", "satisfied", Basis.ASSESSED, reason, ["x.y"], {"pass": 3}, sorted(indices))
    assert readback.finding_head(c.finding_body(f)) == orjson.loads(c.dumps(c._finding_dict(f)))


def test_the_summary_chart_reads_only_the_last_sweeps(tmp_path: Path) -> None:
    from trustsweep.store import history_markdown

    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    for _ in range(3):
        record_sweep(synthetic_sweep(tmp_path, resources_per_unit=3), url)
    with open_store(url) as store:
        assert "Criteria over the last 2 stored sweep(s)" in history_markdown(store, last=2)
        assert "Criteria over the last 3 stored sweep(s)" in history_markdown(store, last=14)
