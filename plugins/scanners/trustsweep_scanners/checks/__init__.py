"""Checks: remediation SLAs per severity (``sla``) and report freshness (``report``)."""
