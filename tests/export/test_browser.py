"""report.html in a real browser: headless Chromium (Debian's package) with the network blocked.

The page must load without a single request leaving it, render at desktop and phone widths, and
show the same counts as the OSCAL assessment results written from the same sweep.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Debian's chromium: apt-get install chromium (make test installs it where it runs as root)",
)
SECTIONS = [
    "Summary",
    "Criteria",
    "Passing population",
    "Attestations",
    "Waivers",
    "Collection errors",
    "Scope",
    "Versions and evidence",
]


def _oscal_results(ar: Path) -> Counter[str]:
    doc = json.loads(ar.read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for result in doc["assessment-results"]["results"]:
        for obs in result.get("observations", []):
            for p in obs.get("props", []):
                if p["name"] == "result":
                    counts[p["value"]] += 1
    return counts


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, as ``make demo`` runs it: every export format beside the OSCAL bundle."""
    from trustsweep.testing.cli import run_cli

    out = tmp_path_factory.mktemp("demo") / "demo-out"
    proc = run_cli(
        "demo",
        "--out",
        str(out),
        "--quiet",
        "--export",
        "html",
        "--export",
        "csv",
        "--export",
        "ocsf",
        "--export",
        "junit",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_demo_writes_every_format(demo_out: Path) -> None:
    import csv

    for name in ("report.html", "results.csv", "criteria.csv", "findings.ocsf.jsonl", "junit.xml"):
        assert (demo_out / name).stat().st_size > 0, name
    oscal = _oscal_results(demo_out / "assessment-results.json")
    with (demo_out / "results.csv").open(encoding="utf-8", newline="") as fh:
        assert Counter(row["status"] for row in csv.DictReader(fh)) == oscal
    lines = (demo_out / "findings.ocsf.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == oscal["fail"] + oscal["error"]


@needs_chromium
def test_demo_report_in_chromium(demo_out: Path, tmp_path: Path) -> None:
    _check_in_chromium(demo_out, tmp_path)


@needs_chromium
def test_hostile_report_in_chromium(sweep, export, tmp_path: Path) -> None:
    from trustsweep.oscal import write_bundle

    out = export("html")
    write_bundle(sweep, out)
    _check_in_chromium(out, tmp_path, errors_expected=True)


def _check_in_chromium(out: Path, tmp_path: Path, errors_expected: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    oscal = _oscal_results(out / "assessment-results.json")
    page_url = (out / "report.html").as_uri()
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
            context.route(
                "**/*",
                lambda route: (
                    requests.append(route.request.url),
                    route.continue_() if route.request.url == page_url else route.abort(),
                ),
            )
            page = context.new_page()
            page.goto(page_url)
            headings = page.locator("h2").all_inner_texts()
            for section in SECTIONS:
                assert section in headings, (section, headings)
            assert any(h.startswith("Failures and errors") for h in headings)
            assert page.locator("#criteria-table thead th").all_inner_texts()[:3] == ["criterion", "title", "state"]
            assert page.locator("#criteria-table tbody tr").count() == 61
            problems = page.locator("#problems tbody tr").count()
            assert problems == oscal["fail"] + oscal["error"]
            # filtering is a user's first move: failures only, then errors only
            page.select_option("select[name=status]", "fail")
            assert page.locator("#problems tbody tr:not([hidden])").count() == int(page.locator("#shown").inner_text())
            assert 0 < int(page.locator("#shown").inner_text()) <= oscal["fail"]
            if errors_expected:
                page.select_option("select[name=status]", "error")
                assert int(page.locator("#shown").inner_text()) == oscal["error"] > 0
            assert not page.locator("script:not(:last-of-type), img").count()
            page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=False)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(tmp_path / "report-390.png"), full_page=False)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
        finally:
            browser.close()
    assert requests == [page_url], requests
    assert (tmp_path / "report-1280.png").stat().st_size > 10_000
    assert (tmp_path / "report-390.png").stat().st_size > 5_000
