"""Real recorded Azure exchanges (tests/fixtures/azure/arm-recordings) served by the fake.

The recorded Resource Manager responses are served at their recorded paths, the recorded Resource
Graph table is converted to objectArray rows; the plugin then collects them through the SDK.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from azure_helpers import by_name, sweep

from trustsweep.model import Status
from trustsweep_azure.emulator import AzureEstate

SUB = "ea42f556-5106-4743-99b0-c129bfa71a47"
RECORDINGS = Path(__file__).resolve().parents[2] / "fixtures" / "azure" / "arm-recordings"


def _interaction(name: str, index: int) -> tuple[str, Any]:
    item = json.loads((RECORDINGS / name).read_text())["interactions"][index]
    body = item["response"]["body"]
    if isinstance(body, dict) and "string" in body:
        body = body["string"]
    if isinstance(body, str):
        body = json.loads(body)
    if isinstance(body, dict) and set(body) == {"data"}:
        body = body["data"]
    return urlsplit(item["request"]["uri"]).path, body


def _graph_row(item: dict[str, Any]) -> dict[str, Any]:
    """An ARM list item as Resource Graph returns it (lower-case type, subscription and group columns)."""
    parts = item["id"].split("/")
    group = parts[4] if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""
    return {
        **item,
        "type": item["type"].lower(),
        "subscriptionId": SUB,
        "resourceGroup": group.lower(),
        "tags": item.get("tags") or {},
        "properties": item.get("properties") or {},
    }


def recorded_estate() -> AzureEstate:
    e = AzureEstate()
    e.add_subscription("Recorded", SUB)
    # Resource Graph: the recorded table-format answer, as objectArray rows
    _, graph = _interaction("ResourceGraphSource.test_resource_graph_and_arm_sources_storage_are_equivalent.json", 1)
    columns = [c["name"] for c in graph["data"]["columns"]]
    for values in graph["data"]["rows"]:
        e.row("resources", dict(zip(columns, values)))
    for name, index, table in (
        ("StorageTest.test_storage_settings_require_secure_transfer_min_tls_version.json", 0, "resources"),
        ("NetworkSecurityGroupTest.test_open_ports.json", 0, "resources"),
        ("DiskTest.test_find_by_name.json", 0, "resources"),
        ("AccessControlTest.test_find_assignments_by_role.json", 0, "authorizationresources"),
        ("DefenderTest.test_azure_defender_pricing.json", 0, "securityresources"),
        ("DefenderTest.test_azure_defender_assessments.json", 0, "securityresources"),
    ):
        _, body = _interaction(name, index)
        for item in body["value"]:
            e.row(table, _graph_row(item))
    # Resource Manager: recorded documents at their recorded paths
    for name, index in (
        ("SqlServerTest.firewall.json", 0),
        ("SqlServerTest.firewall.json", 1),
        ("WebAppTest.test_find_by_min_tls.json", 0),
        ("WebAppTest.test_find_by_min_tls.json", 1),
        ("SubscriptionDiagnosticSettingsFilterTest.diag.json", 1),
        ("DefenderTest.test_azure_defender_contacts.json", 0),
    ):
        path, body = _interaction(name, index)
        e.put(path, body.get("value", body))
    server = "/subscriptions/ea42f556-5106-4743-99b0-c129bfa71a47/resourceGroups/test_sqlserver/providers/Microsoft.Sql/servers/cctestsqlserverj6y6cbbtaphs4"
    _, auditing = _interaction("SqlServerTest.auditing.json", 1)
    e.put(f"{server}/auditingSettings/default", auditing)
    # the diagnostic setting's destination, which the recording does not include
    e.storage_account(SUB, "cfbtjmypwym", rg="cfb-tjmypwym")
    return e


def test_recorded_estate(fake, azure_registry) -> None:
    s = sweep(fake, azure_registry, recorded_estate())
    assert not s.collection_errors, s.collection_errors
    r = by_name(s)
    # Graph row recorded with supportsHttpsTrafficOnly false
    assert r[("azure.storage.secure_transfer", "cctstoragey6akyqpagdt3o")].status is Status.FAIL
    # ARM item recorded with HTTPS on, TLS1_0, public access off, firewall open
    assert r[("azure.storage.secure_transfer", "cctstoragevbnu36vrszu5c")].status is Status.PASS
    assert r[("azure.storage.min_tls", "cctstoragevbnu36vrszu5c")].status is Status.FAIL
    assert r[("azure.storage.no_public_blob", "cctstoragevbnu36vrszu5c")].status is Status.PASS
    assert r[("azure.storage.default_network_deny", "cctstoragevbnu36vrszu5c")].status is Status.FAIL
    # c7n-nsg: 22 is denied inbound and allowed only outbound; 88-90 is open, which is not an admin port
    assert r[("azure.network.nsg_no_open_admin_ports", "c7n-nsg")].status is Status.PASS
    assert r[("azure.network.nsg_flow_logs", "c7n-nsg")].status is Status.FAIL
    # many Owners at subscription scope and above
    owners = r[("azure.iam.owner_count", "Recorded")]
    assert owners.status is Status.FAIL and len(owners.evidence["owners"]) > 3
    # Containers plan on Free
    plans = r[("azure.defender.plans_enabled", "Recorded")]
    assert plans.status is Status.FAIL and "Containers" in plans.reason
    assert r[("azure.defender.security_contact", "Recorded")].status is Status.PASS
    # a recorded Defender assessment that is Healthy
    assert r[("azure.defender.recommendation_sla", "test-140asbvmnetrecomm")].status is Status.PASS
    # SQL server: no minimal TLS set, firewall admits 1.2.2.128/25 and Azure services only, auditing on
    assert r[("azure.sql.min_tls", "cctestsqlserverj6y6cbbtaphs4")].status is Status.FAIL
    assert r[("azure.sql.no_open_firewall", "cctestsqlserverj6y6cbbtaphs4")].status is Status.PASS
    assert r[("azure.sql.auditing", "cctestsqlserverj6y6cbbtaphs4")].status is Status.PASS
    # web app: httpsOnly false, minTlsVersion 1.0
    assert r[("azure.web.https_only", "cctestwebappc129bfa71a47")].status is Status.FAIL
    assert r[("azure.web.min_tls", "cctestwebappc129bfa71a47")].status is Status.FAIL
    # activity log: Security and Administrative to a storage account without a deletion rule
    assert r[("azure.monitor.activity_log_retained", "Recorded")].status is Status.PASS
    # recorded disks carry no encryption block: platform-managed keys, the Azure default
    disks = [v for (c, _), v in r.items() if c == "azure.compute.disk_encryption"]
    assert disks and {d.status for d in disks} == {Status.PASS}
