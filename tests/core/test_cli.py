"""The command line as a user meets it: exit codes, bad input, lazy imports, a third-party plugin."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from trustsweep.testing.cli import run_cli

SDK_PREFIXES = (
    "boto3",
    "botocore",
    "google.cloud",
    "google.api_core",
    "azure.",
    "moto",
    "trestle",
    "psycopg",
    "distributed",
)


def trivy_report(path: Path, *, critical_age_days: int, high_age_days: int = 1) -> Path:
    now = dt.datetime.now(dt.UTC)
    report = {
        "SchemaVersion": 2,
        "CreatedAt": now.isoformat(),
        "ArtifactName": "registry.example/northwind/api:1.4.2",
        "ArtifactType": "container_image",
        "Results": [
            {
                "Target": "registry.example/northwind/api:1.4.2 (debian 12.5)",
                "Class": "os-pkgs",
                "Vulnerabilities": [
                    {
                        "VulnerabilityID": "CVE-2024-0001",
                        "PkgName": "openssl",
                        "InstalledVersion": "3.0.11",
                        "FixedVersion": "3.0.13",
                        "Severity": "CRITICAL",
                        "PublishedDate": (now - dt.timedelta(days=critical_age_days)).isoformat(),
                    },
                    {
                        "VulnerabilityID": "CVE-2024-0002",
                        "PkgName": "zlib",
                        "InstalledVersion": "1.2.13",
                        "FixedVersion": "1.3.1",
                        "Severity": "HIGH",
                        "PublishedDate": (now - dt.timedelta(days=high_age_days)).isoformat(),
                    },
                    {
                        "VulnerabilityID": "CVE-2024-0003",
                        "PkgName": "tar",
                        "InstalledVersion": "1.34",
                        "FixedVersion": "",
                        "Severity": "CRITICAL",
                        "PublishedDate": (now - dt.timedelta(days=400)).isoformat(),
                    },
                ],
            }
        ],
    }
    path.write_text(json.dumps(report))
    return path


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["plugins", "list"], ["checks", "list"], ["controls"], ["sweep", "--help"]]
)
def test_listing_commands_import_no_cloud_sdk(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from trustsweep.cli import main\n"
        f"sys.argv = ['trustsweep', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({SDK_PREFIXES!r}))\n"
        "sys.stderr.write('IMPORTED:' + ','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.rsplit("IMPORTED:", 1)[1] == ""


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_names_trustsweep_and_each_plugin(flag: str, trivy_site: Path) -> None:
    from trustsweep import __version__

    proc = run_cli(flag)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"trustsweep {__version__} (Python ")
    assert {"plugin aws: trustsweep " + __version__, "plugin trivy: trustsweep-trivy 0.1.0"} <= set(lines[1:])


def test_third_party_checks_show_up_in_checks_list(trivy_site: Path) -> None:
    proc = run_cli("checks", "list", "--provider", "trivy", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert set(rows) == {"trivy.vuln.critical_sla", "trivy.vuln.high_sla"}
    assert rows["trivy.vuln.critical_sla"]["criteria"] == ["CC4.1", "CC7.1"]
    plugins = json.loads(run_cli("plugins", "list", "--format", "json").stdout)
    assert {"name": "trivy", "distribution": "trustsweep-trivy", "version": "0.1.0"}.items() <= next(
        p for p in plugins if p["name"] == "trivy"
    ).items()


def test_sweep_exit_codes_follow_the_results(trivy_site: Path, tmp_path: Path) -> None:
    fresh = trivy_report(tmp_path / "fresh.json", critical_age_days=2)
    stale = trivy_report(tmp_path / "stale.json", critical_age_days=12)
    ok = run_cli("sweep", "--provider", "trivy", "--target", str(fresh), "--no-store", "-q")
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("sweep", "--provider", "trivy", "--trivy-report", str(stale), "--no-store", "-q")
    assert bad.returncode == 1, bad.stderr
    config = tmp_path / "lenient.yaml"
    config.write_text("checks:\n  trivy.vuln.critical_sla: {max_days: 14}\n")
    lenient = run_cli("sweep", "-p", "trivy", "-t", str(stale), "--config", str(config), "--no-store", "-q")
    assert lenient.returncode == 0, lenient.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"Results": [')
    incomplete = run_cli("sweep", "-p", "trivy", "-t", str(stale), "-t", str(broken), "--no-store", "-q")
    assert incomplete.returncode == 3, incomplete.stderr


def test_save_inventory_then_evaluate_offline(trivy_site: Path, tmp_path: Path) -> None:
    stale = trivy_report(tmp_path / "stale.json", critical_age_days=12)
    inv = tmp_path / "inv"
    first = run_cli("sweep", "-p", "trivy", "-t", str(stale), "--save-inventory", str(inv), "--no-store", "-q")
    assert first.returncode == 1
    files = list(inv.glob("trivy/*.jsonl.gz"))
    assert len(files) == 1
    stale.unlink()  # evaluation must not read the source again
    again = run_cli("evaluate", "--inventory", str(inv), "--no-store")
    assert again.returncode == 1, again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "--provider", "nosuch", "--no-store"], "unknown provider 'nosuch'"),
        (["sweep", "--no-store"], "name at least one --provider"),
        (["sweep", "-p", "trivy", "--check", "trivy.nope", "--no-store"], "unknown check id 'trivy.nope'"),
        (["sweep", "-p", "trivy", "--aws-nonsense", "x", "--no-store"], "no such option: --aws-nonsense"),
        (
            ["sweep", "-p", "trivy", "--oscal-version", "1.0.0", "--no-store"],
            "invalid value for --oscal-version: '1.0.0'",
        ),
        (["evaluate", "--inventory", "/nonexistent/inv", "--no-store"], "inventory directory not found"),
        (["checks", "list", "--format", "xml"], "invalid value for --format: 'xml'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(trivy_site: Path, args: list[str], message: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("trustsweep: error: ")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_unwritable_output_dir_is_refused_before_any_work(trivy_site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli("sweep", "-p", "trivy", "-t", "x.json", "--out", str(blocker / "out"), "--no-store")
    assert proc.returncode == 2 and "cannot create output directory" in proc.stderr


def test_bad_config_names_file_and_line(trivy_site: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "checks:\n  trivy.vuln.high_sla: {max_days: 3}\nwaivers:\n  - check: trivy.nope\n"
        "    resource: '*'\n    reason: r\n    expires: 2030-01-01\n    approved_by: me\n"
    )
    proc = run_cli("sweep", "-p", "trivy", "-t", "x.json", "--config", str(config), "--no-store")
    assert proc.returncode == 2
    assert f"{config}:line 4: waiver for unknown check id 'trivy.nope'" in proc.stderr


def test_controls_json_lists_all_criteria() -> None:
    proc = run_cli("controls", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 61
    assert all(r["checks"] is not None and isinstance(r["attestations"], list) for r in rows)


def test_summary_charts_the_stored_history(trivy_site: Path, tmp_path: Path) -> None:
    stale = trivy_report(tmp_path / "stale.json", critical_age_days=12)
    store = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    for _ in range(2):
        proc = run_cli("sweep", "-p", "trivy", "-t", str(stale), "--store", store, "--out", str(tmp_path / "out"), "-q")
        assert proc.returncode == 1, proc.stderr
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "## Criteria over the last 2 stored sweep(s)" in summary
    row = next(line for line in summary.splitlines() if line.startswith("| CC7.1 |") and line.endswith("0/2 |"))
    assert row.count("❌") == 2
