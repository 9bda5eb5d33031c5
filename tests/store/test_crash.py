"""Crash safety: a writer killed with SIGKILL mid-transaction leaves every earlier sweep intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trustsweep.store import open_store, record_sweep
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep

CHILD = """
import sys, tempfile
from pathlib import Path
from trustsweep.store import record_sweep
from trustsweep.testing.synthetic import synthetic_sweep
sweep = synthetic_sweep(Path(tempfile.mkdtemp()), resources_per_unit=int(sys.argv[2]))
print("recording", len(sweep.results), flush=True)
record_sweep(sweep, sys.argv[1])
print("recorded", flush=True)
"""


def _writing(url: str, tmp_path: Path) -> bool:
    """True once the child's transaction has visibly started writing rows."""
    if url.startswith("sqlite:"):
        wal = Path(url[len("sqlite:///") :] + "-wal")
        return wal.exists() and wal.stat().st_size > 2_000_000  # uncommitted pages spilled into the WAL
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY %' AND state = 'active' "
            "AND pid <> pg_backend_pid()"
        ).fetchone()
    return bool(rows and rows[0])


def test_sigkill_while_writing_leaves_earlier_sweeps_and_verify_intact(tmp_path: Path, store_url: str) -> None:
    earlier = [synthetic_sweep(tmp_path, resources_per_unit=5) for _ in range(2)]
    heads = [record_sweep(s, store_url) for s in earlier]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, store_url, "12000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert child.stdout is not None
    assert child.stdout.readline().startswith("recording")
    deadline = time.monotonic() + 60
    while not _writing(store_url, tmp_path):
        assert child.poll() is None, "the writer finished before it could be killed: " + child.stderr.read()[-2000:]
        assert time.monotonic() < deadline, "the writer never started writing"
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    rest = child.stdout.read()
    assert child.returncode == -signal.SIGKILL
    assert "recorded" not in rest  # it really died mid-write
    if not store_url.startswith("sqlite:"):  # the server rolls back once it notices the dead client
        time.sleep(0.2)
    with open_store(store_url, create=False) as store:
        report = verify(store)
        assert report.ok, report.problems
        assert [e.hash for e in store.entries("sweep")] == heads
        for table in ("resources", "observations", "findings"):
            assert store.db.query(f"SELECT count(*) FROM {table} WHERE entry > 2")[0][0] == 0
    # and the store takes the next sweep as if nothing happened
    later = synthetic_sweep(tmp_path, resources_per_unit=3)
    record_sweep(later, store_url)
    with open_store(store_url, create=False) as store:
        report = verify(store)
    assert report.ok and report.sweeps == 3 and report.head == later.chain_head


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_failing_write_rolls_back_completely(tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = synthetic_sweep(tmp_path, resources_per_unit=4)
    record_sweep(first, store_url)
    from trustsweep.store.backends import SQLiteBackend

    real = SQLiteBackend.insert_rows

    def broken(self, table, entry, columns, rows):  # the disk fills up half-way through
        if table == "observations":
            raise OSError("No space left on device")
        return real(self, table, entry, columns, rows)

    monkeypatch.setattr(SQLiteBackend, "insert_rows", broken)
    with pytest.raises(OSError):
        record_sweep(synthetic_sweep(tmp_path, resources_per_unit=4), store_url)
    monkeypatch.undo()
    with open_store(store_url, create=False) as store:
        report = verify(store)
        assert report.ok and report.sweeps == 1
        assert store.db.query("SELECT count(*) FROM resources WHERE entry = 2")[0][0] == 0
