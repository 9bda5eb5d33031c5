"""Provenance is honest: an `evaluate --inventory` result says, in the store and in OSCAL, that it
was evaluated offline from a saved inventory (its digest and collection time); a saved inventory
carries a seal, so an edited one is reported as such (refused unless --accept-edited)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import orjson

from trustsweep.inventory import EDITED, SEALED, UNSEALED, load_file, save_target
from trustsweep.model import Resource, Target
from trustsweep.store import open_store
from trustsweep.store.canonical import sha256_hex
from trustsweep.testing.cli import run_cli
from trustsweep.testing.oscal import assert_valid_oscal
from trustsweep_gcp.emulator import FakeGcp, seed_northwind


def _result(out: Path) -> dict:
    return json.loads((out / "assessment-results.json").read_text())["assessment-results"]["results"][0]


def _props(result: dict) -> dict[str, str]:
    return {p["name"]: p["value"] for p in result["props"]}


def _lines(path: Path) -> list[bytes]:
    return gzip.open(path).read().splitlines(keepends=True)


def _expected_digest(inv: Path) -> str:
    """The inventory's digest, computed here from the files: each file's lines before its seal."""
    rows = []
    for path in sorted(inv.glob("*/*.jsonl.gz")):
        lines = _lines(path)
        assert lines[-1].startswith(b'{"seal":')
        rows.append(f"{path.relative_to(inv).as_posix()}\t{hashlib.sha256(b''.join(lines[:-1])).hexdigest()}\n")
    return hashlib.sha256("".join(rows).encode()).hexdigest()


def _sweep_saving(gcp_fake: FakeGcp, inv: Path, *extra: str):
    seed_northwind(gcp_fake)
    return run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "organizations/4471",
        "--gcp-endpoint",
        gcp_fake.endpoint,
        "--save-inventory",
        str(inv),
        "--quiet",
        *extra,
    )


def test_offline_evaluation_is_marked_in_oscal_and_in_the_store(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    inv, live_out, off_out = tmp_path / "inv", tmp_path / "live", tmp_path / "offline"
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    live = _sweep_saving(gcp_fake, inv, "--out", str(live_out), "--store", url)
    assert live.returncode == 1, live.stderr
    offline = run_cli("evaluate", "--inventory", str(inv), "--out", str(off_out), "--store", url)
    assert offline.returncode == 1, offline.stderr
    assert "warning" not in offline.stderr
    assert_valid_oscal(off_out)

    header = orjson.loads(_lines(next(inv.glob("gcp/*.jsonl.gz")))[0])
    collected = dt.datetime.fromisoformat(header["collected_at"])
    digest = _expected_digest(inv)

    live_props = _props(_result(live_out))
    assert live_props["evidence-mode"] == "automated-sweep" and "inventory-sha256" not in live_props
    assert _result(live_out)["description"].startswith("Automated read-only sweep")

    result = _result(off_out)
    props = _props(result)
    assert props["evidence-mode"] == "offline-inventory"
    assert props["inventory-sha256"] == digest
    assert props["inventory-integrity"] == "sealed"
    assert dt.datetime.fromisoformat(props["inventory-collected"]) == collected
    assert result["description"].startswith("Offline evaluation, without calling any cloud API")
    assert digest in result["description"]
    tests = [o for o in result["observations"] if o["methods"] == ["TEST"]]
    assert tests and {dt.datetime.fromisoformat(o["collected"]) for o in tests} == {
        collected.replace(microsecond=collected.microsecond // 1000 * 1000)
    }  # when the evidence was collected, not evaluated

    with open_store(url, create=False) as store:
        first, second = store.entries("sweep")
    assert first.data["provenance"] == {"mode": "automated-sweep"}
    stored = second.data["provenance"]
    assert stored["mode"] == "offline-inventory" and stored["inventory"]["sha256"] == digest
    assert dt.datetime.fromisoformat(stored["inventory"]["collected_at"]) == collected
    assert {f["integrity"] for f in stored["inventory"]["files"]} == {"sealed"}
    assert sha256_hex(second.content) == second.hash  # the provenance is covered by the entry's hash
    assert run_cli("verify", "--store", url).returncode == 0
    # re-exported from the store, the results still say which is which
    exported = tmp_path / "export"
    assert run_cli("export", "--out", str(exported), "--store", url).returncode == 0
    results = json.loads((exported / "assessment-results.json").read_text())["assessment-results"]["results"]
    assert [_props(r)["evidence-mode"] for r in results] == ["automated-sweep", "offline-inventory"]
    assert _props(results[1])["inventory-sha256"] == digest


def test_an_edited_inventory_is_refused_then_marked_when_accepted(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    assert _sweep_saving(gcp_fake, inv, "--no-store").returncode == 1
    # someone "fixes" the open firewall in the saved evidence instead of in the cloud
    path = next(p for p in inv.glob("gcp/*.jsonl.gz") if b"0.0.0.0/0" in gzip.open(p).read())
    path.write_bytes(gzip.compress(gzip.open(path).read().replace(b"0.0.0.0/0", b"10.0.0.0/8")))

    store = tmp_path / "fresh.sqlite"
    refused = run_cli("evaluate", "--inventory", str(inv), "--store", f"sqlite:///{store}")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.strip().splitlines() == [
        f"trustsweep: error: {path}: the inventory was changed after it was saved (its content does not match "
        "its seal); --accept-edited evaluates it anyway, marked as edited"
    ]
    assert not store.exists()

    out = tmp_path / "out"
    accepted = run_cli("evaluate", "--inventory", str(inv), "--accept-edited", "--out", str(out), "--no-store")
    assert accepted.returncode in (0, 1), accepted.stderr
    assert f"trustsweep: warning: {path}: evaluated although edited" in accepted.stderr
    result = _result(out)
    assert _props(result)["inventory-integrity"] == "edited"
    assert "EDITED after it was saved" in result["description"]


def test_the_seal_tells_sealed_edited_and_unsealed_apart(tmp_path: Path) -> None:
    resources = [Resource("synthetic", "t", "r", "synthetic.key", f"k{i}", properties={"n": i}) for i in range(3)]
    path = save_target(tmp_path / "inv", Target("synthetic", "t"), resources, [], dt.datetime.now(dt.UTC))
    sealed = load_file(path)
    lines = _lines(path)
    assert sealed.integrity == SEALED and sealed.sha256 == hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    assert len(sealed.resources) == 3

    cases = {
        "unsealed": (lines[:-1], UNSEALED),  # seal removed (or a v1 file)
        "reordered": ([lines[0], lines[2], lines[1], lines[3], lines[4]], EDITED),
        "appended": ([*lines, lines[1]], EDITED),  # a record after the seal
        "dropped": ([lines[0], lines[1], lines[2], lines[4]], EDITED),  # a resource removed
    }
    for name, (changed, expected) in cases.items():
        path.write_bytes(gzip.compress(b"".join(changed)))
        assert load_file(path).integrity == expected, name
