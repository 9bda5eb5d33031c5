"""The ``cloudasset`` unit: a project's assets of every type the checks read, with their IAM policies.

Two paged ``ListAssets`` reads per project (RESOURCE and IAM_POLICY, page size 1,000); each asset
becomes one resource whose properties its type's extractor chooses (``EXTRACTORS``, documented
in docs/gcp.md). An asset with an IAM policy but no RESOURCE content (created during the sweep, or
a record exported without it) keeps its IAM properties and records ``resource`` as unread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import types as T
from .base import GcpCollector
from .bigquery import dataset
from .compute import firewall, ssl_policy, subnetwork, target_proxy
from .convert import region_of, short
from .gke import gke_cluster
from .iam import iam_policy, project, sa_key
from .kms import crypto_key
from .logs import log_bucket, log_sink
from .sql import sql_instance
from .storage import bucket

Extractor = Callable[[dict[str, Any]], dict[str, Any]]

#: asset type → the function turning its CAI ``resource.data`` into properties
EXTRACTORS: dict[str, Extractor] = {
    T.PROJECT: project,
    T.BUCKET: bucket,
    T.DATASET: dataset,
    T.CRYPTO_KEY: crypto_key,
    T.SA_KEY: sa_key,
    T.SQL_INSTANCE: sql_instance,
    T.FIREWALL: firewall,
    T.SUBNETWORK: subnetwork,
    T.SSL_POLICY: ssl_policy,
    T.HTTPS_PROXY: target_proxy,
    T.SSL_PROXY: target_proxy,
    T.LOG_SINK: log_sink,
    T.LOG_BUCKET: log_bucket,
    T.GKE_CLUSTER: gke_cluster,
}
NO_RESOURCE = "the asset has an IAM policy but no RESOURCE content in Cloud Asset Inventory"


def collect(ctx: GcpCollector) -> None:
    """Every asset of :data:`~trustsweep_gcp.types.ASSET_TYPES` in the project, IAM policies merged in."""
    parent = f"projects/{ctx.project}"
    resources = ctx.list_assets(parent, "RESOURCE", T.ASSET_TYPES)
    policies = {a["name"]: a for a in ctx.list_assets(parent, "IAM_POLICY", T.IAM_POLICY_TYPES)}
    seen: set[str] = set()
    for asset in resources:
        name = asset["name"]
        seen.add(name)
        add(ctx, asset, (asset.get("resource") or {}).get("data") or {}, policies.get(name))
    for name, asset in policies.items():
        if name not in seen:
            add(ctx, asset, None, asset)


def add(
    ctx: GcpCollector, asset: dict[str, Any], data: dict[str, Any] | None, policy_asset: dict[str, Any] | None
) -> None:
    """One asset as a resource: its type's properties, its ancestors and its IAM policy's."""
    kind, name = asset["assetType"], asset["name"]
    extract = EXTRACTORS.get(kind)
    properties: dict[str, Any] = extract(data or {}) if extract and data is not None else {}
    properties["ancestors"] = list(asset.get("ancestors") or [])
    if policy_asset is not None:
        properties.update(iam_policy(policy_asset.get("iamPolicy") or {}))
    if data is None:
        ctx.unread(properties, "resource", NO_RESOURCE)
    display = str((data or {}).get("name") or short(name)).rsplit("/", 1)[-1]
    ctx.add(kind, name, display, region=region_of(data or {}), **properties)
