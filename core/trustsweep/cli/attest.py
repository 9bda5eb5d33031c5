"""Attestation and waiver commands: attest add|list|revoke, waive [add]|revoke, waivers list|revoke.

Bounds: an attestation counts for at most its type's validity after its evidence date (shown
where it is listed and in the finding's reason); a waiver on ``*`` or longer than the maximum needs
``--allow-wildcard`` / ``--allow-long``. Revoking appends a revocation entry; nothing is removed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer.core import TyperGroup

from ..errors import UserError
from ..model import Attestation, Revocation, Waiver
from ..report.text import plain
from . import common
from .common import ListFormat, ListFormatOpt, MappingOpt, StoreOpt, err, json_out, load_mapping, table
from .stored import opened, parse_date


class _DefaultsToAdd(TyperGroup):
    """``waive CHECK ...`` is ``waive add CHECK ...``; ``waive revoke ID`` revokes."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


attest_app = typer.Typer(
    help="Attestations: evidence no API shows (pentest report, access review, ...).", no_args_is_help=True
)
waive_app = typer.Typer(
    cls=_DefaultsToAdd,
    no_args_is_help=True,
    help="Record a waiver (waive CHECK --resource ...) or revoke one (waive revoke ID).",
)
waivers_app = typer.Typer(help="Waivers: accepted risk that expires by itself.", no_args_is_help=True)

ByOpt = Annotated[str, typer.Option("--by", help="Who revokes it.")]
WhyOpt = Annotated[str, typer.Option("--reason", help="Why it is withdrawn.")]


def _text(value: str, name: str) -> str:
    if not value.strip():
        raise UserError(f"{name} must not be empty")
    return " ".join(value.split())


def _revocation_json(r: Revocation | None) -> dict[str, Any] | None:
    return None if r is None else {"at": r.at.isoformat(), "by": r.by, "reason": r.reason, "id": r.id}


def _revoke(kind: str, ident: str, by: str, reason: str, store: str | None) -> None:
    by, reason = _text(by, "--by"), _text(reason, "--reason")
    with opened(store) as st:
        target, revocation = st.revoke(kind, ident, by=by, reason=reason)
    typer.echo(plain(f"{kind} {target.id} {revocation.describe()} (the {kind} stays on record; it no longer counts)"))


# --------------------------------------------------------------------------------------------
# attestations


def attest_add(
    criterion: Annotated[str, typer.Argument(help="The SOC 2 criterion the document evidences, e.g. CC6.2.")],
    type_: Annotated[
        str, typer.Option("--type", help="Attestation type, e.g. access-review (see mappings/soc2/attestations.yaml).")
    ],
    file: Annotated[Path, typer.Option("--file", help="The evidence document; its SHA-256 is stored.")],
    expires: Annotated[
        str,
        typer.Option(
            "--expires",
            help="Date the attestation stops counting (YYYY-MM-DD); capped at the type's validity after --date.",
        ),
    ],
    by: Annotated[str, typer.Option("--by", help="Who attests.")],
    date: Annotated[str | None, typer.Option("--date", help="Date of the evidence (default: now).")] = None,
    keep_file: Annotated[bool, typer.Option("--keep-file", help="Store the file itself, not only its hash.")] = False,
    mapping: MappingOpt = [],
    store: StoreOpt = None,
) -> None:
    """Record an attestation: the file's SHA-256 (and the file with --keep-file), who, until when."""
    from ..aggregate import capped

    mapping_ = load_mapping(common.load_registry(), mapping)
    if criterion not in mapping_.criteria:
        raise UserError(f"unknown criterion {criterion!r} (see 'trustsweep controls')")
    if type_ not in mapping_.attestation_types:
        raise UserError(f"unknown attestation type {type_!r} (known: {', '.join(sorted(mapping_.attestation_types))})")
    if type_ not in mapping_.attestations_of(criterion):
        mapped = ", ".join(mapping_.attestations_of(criterion)) or "none"
        raise UserError(
            f"{criterion} is not mapped to attestation type {type_!r} (mapped: {mapped}); "
            "it would never count — pass a --mapping that maps it"
        )
    by = _text(by, "--by")
    from ..files import read_bytes

    data = read_bytes(file)
    now = dt.datetime.now(dt.UTC)
    created = parse_date(date, "--date") if date else now
    if created > now:
        raise UserError(f"--date {date} is in the future; attest evidence that exists")
    until = parse_date(expires, "--expires")
    if until <= created:
        raise UserError(f"--expires {expires} is not after the evidence date {created.date().isoformat()}")
    with opened(store, create=True) as st:
        att = st.add_attestation(
            criterion=criterion,
            type_=type_,
            data=data,
            filename=file.name,
            attested_by=by,
            expires=until,
            created=created,
            keep_file=keep_file,
        )
    effective, note = capped(att, mapping_.attestation_types[type_].validity_days)
    if note:
        err(plain(f"note: {note}"))
    if effective.expires <= now:
        err(f"note: this attestation already expired on {effective.expires.date().isoformat()}")
    typer.echo(
        plain(
            f"attestation {att.id}: {criterion} {type_} sha256 {att.sha256} "
            f"until {effective.expires.date().isoformat()}"
        )
    )


def _attestation_row(att: Attestation, validity: int | None, now: dt.datetime) -> dict[str, Any]:
    from ..aggregate import capped
    from ..store.canonical import attestation_dict

    effective, note = capped(att, validity)
    state = (
        "revoked"
        if att.revoked(now)
        else "valid"
        if effective.valid(now)
        else "not yet valid"
        if now < att.created
        else "expired"
    )
    if att.revocation is not None:
        note = "; ".join(filter(None, [att.revocation.describe(), note]))
    return {
        **attestation_dict(att),
        "state": state,
        "valid_until": effective.expires.isoformat(),
        "note": note,
        "revocation": _revocation_json(att.revocation),
    }


def attest_list(
    criterion: Annotated[str | None, typer.Option("--criterion", help="Only this criterion.")] = None,
    fmt: ListFormatOpt = ListFormat.table,
    mapping: MappingOpt = [],
    store: StoreOpt = None,
) -> None:
    """Attestations on record: whether each counts now, until when, and who revoked it, when, why."""
    types = load_mapping(common.load_registry(), mapping).attestation_types
    now = dt.datetime.now(dt.UTC)
    with opened(store, create=store is None) as st:
        atts = [a for a in st.attestations() if criterion in (None, a.criterion)]
    rows = [_attestation_row(a, types[a.type].validity_days if a.type in types else None, now) for a in atts]
    if fmt is ListFormat.json:
        json_out(rows)
        return
    table(
        f"Attestations ({len(rows)})",
        ["criterion", "type", "state", "valid until", "by", "file", "id", "note"],
        [
            [
                r["criterion"],
                r["type"],
                r["state"],
                r["valid_until"][:10],
                r["attested_by"],
                r["filename"],
                r["id"],
                r["note"],
            ]
            for r in rows
        ],
    )


def attest_revoke(
    ident: Annotated[str, typer.Argument(help="The attestation's id (or a unique prefix), from 'attest list'.")],
    by: ByOpt,
    reason: WhyOpt,
    store: StoreOpt = None,
) -> None:
    """Withdraw an attestation from now on (a revocation entry is appended; the record stays)."""
    _revoke("attestation", ident, by, reason, store)


# --------------------------------------------------------------------------------------------
# waivers


def waive(
    check_id: Annotated[str, typer.Argument(help="The check id (or an alias) whose failure is accepted.")],
    resource: Annotated[
        str,
        typer.Option(
            "--resource", help="Native resource id (ARN, resource name, ARM id), or * for all (needs --allow-wildcard)."
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the risk is accepted.")],
    expires: Annotated[str, typer.Option("--expires", help="Date the waiver stops applying (YYYY-MM-DD).")],
    approved_by: Annotated[str, typer.Option("--approved-by", help="Who approved the accepted risk.")],
    allow_wildcard: Annotated[
        bool, typer.Option("--allow-wildcard", help="Allow --resource '*' (every resource).")
    ] = False,
    allow_long: Annotated[
        bool, typer.Option("--allow-long", help="Allow a waiver longer than --max-waiver-days.")
    ] = False,
    max_days: Annotated[
        int, typer.Option("--max-waiver-days", help="The longest a waiver may last without --allow-long.")
    ] = 365,
    store: StoreOpt = None,
) -> None:
    """Record a waiver: a failure still shows, marked waived, until the waiver expires or is revoked."""
    from .. import waiver_bounds

    registry = common.load_registry()
    current = registry.resolve_check_id(check_id)
    if current is None:
        raise UserError(f"unknown check id {check_id!r} (see 'trustsweep checks list')")
    resource = _text(resource, "--resource")
    reason = _text(reason, "--reason")
    approved_by = _text(approved_by, "--approved-by")
    try:
        waiver_bounds.max_days_setting(max_days)
    except ValueError as exc:
        raise UserError(f"--max-waiver-days: {exc}") from None
    now = dt.datetime.now(dt.UTC)
    until = parse_date(expires, "--expires")
    if until <= now:
        raise UserError(f"--expires {expires} is in the past; a waiver must expire in the future")
    allowed = [b for b, flag in (("wildcard", allow_wildcard), ("long", allow_long)) if flag]
    refused = waiver_bounds.refused(resource, until, now, max_days, allowed)
    if refused:
        raise UserError(f"waiver refused: {refused[1]}; pass --allow-{refused[0]} if that is intended")
    exceeded = waiver_bounds.exceeded(resource, until, now, max_days)
    with opened(store, create=True) as st:
        w = st.add_waiver(
            check_id=current,
            resource=resource,
            reason=reason,
            expires=until,
            approved_by=approved_by,
            allowed=list(exceeded),
            recorded=now,
        )
    typer.echo(
        plain(
            f"waiver {w.id}: {w.check_id} on {w.resource} until {until.date().isoformat()} "
            f"(approved by {w.approved_by})" + "".join(f"; allowed: {why}" for why in exceeded.values())
        )
    )


def waive_revoke(
    ident: Annotated[str, typer.Argument(help="The waiver's id (or a unique prefix), from 'waivers list'.")],
    by: ByOpt,
    reason: WhyOpt,
    store: StoreOpt = None,
) -> None:
    """Withdraw a waiver from now on (a revocation entry is appended; the record stays)."""
    _revoke("waiver", ident, by, reason, store)


def _waiver_row(w: Waiver, now: dt.datetime) -> dict[str, Any]:
    from ..store.canonical import waiver_dict

    state = "revoked" if w.revoked(now) else "active" if now < w.expires else "expired"
    return {
        **waiver_dict(w),
        "expires": w.expires.isoformat(),
        "state": state,
        "revocation": _revocation_json(w.revocation),
    }


def waivers_list(fmt: ListFormatOpt = ListFormat.table, store: StoreOpt = None) -> None:
    """Waivers on record: whether each applies now, and who revoked it, when, why."""
    now = dt.datetime.now(dt.UTC)
    with opened(store, create=store is None) as st:
        rows = [_waiver_row(w, now) for w in st.waivers()]
    if fmt is ListFormat.json:
        json_out(rows)
        return
    table(
        f"Waivers ({len(rows)})",
        ["check", "resource", "state", "expires", "approved by", "reason", "id", "revoked"],
        [
            [
                r["check_id"],
                r["resource"],
                r["state"],
                r["expires"][:10],
                r["approved_by"],
                r["reason"],
                r["id"],
                (
                    f"{r['revocation']['at'][:10]} by {r['revocation']['by']}: {r['revocation']['reason']}"
                    if r["revocation"]
                    else ""
                ),
            ]
            for r in rows
        ],
    )


def register(app: typer.Typer) -> None:
    """Add the attest, waive and waivers commands to the CLI."""
    attest_app.command("add")(attest_add)
    attest_app.command("list")(attest_list)
    attest_app.command("revoke")(attest_revoke)
    waive_app.command("add")(waive)
    waive_app.command("revoke")(waive_revoke)
    waivers_app.command("list")(waivers_list)
    waivers_app.command("revoke")(waive_revoke)
    app.add_typer(attest_app, name="attest")
    app.add_typer(waive_app, name="waive")
    app.add_typer(waivers_app, name="waivers")
