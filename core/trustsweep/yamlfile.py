"""Load YAML while keeping line numbers, and refuse duplicate keys.

``load(path)`` returns plain Python data plus a way to ask where any mapping key or list item
came from, so validation errors can name the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import UserError


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located:
    """Plain data from a YAML file and the line of each node, by id() of the built object."""

    def __init__(self, path: Path, data: Any, lines: dict[int, int], key_lines: dict[tuple[int, str], int]):
        self.path = path
        self.data = data
        self._lines = lines
        self._key_lines = key_lines

    def line_of(self, obj: Any, key: str | None = None) -> int:
        """1-based line of ``obj`` (or of ``key`` inside the mapping ``obj``); 0 when unknown."""
        if key is not None:
            return self._key_lines.get((id(obj), key), self._lines.get(id(obj), 0))
        return self._lines.get(id(obj), 0)

    def error(self, message: str, obj: Any = None, key: str | None = None) -> UserError:
        line = self.line_of(obj, key) if obj is not None else 0
        return UserError(message, path=self.path, place=f"line {line}" if line else "")


def _build(
    node: yaml.Node,
    path: Path,
    lines: dict[int, int],
    key_lines: dict[tuple[int, str], int],
    loader: yaml.SafeLoader,
) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        lines[id(out)] = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = _build(key_node, path, lines, key_lines, loader)
            if not isinstance(key, (str, int, float)):
                raise UserError("mapping keys must be plain scalars", path=path, place=f"line {key_node.start_mark.line + 1}")
            key = str(key)
            if key in out:
                raise UserError(f"duplicate key {key!r}", path=path, place=f"line {key_node.start_mark.line + 1}")
            out[key] = _build(value_node, path, lines, key_lines, loader)
            key_lines[(id(out), key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        lines[id(items)] = node.start_mark.line + 1
        for child in node.value:
            items.append(_build(child, path, lines, key_lines, loader))
            key_lines[(id(items), str(len(items) - 1))] = child.start_mark.line + 1
        return items
    return loader.construct_object(node, deep=True)


def load(path: str | Path) -> Located:
    """Read a YAML file; any syntax error, unreadable file or duplicate key is a UserError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror or exc}", path=p) from None
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text", path=p) from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}" if mark else ""
        raise UserError(f"invalid YAML: {exc.problem or exc}", path=p, place=place) from None
    except yaml.YAMLError as exc:
        raise UserError(f"invalid YAML: {exc}", path=p) from None
    lines: dict[int, int] = {}
    key_lines: dict[tuple[int, str], int] = {}
    data = _build(node, p, lines, key_lines, yaml.SafeLoader("")) if node is not None else None
    return Located(p, data, lines, key_lines)
