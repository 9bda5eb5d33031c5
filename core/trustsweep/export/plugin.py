"""The built-in export formats, declared through the same hook a third-party format uses."""

from __future__ import annotations

from ..hookspecs import hookimpl
from . import ExporterSpec


@hookimpl
def trustsweep_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            "csv",
            "trustsweep.export.csv_population:write",
            ("results.csv", "criteria.csv"),
            "one row per check result and one per criterion: the population an auditor samples",
        ),
        ExporterSpec(
            "ocsf",
            "trustsweep.export.ocsf:write",
            ("findings.ocsf.jsonl",),
            "OCSF 1.5 Compliance Findings (class 2003), JSON Lines, for a SIEM or Security Lake; "
            "option 'passes' adds passing results",
            options=("passes",),
        ),
        ExporterSpec(
            "junit",
            "trustsweep.export.junit:write",
            ("junit.xml",),
            "JUnit XML: a suite per provider, a test case per criterion, for CI systems",
        ),
        ExporterSpec(
            "html",
            "trustsweep.export.html:write",
            ("report.html",),
            "one self-contained HTML report (no network) for the people around the audit",
        ),
    ]
