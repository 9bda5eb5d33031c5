"""The least-privilege role in docs/azure-role.json covers exactly the operations a sweep makes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from azure_estates import checks_estate
from azure_helpers import sweep

ROLE = Path(__file__).resolve().parents[2] / "docs" / "azure-role.json"


def action_of(line: str) -> str:
    """The Azure RBAC action an ARM request needs (``GET /subscriptions/…/providers/NS/type/name`` → ``NS/type/read``)."""
    method, _, path = line.partition(" ")
    if re.fullmatch(r"/providers/microsoft\.resourcegraph/resources", path, re.I):
        return "microsoft.resourcegraph/resources/read"
    parts = [p for p in path.split("/") if p]
    if "providers" not in [p.lower() for p in parts]:
        return "microsoft.resources/subscriptions/read"
    index = max(i for i, p in enumerate(parts) if p.lower() == "providers")
    namespace, rest = parts[index + 1], parts[index + 2 :]
    types = rest[0::2]
    assert method == "GET", line
    return "/".join([namespace, *types, "read"]).lower()


def test_role_covers_every_request_and_nothing_more(fake, azure_registry) -> None:
    sweep(fake, azure_registry, checks_estate())
    role = json.loads(ROLE.read_text())
    arm_lines = [line for line in fake.requests if " /v1.0/" not in line]
    used = {action_of(line) for line in arm_lines}
    granted = {a.lower() for a in role["Actions"]}
    assert used <= granted, sorted(used - granted)
    # the rest is needed by Resource Graph, which returns only the resources the caller may read
    through_graph = {
        "microsoft.management/managementgroups/read",
        "microsoft.authorization/roleassignments/read",
        "microsoft.authorization/roledefinitions/read",
        "microsoft.compute/disks/read",
        "microsoft.compute/virtualmachines/read",
        "microsoft.network/networksecuritygroups/read",
        "microsoft.network/networkwatchers/flowlogs/read",
        "microsoft.recoveryservices/vaults/read",
        "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems/read",
        "microsoft.security/pricings/read",
        "microsoft.security/assessments/read",
        "microsoft.security/assessments/subassessments/read",
    }
    assert granted - used == through_graph - used, sorted((granted - used) ^ (through_graph - used))
    graph_paths = {line.split(" ")[1] for line in fake.requests if " /v1.0/" in line}
    documented = {p.split(" ")[1] for paths in role["MicrosoftGraphApplicationPermissions"].values() for p in paths}
    assert graph_paths == documented
    assert all(line.startswith(("GET ", "POST /providers/Microsoft.ResourceGraph")) for line in fake.requests)
