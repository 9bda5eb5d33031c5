"""The GCP provider: projects as targets, three units of collection work per project."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from trustsweep.errors import UserError
from trustsweep.model import Target, WorkUnit
from trustsweep.provider import Provider

from . import types as T

PROVIDER = "gcp"
_COLLECT = "trustsweep_gcp.collect"
# options a collector needs (no secret among them)
_UNIT_OPTIONS = ("endpoint", "impersonate", "request_timeout", "retry_initial", "retry_maximum",
                 "retry_deadline", "page_size", "findings_page_size")


class GcpProvider(Provider):
    """``--target PROJECT_ID`` (repeatable) or ``--gcp-scope organizations/N|folders/N``."""

    name = PROVIDER

    def __init__(self, options: dict | None = None) -> None:
        super().__init__(options)
        from .clients import Connection

        self.connection = Connection.from_options(self.options)
        self.sweep_id = uuid.uuid4().hex
        self.discovery_requests = 0

    def _unit_options(self) -> dict:
        opts = {k: self.options[k] for k in _UNIT_OPTIONS if self.options.get(k) not in (None, "")}
        opts["endpoint"] = self.connection.endpoint  # resolved once, so remote workers need no env
        opts["sweep_id"] = self.sweep_id
        return opts

    def targets(self, requested: Sequence[str]) -> list[Target]:
        scope = str(self.options.get("scope") or "")
        if scope:
            from .collect import discover_projects

            projects, self.discovery_requests = discover_projects(self.connection, scope)
            found = [Target(PROVIDER, p["id"], name=p["id"],
                            attrs={"number": p["number"], "ancestors": p["ancestors"], "labels": p["labels"]})
                     for p in projects]
            if requested:
                wanted = set(requested)
                unknown = wanted - {t.id for t in found}
                if unknown:
                    raise UserError(f"project(s) {', '.join(sorted(unknown))} not found active under {scope}")
                found = [t for t in found if t.id in wanted]
            return found
        if not requested:
            raise UserError("gcp: name projects with --target PROJECT_ID or a scope with "
                            "--gcp-scope organizations/N|folders/N")
        return [Target(PROVIDER, pid, name=pid) for pid in dict.fromkeys(requested)]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        opts = self._unit_options()
        return [
            WorkUnit(PROVIDER, target, "global", "cloudasset", f"{_COLLECT}:collect_assets", T.ASSET_TYPES, opts),
            WorkUnit(PROVIDER, target, "global", "orgpolicy", f"{_COLLECT}:collect_org_policies",
                     (T.ORG_POLICY,), opts),
            WorkUnit(PROVIDER, target, "global", "securitycenter", f"{_COLLECT}:collect_findings",
                     (T.SCC_FINDINGS,), opts),
        ]
