"""``--export`` end to end: a real sweep of the GCP fake writes every format beside the OSCAL."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep_gcp.emulator import FakeGcp, seed_northwind


def _observation_results(out: Path) -> Counter[str]:
    doc = json.loads((out / "assessment-results.json").read_text(encoding="utf-8"))
    return Counter(
        p["value"]
        for o in doc["assessment-results"]["results"][0]["observations"]
        for p in o.get("props", [])
        if p["name"] == "result"
    )


def test_sweep_writes_every_format(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    seed_northwind(gcp_fake)
    out, store = tmp_path / "out", f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    args = [
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
        store,
        "--quiet",
    ]
    proc = run_cli(*args, "--export", "html", "-e", "csv", "--export", "ocsf:passes", "--export", "junit")
    assert proc.returncode == 1, proc.stderr
    names = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "results.csv",
        "criteria.csv",
        "findings.ocsf.jsonl",
        "junit.xml",
        "assessment-results.json",
        "summary.md",
    } <= names
    assert not [n for n in names if n.startswith(".trustsweep-tmp")]
    oscal = _observation_results(out)
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert Counter(r["status"] for r in rows) == oscal
    events = (out / "findings.ocsf.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(events) == oscal["pass"] + oscal["fail"] + oscal["error"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "id='window'" in html and "1 stored sweeps" in html  # the store was in use: the window is shown
    assert html.count("<tr data-provider='gcp'") == oscal["fail"] + oscal["error"]


def test_bad_export_requests_are_usage_errors(tmp_path: Path) -> None:
    store = tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep", "-p", "gcp", "--out", str(tmp_path / "o"), "--store", f"sqlite:///{store}", "--export", "pdf"
    )
    assert proc.returncode == 2 and "unknown --export format 'pdf'" in proc.stderr
    proc = run_cli("sweep", "-p", "gcp", "--store", f"sqlite:///{store}", "--export", "csv")
    assert proc.returncode == 2 and "add --out DIR" in proc.stderr
    proc = run_cli("evaluate", "--inventory", str(tmp_path), "--out", str(tmp_path / "o"), "--export", "junit:x")
    assert proc.returncode == 2 and "unknown option 'x'" in proc.stderr
    assert not store.exists()
