"""The plugin conformance suite, with a passing and a failing case for every check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from trustsweep.testing.conformance import Case, PluginConformance

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def _ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


def _finding(severity: str, days: float, fixed: str = "1.2.3", ident: str = "CVE-2024-0001") -> dict[str, object]:
    return {
        "id": ident,
        "severity": severity,
        "package": "openssl",
        "installed": "1.0",
        "fixed": fixed,
        "first_seen": _ago(days),
        "seen_from": "history",
    }


def _fixed(severity: str, days: float, fixed: str = "1.2.3") -> dict[str, object]:
    return {
        "id": "CVE-2024-0002",
        "severity": severity,
        "package": "zlib",
        "fixed": fixed,
        "first_seen": _ago(days + 1),
        "remediated_at": _ago(1),
        "days": days,
    }


def _props(*findings: dict[str, object], remediated: tuple[dict[str, object], ...] = ()) -> dict[str, object]:
    return {"findings": list(findings), "remediated": list(remediated), "scanned_at": _ago(0.5), "report": "api.json"}


def _sla_cases(check: str, severity: str, limit: int) -> list[Case]:
    over, under = limit + 2, limit - 1
    return [
        Case(check, "pass", _props(), now=NOW, why="nothing found"),
        Case(check, "pass", _props(_finding(severity, under)), now=NOW, why="open within the SLA"),
        Case(check, "pass", _props(_finding(severity, over, fixed="")), now=NOW, why="no fix available yet"),
        Case(
            check,
            "pass",
            _props(_finding("UNKNOWN" if severity != "UNKNOWN" else "LOW", 999)),
            now=NOW,
            why="another severity",
        ),
        Case(check, "pass", _props(remediated=(_fixed(severity, under),)), now=NOW, why="fixed in time"),
        Case(
            check,
            "pass",
            _props(_finding(severity, over)),
            settings={"max_days": over + 5},
            now=NOW,
            why="a longer SLA set in the config",
        ),
        Case(check, "fail", _props(_finding(severity, over)), now=NOW, why="open past the SLA"),
        Case(
            check,
            "fail",
            _props(_finding(severity, over, fixed="")),
            settings={"fixable_only": False},
            now=NOW,
            why="no fix, but every finding is judged",
        ),
        Case(check, "fail", _props(remediated=(_fixed(severity, over),)), now=NOW, why="fixed, but late"),
        Case(
            check,
            "error",
            {**_props(_finding(severity, 1)), "findings": [{**_finding(severity, 1), "first_seen": None}]},
            now=NOW,
            why="a finding without a first-seen time is never a pass",
        ),
        Case(
            check, "error", {**_props(), "unread": {"findings": "report unreadable"}}, now=NOW, why="findings not read"
        ),
    ]


class TestConformance(PluginConformance):
    plugin = "scanners"
    cases: ClassVar[Sequence[Case]] = [
        *_sla_cases("scanners.vuln.critical_sla", "CRITICAL", 7),
        *_sla_cases("scanners.vuln.high_sla", "HIGH", 30),
        *_sla_cases("scanners.vuln.medium_sla", "MEDIUM", 90),
        *_sla_cases("scanners.vuln.low_sla", "LOW", 180),
        Case("scanners.report.recent", "pass", {"scanned_at": _ago(2)}, now=NOW),
        Case("scanners.report.recent", "fail", {"scanned_at": _ago(8)}, now=NOW),
        Case("scanners.report.recent", "pass", {"scanned_at": _ago(8)}, settings={"max_age_days": 10}, now=NOW),
        Case("scanners.report.recent", "error", {"scanned_at": None}, now=NOW, why="no scan time"),
    ]
