"""The Azure provider: resolve subscriptions, plan Resource Manager units per subscription and
shared units for what answers for many subscriptions at once.

Targets: ``--target SUBSCRIPTION_ID`` (repeatable), else every subscription in
``--azure-management-group ID`` (through Resource Graph's ``resourcecontainers``), else every
subscription the credential sees (``SubscriptionClient``). No Azure SDK is imported until
:meth:`AzureProvider.targets` runs.

Work: one unit per Resource Manager service per subscription (:meth:`AzureProvider.work`); one
shared unit per Resource Graph table per batch of subscriptions, and one Microsoft Graph directory
unit per tenant (:meth:`AzureProvider.shared_work`). The engine runs each shared unit once per
sweep and files its resources under their subscriptions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from trustsweep.budget import unit_options
from trustsweep.plugin import Provider, Target, UserError, WorkUnit

from . import types as T
from .session import client_kwargs, credential, session
from .settings import ARM_QUOTA, GRAPH_QUOTA, Settings

PROVIDER = "azure"
_SUBSCRIPTION = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# service → (module of trustsweep_azure.collect, resource types it produces)
# Resource Graph: one shared unit of each per batch of subscriptions
GRAPH_SERVICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "graph.storage": ("storage", (T.STORAGE_ACCOUNT,)),
    "graph.compute": ("compute", (T.DISK, T.VM)),
    "graph.network": ("network", (T.NSG, T.FLOW_LOG)),
    "graph.authorization": ("authorization", (T.ACCESS, T.CUSTOM_ROLE)),
    "graph.security": ("defender", (T.DEFENDER, T.SUB_ASSESSMENT, T.ASSESSMENT)),
    "graph.backup": ("backup", (T.BACKUP,)),
}
# Resource Manager: one unit of each per subscription
ARM_SERVICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "arm.monitor": ("monitor", (T.ACTIVITY_LOG, T.LOG_STORAGE)),
    "arm.sql": ("sql", (T.SQL_SERVER, T.SQL_DATABASE)),
    "arm.web": ("web", (T.WEB_APP,)),
    "arm.keyvault": ("keyvault", (T.KEY_VAULT, T.KEY)),
    "arm.security": ("contacts", (T.CONTACTS,)),
}
# Microsoft Graph: one shared unit per tenant
ENTRA_SERVICE, ENTRA_TYPES = "entra", (T.DIRECTORY,)
UNKNOWN_TENANT = "unknown-tenant"
GLOBAL = "global"
GRAPH_BATCHES = 4  # by default subscriptions are split into about this many Resource Graph batches
MAX_GRAPH_BATCH = 1000


class AzureProvider(Provider):
    name = PROVIDER
    context = "trustsweep_azure.collect.base:AzureCollector"

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.settings = Settings.from_options(self.options)
        try:
            self.batch_size = int(self.options.get("graph_batch") or 0)
        except (TypeError, ValueError):
            raise UserError(f"--azure-graph-batch {self.options.get('graph_batch')!r}: expected a number") from None
        if not 0 <= self.batch_size <= MAX_GRAPH_BATCH:
            raise UserError(f"--azure-graph-batch {self.batch_size}: expected 1 to 1000 subscriptions per query")

    # -- targets ------------------------------------------------------------------------------

    def targets(self, requested: Sequence[str]) -> list[Target]:
        for sub in requested:
            if not _SUBSCRIPTION.match(sub):
                raise UserError(f"--target {sub!r}: an Azure subscription id is a GUID")
        sess = session(self.settings)
        group = self.options.get("management_group")
        if requested:
            found = []
            for sub in requested:
                doc = sess.arm_get(f"/subscriptions/{sub}", "2022-12-01") or {}
                found.append(self._target(doc))
        elif group:
            rows = sess.graph_rows(
                "resourcecontainers | where type in~ ('microsoft.resources/subscriptions') "
                "| project id, name, subscriptionId, tenantId, properties | order by id asc",
                management_groups=[str(group)],
            )
            found = [
                self._target(
                    {
                        "subscriptionId": r["subscriptionId"],
                        "displayName": r.get("name"),
                        "tenantId": r.get("tenantId"),
                        "state": (r.get("properties") or {}).get("state"),
                    }
                )
                for r in rows
            ]
        else:
            found = [self._target(doc) for doc in sess.call("list subscriptions", self._list_subscriptions)]
        found = [t for t in found if t.attrs.get("state", "Enabled") in ("Enabled", "Warned", "PastDue", None)]
        found.sort(key=lambda t: t.id)
        return found

    def _list_subscriptions(self) -> list[dict[str, Any]]:
        from azure.mgmt.resource.subscriptions import SubscriptionClient

        client = SubscriptionClient(credential(self.settings), **client_kwargs(self.settings))
        return [
            {
                "subscriptionId": s.subscription_id,
                "displayName": s.display_name,
                "tenantId": s.tenant_id,
                "state": getattr(s.state, "value", s.state) or "Enabled",
            }
            for s in client.subscriptions.list()
        ]

    @staticmethod
    def _target(doc: dict[str, Any]) -> Target:
        sub = doc.get("subscriptionId") or doc.get("subscription_id") or str(doc.get("id", "")).rsplit("/", 1)[-1]
        return Target(
            PROVIDER,
            sub,
            name=doc.get("displayName") or doc.get("display_name") or sub,
            attrs={
                "tenant_id": doc.get("tenantId") or doc.get("tenant_id") or "",
                "state": doc.get("state") or "Enabled",
            },
        )

    # -- work ---------------------------------------------------------------------------------

    def _options(self, regions: Sequence[str]) -> dict[str, Any]:
        """What every unit needs: the settings, the regions swept, the request budgets."""
        return {
            "settings": self.settings,
            "regions": [r.lower() for r in (self.options.get("regions") or regions or ())],
            **unit_options(self.options, target=ARM_QUOTA, shared=GRAPH_QUOTA),
        }

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        """The subscription's own units: one per Resource Manager service."""
        options = self._options(regions)
        return [
            self.unit(target, GLOBAL, service, f"trustsweep_azure.collect.{module}:collect", types, options)
            for service, (module, types) in ARM_SERVICES.items()
        ]

    def batches(self, targets: Sequence[Target]) -> list[list[Target]]:
        """The subscriptions split into Resource Graph batches, in id order (``--azure-graph-batch``).

        By default about four batches rather than one: the first subscriptions are evaluated while
        later batches page in, at the cost of at most one extra query per table per batch.
        """
        ordered = sorted(targets, key=lambda t: t.id)
        size = self.batch_size or min(MAX_GRAPH_BATCH, max(1, -(-len(ordered) // GRAPH_BATCHES)))
        return [ordered[i : i + size] for i in range(0, len(ordered), size)]

    def shared_work(self, targets: Sequence[Target], regions: Sequence[str]) -> list[WorkUnit]:
        """One unit per Resource Graph table per batch, and one directory unit per tenant."""
        options = self._options(regions)
        units = [
            self.shared_unit(batch, GLOBAL, service, f"trustsweep_azure.collect.{module}:collect", types, options)
            for batch in self.batches(targets)
            for service, (module, types) in GRAPH_SERVICES.items()
        ]
        tenants: dict[str, list[Target]] = {}
        for target in sorted(targets, key=lambda t: t.id):
            tenants.setdefault(str(target.attrs.get("tenant_id") or UNKNOWN_TENANT), []).append(target)
        units += [
            self.shared_unit(
                members,
                GLOBAL,
                ENTRA_SERVICE,
                "trustsweep_azure.collect.entra:collect",
                ENTRA_TYPES,
                {**options, "tenant": tenant},
            )
            for tenant, members in tenants.items()
        ]
        return units
