"""App Service sites with their web configuration (minimum TLS version)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import API, AzureCollector, Gone


def collect(ctx: AzureCollector) -> None:
    api = API["web"]
    for site in ctx.arm_items("Microsoft.Web/sites", api):
        sid, found = site["id"], site.get("properties") or {}
        props: dict[str, Any] = {
            "https_only": found.get("httpsOnly"),
            "state": found.get("state"),
            "kind": site.get("kind") or "",
            "tags": site.get("tags") or {},
        }
        try:
            web = ctx.read(props, "web_config", sid, api, lambda sid=sid: ctx.session.arm_get(f"{sid}/config/web", api))
        except Gone as gone:
            ctx.vanished(T.WEB_APP, sid, site.get("name", ""), str(gone))
            continue
        if web is not None:
            config = web.get("properties") or {}
            props.update(
                min_tls=config.get("minTlsVersion"),
                scm_min_tls=config.get("scmMinTlsVersion"),
                ftps_state=config.get("ftpsState"),
                http2=config.get("http20Enabled"),
            )
        ctx.add_at(T.WEB_APP, site, **props)
