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
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium: apt-get install chromium "
                                "(make test installs it where it runs as root)")
SECTIONS = ["Summary", "Criteria", "Passing population", "Attestations", "Waivers", "Collection errors", "Scope",
            "Versions and evidence"]


def _oscal_results(ar: Path) -> Counter[str]:
    doc = json.loads(ar.read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for result in doc["assessment-results"]["results"]:
        for obs in result.get("observations", []):
            for p in obs.get("props", []):
                if p["name"] == "result":
                    counts[p["value"]] += 1
    return counts


def test_report_in_chromium(sweep, export, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from trustsweep.oscal import write_bundle

    out = export("html")
    write_bundle(sweep, out)
    oscal = _oscal_results(out / "assessment-results.json")
    page_url = (out / "report.html").as_uri()
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: (requests.append(route.request.url),
                                                 route.continue_() if route.request.url == page_url else route.abort()))
            page = context.new_page()
            page.goto(page_url)
            headings = page.locator("h2").all_inner_texts()
            for section in SECTIONS:
                assert section in headings, (section, headings)
            assert any(h.startswith("Failures and errors") for h in headings)
            assert page.locator("#criteria-table thead th").all_inner_texts()[:3] == ["criterion", "title", "state"]
            assert page.locator("#criteria-table tbody tr").count() == len(sweep.findings)
            problems = page.locator("#problems tbody tr").count()
            assert problems == oscal["fail"] + oscal["error"]
            # filtering is a user's first move: errors only
            page.select_option("select[name=status]", "error")
            assert int(page.locator("#shown").inner_text()) == oscal["error"]
            assert page.locator("#problems tbody tr:not([hidden])").count() == oscal["error"]
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
