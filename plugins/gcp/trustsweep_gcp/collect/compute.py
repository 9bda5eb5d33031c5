"""Compute networking: firewall rules, subnets, SSL policies and target HTTPS/SSL proxies."""

from __future__ import annotations

from typing import Any

from .convert import short, texts


def firewall(data: dict[str, Any]) -> dict[str, Any]:
    """A VPC firewall rule: direction, sources, what it allows, whether it logs."""
    return {
        "direction": str(data.get("direction") or "INGRESS"),
        "disabled": data.get("disabled") is True,
        "priority": data.get("priority"),
        "network": short(data.get("network")),
        "source_ranges": texts(data.get("sourceRanges")),
        "allowed": [
            {"protocol": str(a.get("IPProtocol") or a.get("ipProtocol") or "").lower(), "ports": texts(a.get("ports"))}
            for a in data.get("allowed") or []
        ],
        "logging": (data.get("logConfig") or {}).get("enable") is True,
    }


def subnetwork(data: dict[str, Any]) -> dict[str, Any]:
    """A VPC subnet: its purpose and whether it records flow logs."""
    return {
        "network": short(data.get("network")),
        "ip_range": str(data.get("ipCidrRange") or ""),
        "purpose": str(data.get("purpose") or ""),
        "flow_logs": (data.get("logConfig") or {}).get("enable") is True or data.get("enableFlowLogs") is True,
        "private_google_access": data.get("privateIpGoogleAccess") is True,
    }


def ssl_policy(data: dict[str, Any]) -> dict[str, Any]:
    """An SSL policy: minimum TLS version and profile (the API's defaults when unset)."""
    return {
        "self_link": str(data.get("selfLink") or ""),
        "min_tls_version": str(data.get("minTlsVersion") or "TLS_1_0"),
        "profile": str(data.get("profile") or "COMPATIBLE"),
    }


def target_proxy(data: dict[str, Any]) -> dict[str, Any]:
    """A target HTTPS or SSL proxy: the SSL policy it uses (URL; empty for Google's default)."""
    return {"ssl_policy": str(data.get("sslPolicy") or "")}
