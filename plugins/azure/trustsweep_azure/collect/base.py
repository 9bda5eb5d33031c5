"""The Azure collector context: the unit's session, its share of a batched Resource Graph query,
and the per-resource reads of Resource Manager that mark one resource, never the whole unit.

Resource Graph units share one batched query per batch of subscriptions (:mod:`..batch`);
Resource Manager units read what Graph lacks. Read-only: only GETs, plus the Resource Graph query
POST. Requests are counted by the session's pipeline policy on the running unit; those a batched
query made in a background thread are counted here, once, by the first unit that takes its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from trustsweep.budget import pacing
from trustsweep.plugin import Collector, RequestCounter, Resource, WorkUnit, counting, describe_exception

from .. import batch
from ..session import Session, session
from ..settings import Settings

T = TypeVar("T")
GLOBAL = "global"

# Resource Graph: table → ARM types read from it (lower case, as Graph returns them)
# (the `resources` table is read in three independent queries so that their pages arrive in parallel)
GRAPH_TYPES: dict[str, tuple[str, ...]] = {
    "resources:storage": ("microsoft.storage/storageaccounts",),
    "resources:compute": ("microsoft.compute/disks", "microsoft.compute/virtualmachines"),
    "resources:network": ("microsoft.network/networksecuritygroups", "microsoft.network/networkwatchers/flowlogs"),
    "authorizationresources": ("microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"),
    "securityresources": (
        "microsoft.security/pricings",
        "microsoft.security/assessments",
        "microsoft.security/assessments/subassessments",
    ),
    "recoveryservicesresources": (
        "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems",
    ),
}
COLUMNS = "id, name, type, location, resourceGroup, subscriptionId, tags, sku, kind, properties"

API = {
    "diagnostic_settings": "2021-05-01-preview",
    "workspace": "2022-10-01",
    "storage": "2023-01-01",
    "sql": "2021-11-01",
    "web": "2023-12-01",
    "keyvault": "2023-07-01",
    "security_contacts": "2020-01-01-preview",
}


class Gone(Exception):
    """The resource was deleted while it was being read."""


def graph_query(table: str, regions: Iterable[str] = ()) -> str:
    """The KQL for one table: its types, optionally some locations, a stable order for paging."""
    types = ", ".join(f"'{t}'" for t in GRAPH_TYPES[table])
    where = f"type in~ ({types})"
    locations = [r for r in regions if r]
    if locations and table.startswith("resources"):
        where += " and location in~ (" + ", ".join(f"'{r.lower()}'" for r in locations) + ")"
    return f"{table.split(':')[0]} | where {where} | project {COLUMNS} | order by id asc"


def region_of(location: str | None) -> str:
    """An ARM location as a region name (``West Europe`` → ``westeurope``; none → ``global``)."""
    return (location or GLOBAL).lower().replace(" ", "")


def _fetcher(unit: WorkUnit, table: str) -> tuple[tuple[Any, ...], list[str], batch.Fetch]:
    """The batch key, its members and the query of one table for this unit's batch."""
    members: list[str] = unit.options["batch"]
    settings: Settings = unit.options["settings"]
    query = graph_query(table, unit.options.get("regions") or ())
    key = (unit.options["run"], table, tuple(members))

    def fetch() -> tuple[list[tuple[str, Any]], int]:
        # this query's requests, counted and paced by the unit's budgets, whichever thread runs it
        with counting(RequestCounter()) as counter, pacing(unit):
            try:
                pairs = [
                    (str(row.get("subscriptionId") or ""), row)
                    for row in session(settings).graph_rows(query, subscriptions=members)
                ]
            except Exception as exc:
                exc.requests = counter.requests  # type: ignore[attr-defined]
                raise
        return pairs, counter.requests

    return key, members, fetch


class AzureCollector(Collector):
    """One Azure unit of work: a subscription (the target) and one service."""

    provider = "azure"

    def __init__(self, unit: WorkUnit) -> None:
        super().__init__(unit)
        self.settings: Settings = unit.options["settings"]
        self._prefetch()

    @property
    def session(self) -> Session:
        """This thread's clients for the unit's settings."""
        return session(self.settings)

    @property
    def subscription(self) -> str:
        return self.target.id

    def describe(self, exc: BaseException) -> str:
        """The session's errors already name the call and the status; others get their type."""
        if type(exc).__name__ in ("AzureCallError", "RuntimeError"):
            return str(exc).splitlines()[0][:400] if str(exc) else type(exc).__name__
        return describe_exception(exc)

    # -- Resource Graph -------------------------------------------------------------------------

    def _prefetch(self) -> None:
        """Start every Resource Graph query of this unit's batch in the background (main process only)."""
        if "batch" not in self.unit.options or not batch.in_main_process():
            return
        for table in GRAPH_TYPES:
            batch.start(*_fetcher(self.unit, table))

    def graph_rows(self, table: str) -> list[dict[str, Any]]:
        """This subscription's rows of the batched query over ``table``."""
        key, members, fetch = _fetcher(self.unit, table)
        rows, requests = batch.take(key, self.subscription, members, fetch)
        self.count(requests)
        return rows

    # -- adding resources -----------------------------------------------------------------------

    def in_regions(self, location: str | None) -> bool:
        """Whether a resource in ``location`` is in the regions swept (all when none were named)."""
        regions = self.options.get("regions") or ()
        return not regions or region_of(location) in {r.lower() for r in regions}

    def add_at(self, type_: str, doc: dict[str, Any], name: str | None = None, **properties: Any) -> Resource:
        """Add the resource an ARM document or Graph row describes (its id, name and location)."""
        return self.add(
            type_,
            doc["id"],
            name if name is not None else str(doc.get("name") or ""),
            region=region_of(doc.get("location")),
            **properties,
        )

    def fact(self, type_: str, suffix: str, **properties: Any) -> Resource:
        """A subscription-level fact modelled as a resource with a stable native-like id."""
        return self.add(
            type_,
            f"/subscriptions/{self.subscription}/{suffix}",
            self.target.name or self.subscription,
            region=GLOBAL,
            **properties,
        )

    # -- per-resource reads ---------------------------------------------------------------------

    def read(self, props: dict[str, Any], field: str, resource_id: str, api: str, read: Callable[[], T]) -> T | None:
        """``read()`` one field of one resource; a failure marks ``field`` unread in ``props``.

        A 404 whose resource is gone too raises :class:`Gone` (record the resource as vanished).
        """
        try:
            return read()
        except Exception as exc:
            if getattr(exc, "status", None) == 404 and self._gone(resource_id, api):
                raise Gone(self.describe(exc)) from None
            self.unread(props, field, exc)
            return None

    def _gone(self, resource_id: str, api: str) -> bool:
        try:
            return self.session.arm_get(resource_id, api, missing_ok=True) is None
        except Exception:
            return False

    def children(
        self, parent: dict[str, Any], what: str, types: Sequence[str], read: Callable[[], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """List one resource's children (a server's databases); a failure errors their checks for
        that parent only."""
        try:
            return read()
        except Exception as exc:
            self.fail(types, exc, service=f"{self.unit.service} {parent.get('name', parent['id'])} {what}")
            return []

    def arm_items(self, provider_path: str, api: str) -> list[dict[str, Any]]:
        """The subscription's resources of one ARM type (``Microsoft.Sql/servers``) in the regions swept."""
        path = f"/subscriptions/{self.subscription}/providers/{provider_path}"
        return [item for item in self.session.arm_list(path, api) if self.in_regions(item.get("location"))]

    def diagnostic_settings(self, resource_id: str) -> list[dict[str, Any]]:
        """A resource's diagnostic settings: name, enabled log categories, destinations."""
        found = []
        for item in self.session.arm_list(
            f"{resource_id}/providers/microsoft.insights/diagnosticSettings", API["diagnostic_settings"]
        ):
            props = item.get("properties") or {}
            found.append(
                {
                    "name": item.get("name"),
                    "logs": [
                        {
                            "category": log.get("category"),
                            "category_group": log.get("categoryGroup"),
                            "enabled": bool(log.get("enabled")),
                        }
                        for log in props.get("logs") or []
                    ],
                    "workspace_id": props.get("workspaceId"),
                    "storage_account_id": props.get("storageAccountId"),
                    "event_hub_rule_id": props.get("eventHubAuthorizationRuleId"),
                }
            )
        return found
