"""The bounded-memory results writer gives byte for byte what the writer before streaming gave
(``reference_results``, frozen): on the synthetic and demo sweeps, on edge cases, and whatever
the Bloom filter of its first pass flags."""

from __future__ import annotations

import pytest
from streaming_cases import EDGE_CASES, P, assert_identical, edge_sweeps, synthetic_base

from trustsweep.oscal import build_result, write_bundle
from trustsweep.oscal.layout import scan
from trustsweep.sweep import Sweep
from trustsweep.testing.oscal import assert_valid_oscal


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    return synthetic_base(tmp_path_factory.mktemp("streaming"))


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_cases_are_written_as_before(base, case, tmp_path):
    sweep = edge_sweeps(base)[case]
    assert_identical(sweep)
    write_bundle(sweep, tmp_path)
    assert_valid_oscal(tmp_path)


def test_the_edge_cases_cover_both_layouts(base):
    sweeps = edge_sweeps(base)
    layouts = {case: scan(s.resources, s.results) for case, s in sweeps.items()}
    assert layouts["grouped"].grouped and not layouts["grouped"].strays
    assert layouts["strays"].grouped and list(layouts["strays"].strays) == [f"{P}|acct-b|synthetic:acct-b:eu-1:keys"]
    assert not layouts["orphan target"].grouped and len(layouts["orphan target"].strays) == 5
    assert not layouts["interleaved"].grouped and not layouts["interleaved"].strays
    for case in ("grouped", "strays", "orphan target", "interleaved", "repeated"):  # flagged: repeats, a few more
        results = sweeps[case].results
        naturals = [f"{r.check_id}|{r.resource_key}" for r in results]
        repeats = {n for n in naturals if naturals.count(n) > 1}
        assert repeats <= layouts[case].maybe_repeated and len(layouts[case].maybe_repeated) <= len(repeats) + 2
        keys = [r.key for r in sweeps[case].resources]
        assert layouts[case].repeated_keys == {k for k in keys if keys.count(k) > 1}
    assert layouts["repeated"].maybe_repeated and layouts["interleaved"].repeated_keys
    repeated = build_result(sweeps["repeated"])
    uuids = [o["uuid"] for o in repeated["observations"]]
    assert len(uuids) == len(set(uuids)) == len(sweeps["repeated"].results)
    assert len(repeated["local-definitions"]["inventory-items"]) == len(sweeps["grouped"].resources)


def test_the_synthetic_sweep_is_written_as_before(sweep):
    assert_identical(sweep)


@pytest.fixture(scope="module")
def demo_sweep(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    """``trustsweep demo``: every installed plugin's emulated estate, swept over the wire."""
    from trustsweep.demo import run_demo
    from trustsweep.plugins import Registry

    registry = Registry.load()
    return run_demo(registry, registry.mapping(), tmp_path_factory.mktemp("demo"), quiet=True)


def test_the_demo_sweep_is_written_as_before(demo_sweep):
    assert len(demo_sweep.results) > 100
    assert scan(demo_sweep.resources, demo_sweep.results).grouped  # as the engine lays it out
    assert_identical(demo_sweep)


@pytest.mark.parametrize("case", ["grouped", "repeated", "interleaved"])
def test_a_bloom_false_positive_changes_nothing(base, case, monkeypatch):
    """Every pair flagged as 'may repeat' (the worst the Bloom filter can do): still as before."""
    from trustsweep.oscal import layout

    monkeypatch.setattr(layout.Bloom, "add", lambda self, text: True)
    sweep = edge_sweeps(base)[case]
    flagged = scan(sweep.resources, sweep.results)
    if flagged.grouped:  # (the fallback layout finds the repeats exactly, without the filter)
        assert flagged.maybe_repeated == {f"{r.check_id}|{r.resource_key}" for r in sweep.results}
    assert_identical(sweep)
