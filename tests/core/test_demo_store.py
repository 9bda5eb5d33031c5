"""``demo --store``: the demo writes only to a store of its own and refuses one holding real entries.

Driven by the synthetic provider's emulator (three accounts, no network), through :func:`run_demo`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trustsweep.demo import SEEDS, run_demo
from trustsweep.errors import UserError
from trustsweep.plugins import Registry
from trustsweep.store import open_store, record_sweep
from trustsweep.testing.synthetic import SyntheticPlugin, synthetic_sweep

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)


def _demo(tmp_path: Path, store_url: str) -> object:
    registry = Registry.load(
        entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path, emulator=True))]
    )
    mapping = registry.mapping()
    sweep = run_demo(registry, mapping, tmp_path / "out", store_url=store_url, quiet=True)
    record_sweep(sweep, store_url)  # as the demo command does after the sweep
    return sweep


def _entries(url: str) -> list[tuple[int, str, str]]:
    with open_store(url) as store:
        return [(e.seq, e.kind, e.hash) for e in store.entries()]


def test_the_demo_reuses_its_own_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    first = _demo(tmp_path, url)
    assert {a.criterion for a in first.attestations} == {s[0] for s in SEEDS}  # an empty store is seeded
    second = _demo(tmp_path, url)
    assert [a.id for a in second.attestations] == [a.id for a in first.attestations]  # seeded once
    assert [kind for _, kind, _ in _entries(url)] == ["attestation"] * len(SEEDS) + ["sweep", "sweep"]


def _real_sweep(tmp_path: Path, url: str) -> None:
    record_sweep(synthetic_sweep(tmp_path, targets=5), url)  # acct-3 and acct-4 are not in the demo estate


def _real_attestation(tmp_path: Path, url: str) -> None:
    with open_store(url) as store:
        store.add_attestation(
            criterion="CC6.2",
            type_="access-review",
            data=b"our real Q4 review\n",
            filename="q4.md",
            attested_by="Dana Reviewer",
            expires=LATER,
        )


def _waiver(tmp_path: Path, url: str) -> None:
    with open_store(url) as store:
        store.add_waiver(
            check_id="synthetic.storage.encrypted",
            resource="acct-0/north-1/bucket-0",
            reason="accepted",
            expires=LATER,
            approved_by="CISO",
        )


@pytest.mark.parametrize("add_real", [_real_sweep, _real_attestation, _waiver])
def test_a_store_with_real_entries_is_refused_unchanged(tmp_path: Path, add_real: object) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    add_real(tmp_path, url)  # type: ignore[operator]
    before = _entries(url)
    with pytest.raises(UserError) as info:
        _demo(tmp_path, url)
    message = str(info.value)
    assert "\n" not in message and "did not write" in message and str(tmp_path / "real.sqlite") in message
    assert _entries(url) == before  # no fictional attestation, no demo sweep


def test_real_entries_after_demo_ones_are_refused_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    _demo(tmp_path, url)
    _waiver(tmp_path, url)
    with pytest.raises(UserError, match="1 entry the demo did not write .*waiver"):
        _demo(tmp_path, url)
