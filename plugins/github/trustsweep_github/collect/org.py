"""The organisation: one ``github.org`` resource.

Properties: ``two_factor_required`` (bool; GitHub shows it to organisation owners only, otherwise the
field is recorded as unread).
"""

from __future__ import annotations

from .base import GitHubCollector

ORG = "github.org"
TYPES = (ORG,)


def collect(ctx: GitHubCollector) -> None:
    login = ctx.target.id
    doc = ctx.session.get(f"/orgs/{login}")
    props = {"two_factor_required": doc.get("two_factor_requirement_enabled")}
    if props["two_factor_required"] is None:
        ctx.unread(
            props,
            "two_factor_required",
            "GitHub shows two_factor_requirement_enabled to organisation owners only (read:org as an owner)",
        )
    ctx.add(ORG, login, doc.get("login") or login, **props)
