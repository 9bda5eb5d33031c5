"""First seen across runs: the evidence store carries each finding's clock; fixes are reported with their time.

Each step writes the artifact's newest report, sweeps it through the real engine with the
history of a real SQLite store and records the sweep there, as ``trustsweep sweep --store`` does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from trustsweep.inventory import load_file
from trustsweep.store import record_sweep
from trustsweep.store.sightings import StoreSightings
from trustsweep.testing.cli import run_cli
from trustsweep_scanners.emulator import grype_report, trivy_report, write

from .conftest import artifacts, findings, names, statuses, sweep

T0 = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
API = "trivy:image:registry.example/northwind/api"
OPENSSL = ("CVE-2024-0001", "openssl", "CRITICAL", "3.0.14", None)
ZLIB = ("CVE-2024-0002", "zlib", "HIGH", "1.3.1", None)
CURL = ("CVE-2024-0003", "curl", "HIGH", "8.9.0", None)


def _step(reports: Path, url: str, day: float, tag: str, found: list, *, history: bool = True):
    scanned = T0 + day * DAY
    write(reports / "api.json", trivy_report(f"registry.example/northwind/api:{tag}", found, scanned))
    result = sweep(reports, now=scanned + dt.timedelta(hours=1), history=StoreSightings(url) if history else None)
    record_sweep(result, url)
    return result, artifacts(result)[API]


def test_a_finding_keeps_its_first_seen_across_sweeps_and_tags(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    first, props = _step(reports, url, 0, "1.0", [OPENSSL, ZLIB])
    assert {f["seen_from"] for f in props["findings"]} == {"scan"} and props["previous_sweep"] is None

    second, props = _step(reports, url, 5, "1.1", [OPENSSL, ZLIB, CURL])  # a rebuilt image, same artifact
    found = findings(props)
    assert found[("CVE-2024-0001", "openssl")]["first_seen"] == (T0).isoformat()
    assert found[("CVE-2024-0001", "openssl")]["seen_from"] == "history"
    assert found[("CVE-2024-0003", "curl")]["first_seen"] == (T0 + 5 * DAY).isoformat()
    assert props["previous_sweep"] == {"sweep": first.id, "at": first.started.isoformat()}
    assert statuses(second, API)["scanners.vuln.critical_sla"] == "pass"  # 5 days

    third, props = _step(reports, url, 9, "1.2", [OPENSSL, ZLIB, CURL])
    assert statuses(third, API)["scanners.vuln.critical_sla"] == "fail"  # 9 days since first seen
    failing = next(r for r in third.results if r.check_id == "scanners.vuln.critical_sla")
    assert failing.evidence["overdue"] == ["CVE-2024-0001 in openssl (9 days)"]


def test_without_history_each_report_restarts_the_clock(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 0, "1.0", [OPENSSL])
    third, props = _step(reports, url, 9, "1.2", [OPENSSL], history=False)
    assert findings(props)[("CVE-2024-0001", "openssl")]["seen_from"] == "scan"
    assert statuses(third, API)["scanners.vuln.critical_sla"] == "pass"  # what the store is there to prevent


def test_fixed_findings_are_reported_as_remediated_with_the_time_taken(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 0, "1.0", [OPENSSL, ZLIB])
    fixed, props = _step(reports, url, 4, "1.1", [OPENSSL])  # zlib upgraded after 4 days
    assert [(r["id"], r["package"], r["days"], r["remediated_at"]) for r in props["remediated"]] == [
        ("CVE-2024-0002", "zlib", 4.0, (T0 + 4 * DAY).isoformat())
    ]
    high = next(r for r in fixed.results if r.check_id == "scanners.vuln.high_sla")
    assert high.status.value == "pass" and high.evidence["remediated_in_time"] == ["CVE-2024-0002 in zlib (4 days)"]
    assert "1 remediated since the previous sweep" in high.reason

    late, props = _step(reports, url, 20, "1.2", [])  # openssl fixed after 20 days: past the 7-day SLA
    assert names(props["remediated"]) == ["CVE-2024-0001/openssl"]
    critical = next(r for r in late.results if r.check_id == "scanners.vuln.critical_sla")
    assert critical.status.value == "fail"
    assert critical.evidence["remediated_late"] == ["CVE-2024-0001 in openssl (20 days)"]
    # the fix is reported once, by the sweep that first saw it gone
    again, props = _step(reports, url, 21, "1.2", [])
    assert props["remediated"] == [] and statuses(again, API)["scanners.vuln.critical_sla"] == "pass"


def test_history_days_bounds_how_far_back_the_store_is_read(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 0, "1.0", [OPENSSL])  # T0 is months before the wall clock
    write(reports / "api.json", trivy_report("registry.example/northwind/api:1.1", [OPENSSL], T0 + 9 * DAY))
    near = sweep(reports, now=T0 + 9 * DAY, history=StoreSightings(url), history_days=1)
    far = sweep(reports, now=T0 + 9 * DAY, history=StoreSightings(url), history_days=3653)
    assert findings(artifacts(near)[API])[("CVE-2024-0001", "openssl")]["seen_from"] == "scan"
    assert findings(artifacts(far)[API])[("CVE-2024-0001", "openssl")]["seen_from"] == "history"


def test_an_older_report_never_counts_as_a_fix(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 10, "1.1", [OPENSSL, ZLIB])
    _result, props = _step(reports, url, 2, "1.0", [OPENSSL])  # someone put back an older report
    assert props["remediated"] == []


def test_the_report_first_seen_wins_when_it_is_earlier(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 0, "1.0", [OPENSSL])
    _result, props = _step(reports, url, 3, "1.1", [(*OPENSSL[:4], T0 - 30 * DAY)])
    first = findings(props)[("CVE-2024-0001", "openssl")]
    assert (first["first_seen"], first["seen_from"]) == ((T0 - 30 * DAY).isoformat(), "report")


def test_each_scanner_keeps_its_own_history(reports: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    _step(reports, url, 0, "1.0", [OPENSSL])
    write(reports / "api-grype.json", grype_report("registry.example/northwind/api:1.1", [OPENSSL], T0 + 6 * DAY))
    result, props = _step(reports, url, 6, "1.1", [OPENSSL])
    grype = artifacts(result)["grype:image:registry.example/northwind/api"]
    assert findings(props)[("CVE-2024-0001", "openssl")]["seen_from"] == "history"
    assert findings(grype)[("CVE-2024-0001", "openssl")]["seen_from"] == "scan"


def test_the_cli_carries_first_seen_through_its_store_and_not_with_no_store(reports: Path, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    store = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    write(reports / "api.json", trivy_report("registry.example/northwind/api:1.0", [OPENSSL, ZLIB], now - 10 * DAY))
    args = ("sweep", "-p", "scanners", "-t", str(reports), "-q", "--save-inventory")
    assert run_cli(*args, str(tmp_path / "inv1"), "--store", store).returncode == 1  # 10 days: critical overdue
    write(reports / "api.json", trivy_report("registry.example/northwind/api:1.1", [OPENSSL], now))
    proc = run_cli(*args, str(tmp_path / "inv2"), "--store", store, "--executor", "processes", "--workers", "2")
    assert proc.returncode == 1, proc.stderr  # still overdue: the clock did not restart with the new scan
    # (the previous records travel to the worker processes with their units)
    proc = run_cli(*args, str(tmp_path / "inv3"), "--no-store")
    assert proc.returncode == 0, proc.stderr  # without the store the new scan is all there is
    stored = load_file(next((tmp_path / "inv2" / "scanners").glob("*.jsonl.gz"))).resources
    assert findings(stored[0].properties)[("CVE-2024-0001", "openssl")]["seen_from"] == "history"


def test_a_tampered_store_stops_the_sweep_with_one_line(reports: Path, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "evidence.sqlite"
    _step(reports, f"sqlite:///{path}", 0, "1.0", [OPENSSL])
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER resources_no_delete")
    db.execute("DELETE FROM resources")  # someone hides when the finding was first seen
    db.close()
    proc = run_cli("sweep", "-p", "scanners", "-t", str(reports), "-q", "--store", f"sqlite:///{path}")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "evidence does not verify" in proc.stderr, proc.stderr


def test_evaluate_re_judges_the_first_seen_times_the_inventory_holds(reports: Path, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    store = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    sweep_args = ("sweep", "-p", "scanners", "-t", str(reports), "-q")
    write(reports / "api.json", trivy_report("registry.example/northwind/api:1.0", [OPENSSL], now - 8 * DAY))
    assert run_cli(*sweep_args, "--store", store).returncode == 1  # 8 days: past the 7-day SLA
    write(reports / "api.json", trivy_report("registry.example/northwind/api:1.1", [OPENSSL], now))
    inventory = tmp_path / "inv"
    assert run_cli(*sweep_args, "--store", store, "--save-inventory", str(inventory)).returncode == 1
    assert run_cli(*sweep_args, "--no-store").returncode == 0  # today's report alone: first seen today
    # offline, no store read: the first-seen time the inventory holds (8 days ago) is judged again
    offline = run_cli("evaluate", "--inventory", str(inventory), "--no-store")
    assert offline.returncode == 1, offline.stdout + offline.stderr
