"""``trustsweep report``: a stored sweep's HTML report with its Type II window."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from trustsweep.export.window import build_window
from trustsweep.store.history import History, Point
from trustsweep.store.ledger import Entry
from trustsweep.testing.cli import run_cli


@pytest.fixture
def store_url(tmp_path: Path, sweep) -> str:
    from trustsweep.store import record_sweep

    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    record_sweep(sweep, url)
    return url


def test_report_of_the_latest_sweep(store_url: str, sweep, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    proc = run_cli("report", "latest", "--store", store_url, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "id='window'" in text and "Type II window" in text
    assert sweep.id in text and "Evidence chain head: <code>" in text
    again = run_cli("report", sweep.id[:8], "--store", store_url, "--out", str(out), "--from", "2020-01-01")
    assert again.returncode == 0, again.stderr


def test_unknown_sweep_and_bad_output_are_exit_2(store_url: str, tmp_path: Path) -> None:
    proc = run_cli("report", "ffffffff", "--store", store_url, "--out", str(tmp_path / "r.html"))
    assert proc.returncode == 2 and "no sweep 'ffffffff'" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("report", "latest", "--store", store_url, "--out", str(tmp_path / "missing" / "r.html"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_tampered_store_is_refused(store_url: str, tmp_path: Path) -> None:
    db = sqlite3.connect(store_url.removeprefix("sqlite:///"))
    db.execute("DROP TRIGGER IF EXISTS entries_no_update")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    db.execute("UPDATE entries SET content = replace(content, 'synthetic', 'synthetiq') WHERE kind = 'sweep'")
    db.commit()
    db.close()
    out = tmp_path / "r.html"
    proc = run_cli("report", "latest", "--store", store_url, "--out", str(out))
    assert proc.returncode == 1 and "does not verify" in proc.stderr
    assert not out.exists()


def _entry(seq: int, at: dt.datetime) -> Entry:
    return Entry(seq, "sweep", f"s{seq}", at.isoformat(), "{}", "", "h")


def test_days_not_satisfied_run_until_the_next_observation() -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entries = [_entry(1, t0), _entry(2, t0 + dt.timedelta(days=10)), _entry(3, t0 + dt.timedelta(days=15))]
    hist = History(
        sweeps=entries,
        criteria=["CC6.1", "CC7.2", "CC1.1"],
        points={
            "CC6.1": {
                1: Point("satisfied", "assessed", ""),
                2: Point("not-satisfied", "assessed", ""),
                3: Point("satisfied", "assessed", ""),
            },
            "CC7.2": {
                1: Point("not-satisfied", "incomplete", ""),
                2: Point("satisfied", "assessed", ""),
                3: Point("not-satisfied", "assessed", ""),
            },
            "CC1.1": {1: Point("not-satisfied", "not-assessed", "")},
        },
    )
    window = build_window(hist, t0, t0 + dt.timedelta(days=20))
    days = {row.criterion: (row.days_not_satisfied, row.assessed) for row in window.criteria}
    assert days["CC6.1"] == (5.0, True)  # not satisfied from day 10 to day 15
    assert days["CC7.2"] == (15.0, True)  # incomplete days 0–10, then failing from 15 to the end (20)
    assert days["CC1.1"] == (0.0, False)  # never assessed: no days counted, shown as not assessed
    assert [row.labels for row in window.criteria][2] == ["not-assessed", "", ""]
