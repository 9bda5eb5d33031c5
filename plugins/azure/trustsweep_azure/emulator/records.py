"""Ids and constants the fake Azure estate is built from."""

from __future__ import annotations

import datetime as dt
import uuid

TEST_TOKEN = "trustsweep-static-test-token"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR_ROLE = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
AZURE_MANAGEMENT_APP = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"


def stable_id(*parts: str) -> str:
    """A UUID derived from ``parts``: the same estate gets the same ids every time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "trustsweep-azure:" + "/".join(parts)))


def azure_time(when: dt.datetime) -> str:
    """A time as Azure writes it (UTC, fractional seconds, ``Z``)."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
