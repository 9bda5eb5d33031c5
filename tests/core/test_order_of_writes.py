"""Order of writes: all input is checked before a store is opened or created; the outputs are
written all at once (temporary directory, then moved into place) before the sweep is committed
to the store; a failure writing them leaves neither a partial bundle nor a stored sweep."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustsweep.outputs import TEMP_PREFIX, Staged
from trustsweep.store import open_store
from trustsweep.testing.cli import run_cli
from trustsweep_gcp.emulator import FakeGcp, seed_northwind

PREVIOUS = '{"previous": "bundle"}\n'


def _previous_bundle(out: Path) -> None:
    out.mkdir()
    (out / "assessment-results.json").write_text(PREVIOUS)
    (out / "notes.txt").write_text("mine")


def _assert_untouched(out: Path) -> None:
    """--out holds exactly what it held before: no partial bundle, no temporary directory."""
    assert sorted(p.name for p in out.iterdir()) == ["assessment-results.json", "notes.txt"]
    assert (out / "assessment-results.json").read_text() == PREVIOUS


def _sweeps(url: str) -> int:
    with open_store(url, create=False) as store:
        return len(store.entries("sweep"))


def test_bad_inventory_never_creates_the_store(tmp_path: Path) -> None:
    bad = tmp_path / "inv" / "aws"
    bad.mkdir(parents=True)
    (bad / "123456789012.jsonl").write_text('{"format": "trustsweep-inventory", "version": 1}\n{oops\n')
    store = tmp_path / "fresh" / "evidence.sqlite"
    store.parent.mkdir()
    proc = run_cli("evaluate", "--inventory", str(tmp_path / "inv"), "--store", f"sqlite:///{store}")
    assert proc.returncode == 2, proc.stderr
    assert "123456789012.jsonl:line" in proc.stderr and "Traceback" not in proc.stderr
    assert not store.exists() and list(store.parent.iterdir()) == []


# a plugin refusing its input (an Azure --target that is no GUID) before the store is created:
# tests/azure/test_azure_cli.py::test_input_the_plugin_refuses_never_creates_the_store


def test_malformed_store_url_is_refused_before_any_work(tmp_path: Path) -> None:
    proc = run_cli("evaluate", "--inventory", str(tmp_path / "missing"), "--store", "mysql://x")
    assert proc.returncode == 2 and "unsupported store URL" in proc.stderr, proc.stderr


def test_a_sweep_replaces_the_bundle_and_leaves_no_temporary_files(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    seed_northwind(gcp_fake)
    out, url = tmp_path / "out", f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _previous_bundle(out)
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "organizations/4471",
        "--gcp-endpoint",
        gcp_fake.endpoint,
        "--out",
        str(out),
        "--store",
        url,
        "--quiet",
    )
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "assessment-plan.json",
            "assessment-results.json",
            "catalog.json",
            "component-definition.json",
            "notes.txt",
            "summary.md",
        ]
    )
    with open_store(url, create=False) as store:
        head = store.head()
    doc = json.loads((out / "assessment-results.json").read_text())["assessment-results"]
    assert {p["value"] for p in doc["metadata"]["props"] if p["name"] == "evidence-chain-head"} == {head}
    assert "Criteria over the last 1 stored sweep" in (out / "summary.md").read_text()


def _limit_file_size() -> None:  # runs in the child: any file may grow to 100 kB, no more (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


def test_a_file_too_large_leaves_no_partial_bundle_and_exit_2(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    """A real write failure: the child may not write a file over 100 kB; assessment-results.json
    (~250 kB here) cannot be written, the catalog (~70 kB) could."""
    seed_northwind(gcp_fake)
    out = tmp_path / "out"
    _previous_bundle(out)
    exe = Path(sys.executable).with_name("trustsweep")
    proc = subprocess.run(
        [
            str(exe),
            "sweep",
            "--provider",
            "gcp",
            "--gcp-scope",
            "organizations/4471",
            "--gcp-endpoint",
            gcp_fake.endpoint,
            "--out",
            str(out),
            "--no-store",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=300,
        env={**os.environ},
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1 and "cannot write the outputs" in proc.stderr
    assert "File too large" in proc.stderr and "Traceback" not in proc.stderr
    _assert_untouched(out)


@pytest.fixture
def synthetic_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI in-process with the synthetic provider installed; returns a saved inventory."""
    from trustsweep.cli import common
    from trustsweep.sweep import run_sweep
    from trustsweep.testing.synthetic import synthetic_mapping, synthetic_registry

    registry = synthetic_registry(tmp_path)
    mapping = synthetic_mapping(registry)
    inventory = tmp_path / "inventory"
    with ThreadPoolExecutor(2) as pool:
        run_sweep(registry, mapping, providers=["synthetic"], executor=pool, save_inventory=inventory)
    monkeypatch.setattr(common, "load_registry", lambda: synthetic_registry(tmp_path))
    return inventory


def test_disk_full_while_writing_outputs_stores_nothing(
    synthetic_cli: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up after the four documents, while summary.md is written: exit 2, one line,
    --out as it was, and the store holds no sweep (its transaction was rolled back)."""
    from trustsweep import cli
    from trustsweep.report import summary

    def disk_full(sweep, path, history=""):
        path.write_text("half a summ")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(summary, "write_summary", disk_full)
    out, url = tmp_path / "out", f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _previous_bundle(out)
    result = CliRunner().invoke(
        cli.app, ["evaluate", "--inventory", str(synthetic_cli), "--out", str(out), "--store", url]
    )
    assert result.exit_code == 2, result.output
    assert "cannot write the outputs (summary.md: No space left on device)" in result.output
    _assert_untouched(out)
    assert _sweeps(url) == 0


def test_staged_files_are_taken_back_when_the_store_then_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous_bundle(out)
    staged = Staged(out)
    assert staged.dir.parent == out and staged.dir.name.startswith(TEMP_PREFIX)
    (staged.dir / "assessment-results.json").write_text("new")
    (staged.dir / "catalog.json").write_text("new")
    staged.place()
    assert (out / "assessment-results.json").read_text() == "new" and (out / "catalog.json").exists()
    staged.undo()
    _assert_untouched(out)
