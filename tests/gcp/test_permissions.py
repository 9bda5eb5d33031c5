"""The shipped least-privilege role (docs/gcp-role.yaml) covers exactly the API calls a sweep makes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from trustsweep_gcp.emulator import FakeGcp, seed_northwind

ROLE = Path(__file__).resolve().parents[2] / "docs" / "gcp-role.yaml"
_CONTENT_PERMISSION = {
    "1": "cloudasset.assets.listResource",
    "2": "cloudasset.assets.listIamPolicy",
    "4": "cloudasset.assets.listOrgPolicy",
}


def permission_of(request: str) -> str:
    url = urlsplit(request)
    if re.fullmatch(r"/v1/[^/]+/[^/]+/assets", url.path):
        return _CONTENT_PERMISSION[parse_qs(url.query)["contentType"][0]]
    if url.path.endswith("/findings"):
        return "securitycenter.findings.list"
    raise AssertionError(f"a request no permission in the role explains: {request}")


def test_role_matches_the_calls_of_a_sweep(gcp_fake: FakeGcp, run_gcp) -> None:
    seed_northwind(gcp_fake)
    run_gcp(scope="organizations/4471")
    run_gcp(targets=["nw-sandbox"])  # without a scope: the project's own ancestry lookup
    used = {permission_of(line) for line in gcp_fake.state.log}
    role = set(yaml.safe_load(ROLE.read_text())["includedPermissions"])
    assert used == role
    assert all(not p.split(".")[-1].startswith(("set", "create", "delete", "update")) for p in role)
