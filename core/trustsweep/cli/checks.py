"""``trustsweep checks list|show|settings``: the checks the installed plugins declare, and their settings."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..declare import named
from ..errors import UserError
from ..model import CheckSpec
from ..report.text import plain
from ..settings import describe, show_default, spec_dict, suggestion
from . import common
from .common import ListFormat, ListFormatOpt, json_out, load_mapping, table


def _as_json(check: CheckSpec, criteria: list[str]) -> dict[str, Any]:
    return {
        "id": check.id,
        "title": check.title,
        "provider": check.provider,
        "severity": check.severity.value,
        "resource_types": list(check.resource_types),
        "criteria": criteria,
        "rationale": check.rationale,
        "remediation": check.remediation,
        "aliases": list(check.aliases),
        "plugin": check.plugin,
        "settings": [spec_dict(s) for s in named(check.settings)],
    }


def checks_list(
    provider: Annotated[str | None, typer.Option("--provider", "-p", help="Only this provider's checks.")] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Every check with its severity, the SOC 2 criteria it evidences and its settings' defaults."""
    registry = common.load_registry()
    if provider is not None:
        registry.provider_spec(provider)
    index = load_mapping(registry).check_index()
    checks = registry.checks_for(provider)
    if fmt is ListFormat.json:
        json_out([_as_json(c, index.get(c.id, [])) for c in checks])
    else:
        table(
            f"Checks ({len(checks)}; settings: trustsweep checks show ID)",
            ["id", "severity", "criteria", "title", "settings"],
            [
                [
                    c.id,
                    c.severity.value,
                    " ".join(index.get(c.id, [])),
                    c.title,
                    " ".join(f"{s.name}={show_default(s, short=True)}" for s in named(c.settings)),
                ]
                for c in checks
            ],
        )


def checks_show(
    check_id: Annotated[str, typer.Argument(help="A check id (or an old alias).")],
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """One check in full: what it verifies, why, how to fix it, and each setting it reads."""
    registry = common.load_registry()
    current = registry.resolve_check_id(check_id)
    if current is None:
        raise UserError(f"unknown check id {check_id!r}{suggestion(check_id, registry.checks)}")
    check = registry.checks[current]
    criteria = load_mapping(registry).check_index().get(check.id, [])
    if fmt is ListFormat.json:
        json_out(_as_json(check, criteria))
        return
    for label, value in (
        ("id", check.id),
        ("title", check.title),
        ("provider", check.provider),
        ("severity", check.severity.value),
        ("resource types", " ".join(check.resource_types)),
        ("criteria", " ".join(criteria)),
        ("rationale", check.rationale),
        ("remediation", check.remediation),
        ("aliases", " ".join(check.aliases)),
    ):
        if value:
            typer.echo(plain(f"{label}: {value}"))
    if not check.settings:
        typer.echo("settings: none")
        return
    table(
        f"Settings of {check.id}",
        ["setting", "type", "default", "meaning"],
        [[s.name, describe(s), show_default(s), s.help] for s in named(check.settings)],
    )
    typer.echo(
        f"Set them in the config file under checks: {check.id}: or, for every {check.provider} "
        f"check, settings: {check.provider}:"
    )


def checks_settings(
    provider: Annotated[str | None, typer.Option("--provider", "-p", help="Only this provider's settings.")] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Every key a config file may set: provider-wide (settings.PROVIDER) and per check (checks.ID)."""
    registry = common.load_registry()
    names = [registry.provider_spec(provider).name] if provider is not None else sorted(registry.providers)
    rows = [(f"settings.{name}", spec) for name in names for spec in named(registry.providers[name].settings)]
    rows += [
        (f"checks.{c.id}", spec) for name in names for c in registry.checks_for(name) for spec in named(c.settings)
    ]
    if fmt is ListFormat.json:
        json_out([{"where": where, **spec_dict(spec)} for where, spec in rows])
    else:
        table(
            f"Settings ({len(rows)}; check settings may also be set for all checks under settings.PROVIDER)",
            ["where", "setting", "type", "default", "meaning"],
            [[where, s.name, describe(s), show_default(s, short=True), s.help] for where, s in rows],
        )


def register(checks_app: typer.Typer) -> None:
    """Add ``list``, ``show`` and ``settings`` to the ``checks`` command group."""
    checks_app.command("list")(checks_list)
    checks_app.command("show")(checks_show)
    checks_app.command("settings")(checks_settings)
