"""Each format read from real-shaped reports (tests/fixtures/scanners) through the real engine."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from trustsweep_scanners.collect.artifact import split_image
from trustsweep_scanners.detect import detect, load

from .conftest import FIXTURES, artifacts, findings, statuses, sweep


def test_every_fixture_is_recognised_as_its_scanner() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        assert detect(load(path)) == path.name.split("-")[0], path.name


def test_trivy_image_report() -> None:
    props = artifacts(sweep(FIXTURES / "trivy-image.json"))["trivy:image:ghcr.io/northwind/orders"]
    assert props["version"].startswith("2.3.1@sha256:9b2f")
    assert props["scanned_at"] == "2026-11-20T08:14:03.512397+00:00"
    found = findings(props)
    assert set(found) == {
        ("CVE-2024-6387", "openssh-client"),
        ("CVE-2024-2961", "libc6"),
        ("CVE-2024-2961", "libc-bin"),
        ("CVE-2023-45853", "zlib1g"),
        ("CVE-2024-26458", "libkrb5-3"),
        ("CVE-2011-3374", "apt"),
        ("CVE-2024-35195", "requests"),
        ("CVE-2024-1135", "gunicorn"),
    }
    assert found[("CVE-2024-6387", "openssh-client")]["fixed"] == "1:9.2p1-2+deb12u3"
    assert found[("CVE-2023-45853", "zlib1g")]["fixed"] == ""  # will_not_fix
    # no history and no FirstSeen: the clock starts at the scan
    assert {f["seen_from"] for f in found.values()} == {"scan"}
    assert found[("CVE-2024-6387", "openssh-client")]["first_seen"] == props["scanned_at"]
    assert "AKIA" not in repr(props)  # the secret result is never read


def test_trivy_image_slas_at_a_given_time() -> None:
    result = sweep(FIXTURES / "trivy-image.json", now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    got = statuses(result, "trivy:image:ghcr.io/northwind/orders")
    # 10.7 days after the scan: the fixable CRITICAL is past 7 days, the HIGHs within 30
    assert got == {
        "scanners.vuln.critical_sla": "fail",
        "scanners.vuln.high_sla": "pass",
        "scanners.vuln.medium_sla": "pass",
        "scanners.vuln.low_sla": "pass",
        "scanners.report.recent": "fail",
    }
    failing = next(r for r in result.results if r.check_id == "scanners.vuln.critical_sla")
    assert "CVE-2024-6387 in openssh-client (10 days)" in failing.reason
    assert "zlib1g" not in failing.reason  # no fix: not judged by default


def test_trivy_filesystem_report_with_first_seen_from_the_report() -> None:
    props = artifacts(sweep(FIXTURES / "trivy-fs.json"))["trivy:filesystem:services/checkout"]
    found = findings(props)
    spawn = found[("CVE-2024-21538", "cross-spawn")]
    assert (spawn["first_seen"], spawn["seen_from"]) == ("2026-10-02T07:00:00+00:00", "report")
    assert found[("CVE-2024-4067", "micromatch")]["seen_from"] == "scan"
    result = sweep(FIXTURES / "trivy-fs.json")
    assert statuses(result, "trivy:filesystem:services/checkout")["scanners.vuln.high_sla"] == "fail"  # 59 days


def test_grype_image_report() -> None:
    props = artifacts(sweep(FIXTURES / "grype-image.json"))["grype:image:registry.example:5000/northwind/catalog"]
    assert props["version"] == "3.0.0" and props["scanned_at"] == "2026-11-21T06:45:10.902345+00:00"
    found = findings(props)
    assert found[("CVE-2024-45491", "libexpat1")] | {} == {
        **found[("CVE-2024-45491", "libexpat1")],
        "severity": "CRITICAL",
        "fixed": "2.5.0-1+deb12u1",
    }
    assert found[("CVE-2005-2541", "tar")]["severity"] == "LOW"  # Negligible
    assert found[("CVE-2023-50387", "libsystemd0")]["fixed"] == ""  # not-fixed
    assert found[("GHSA-9wx4-h78v-vm56", "requests")]["severity"] == "HIGH"
    assert "configuration" not in repr(props)


def test_grype_directory_report() -> None:
    props = artifacts(sweep(FIXTURES / "grype-dir.json"))
    assert list(props) == ["grype:directory:/builds/northwind/docs-site"]


def test_snyk_npm_report_merges_dependency_paths() -> None:
    props = artifacts(sweep(FIXTURES / "snyk-npm.json"))["snyk:project:northwind-storefront/package-lock.json"]
    found = findings(props)
    assert sorted(found) == [
        ("SNYK-JS-AXIOS-6032459", "axios"),
        ("SNYK-JS-LODASH-1040724", "lodash"),
        ("SNYK-JS-SEMVER-3247795", "semver"),
    ]
    assert found[("SNYK-JS-SEMVER-3247795", "semver")] | {} == {
        **found[("SNYK-JS-SEMVER-3247795", "semver")],
        "severity": "CRITICAL",
        "fixed": "5.7.2, 6.3.1, 7.5.2",
    }
    assert "policy" not in props


def test_snyk_container_report(tmp_path: Path) -> None:
    copy = shutil.copy(FIXTURES / "snyk-container.json", tmp_path / "payments.json")
    props = artifacts(sweep(copy))["snyk:image:northwind/payments"]
    assert props["version"] == "4.1.0"
    found = findings(props)
    assert found[("SNYK-DEBIAN12-OPENSSL-6190311", "openssl/libssl3")]["fixed"] == "3.0.13-1~deb12u1"
    assert found[("SNYK-DEBIAN12-GLIBC-5927133", "glibc/libc-bin")]["fixed"] == ""
    # Snyk writes no scan time: the file's modification time stands in
    mtime = dt.datetime.fromtimestamp(Path(copy).stat().st_mtime, dt.UTC)
    assert props["scanned_at"] == mtime.isoformat()


def test_snyk_all_projects_gives_one_artifact_per_project() -> None:
    props = artifacts(sweep(FIXTURES / "snyk-all-projects.json"))
    assert sorted(props) == [
        "snyk:project:northwind-monorepo/apps/admin/package-lock.json",
        "snyk:project:northwind-monorepo/services/report/requirements.txt",
    ]
    assert props["snyk:project:northwind-monorepo/services/report/requirements.txt"]["findings"] == []


def test_a_folder_is_searched_recursively(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "all")
    (tmp_path / "all" / "nested").mkdir()
    shutil.move(tmp_path / "all" / "grype-dir.json", tmp_path / "all" / "nested" / "docs.json")
    (tmp_path / "all" / ".cache").mkdir()
    (tmp_path / "all" / ".cache" / "junk.json").write_text("{}")  # hidden folders are skipped
    result = sweep("all", root=str(tmp_path))
    assert len(result.resources) == 8
    assert {r.target for r in result.resources} == {"all"}
    reports = {r.properties["report"] for r in result.resources}
    assert "nested/docs.json" in reports
    assert result.exit_code in (1, 0) and not result.incomplete


def test_the_newest_report_of_an_artifact_is_read(reports: Path) -> None:
    from trustsweep_scanners.emulator import trivy_report, write

    old = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    write(
        reports / "a-new.json",
        trivy_report("reg/app:2", [("CVE-1", "zlib", "HIGH", "2", None)], old + dt.timedelta(days=5)),
    )
    write(reports / "b-old.json", trivy_report("reg/app:1", [("CVE-2", "tar", "HIGH", "2", None)], old))
    [props] = artifacts(sweep(reports)).values()
    assert (props["version"], props["report"], [f["id"] for f in props["findings"]]) == ("2", "a-new.json", ["CVE-1"])


def test_image_references_lose_tag_and_digest() -> None:
    assert split_image("registry:5000/team/app:1.2") == ("registry:5000/team/app", "1.2")
    assert split_image("registry:5000/team/app") == ("registry:5000/team/app", "")
    assert split_image("app@sha256:abc") == ("app", "sha256:abc")
    assert split_image("app:1@sha256:abc") == ("app", "1@sha256:abc")


def test_byte_order_marks_are_read(tmp_path: Path) -> None:
    text = (FIXTURES / "snyk-npm.json").read_text(encoding="utf-8")
    (tmp_path / "utf8.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "powershell.json").write_bytes(text.encode("utf-16"))  # what PowerShell's `>` writes
    for name in ("utf8.json", "powershell.json"):
        [props] = artifacts(sweep(tmp_path / name)).values()
        assert len(props["findings"]) == 3, name
