"""The plugin conformance suite, as every trustsweep plugin runs it."""

from __future__ import annotations

from trustsweep.testing.conformance import Case, PluginConformance

FIXED_OLD = {"id": "CVE-1", "package": "openssl", "fixed": "3.0.13", "since": "2020-01-01T00:00:00+00:00"}
FIXED_NEW = {**FIXED_OLD, "since": "2999-01-01T00:00:00+00:00"}


class TestConformance(PluginConformance):
    plugin = "trivy"
    cases = [
        Case("trivy.vuln.critical_sla", "pass", {"vulnerabilities": [{**FIXED_NEW, "severity": "CRITICAL"}]}),
        Case(
            "trivy.vuln.critical_sla",
            "pass",
            {"vulnerabilities": [{**FIXED_OLD, "severity": "CRITICAL", "fixed": ""}]},
            why="no fix available yet",
        ),
        Case("trivy.vuln.critical_sla", "fail", {"vulnerabilities": [{**FIXED_OLD, "severity": "CRITICAL"}]}),
        Case("trivy.vuln.high_sla", "pass", {"vulnerabilities": [{**FIXED_OLD, "severity": "CRITICAL"}]}),
        Case("trivy.vuln.high_sla", "fail", {"vulnerabilities": [{**FIXED_OLD, "severity": "HIGH"}]}),
        Case("trivy.vuln.high_sla", "pass", {"vulnerabilities": [{**FIXED_NEW, "severity": "HIGH"}]}),
    ]
