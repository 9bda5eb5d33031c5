"""The GCP provider: projects as targets, two units of collection work per project and a shared
org-policy unit per top ancestor (organization or folder)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trustsweep.budget import unit_options
from trustsweep.plugin import Provider, Target, UserError, WorkUnit, counting

from . import types as T
from .collect import cloudasset, orgpolicy, securitycenter
from .settings import QUOTA, UNIT_OPTIONS

PROVIDER = "gcp"


class GcpProvider(Provider):
    """``--target PROJECT_ID`` (repeatable) or ``--gcp-scope organizations/N|folders/N``."""

    name = PROVIDER
    context = "trustsweep_gcp.collect.base:GcpCollector"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        from .session import Connection

        self.connection = Connection.from_options(self.options)
        self.discovery_requests = 0

    def _unit_options(self) -> dict[str, Any]:
        opts = {k: self.options[k] for k in UNIT_OPTIONS if self.options.get(k) not in (None, "")}
        opts["endpoint"] = self.connection.endpoint  # resolved once, so remote workers need no env
        opts.update(unit_options(self.options, shared=QUOTA))
        return opts

    def targets(self, requested: Sequence[str]) -> list[Target]:
        scope = str(self.options.get("scope") or "")
        if scope:
            from .collect.projects import discover_projects

            with counting() as counter:
                projects = discover_projects(self.connection, scope)
            self.discovery_requests = counter.requests
            found = [
                Target(
                    PROVIDER,
                    p["id"],
                    name=p["id"],
                    attrs={"number": p["number"], "ancestors": p["ancestors"], "labels": p["labels"]},
                )
                for p in projects
            ]
            if requested:
                wanted = set(requested)
                unknown = wanted - {t.id for t in found}
                if unknown:
                    raise UserError(f"project(s) {', '.join(sorted(unknown))} not found active under {scope}")
                found = [t for t in found if t.id in wanted]
            return found
        if not requested:
            raise UserError(
                "gcp: name projects with --target PROJECT_ID or a scope with --gcp-scope organizations/N|folders/N"
            )
        return [Target(PROVIDER, pid, name=pid) for pid in dict.fromkeys(requested)]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        opts = self._unit_options()
        return [
            self.unit(target, "global", "cloudasset", cloudasset.collect, T.ASSET_TYPES, opts),
            self.unit(target, "global", "securitycenter", securitycenter.collect, (T.SCC_FINDINGS,), opts),
        ]

    def shared_work(self, targets: Sequence[Target], regions: Sequence[str]) -> list[WorkUnit]:
        """One ``orgpolicy`` unit per top ancestor, whose policies its member projects share; the
        projects whose ancestry discovery did not give (``--target`` without a scope) share one
        unit that reads it, and each top ancestor's policies once."""
        groups: dict[str, list[Target]] = {}
        for target in targets:
            above = [a for a in target.attrs.get("ancestors") or () if not str(a).startswith("projects/")]
            groups.setdefault(str(above[-1]) if above else "", []).append(target)
        opts = self._unit_options()
        return [
            self.shared_unit(members, "global", "orgpolicy", orgpolicy.collect, orgpolicy.TYPES, opts)
            for _, members in sorted(groups.items())
        ]
