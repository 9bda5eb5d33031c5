"""Pure helpers of the Azure checks (port ranges of NSG rules as the collector shapes them, TLS
versions, Azure timestamps) and the session's settings."""

from __future__ import annotations

import datetime as dt

import pytest

from trustsweep.plugin import parse_time
from trustsweep_azure.checks._util import tls_at_least
from trustsweep_azure.checks.network import open_rules
from trustsweep_azure.collect.network import security_rule


def rule(**props: object) -> dict:
    base = {
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "Tcp",
        "sourceAddressPrefix": "*",
        "destinationPortRange": "22",
    }
    base.update(props)
    return {"name": "r", "properties": base}


@pytest.mark.parametrize(
    ("props", "open_"),
    [
        ({}, True),
        ({"destinationPortRange": "3389"}, True),
        ({"destinationPortRange": "*"}, True),
        ({"destinationPortRange": None, "destinationPortRanges": ["80", "20-30"]}, True),
        ({"destinationPortRange": None, "destinationPortRanges": ["80", "443"]}, False),
        ({"sourceAddressPrefix": "Internet"}, True),
        ({"sourceAddressPrefix": None, "sourceAddressPrefixes": ["10.0.0.0/8", "0.0.0.0/0"]}, True),
        ({"sourceAddressPrefix": "203.0.113.0/24"}, False),
        ({"access": "Deny"}, False),
        ({"direction": "Outbound"}, False),
        ({"protocol": "Icmp", "destinationPortRange": "*"}, False),
        ({"destinationPortRange": "0-65535", "protocol": "Udp"}, True),
    ],
)
def test_open_rules(props: dict, open_: bool) -> None:
    assert bool(open_rules([security_rule(rule(**props))])) is open_


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("TLS1_2", True),
        ("TLS1_3", True),
        ("1.2", True),
        ("1.3", True),
        ("TLS1_0", False),
        ("1.1", False),
        ("None", False),
        (None, False),
    ],
)
def test_tls_at_least(value: object, ok: bool) -> None:
    assert tls_at_least(value, "1.2") is ok


def test_parse_time_takes_azure_seven_digit_fractions() -> None:
    when = parse_time("2019-10-08T00:29:01.6583180Z")
    assert when == dt.datetime(2019, 10, 8, 0, 29, 1, 658318, tzinfo=dt.UTC)
    assert parse_time("2024-03-04T10:11:12+00:00").tzinfo is not None
    assert parse_time("") is None and parse_time("yesterday") is None


def test_settings_clouds_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from trustsweep.errors import UserError
    from trustsweep_azure.settings import Settings

    monkeypatch.delenv("TRUSTSWEEP_AZURE_ENDPOINT", raising=False)
    monkeypatch.delenv("TRUSTSWEEP_AZURE_CA_BUNDLE", raising=False)
    assert Settings.from_options({}).arm_url == "https://management.azure.com"
    gov = Settings.from_options({"cloud": "usgov"})
    assert (gov.arm_url, gov.graph_url) == ("https://management.usgovcloudapi.net", "https://graph.microsoft.us")
    assert Settings.from_options({"cloud": "China"}).arm_url == "https://management.chinacloudapi.cn"
    for bad in ({"cloud": "mars"}, {"page_size": 5000}, {"max_attempts": "many"}, {"read_timeout_seconds": -1}):
        with pytest.raises(UserError):
            Settings.from_options(bad)
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setenv("TRUSTSWEEP_AZURE_ENDPOINT", "https://127.0.0.1:8443/")
    monkeypatch.setenv("TRUSTSWEEP_AZURE_CA_BUNDLE", str(ca))
    local = Settings.from_options({"cloud": "usgov"})
    assert local.arm_url == local.graph_url == "https://127.0.0.1:8443"
    monkeypatch.setenv("TRUSTSWEEP_AZURE_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(UserError, match="file not found"):
        Settings.from_options({})
