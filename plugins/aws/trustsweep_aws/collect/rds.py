"""RDS (per region): every DB instance's encryption, exposure, backups and resilience settings."""

from __future__ import annotations

from .base import AwsCollector, paginate, tags_of

INSTANCE = "aws.rds.instance"
TYPES = (INSTANCE,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    for db in paginate(ctx.client("rds"), "describe_db_instances", "DBInstances"):
        ctx.add(
            INSTANCE,
            db["DBInstanceArn"],
            db["DBInstanceIdentifier"],
            engine=db.get("Engine", ""),
            encrypted=bool(db.get("StorageEncrypted")),
            publicly_accessible=db.get("PubliclyAccessible"),
            backup_retention_days=int(db.get("BackupRetentionPeriod") or 0),
            deletion_protection=bool(db.get("DeletionProtection")),
            multi_az=bool(db.get("MultiAZ")),
            cluster=db.get("DBClusterIdentifier", ""),
            tags=tags_of(db.get("TagList")),
        )
