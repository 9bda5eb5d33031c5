"""A local fake of Azure Resource Manager, Resource Graph and the Microsoft Graph bits trustsweep reads.

It serves HTTPS with a certificate from a throw-away CA (``trustme``), so the Azure SDK's real
bearer-token policy runs (it refuses plain http). Plugin authors and tests use it like this::

    from trustsweep_azure.emulator import AzureEstate, FakeAzure

    estate = AzureEstate()
    sub = estate.add_subscription("Prod")
    estate.storage_account(sub, "logs", https_only=False)
    with FakeAzure(estate, workdir) as fake:
        os.environ.update(fake.env())  # TRUSTSWEEP_AZURE_ENDPOINT + TRUSTSWEEP_AZURE_CA_BUNDLE
        ...

What it speaks (shapes modelled on ``tests/fixtures/azure/arm-recordings``):

* ``GET /subscriptions`` and ``/subscriptions/{id}`` (``nextLink`` paging);
* ``POST /providers/Microsoft.ResourceGraph/resources``: the table is the first word of the KQL
  query, ``type in~ ('a', 'b')`` filters types, ``location in~ (...)`` filters locations; scoped by
  ``subscriptions`` or ``managementGroups``; ``options.$top`` rows per page and ``$skipToken``;
* any other ``GET`` path registered in the estate (single documents, or collections served as
  ``{"value": [...], "nextLink": ...}``), 404 with an ARM error body otherwise;
* ``GET /v1.0/users`` (``$filter=userType eq 'Guest'``) and
  ``/v1.0/identity/conditionalAccess/policies`` with ``@odata.nextLink`` paging.

Every request must carry ``Authorization: Bearer <token>`` (401 otherwise). Faults can be injected
per request pattern: ``429`` (no Retry-After), ``429:N`` (Retry-After N s), ``429q:N`` (Resource
Graph's ``x-ms-user-quota-resets-after``), ``503``, ``500``,
``timeout`` (the response is delayed past the client's read timeout).

Every request served is logged as ``"METHOD /path"`` (:attr:`FakeAzure.requests`); :meth:`FakeAzure.writes`
lists those that would change state (anything but a GET and the Resource Graph query POST).

Modules: :mod:`.records` (ids, constants), :mod:`.estate` and :mod:`.security` (the estate
builders), :mod:`.server` (the fake and its controls), :mod:`.handler` (the HTTP handler),
:mod:`.demo` (the Northwind demo estate, a scale estate, the ``trustsweep_emulators`` factory).
Nothing here imports an Azure SDK; ``trustme`` is imported when a server starts.
"""

from __future__ import annotations

from .demo import demo_emulator, demo_estate, scale_estate
from .estate import AzureEstate
from .records import AZURE_MANAGEMENT_APP, CONTRIBUTOR_ROLE, OWNER_ROLE, READER_ROLE, TEST_TOKEN
from .server import FakeAzure, is_write

__all__ = [
    "AZURE_MANAGEMENT_APP",
    "CONTRIBUTOR_ROLE",
    "OWNER_ROLE",
    "READER_ROLE",
    "TEST_TOKEN",
    "AzureEstate",
    "FakeAzure",
    "demo_emulator",
    "demo_estate",
    "is_write",
    "scale_estate",
]
