"""Save and load an inventory: one JSONL file (optionally gzipped) per provider × target.

Layout: ``DIR/<provider>/<target>.jsonl[.gz]``. The first line is a header::

    {"format": "trustsweep-inventory", "version": 2, "tool_version": ..., "provider": ...,
     "target": ..., "target_name": ..., "collected_at": ...}

then one line per record: ``{"resource": {...}}`` or ``{"error": {...}}`` (a unit that failed),
and last the seal: ``{"seal": {"sha256": ..., "lines": N}}``, the SHA-256 of the N (uncompressed)
lines before it. A file whose lines do not match its seal was edited after it was saved; one
without a seal (version 1, or cut short at a line end) cannot be checked. See :class:`SealCheck`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

import orjson

from . import __version__, files
from .errors import UserError
from .model import CollectionError, Resource, Target

FORMAT = "trustsweep-inventory"
VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1 had no seal
SEAL_PREFIX = b'{"seal":'
SEALED, EDITED, UNSEALED = "sealed", "edited", "unsealed"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class InventoryFile:
    """One provider × target of a loaded inventory."""

    target: Target
    collected_at: dt.datetime
    resources: list[Resource] = field(default_factory=list)
    errors: list[CollectionError] = field(default_factory=list)
    path: Path | None = None
    sha256: str = ""  # of the lines as read (the seal excluded)
    integrity: str = UNSEALED  # sealed | edited | unsealed
    tool_version: str = ""
    properties_version: int = 1  # the provider's shape of properties when it was collected


def _filename(target: Target, gz: bool) -> str:
    return _SAFE.sub("_", target.id) + (".jsonl.gz" if gz else ".jsonl")


def save_target(
    directory: Path,
    target: Target,
    resources: Iterable[Resource],
    errors: Iterable[CollectionError],
    collected_at: dt.datetime,
    *,
    gz: bool = True,
    properties_version: int = 1,
) -> Path:
    """Write one target's inventory atomically (a temp file renamed into place)."""
    folder = directory / target.provider
    path = folder / _filename(target, gz)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise IsADirectoryError(21, "exists and is not a file")
    except OSError as exc:
        raise UserError(f"cannot save the inventory: {exc.strerror or exc}", path=path) from None
    tmp = path.with_name(path.name + ".tmp")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "tool_version": __version__,
        "provider": target.provider,
        "target": target.id,
        "target_name": target.name,
        "target_attrs": {k: v for k, v in target.public_attrs().items() if isinstance(v, (str, int, float, bool))},
        "collected_at": collected_at.isoformat(),
        "properties_version": properties_version,
    }
    raw: IO[bytes] = gzip.open(tmp, "wb", compresslevel=5) if gz else open(tmp, "wb")  # noqa: SIM115 - closed by `with raw` below
    lines = chain(
        [orjson.dumps(header) + b"\n"],
        (orjson.dumps({"resource": r.to_dict()}, default=str) + b"\n" for r in resources),
        (orjson.dumps({"error": e.to_dict()}) + b"\n" for e in errors),
    )
    digest, count = hashlib.sha256(), 0
    with raw as out:
        while batch := list(islice(lines, 4096)):
            data = b"".join(batch)
            digest.update(data)
            out.write(data)
            count += len(batch)
        out.write(orjson.dumps({"seal": {"sha256": digest.hexdigest(), "lines": count}}) + b"\n")
    os.replace(tmp, path)
    return path


def _open_lines(path: Path) -> Iterator[bytes]:
    with files.open_input(path) as raw:
        if path.name.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                yield from io.BufferedReader(fh)  # type: ignore[arg-type]
        else:
            yield from raw


_STR = (str,)
_RESOURCE = {"provider": _STR, "target": _STR, "region": _STR, "type": _STR, "id": _STR}
_RESOURCE_OPTIONAL = {"name": (str, type(None)), "properties": (dict, type(None))}
_ERROR = {"provider": _STR, "target": _STR, "region": _STR, "service": _STR, "resource_types": (list,), "reason": _STR}
_HEADER = {"provider": _STR, "target": _STR, "collected_at": _STR}
_HEADER_OPTIONAL = {"target_name": (str, type(None)), "target_attrs": (dict, type(None))}


def _typed(
    value: Any, what: str, required: dict[str, tuple[type, ...]], optional: dict[str, tuple[type, ...]] | None = None
) -> dict[str, Any]:
    """``value`` as a dict whose fields have the JSON types the format says; else a ValueError naming the field."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object, not {_json_type(value)}")
    for key in required:
        if key not in value:
            raise ValueError(f"{what} has no {key!r}")
    for key, kinds in {**required, **(optional or {})}.items():
        if key in value and not isinstance(value[key], kinds):
            raise ValueError(f"{what}.{key} must be {_json_type(kinds[0]())}, not {_json_type(value[key])}")
    return value


def _json_type(value: Any) -> str:
    for kind, name in (
        (bool, "a boolean"),
        (str, "a string"),
        (int, "a number"),
        (float, "a number"),
        (dict, "an object"),
        (list, "an array"),
        (type(None), "null"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


class SealCheck:
    """Passes a file's lines through, hashing them, and holds back its seal line; then
    :meth:`verdict` says whether the lines are the ones that were sealed."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self._lines = lines
        self._digest = hashlib.sha256()
        self._count = 0
        self._seal: dict[str, Any] | None = None
        self._after_seal = False

    def __iter__(self) -> Iterator[bytes]:
        for line in self._lines:
            if line.startswith(SEAL_PREFIX) and self._seal is None:
                try:
                    seal = orjson.loads(line)["seal"]
                    self._seal = seal if isinstance(seal, dict) else {}
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    self._seal = {}
                continue
            if self._seal is not None and line.strip():
                self._after_seal = True
            self._digest.update(line)
            self._count += 1
            yield line

    def verdict(self) -> tuple[str, str]:
        """(``sealed`` | ``edited`` | ``unsealed``, SHA-256 of the lines read)."""
        digest = self._digest.hexdigest()
        if self._seal is None:
            return UNSEALED, digest
        intact = not self._after_seal and self._seal.get("sha256") == digest and self._seal.get("lines") == self._count
        return (SEALED if intact else EDITED), digest


def load_file(path: Path) -> InventoryFile:
    """Load and validate one inventory file; any problem is a UserError naming file and line."""
    line_no = 0
    inv: InventoryFile | None = None
    seal = SealCheck(_open_lines(path))
    try:
        for line_no, line in enumerate(seal, start=1):
            if not line.strip():
                continue
            try:
                record: Any = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise UserError(f"invalid JSON ({exc})", path=path, place=f"line {line_no}") from None
            if not isinstance(record, dict):
                raise UserError("expected a JSON object", path=path, place=f"line {line_no}")
            if inv is None:
                inv = _header(record, path, line_no)
                continue
            try:
                if "resource" in record:
                    data = _typed(record["resource"], "resource", _RESOURCE, _RESOURCE_OPTIONAL)
                    inv.resources.append(Resource.from_dict(data))
                elif "error" in record:
                    data = _typed(record["error"], "error", _ERROR)
                    if not all(isinstance(t, str) for t in data["resource_types"]):
                        raise ValueError("error.resource_types must be an array of strings")
                    inv.errors.append(CollectionError.from_dict(data))
                else:
                    raise ValueError("a record holds 'resource' or 'error'")
            except ValueError as exc:
                raise UserError(f"malformed record: {exc}", path=path, place=f"line {line_no}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise UserError(
            f"cannot read inventory ({type(exc).__name__}: {exc}); the file may be truncated",
            path=path,
            place=f"line {line_no + 1}",
        ) from None
    if inv is None:
        raise UserError("empty inventory file (no header)", path=path)
    inv.integrity, inv.sha256 = seal.verdict()
    return inv


def _header(record: dict[str, Any], path: Path, line_no: int) -> InventoryFile:
    if record.get("format") != FORMAT:
        raise UserError(
            f"not a trustsweep inventory (format {record.get('format')!r})", path=path, place=f"line {line_no}"
        )
    if record.get("version") not in READABLE_VERSIONS:
        raise UserError(
            f"unsupported inventory version {record.get('version')!r} (this trustsweep reads "
            f"{', '.join(map(str, READABLE_VERSIONS))})",
            path=path,
            place=f"line {line_no}",
        )
    try:
        _typed(record, "header", _HEADER, _HEADER_OPTIONAL)
        collected = dt.datetime.fromisoformat(record["collected_at"])
        target = Target(
            record["provider"],
            record["target"],
            record.get("target_name") or "",
            dict(record.get("target_attrs") or {}),
        )
    except ValueError as exc:
        raise UserError(f"malformed header: {exc}", path=path, place=f"line {line_no}") from None
    if collected.tzinfo is None:
        collected = collected.replace(tzinfo=dt.UTC)
    version = record.get("properties_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(
            f"malformed header: properties_version must be a whole number, not {version!r}",
            path=path,
            place=f"line {line_no}",
        )
    return InventoryFile(
        target=target,
        collected_at=collected,
        path=path,
        tool_version=str(record.get("tool_version") or ""),
        properties_version=version,
    )


def inventory_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise UserError("inventory directory not found", path=directory)
    files = sorted(p for p in directory.glob("*/*") if p.name.endswith((".jsonl", ".jsonl.gz")))
    if not files:
        raise UserError("no inventory files (*/<target>.jsonl[.gz]) in directory", path=directory)
    return files
