"""EC2 (per region): EBS encryption by default, volumes, security groups, VPCs with their flow logs.

Instances are not read at all: user data and launch templates can hold secrets.
"""

from __future__ import annotations

from typing import Any

from .base import AwsCollector, paginate, tags_of

SETTINGS = "aws.ec2.region-settings"
VOLUME = "aws.ec2.volume"
SECURITY_GROUP = "aws.ec2.security-group"
VPC = "aws.ec2.vpc"
TYPES = (SETTINGS, VOLUME, SECURITY_GROUP, VPC)
REGIONAL = True


def _ingress(permissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inbound rules open to the world, flattened: protocol, port range, CIDR."""
    out = []
    for perm in permissions:
        cidrs = [r.get("CidrIp") for r in perm.get("IpRanges") or []] + [
            r.get("CidrIpv6") for r in perm.get("Ipv6Ranges") or []
        ]
        for cidr in cidrs:
            if cidr in ("0.0.0.0/0", "::/0"):
                out.append(
                    {
                        "protocol": str(perm.get("IpProtocol", "-1")),
                        "from": perm.get("FromPort"),
                        "to": perm.get("ToPort"),
                        "cidr": cidr,
                    }
                )
    return out


def collect(ctx: AwsCollector) -> None:
    ec2 = ctx.client("ec2")
    default = ec2.get_ebs_encryption_by_default().get("EbsEncryptionByDefault", False)
    ctx.add(
        SETTINGS,
        ctx.arn("ec2", "ebs-encryption-by-default", ctx.region),
        f"EC2 settings {ctx.region}",
        ebs_encryption_by_default=bool(default),
    )
    for vol in paginate(ec2, "describe_volumes", "Volumes"):
        tags = tags_of(vol.get("Tags"))
        ctx.add(
            VOLUME,
            ctx.arn("ec2", f"volume/{vol['VolumeId']}", ctx.region),
            tags.get("Name", vol["VolumeId"]),
            encrypted=bool(vol.get("Encrypted")),
            kms_key=vol.get("KmsKeyId", ""),
            state=vol.get("State", ""),
            size=vol.get("Size"),
            tags=tags,
        )
    for sg in paginate(ec2, "describe_security_groups", "SecurityGroups"):
        ctx.add(
            SECURITY_GROUP,
            ctx.arn("ec2", f"security-group/{sg['GroupId']}", ctx.region),
            sg.get("GroupName", sg["GroupId"]),
            vpc=sg.get("VpcId", ""),
            open_ingress=_ingress(sg.get("IpPermissions") or []),
            tags=tags_of(sg.get("Tags")),
        )
    flow_logs: dict[str, list[dict[str, Any]]] = {}
    for fl in paginate(ec2, "describe_flow_logs", "FlowLogs"):
        flow_logs.setdefault(fl.get("ResourceId", ""), []).append(
            {
                "id": fl.get("FlowLogId"),
                "status": fl.get("FlowLogStatus"),
                "traffic": fl.get("TrafficType"),
                "destination": fl.get("LogDestinationType", "cloud-watch-logs"),
            }
        )
    for vpc in paginate(ec2, "describe_vpcs", "Vpcs"):
        ctx.add(
            VPC,
            ctx.arn("ec2", f"vpc/{vpc['VpcId']}", ctx.region),
            vpc["VpcId"],
            default=bool(vpc.get("IsDefault")),
            flow_logs=flow_logs.get(vpc["VpcId"], []),
            tags=tags_of(vpc.get("Tags")),
        )
