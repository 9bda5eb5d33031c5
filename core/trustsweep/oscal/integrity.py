"""Referential integrity of an OSCAL document: every uuid reference resolves, inside the document or
in a document it imports by a relative href that can be read beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UserError
from .validate import IMPORT_KEYS, REF_KEYS, REF_LIST_KEYS, Problem, json_path, load_document, model_of


def _walk(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], str, Any]]:
    """Yield (path of the object, key, value) for every key of every object."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            if isinstance(value, (dict, list)):
                path.append(key)
                yield from _walk(value, path)
                path.pop()
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                path.append(index)
                yield from _walk(value, path)
                path.pop()


def _imported_uuids(doc: Any, model: str, base: Path | None, seen: set[Path]) -> tuple[set[str], list[str]]:
    """uuids defined by documents this one imports through relative hrefs (recursively)."""
    found: set[str] = set()
    unreadable: list[str] = []
    root = doc.get(model) if isinstance(doc, dict) else None
    if not isinstance(root, dict) or base is None:
        return found, unreadable
    resources = {
        r.get("uuid"): r for r in (root.get("back-matter") or {}).get("resources") or [] if isinstance(r, dict)
    }
    hrefs: list[str] = []
    for key in IMPORT_KEYS:
        items = root.get(key)
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict) and isinstance(item.get("href"), str):
                href = item["href"]
                if href.startswith("#"):  # a back-matter resource whose rlinks say where the file is
                    resource = resources.get(href[1:]) or {}
                    hrefs.extend(
                        r.get("href")
                        for r in resource.get("rlinks") or []
                        if isinstance(r, dict) and isinstance(r.get("href"), str)
                    )
                else:
                    hrefs.append(href)
    from urllib.parse import unquote, urlsplit

    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            unreadable.append(href)
            continue
        target = (base / unquote(parts.path)).resolve()
        if target in seen:
            continue
        seen.add(target)
        if not target.is_file():
            unreadable.append(href)
            continue
        try:
            other = load_document(target)
            other_model = model_of(other)
        except UserError:
            unreadable.append(href)
            continue
        found.update(_scan(other)[0])
        more, bad = _imported_uuids(other, other_model, target.parent, seen)
        found |= more
        unreadable.extend(bad)
    return found, unreadable


def _scan(doc: Any) -> tuple[list[str], list[str]]:
    """Fast pass without paths: every defined uuid (in order) and every referenced uuid."""
    defs: list[str] = []
    refs: list[str] = []
    stack = [doc]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if type(node) is dict:
            for key, value in node.items():
                kind = type(value)
                if kind is str:
                    if key == "uuid":
                        defs.append(value)
                    elif key in REF_KEYS:
                        refs.append(value)
                    elif key == "href" and value[:1] == "#" and _looks_like_uuid(value[1:]):
                        refs.append(value[1:])
                elif kind is dict or kind is list:
                    if key in REF_LIST_KEYS and kind is list:
                        refs.extend(v for v in value if type(v) is str)
                    push(value)
        else:
            for value in node:
                if type(value) is dict or type(value) is list:
                    push(value)
    return defs, refs


def integrity_problems(doc: Any, *, base_dir: Path | None = None) -> list[Problem]:
    """Duplicate uuids and references to uuids that are defined nowhere."""
    defs, refs = _scan(doc)
    defined = set(defs)
    missing = set(refs) - defined
    if len(defined) == len(defs) and not missing:
        return []  # the usual case, found without building a single path
    if missing:
        try:
            model = model_of(doc)
        except UserError:
            model = ""
        imported, unreadable = _imported_uuids(doc, model, base_dir, set()) if model else (set(), [])
        missing -= imported
    note = f" (imports not read: {', '.join(sorted(set(unreadable)))})" if missing and unreadable else ""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for path, key, value in _walk(doc, []):  # slow pass, with paths, only when something is wrong
        if key == "uuid" and isinstance(value, str):
            if value in first:
                problems.append(
                    Problem(json_path([*path, key]), f"duplicate uuid {value} (first defined at {first[value]})")
                )
            else:
                first[value] = json_path(path)
        elif not missing:
            continue
        elif key in REF_KEYS and isinstance(value, str) and value in missing:
            problems.append(Problem(json_path([*path, key]), _dangling(value, note)))
        elif key in REF_LIST_KEYS and isinstance(value, list):
            problems.extend(
                Problem(json_path([*path, key, i]), _dangling(v, note))
                for i, v in enumerate(value)
                if isinstance(v, str) and v in missing
            )
        elif key == "href" and isinstance(value, str) and value[:1] == "#" and value[1:] in missing:
            problems.append(Problem(json_path([*path, key]), _dangling(value[1:], note)))
    return problems


def _dangling(value: str, note: str) -> str:
    return f"refers to uuid {value}, which is not defined in this document{note}"


def _looks_like_uuid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


# ---------------------------------------------------------------------------------------------
# entry points
