"""Availability: VM backups, SQL backup redundancy, geo-redundant storage for production."""

from __future__ import annotations

from trustsweep.plugin import (
    PRODUCTION,
    CheckContext,
    Outcome,
    Resource,
    check,
    errored,
    failed,
    is_production,
    not_applicable,
    passed,
    unread,
)

from .. import types as T
from ._util import fact

GEO = ("GRS", "GZRS")


@check(
    "azure.backup.vm_protected",
    title="VMs are protected by a Recovery Services vault",
    types=T.VM,
    severity="medium",
    rationale="Without backups a VM cannot be restored after loss or ransomware.",
    remediation="Enable Azure Backup for the VM in a Recovery Services vault.",
)
def backup_vm_protected(resource: Resource, ctx: CheckContext) -> Outcome:
    backup = fact(ctx, T.BACKUP)
    if backup is None:
        return errored("Recovery Services protected items were not collected")
    for item in backup.properties.get("protected") or []:
        if item.get("source_id") == resource.id.lower():
            return passed(
                f"protected by Recovery Services vault {str(item.get('vault_id', '')).rsplit('/', 1)[-1]}",
                state=item.get("state"),
                last_backup_time=item.get("last_backup_time"),
            )
    return failed("no Recovery Services vault protects this VM")


@check(
    "azure.sql.backup_redundancy",
    title="SQL databases have geo-redundant or long-term backups",
    types=T.SQL_DATABASE,
    severity="medium",
    rationale="Locally redundant short-term backups do not survive a regional outage.",
    remediation="Use geo-redundant backup storage or configure long-term retention.",
)
def sql_backup_redundancy(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    props = resource.properties
    redundancy = props.get("backup_redundancy")
    ltr = props.get("long_term_retention") or {}
    if str(redundancy).lower() in ("geo", "geozone"):
        return passed(f"backups are stored geo-redundantly ({redundancy})", long_term_retention=ltr)
    if (bad := unread(resource, "long_term_retention")) is not None:
        return bad
    if ltr:
        return passed("long-term backup retention is configured", long_term_retention=ltr)
    return failed(
        f"backups are {redundancy or 'locally'} redundant and no long-term retention is set", redundancy=redundancy
    )


@check(
    "azure.storage.geo_redundant_production",
    title="Production storage accounts are geo-redundant",
    types=T.STORAGE_ACCOUNT,
    severity="medium",
    rationale="A regional outage must not lose production data.",
    remediation="Use GRS, RA-GRS, GZRS or RA-GZRS for accounts tagged production "
    "(settings production_tag_keys and production_tag_values).",
    settings=PRODUCTION,
)
def storage_geo_redundant_production(resource: Resource, ctx: CheckContext) -> Outcome:
    if not is_production(resource.properties.get("tags"), ctx):
        return not_applicable("not tagged as production")
    sku = str(resource.properties.get("sku") or "")
    if any(g in sku.upper() for g in GEO):
        return passed(f"geo-redundant replication ({sku})")
    return failed(f"production account replicates only within a region ({sku})", sku=sku)
