"""The fake itself: it records every request as "VERB operation", reports writes, and serves the demo."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trustsweep_gcp.emulator import FakeGcp, demo_emulator


def _call(fake: FakeGcp, method: str, path: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        fake.endpoint + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_reads_are_operations_and_not_writes(gcp_fake: FakeGcp) -> None:
    gcp_fake.add_project("p", "1")
    assert _call(gcp_fake, "GET", "/v1/projects/p/assets?contentType=1") == 200
    assert _call(gcp_fake, "GET", "/v1/projects/p/sources/-/findings") == 200
    assert gcp_fake.operations() == ["GET ListAssets", "GET ListFindings"]
    assert gcp_fake.writes() == []


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("POST", "/v1/projects/p:exportAssets", "POST ExportAssets"),
        ("PATCH", "/v1/projects/p/sources/1/findings/f1", "PATCH UpdateFinding"),
        ("DELETE", "/v1/projects/p/feeds/f", "DELETE /v1/projects/p/feeds/f"),
    ],
)
def test_a_write_request_is_refused_and_reported(gcp_fake: FakeGcp, method: str, path: str, operation: str) -> None:
    assert _call(gcp_fake, method, path, {"outputConfig": {}}) == 405
    assert gcp_fake.writes() == [operation]
    assert gcp_fake.operations() == [operation]


def test_demo_emulator_serves_the_northwind_estate_and_reports_its_requests(tmp_path: Path) -> None:
    with demo_emulator(tmp_path / "gcp") as env:
        endpoint = env.env["TRUSTSWEEP_GCP_ENDPOINT"]
        assert endpoint.startswith("http://127.0.0.1:")
        assert env.options == {"scope": "organizations/4471"}
        assert env.targets == ["nw-analytics", "nw-prod-data", "nw-sandbox"]
        assert env.requests is not None and env.writes is not None and env.requests() == []
        urllib.request.urlopen(endpoint + "/v1/organizations/4471/assets?contentType=1", timeout=5).read()
        assert env.requests() == ["GET ListAssets"] and env.writes() == []
        request = urllib.request.Request(endpoint + "/v1/organizations/4471:exportAssets", data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
        assert env.writes() == ["POST ExportAssets"]
