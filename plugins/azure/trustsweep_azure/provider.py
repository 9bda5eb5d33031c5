"""The Azure provider: resolve subscriptions, plan one unit per service per subscription.

Targets: ``--target SUBSCRIPTION_ID`` (repeatable), else every subscription in
``--azure-management-group ID`` (through Resource Graph's ``resourcecontainers``), else every
subscription the credential sees (``SubscriptionClient``). No Azure SDK is imported until
:meth:`AzureProvider.targets` runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from trustsweep.budget import unit_options
from trustsweep.plugin import Provider, Target, UserError, WorkUnit

from . import types as T
from .session import client_kwargs, credential, session
from .settings import ARM_QUOTA, GRAPH_QUOTA, Settings

PROVIDER = "azure"
_SUBSCRIPTION = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# service → (module of trustsweep_azure.collect, resource types it produces). One unit of each per subscription.
SERVICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "graph.storage": ("storage", (T.STORAGE_ACCOUNT,)),
    "graph.compute": ("compute", (T.DISK, T.VM)),
    "graph.network": ("network", (T.NSG, T.FLOW_LOG)),
    "graph.authorization": ("authorization", (T.ACCESS, T.CUSTOM_ROLE)),
    "graph.security": ("defender", (T.DEFENDER, T.SUB_ASSESSMENT, T.ASSESSMENT)),
    "graph.backup": ("backup", (T.BACKUP,)),
    "arm.monitor": ("monitor", (T.ACTIVITY_LOG, T.LOG_STORAGE)),
    "arm.sql": ("sql", (T.SQL_SERVER, T.SQL_DATABASE)),
    "arm.web": ("web", (T.WEB_APP,)),
    "arm.keyvault": ("keyvault", (T.KEY_VAULT, T.KEY)),
    "arm.security": ("contacts", (T.CONTACTS,)),
    "entra": ("entra", (T.DIRECTORY,)),
}
GRAPH_BATCHES = 4  # by default subscriptions are split into about this many Resource Graph batches
MAX_GRAPH_BATCH = 1000


class AzureProvider(Provider):
    name = PROVIDER
    context = "trustsweep_azure.collect.base:AzureCollector"

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.settings = Settings.from_options(self.options)
        self.run_id = str(uuid.uuid4())
        self._batches: dict[str, list[str]] = {}
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
        ids = [t.id for t in found]
        # a few batches rather than one: the first targets are evaluated while later batches page in,
        # at the cost of at most one extra query per table per batch
        size = self.batch_size or min(MAX_GRAPH_BATCH, max(1, -(-len(ids) // GRAPH_BATCHES)))
        for i in range(0, len(ids), size):
            chunk = ids[i : i + size]
            for sub in chunk:
                self._batches[sub] = chunk
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

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        chosen = [r.lower() for r in (self.options.get("regions") or regions or ())]
        options = {
            "settings": self.settings,
            "run": self.run_id,
            "regions": chosen,
            "batch": self._batches.get(target.id, [target.id]),
            **unit_options(self.options, target=ARM_QUOTA, shared=GRAPH_QUOTA),
        }
        return [
            self.unit(target, "global", service, f"trustsweep_azure.collect.{module}:collect", types, options)
            for service, (module, types) in SERVICES.items()
        ]
