"""JUnit XML: valid against the format's schema, and what a CI parser reads matches the sweep."""

from __future__ import annotations

from pathlib import Path

import junitparser
import xmlschema

from trustsweep.export.junit import _overall_verdict

XSD = Path(__file__).resolve().parents[1] / "fixtures" / "junit" / "junit.xsd"


def test_valid_against_schema(export) -> None:
    xmlschema.XMLSchema(XSD).validate(export("junit") / "junit.xml")


def test_overall_suite_matches_findings(sweep, export) -> None:
    xml = junitparser.JUnitXml.fromfile(str(export("junit") / "junit.xml"))
    suites = {s.name: s for s in xml}
    assert set(suites) == {*sweep.providers, "soc2"}
    cases = {c.name.split()[0]: c for c in suites["soc2"]}
    assert list(cases) == [f.criterion_id for f in sweep.findings]
    for finding in sweep.findings:
        verdict, _ = _overall_verdict(finding)
        kinds = {type(r).__name__.lower() for r in cases[finding.criterion_id].result}
        expected = {"pass": set(), "failure": {"failure"}, "error": {"error"}, "skipped": {"skipped"}}[verdict]
        assert kinds == expected, finding.criterion_id
    overall = suites["soc2"]
    assert overall.tests == len(sweep.findings)
    assert overall.errors == sum(1 for f in sweep.findings if f.basis.value == "incomplete")


def test_provider_suite_lists_failing_results(sweep, export) -> None:
    xml = junitparser.JUnitXml.fromfile(str(export("junit") / "junit.xml"))
    suite = next(s for s in xml if s.name == "synthetic")
    cases = {c.name.split()[0]: c for c in suite}
    # every criterion mapped to a synthetic check has a case; the failed unit makes them errors
    assert set(cases) == {"CC6.1", "CC6.7", "CC2.1"}
    for case in cases.values():
        (outcome,) = case.result
        assert isinstance(outcome, junitparser.Error)
        assert "could not collect storage in south-1" in (outcome.text or "")


def test_control_characters_do_not_break_the_xml(export) -> None:
    text = (export("junit") / "junit.xml").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x00" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text or "onerror" not in text
