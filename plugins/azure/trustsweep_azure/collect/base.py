"""The Azure collector context: the unit's session, the Resource Graph query of a shared unit,
and the per-resource reads of Resource Manager that mark one resource, never the whole unit.

Resource Graph units are *shared units* (:meth:`..provider.AzureProvider.shared_work`): one unit
per table and batch of subscriptions runs the paged query once and files each row under its
subscription (``ctx.members``). Resource Manager units read what Graph lacks, one subscription
each. Read-only: only GETs, plus the Resource Graph query POST. Every request is counted by the
session's pipeline policy on the unit that makes it (and paced by its budgets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from trustsweep.plugin import Collector, Resource, Target, WorkUnit, describe_exception

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


class AzureCollector(Collector):
    """One Azure unit of work: a subscription (the target) and one service."""

    provider = "azure"

    def __init__(self, unit: WorkUnit) -> None:
        super().__init__(unit)
        self.settings: Settings = unit.options["settings"]

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

    def graph_rows(self, table: str) -> Iterator[tuple[Target, dict[str, Any]]]:
        """Every row of ``table`` for this shared unit's member subscriptions, with its member.

        One paged query (``$skipToken``) for the whole batch; a row of any other subscription is
        dropped. A failed query raises, which errors the unit's types for every member.
        """
        members = {m.id.lower(): m for m in self.members}
        query = graph_query(table, self.options.get("regions") or ())
        for row in self.session.graph_rows(query, subscriptions=[m.id for m in self.members]):
            member = members.get(str(row.get("subscriptionId") or "").lower())
            if member is not None:
                yield member, row

    # -- adding resources -----------------------------------------------------------------------

    def in_regions(self, location: str | None) -> bool:
        """Whether a resource in ``location`` is in the regions swept (all when none were named)."""
        regions = self.options.get("regions") or ()
        return not regions or region_of(location) in {r.lower() for r in regions}

    def add_at(
        self,
        type_: str,
        doc: dict[str, Any],
        name: str | None = None,
        *,
        member: Target | None = None,
        **properties: Any,
    ) -> Resource:
        """Add the resource an ARM document or Graph row describes (its id, name and location),
        under ``member`` in a shared unit."""
        return self.add(
            type_,
            doc["id"],
            name if name is not None else str(doc.get("name") or ""),
            region=region_of(doc.get("location")),
            **self._under(member),
            **properties,
        )

    def fact(self, type_: str, suffix: str, *, member: Target | None = None, **properties: Any) -> Resource:
        """A subscription-level fact modelled as a resource with a stable native-like id (of
        ``member`` in a shared unit, else of the unit's subscription)."""
        owner = member or self.target
        return self.add(
            type_,
            f"/subscriptions/{owner.id}/{suffix}",
            owner.name or owner.id,
            region=GLOBAL,
            **self._under(member),
            **properties,
        )

    @staticmethod
    def _under(member: Target | None) -> dict[str, Any]:
        """The ``target=`` of :meth:`add` that files a resource under a shared unit's member."""
        return {} if member is None else {"target": member.id}

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
