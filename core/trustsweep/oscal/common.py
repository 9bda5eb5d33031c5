"""Small pieces every OSCAL document needs: namespace, uuids, timestamps, safe text, props, metadata.

OSCAL traps handled here: uuids must be v4 or v5; datetimes need a timezone and a year in
1900–2999; strings may not be empty or carry leading/trailing whitespace; single-line fields may
not contain a newline; a prop outside NIST's names needs our namespace.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Namespace of trustsweep's own props (check id, result, basis, ...).
NS = "https://trustsweep.dev/ns/oscal"
#: compliance-trestle's namespace for its rule convention (Rule_Id, Check_Id, ...).
TRESTLE_NS = "https://oscal-compass.github.io/compliance-trestle/schemas/oscal"
#: Root of every uuid v5 trustsweep derives from a natural key.
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_NS_BYTES = UUID_NAMESPACE.bytes

SUPPORTED_VERSIONS = ("1.2.1", "1.1.3")
DEFAULT_VERSION = "1.2.1"

_MIN = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
_MAX = dt.datetime(2999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
_UUID_RE = re.compile(r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[45][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}\Z")


def uuid5(*parts: str) -> str:
    """A uuid v5 (as text) under trustsweep's namespace from a natural key; same key, same uuid.

    Equal to ``str(uuid.uuid5(UUID_NAMESPACE, "|".join(parts)))``, several times faster.
    """
    h = hashlib.sha1(_NS_BYTES + "|".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def uuid5_maker(*prefix: str) -> Any:
    """A fast ``name -> uuid5(*prefix, name)`` for many uuids sharing a key prefix."""
    base = hashlib.sha1(_NS_BYTES + "|".join((*prefix, "")).encode())
    variant = _VARIANT

    def make(name: str) -> str:
        sha = base.copy()
        sha.update(name.encode())
        h = sha.hexdigest()
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:32]}"

    return make


# the RFC 4122 variant bits (10xx) applied to one hex digit
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid4() -> str:
    return str(uuid.uuid4())


def valid_uuid(text: str) -> bool:
    """A v4 or v5 uuid as OSCAL wants it."""
    return bool(_UUID_RE.match(text))


def as_uuid(text: str, kind: str = "id") -> str:
    """``text`` when it is a v4/v5 uuid already, else a v5 derived from it."""
    return text.lower() if valid_uuid(text) else uuid5(kind, text)


def timestamp(value: dt.datetime) -> str:
    """RFC 3339 in UTC to the millisecond, exactly as trestle writes it back: ``.651`` kept, a
    whole second without a fraction (trestle turns ``:21.000+00:00`` into ``:21+00:00``).
    Naive is taken as UTC; years 1900–2999."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = min(max(value, _MIN), _MAX).astimezone(dt.UTC)
    millis = value.microsecond // 1000
    return value.replace(microsecond=millis * 1000).isoformat(timespec="milliseconds" if millis else "seconds")


def line(text: Any, fallback: str = "-") -> str:
    """One non-empty line without leading/trailing whitespace (titles, prop values)."""
    s = text if isinstance(text, str) else str(text)
    if s and s.isprintable() and s[0] != " " and s[-1] != " ":
        return s
    s = " ".join(s.split())
    return s or fallback


def prose(text: Any, fallback: str = "-") -> str:
    """Non-empty multi-line text (descriptions, remarks)."""
    s = (text if isinstance(text, str) else str(text)).strip()
    return s or fallback


def prop(name: str, value: Any, ns: str | None = NS, **extra: str) -> dict[str, Any]:
    """A prop; ``ns=None`` only for NIST-defined names (asset-id, asset-type, label, ...)."""
    out: dict[str, Any] = {"name": name}
    if ns:
        out["ns"] = ns
    out["value"] = line(value)
    out.update(extra)
    return out


_TOKEN_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def token(text: str, prefix: str = "x") -> str:
    """A valid OSCAL token (NCName-like) from free text: ``Security / CC1`` → ``security-cc1``."""
    s = _TOKEN_BAD.sub("-", text.strip().lower()).strip("-.")
    if not s or not (s[0].isalpha() or s[0] == "_"):
        s = f"{prefix}-{s}" if s else prefix
    return s


def metadata(
    title: str,
    *,
    oscal_version: str,
    tool_version: str,
    last_modified: dt.datetime,
    chain_head: str = "",
    props: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Document metadata; ``chain_head`` (the evidence store's hash) goes into a prop."""
    out: dict[str, Any] = {
        "title": line(title),
        "last-modified": timestamp(last_modified),
        "version": line(tool_version),
        "oscal-version": oscal_version,
    }
    all_props = [prop("generator", f"trustsweep {tool_version}"), *(props or [])]
    if chain_head:
        all_props.append(prop("evidence-chain-head", chain_head))
    out["props"] = all_props
    return out


def control_selection(control_ids: list[str]) -> dict[str, Any]:
    """``reviewed-controls`` / ``related-controls`` naming each control explicitly."""
    return {"control-selections": [{"include-controls": [{"control-id": c} for c in control_ids]}]}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or loading millions of acyclic dicts.

    Allocating that many containers otherwise triggers collections over and over (measured: a
    100k-observation result builds in about 60% of the time, a load in about a third).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
