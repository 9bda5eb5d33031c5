"""The plugin's emulator: the demo estate it serves, and its record of requests and writes (which the
conformance suite's read-only test relies on, so a write must show)."""

from __future__ import annotations

import json
import ssl
import urllib.request
from pathlib import Path

import pytest

from trustsweep_azure.emulator import TEST_TOKEN, FakeAzure, demo_emulator, is_write


def _send(fake: FakeAzure, method: str, path: str, body: dict | None = None) -> int:
    context = ssl.create_default_context(cafile=str(fake.ca_bundle))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{fake.url}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TEST_TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_writes_are_reported_and_reads_are_not(fake: FakeAzure) -> None:
    sub = "/subscriptions/11111111-1111-4111-8111-111111111111"
    assert _send(fake, "GET", f"{sub}/providers/Microsoft.Web/sites?api-version=2023-12-01") == 200
    assert (
        _send(
            fake,
            "POST",
            "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01",
            {"query": "resources | where type in~ ('microsoft.storage/storageaccounts')"},
        )
        == 200
    )
    assert fake.writes() == []
    assert (
        _send(
            fake,
            "PUT",
            f"{sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x?api-version=1",
            {"location": "westeurope"},
        )
        == 405
    )
    assert _send(fake, "DELETE", f"{sub}/resourceGroups/rg?api-version=1") == 405
    assert _send(fake, "POST", f"{sub}/providers/Microsoft.Security/pricings/x/reset?api-version=1", {}) != 200
    assert fake.writes() == [
        f"PUT {sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x",
        f"DELETE {sub}/resourceGroups/rg",
        f"POST {sub}/providers/Microsoft.Security/pricings/x/reset",
    ]
    assert len(fake.served()) == 5


@pytest.mark.parametrize(
    ("line", "write"),
    [
        ("GET /subscriptions", False),
        ("POST /providers/Microsoft.ResourceGraph/resources", False),
        ("PATCH /subscriptions/x", True),
        ("POST /subscriptions/x/listKeys", True),
        ("PUT /x", True),
    ],
)
def test_is_write(line: str, write: bool) -> None:
    assert is_write(line) is write


def test_demo_emulator_estate(azure_registry, tmp_path: Path, monkeypatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from trustsweep.sweep import run_sweep

    with demo_emulator(tmp_path) as env:
        for key, value in env.env.items():
            monkeypatch.setenv(key, value)
        registry, mapping = azure_registry
        with ThreadPoolExecutor(8) as pool:
            s = run_sweep(
                registry,
                mapping,
                providers=["azure"],
                targets=env.targets,
                provider_options={"azure": env.options},
                executor=pool,
            )
        assert env.requests is not None and env.writes is not None
        served = env.requests()
        assert served and env.writes() == []
    counts = s.counts()
    assert counts["pass"] > 10 and counts["fail"] > 10 and counts["error"] == 0
    assert s.exit_code == 1
    assert len(s.targets) == 2
    assert s.stats["requests"] == len(served) - 2  # all but the two subscription reads, counted by units
