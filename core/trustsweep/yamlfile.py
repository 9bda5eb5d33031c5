"""Load YAML while keeping line numbers, and refuse duplicate keys.

``load(path)`` returns plain Python data plus a way to ask where any mapping key or list item
came from, so validation errors can name the file and line. Recursive aliases, alias bombs
(:func:`check_expansion`, also used for OSCAL YAML), deep nesting and impossible values (``2027-02-30``) are errors
naming the line, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import files
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


MAX_NODES = 100_000  # values once aliases are expanded (or twice the distinct nodes if more): an alias bomb
MAX_DEPTH = 200  # nesting of mappings and lists


def check_expansion(node: yaml.Node, path: Path, limit: int = MAX_NODES) -> None:
    """Refuse a recursive alias or an alias bomb in a composed document, before anything is built.

    A document may repeat nodes through aliases, but once expanded it may hold at most
    ``limit`` values or twice its distinct nodes, whichever is more (a plain document always fits).
    """
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, finished = stack.pop()
        key = id(current)
        children = _children(current)
        if finished:
            ancestors.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if key in sizes:
            continue
        ancestors.add(key)
        stack.append((current, True))
        for child in children:
            if id(child) in ancestors:
                raise UserError(
                    "recursive alias (a value that contains itself)",
                    path=path,
                    place=f"line {child.start_mark.line + 1}",
                )
            if id(child) not in sizes:
                stack.append((child, False))
    total = sizes[id(node)]
    if total > max(limit, 2 * len(sizes)):
        raise UserError(
            f"too many values once aliases are expanded ({total:,} from {len(sizes):,} nodes)",
            path=path,
            place=f"line {node.start_mark.line + 1}",
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _Builder:
    """Plain data from a composed YAML node tree (already checked by :func:`check_expansion`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[int, int] = {}
        self.key_lines: dict[tuple[int, str], int] = {}
        self.loader = yaml.SafeLoader("")
        self.depth = 0

    def _fail(self, message: str, node: yaml.Node) -> UserError:
        return UserError(message, path=self.path, place=f"line {node.start_mark.line + 1}")

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if self.depth >= MAX_DEPTH:
                raise self._fail(f"nested more than {MAX_DEPTH} levels deep", node)
            self.depth += 1
            try:
                return self._mapping(node) if isinstance(node, yaml.MappingNode) else self._sequence(node)
            finally:
                self.depth -= 1
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            raise self._fail(f"invalid value: {exc.problem or exc}", node) from None
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. the date 2027-02-30
            raise self._fail(f"invalid value {node.value!r}: {exc}", node) from None

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.lines[id(out)] = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, (str, int, float)):
                raise self._fail("mapping keys must be plain scalars", key_node)
            key = str(key)
            if key in out:
                raise self._fail(f"duplicate key {key!r}", key_node)
            out[key] = self.build(value_node)
            self.key_lines[(id(out), key)] = key_node.start_mark.line + 1
        return out

    def _sequence(self, node: yaml.SequenceNode) -> list[Any]:
        items: list[Any] = []
        self.lines[id(items)] = node.start_mark.line + 1
        for child in node.value:
            items.append(self.build(child))
            self.key_lines[(id(items), str(len(items) - 1))] = child.start_mark.line + 1
        return items


def load(path: str | Path) -> Located:
    """Read a YAML file; any syntax error, unreadable file or duplicate key is a UserError."""
    p = Path(path)
    text = files.read_text(p)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}" if mark else ""
        raise UserError(f"invalid YAML: {exc.problem or exc}", path=p, place=place) from None
    except yaml.reader.ReaderError as exc:  # a control character or similar, before any parsing
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise UserError(f"invalid YAML: character U+{char:04X} is not allowed", path=p, place=f"line {line}") from None
    except yaml.YAMLError as exc:
        raise UserError(f"invalid YAML: {' '.join(str(exc).split())}", path=p) from None
    except RecursionError:
        raise UserError("invalid YAML: nested too deeply", path=p) from None
    builder = _Builder(p)
    if node is not None:
        check_expansion(node, p)
    data = builder.build(node) if node is not None else None
    return Located(p, data, builder.lines, builder.key_lines)
