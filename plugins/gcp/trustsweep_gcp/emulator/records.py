"""Cloud Asset records as the fake serves them: export files (snake_case) read and turned into REST JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _camel_keys(value: Any, *, keep_data: bool = False) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if keep_data and key == "data":
                out["data"] = item  # a Struct: the resource's own (already camelCase) JSON
            else:
                out[_camel(key)] = _camel_keys(item, keep_data=keep_data)
        return out
    if isinstance(value, list):
        return [_camel_keys(v, keep_data=keep_data) for v in value]
    return value


def cai_record(record: dict[str, Any]) -> dict[str, Any]:
    """A Cloud Asset export record (snake_case, as in ``gcloud asset export``) as REST JSON (camelCase)."""
    return _camel_keys(record, keep_data=True)


def load_cai_file(path: Path) -> list[dict[str, Any]]:
    """Records of a CAI export file: a JSON array, JSON lines or concatenated JSON values.

    Stray closing brackets between values (seen in hand-edited exports) are skipped.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    out: list[dict[str, Any]] = []
    i = 0
    while True:
        while i < len(text) and (text[i].isspace() or text[i] in "],"):
            i += 1
        if i >= len(text):
            return out
        value, i = decoder.raw_decode(text, i)
        out.extend(value if isinstance(value, list) else [value])


def project_of(asset_name: str) -> str | None:
    """The project id in a full resource name (``//x.googleapis.com/projects/P/...``), if any."""
    m = re.search(r"/projects/([^/]+)", asset_name)
    return m.group(1) if m else None
