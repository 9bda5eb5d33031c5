"""Report files: found under a target (a file, or a folder searched for ``*.json``), read and recognised.

A file that is not valid JSON, or not a Trivy, Grype or Snyk report, is a :class:`UserError`
naming it (one line, exit 2): the sweep never starts on input it cannot read.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import orjson

from trustsweep.plugin import UserError, read_bytes

SCANNERS = ("trivy", "grype", "snyk")


def report_files(path: Path) -> list[Path]:
    """``path`` itself, or every ``*.json`` below the folder ``path`` (sorted, hidden folders skipped)."""
    if path.is_dir():
        found = sorted(
            p
            for p in path.rglob("*.json")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            raise UserError("no *.json report in this folder (Trivy, Grype or Snyk JSON)", path=path)
        return found
    if not path.exists():
        raise UserError("no such report file or folder", path=path)
    return [path]


def load(path: Path) -> Any:
    """The JSON document in ``path`` (UserError naming the file and line when it is not JSON)."""
    return decode(read_bytes(path), path)


def decode(raw: bytes, path: Path) -> Any:
    """The JSON document ``raw`` read from ``path`` (UserError naming the file and line when it is not JSON).

    UTF-8 with or without a byte-order mark, and UTF-16 with one (PowerShell's ``>`` writes it).
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(f"not valid UTF-16 text (byte {exc.start})", path=path) from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if getattr(exc, "lineno", None) else ""
        raise UserError(f"not valid JSON ({exc.msg})", path=path, place=where) from None


def _is_snyk(doc: Any) -> bool:
    return isinstance(doc, dict) and "vulnerabilities" in doc and ("packageManager" in doc or "projectName" in doc)


def detect(doc: Any) -> str | None:
    """``trivy``, ``grype`` or ``snyk`` for a report of that scanner's JSON format, else None.

    Trivy: ``SchemaVersion`` with ``Results`` (or ``ArtifactName``: a clean scan may omit
    ``Results``); Grype: ``matches`` with ``descriptor``; Snyk: ``vulnerabilities`` with
    ``packageManager`` or ``projectName``, or a list of those (``--all-projects``).
    """
    if isinstance(doc, dict):
        if "SchemaVersion" in doc and ("Results" in doc or "ArtifactName" in doc):
            return "trivy"
        if "matches" in doc and "descriptor" in doc:
            return "grype"
        if _is_snyk(doc):
            return "snyk"
    if isinstance(doc, list) and doc and all(_is_snyk(item) for item in doc):
        return "snyk"
    return None


def why_not(doc: Any) -> str:
    """One line saying what a document that is no report looks like."""
    if isinstance(doc, dict) and isinstance(doc.get("error"), str) and "ok" in doc:
        return f"a Snyk error, not a report: {doc['error'][:200]}"
    if isinstance(doc, dict):
        keys = ", ".join(sorted(map(str, doc))[:6]) or "no keys"
        return f"not a Trivy, Grype or Snyk JSON report (an object with {keys})"
    return f"not a Trivy, Grype or Snyk JSON report (a JSON {type(doc).__name__})"


def read_report(path: Path) -> tuple[str, Any]:
    """The scanner and document of one report file (UserError when it is none)."""
    doc = load(path)
    scanner = detect(doc)
    if scanner is None:
        raise UserError(why_not(doc), path=path)
    return scanner, doc
