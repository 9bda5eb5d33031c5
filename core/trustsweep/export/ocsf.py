"""OCSF Compliance Findings (class 2003, OCSF 1.5) as JSON Lines: ``findings.ocsf.jsonl``.

One finding per failing or erroring check result (waived failures are ``Suppressed``); with the
``passes`` option (``--export ocsf:passes``) passing results too. The fixed part of each check's
findings is built and validated once through ``py-ocsf-models`` (the library Prowler uses); the
per-result part is filled into that template, so 100,000 results stay fast.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..model import CheckSpec, Status
from . import ExportContext
from .rows import ResultRow, result_rows

if TYPE_CHECKING:
    from ..sweep import Sweep

OCSF_VERSION = "1.5.0"
FILENAME = "findings.ocsf.jsonl"
STANDARD = "AICPA SOC 2 Trust Services Criteria (2017)"
_NAMESPACE = uuid.UUID("5d0f7a3e-2a58-4b5e-9a53-6f1b0f6c2b11")  # finding uids: v5 from check × resource
_SEVERITY_ID = {"info": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
_COMPLIANCE_STATUS = {Status.PASS: (1, "Pass"), Status.FAIL: (3, "Fail"), Status.ERROR: (0, "Unknown")}
_FINDING_STATUS = {"new": 1, "suppressed": 3, "resolved": 4}


def _template(spec: CheckSpec | None, check_id: str, sweep: Sweep) -> dict[str, Any]:
    """The fixed part of one check's findings, validated by the OCSF models."""
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
    from py_ocsf_models.events.findings.compliance_finding_type_id import ComplianceFindingTypeID
    from py_ocsf_models.events.findings.finding import ActivityID
    from py_ocsf_models.objects.cloud import Cloud
    from py_ocsf_models.objects.compliance import Compliance
    from py_ocsf_models.objects.finding_info import FindingInformation
    from py_ocsf_models.objects.metadata import Metadata
    from py_ocsf_models.objects.product import Product
    from py_ocsf_models.objects.remediation import Remediation

    severity = spec.severity.value if spec else "medium"
    time_ms = int(sweep.started.timestamp() * 1000)
    event = ComplianceFinding(
        activity_id=ActivityID.Create,
        activity_name="Create",
        type_uid=ComplianceFindingTypeID.Create,
        type_name="Compliance Finding: Create",
        severity_id=_SEVERITY_ID.get(severity, 0),
        severity=severity.capitalize(),
        time=time_ms,
        metadata=Metadata(
            version=OCSF_VERSION,
            event_code=check_id,
            product=Product(name="trustsweep", vendor_name="trustsweep", version=sweep.tool_version),
            profiles=["cloud"],
        ),
        finding_info=FindingInformation(
            uid="template",
            title=spec.title if spec else check_id,
            desc=spec.rationale if spec else "",
            created_time=time_ms,
            types=["SOC 2"],
        ),
        compliance=Compliance(standards=[STANDARD], control=check_id),
        remediation=Remediation(desc=spec.remediation) if spec and spec.remediation else None,
    )
    data: dict[str, Any] = orjson.loads(event.model_dump_json(exclude_none=True))
    data.pop("time_dt", None)
    data["class_name"] = "Compliance Finding"
    # the cloud profile's object; the library's ComplianceFinding has no field for it
    data["cloud"] = orjson.loads(
        Cloud(provider=spec.provider if spec else check_id.split(".", 1)[0]).model_dump_json(exclude_none=True)
    )
    return data


def finding_uid(check_id: str, resource_key: str) -> str:
    """``uuid5(_NAMESPACE, "check|resource key")``, computed without building UUID objects (100k a sweep)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + f"{check_id}|{resource_key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def finding(row: ResultRow, template: dict[str, Any], sweep_id: str) -> dict[str, Any]:
    """One result's finding: the check's template with this result's resource, status and reason."""
    r = row.result
    event = {**template}
    event["finding_info"] = {**template["finding_info"], "uid": finding_uid(r.check_id, r.resource_key)}
    status_id, status_name = _COMPLIANCE_STATUS.get(r.status, (99, "Other"))
    event["compliance"] = {
        **template["compliance"],
        "requirements": list(row.criteria) or ["unmapped"],
        "status_id": status_id,
        "status": status_name,
    }
    cloud: dict[str, Any] = {**template["cloud"], "account": {"uid": r.target}}
    if r.region and r.region != "global":
        cloud["region"] = r.region
    event["cloud"] = cloud
    resource: dict[str, Any] = {"uid": r.resource_id, "type": r.resource_type}
    if row.resource_name:
        resource["name"] = row.resource_name
    if r.region:
        resource["region"] = r.region
    event["resources"] = [resource]
    status = "resolved" if r.status is Status.PASS else ("suppressed" if r.waiver else "new")
    event["status_id"] = _FINDING_STATUS[status]
    event["status"] = status.capitalize()
    event["status_detail"] = r.reason
    event["message"] = f"{r.check_id}: {r.status.value}: {r.reason}"
    unmapped: dict[str, Any] = {"sweep_id": sweep_id, "check_id": r.check_id, "result": r.status.value}
    if r.waiver is not None:
        unmapped["waiver"] = {
            "approved_by": r.waiver.approved_by,
            "reason": r.waiver.reason,
            "expires": r.waiver.expires.isoformat(),
        }
    event["unmapped"] = unmapped
    return event


def write(sweep: Sweep, out_dir: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    wanted = {Status.FAIL, Status.ERROR} | ({Status.PASS} if "passes" in ctx.options else set())
    templates: dict[str, dict[str, Any]] = {}
    path = out_dir / FILENAME
    with path.open("wb") as fh:
        for row in result_rows(sweep):
            if row.result.status not in wanted:
                continue
            check_id = row.result.check_id
            template = templates.get(check_id)
            if template is None:
                template = templates[check_id] = _template(row.spec, check_id, sweep)
            fh.write(orjson.dumps(finding(row, template, sweep.id)) + b"\n")
    return [path]
