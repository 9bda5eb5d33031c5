"""Availability: VM backups, SQL backup redundancy, geo-redundant storage for production."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, not_applicable, passed
from trustsweep.provider import CheckContext
from trustsweep.unread import unread

from .. import types as T
from ._util import fact

GEO = ("GRS", "GZRS")


def vm_protected(resource: Resource, ctx: CheckContext) -> Outcome:
    backup = fact(ctx, T.BACKUP)
    if backup is None:
        return errored("Recovery Services protected items were not collected")
    for item in backup.properties.get("protected") or []:
        if item.get("source") == resource.id.lower():
            return passed(f"protected by Recovery Services vault {item.get('vault', '').rsplit('/', 1)[-1]}",
                          state=item.get("state"), lastBackupTime=item.get("lastBackupTime"))
    return failed("no Recovery Services vault protects this VM")


def sql_backup_redundancy(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    props = resource.properties
    redundancy = props.get("requestedBackupStorageRedundancy") or props.get("currentBackupStorageRedundancy")
    ltr = {k: v for k, v in (props.get("longTermRetention") or {}).items()
           if k.endswith("Retention") and v and v != "PT0S"}
    if str(redundancy).lower() in ("geo", "geozone"):
        return passed(f"backups are stored geo-redundantly ({redundancy})", longTermRetention=ltr)
    if (bad := unread(resource, "longTermRetention")) is not None:
        return bad
    if ltr:
        return passed("long-term backup retention is configured", longTermRetention=ltr)
    return failed(f"backups are {redundancy or 'locally'} redundant and no long-term retention is set",
                  redundancy=redundancy)


def _is_production(resource: Resource, ctx: CheckContext) -> bool:
    tags = {str(k).lower(): str(v).lower() for k, v in (resource.properties.get("_tags") or {}).items()}
    for pair in ctx.setting("production_tags"):
        key, _, value = pair.lower().partition("=")
        if key in tags and (not value or tags[key] == value):
            return True
    return False


def storage_geo_redundant(resource: Resource, ctx: CheckContext) -> Outcome:
    if not _is_production(resource, ctx):
        return not_applicable("not tagged as production")
    sku = str((resource.properties.get("_sku") or {}).get("name") or "")
    if any(g in sku.upper() for g in GEO):
        return passed(f"geo-redundant replication ({sku})")
    return failed(f"production account replicates only within a region ({sku})", sku=sku)
