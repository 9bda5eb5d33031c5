"""The results writer reads a Sweep's results and resources only by iteration, a fixed number of
passes, as the engine's on-disk spools give them (fresh objects each pass); its uuid file and
Bloom filter keep their promises."""

from __future__ import annotations

import pytest
from reference_results import reference_result, reference_streamed_document
from streaming_cases import (
    WAIVERS,
    P,
    edge_sweeps,
    make_sweep,
    on_disk,
    streamed_bytes,
    synthetic_base,
    whole_bytes,
)

from trustsweep.model import CheckResult, Resource, Status
from trustsweep.oscal import build_result, streamed_results_document, write_bundle
from trustsweep.testing.oscal import assert_valid_oscal


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    return synthetic_base(tmp_path_factory.mktemp("passes"))


@pytest.mark.parametrize(
    "case,passes",
    [("grouped", 2), ("strays", 2), ("attested and checked", 2), ("interleaved", 3), ("orphan target", 3)],
)
def test_the_writer_only_iterates_a_fixed_number_of_passes(base, case, passes, tmp_path):
    """Two passes over each sequence (layout scan, then inventory or observations), three when the
    layout falls back; never ``seq[i]``. Fresh objects per pass (as from disk) change nothing."""
    listed = edge_sweeps(base)[case]
    for write in ("streamed", "whole"):
        sweep = on_disk(listed)
        if write == "streamed":
            got = streamed_bytes(streamed_results_document, sweep, 2)
            assert got == streamed_bytes(reference_streamed_document, listed, 2)
        else:
            assert whole_bytes(build_result(sweep), sweep, "json") == whole_bytes(
                reference_result(listed), listed, "json"
            )
        assert (sweep.resources.passes, sweep.results.passes) == (passes, passes), write


def test_write_bundle_streams_a_large_sweep_from_disk(base, tmp_path, monkeypatch):
    import trustsweep.oscal as oscal

    listed = edge_sweeps(base)["strays"]
    monkeypatch.setattr(oscal, "INDENT_LIMIT", 5)  # count as large: the streaming path
    sweep = on_disk(listed)
    path = write_bundle(sweep, tmp_path)[-1]
    assert (sweep.resources.passes, sweep.results.passes) == (2, 2)
    assert b"\n  " not in path.read_bytes()
    assert_valid_oscal(tmp_path)


def test_findings_cannot_be_written_before_the_observations(base):
    from trustsweep.oscal.io import Stream
    from trustsweep.oscal.results import stream_result

    result, _tests = stream_result(edge_sweeps(base)["grouped"])
    related = next(f["related-observations"] for f in result["findings"] if "related-observations" in f)
    assert isinstance(related, Stream)
    with pytest.raises(RuntimeError, match="observations go before findings"):
        next(iter(related.items))


def test_uuid_file_reads_back_by_index_across_blocks():
    from trustsweep.oscal import uuidfile

    f = uuidfile.UuidFile()
    values = [f"{i:08x}-0000-4000-8000-{i:012x}" for i in range(5000)]  # > one read block
    for v in values:
        f.append(v)
    picks = [0, 1, 1, 1819, 1820, 3641, 4999, 7, 4999]  # sorted mostly, repeats, one step back
    assert list(f.select(picks, len(values))) == [values[i] for i in picks]
    f.close()


def test_fresh_waiver_objects_per_result_keep_their_own_props(base):
    """From disk every result brings a fresh waiver object, and a freed one's id() is soon reused:
    the observations' shared waiver props must be keyed by the waiver, not by its id()."""
    cid = "synthetic.keys.rotation"
    resources = [Resource(P, "acct-a", "eu-1", "synthetic.key", f"k{i}") for i in range(300)]
    results = [
        CheckResult(cid, P, "acct-a", "eu-1", r.id, r.type, Status.FAIL, "old", {}, WAIVERS[(i // 3) % 2])
        for i, r in enumerate(resources)
    ]
    listed = make_sweep(base, resources, results)
    expected = whole_bytes(reference_result(listed), listed, "json")
    assert whole_bytes(build_result(on_disk(listed)), listed, "json") == expected


def test_bloom_never_misses_and_rarely_flags_wrongly():
    from trustsweep.oscal.layout import Bloom

    n = 200_000
    bloom = Bloom(n)
    assert len(bloom.bits) * 8 >= 16 * n
    wrong = sum(bloom.add(f"synthetic.check|p|t|res-{i}") for i in range(n))  # all distinct
    assert wrong < n * 0.02
    assert all(bloom.add(f"synthetic.check|p|t|res-{i}") for i in range(0, n, 7))  # all seen
    assert len(Bloom(10**9).bits) == 2**27 // 8  # capped at 16 MB


def test_an_engine_sweep_is_read_from_its_spools_twice_each_never_by_index(tmp_path, monkeypatch):
    """A real sweep (results and facts in the engine's on-disk spools), written streamed."""
    import trustsweep.oscal as oscal
    from trustsweep.spool import Spool
    from trustsweep.testing.synthetic import synthetic_sweep

    sweep = synthetic_sweep(tmp_path, resources_per_unit=5, fail_units=["acct-1/south-1"])
    assert isinstance(sweep.results, Spool) and isinstance(sweep.resources, Spool)
    expected = streamed_bytes(reference_streamed_document, sweep, 3)  # the writer before streaming
    sweep.counts()  # the engine keeps the counts (a Sweep decoded from the store counts once)
    passes: dict[int, int] = {}
    iterate = Spool.__iter__

    def counted(self):
        passes[id(self)] = passes.get(id(self), 0) + 1
        return iterate(self)

    def no_index(self, index):
        raise AssertionError(f"random access [{index}]")

    monkeypatch.setattr(Spool, "__iter__", counted)
    monkeypatch.setattr(Spool, "__getitem__", no_index)
    monkeypatch.setattr(oscal, "INDENT_LIMIT", 5)  # count as large: the streaming path
    path = write_bundle(sweep, tmp_path / "out")[-1]
    assert (passes[id(sweep.resources)], passes[id(sweep.results)]) == (2, 2)
    passes.clear()
    assert streamed_bytes(streamed_results_document, sweep, 3) == expected
    assert_valid_oscal(path.parent)
