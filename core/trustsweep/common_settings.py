"""Settings several plugins share, declared once so that each has one name everywhere.

A check that treats production differently declares ``settings={**PRODUCTION, ...}`` and asks
:func:`is_production` about a resource's tags (AWS tags, GCP labels, Azure tags).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .declare import setting

PRODUCTION = {
    "production_tag_keys": setting(
        "list[str]", ("environment", "env"), "tag (GCP: label) keys that mark production resources (case-insensitive)"
    ),
    "production_tag_values": setting(
        "list[str]", ("production", "prod"), "values of that tag that mean production (case-insensitive)"
    ),
}


def is_production(tags: Mapping[str, Any] | None, ctx: Any) -> bool:
    """Whether ``tags`` mark a production resource under the check's production settings."""
    keys = {str(k).lower() for k in ctx.setting("production_tag_keys")}
    values = {str(v).lower() for v in ctx.setting("production_tag_values")}
    return any(str(k).lower() in keys and str(v).lower() in values for k, v in (tags or {}).items())
