"""Check a loaded OSCAL document against NIST's Metaschema constraints (the derived table).

The document is walked along the Metaschema model so that every JSON node is known as an
instance of a definition; each constraint whose context is that definition is evaluated there.
Semantics follow NIST's metaschema-java:

* ``allowed-values``: all the lists targeting one node are merged; the value must be in the
  union unless every list targeting it says ``allow-other="yes"``;
* ``has-cardinality``: the number of target nodes within each context node;
* ``index`` / ``index-has-key``: keys of an index are unique in the document; every key a
  referencing node carries must be in the index;
* ``is-unique``: keys unique within each context node;
* ``matches``: a regular expression (anchored) or a data type;
* ``expect``: a test that must hold for each target node.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import re
import uuid
from pathlib import Path
from typing import Any

from . import metapath

_DATA = Path(__file__).parent
_ERROR_LEVELS = ("ERROR", "CRITICAL")


class Node:
    """A JSON value as an instance of a Metaschema definition; its JSON path is built on demand."""

    __slots__ = ("defkey", "key", "name", "parent", "value")

    def __init__(self, value: Any, defkey: str, name: str, parent: Node | None, key: Any) -> None:
        self.value = value
        self.defkey = defkey
        self.name = name
        self.parent = parent
        self.key = key  # JSON key or (key, index) in the parent

    @property
    def ident(self) -> tuple[int, Any]:
        """The same for every Node made of the same place in the document."""
        return (id(self.parent.value) if self.parent else 0, self.key)

    @property
    def path(self) -> tuple[Any, ...]:
        parts: list[Any] = []
        node: Node | None = self
        while node is not None:
            parts.extend(reversed(node.key) if isinstance(node.key, tuple) else [node.key])
            node = node.parent
        return tuple(reversed(parts))


class Table:
    """One version's derived table, with the navigation the Metapath evaluator needs."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.defs: dict[str, dict[str, Any]] = data["defs"]
        # an allow-other list matters only where a closed list targets the same definition (it
        # widens what that one allows); alone it can never fail, so it is not evaluated
        closed = [c for c in data["constraints"] if c["kind"] == "allowed-values" and not c.get("allow-other")]
        closed_targets = set().union(*(self.target_defs(c) for c in closed))
        constraints = [
            c for c in data["constraints"] if not c.get("allow-other") or self.target_defs(c) & closed_targets
        ]
        self.by_context: dict[str, list[dict[str, Any]]] = {}
        for c in constraints:
            c = dict(c)
            c["_target"] = metapath.compile_text(c["target"] or ".")
            c["_keys"] = [metapath.compile_text(k) for k in c.get("keys", [])]
            if c.get("test"):
                c["_test"] = metapath.compile_text(c["test"])
            if c.get("regex"):
                import regex  # Unicode classes such as \p{L}, as in XML Schema regexes

                c["_regex"] = regex.compile(c["regex"])
            if "values" in c:
                c["_values"] = frozenset(c["values"])
            self.by_context.setdefault(c["context"], []).append(c)
        self.relevant = self._relevant()
        self.walk_plan = self._walk_plan()

    def _walk_plan(self) -> dict[str, tuple[list[Any], list[Any], list[Any]]]:
        """Per definition: its constraints, its flags that carry some, and the children worth
        visiting (JSON key, definition, XML name, constraints local to that use)."""
        plan: dict[str, tuple[list[Any], list[Any], list[Any]]] = {}
        for key, d in self.defs.items():
            flags = [
                (k, f, "@" + n, self.by_context[f]) for n, (k, f) in d.get("f", {}).items() if f in self.by_context
            ]
            children = [
                (k, child, n, self.by_context.get(f"{key}#{n}", []))
                for n, (k, child, _many) in d.get("c", {}).items()
                if child in self.relevant or f"{key}#{n}" in self.by_context
            ]
            plan[key] = (self.by_context.get(key, []), flags, children)
        return plan

    def target_defs(self, c: dict[str, Any]) -> set[str]:
        """The definitions a constraint's target can select (predicates ignored)."""
        found: set[str] = set()
        for part in _union_parts(metapath.parse(c["target"] or ".")):
            current = (
                {c["context"].split("#")[0]}
                if "#" not in c["context"]
                else {self.defs[c["context"].split("#")[0]]["c"][c["context"].split("#")[1]][1]}
            )
            for axis, test, _ in part[1] if part[0] == "path" else []:
                current = self._static_step(current, axis, test)
            found |= current
        return found

    def _static_step(self, current: set[str], axis: str, test: Any) -> set[str]:
        if test == ".":
            return current
        out: set[str] = set()
        names = (test,) if isinstance(test, str) else test
        todo, seen = list(current), set(current)
        while todo:
            d = self.defs.get(todo.pop(), {})
            if isinstance(test, str) and test.startswith("@"):
                out |= {f for n, (_, f) in d.get("f", {}).items() if n == test[1:]}
                continue
            for n, (_, child, _) in d.get("c", {}).items():
                if test == "*" or n in names:
                    out.add(child)
                if axis == "desc" and child not in seen:
                    seen.add(child)
                    todo.append(child)
        return out

    def _relevant(self) -> set[str]:
        """Definitions from which a constraint's context can be reached (the walk skips the rest)."""
        wanted = {ctx.split("#")[0] for ctx in self.by_context}
        parents: dict[str, set[str]] = {}
        for key, d in self.defs.items():
            for _, child, _many in d.get("c", {}).values():
                parents.setdefault(child, set()).add(key)
            for _, flag in d.get("f", {}).values():
                parents.setdefault(flag, set()).add(key)
        todo = list(wanted)
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in wanted:
                    wanted.add(parent)
                    todo.append(parent)
        return wanted

    # -- the navigator of metapath ---------------------------------------------------------------

    def children(self, node: Node, name: str) -> list[Node]:
        spec = self.defs.get(node.defkey, {}).get("c", {}).get(name)
        if spec is None or type(node.value) is not dict:
            return []
        key, defkey, _many = spec
        value = node.value.get(key)
        if value is None:
            return []
        if type(value) is list:
            return [Node(v, defkey, name, node, (key, i)) for i, v in enumerate(value)]
        return [Node(value, defkey, name, node, key)]

    def all_children(self, node: Node) -> list[Node]:
        out: list[Node] = []
        for name in self.defs.get(node.defkey, {}).get("c", {}):
            out.extend(self.children(node, name))
        return out

    def flag(self, node: Node, name: str) -> list[Node]:
        value = node.value
        if type(value) is not dict or name not in value:  # a flag's JSON key is its name
            return []
        spec = self.defs[node.defkey].get("f", {}).get(name)
        return [Node(value[name], spec[1], "@" + name, node, name)] if spec else []

    def ns(self, node: Node) -> Any:
        ns = node.value.get("ns") if type(node.value) is dict else None
        return ns if isinstance(ns, str) else None

    def atom(self, item: Any) -> Any:
        """The value of a flag or field; None for an assembly or a value of the wrong JSON type."""
        if not isinstance(item, Node):
            return item
        value = item.value
        if type(value) is dict:
            d = self.defs.get(item.defkey, {})
            value = value.get(d["v"]) if d.get("k") == "field" else None
        return None if isinstance(value, (list, dict)) else value


def _union_parts(expr: Any) -> list[Any]:
    return list(expr[1]) if expr[0] == "union" else [expr]


@functools.lru_cache(maxsize=4)
def table(version: str) -> Table:
    """The derived table of an OSCAL version (``KeyError`` when none is shipped)."""
    path = _DATA / f"v{version}.json"
    if not path.is_file():
        raise KeyError(version)
    return Table(json.loads(path.read_text(encoding="utf-8")))


def versions() -> list[str]:
    """OSCAL versions with a shipped constraint table."""
    return sorted(p.stem[1:] for p in _DATA.glob("v*.json"))


class _Run:
    def __init__(self, t: Table, warnings: bool) -> None:
        self.t = t
        self.levels = ("ERROR", "CRITICAL", "WARNING") if warnings else _ERROR_LEVELS
        self.problems: list[tuple[tuple[Any, ...], str]] = []
        self.allowed: dict[tuple[int, Any], tuple[Node, list[dict[str, Any]]]] = {}
        self.indexes: dict[str, dict[tuple[Any, ...], Node]] = {}
        self.lookups: list[tuple[dict[str, Any], Node, tuple[Any, ...]]] = []

    def report(self, path: tuple[Any, ...], c: dict[str, Any], message: str) -> None:
        level = "" if c["level"] in _ERROR_LEVELS else f"{c['level'].lower()}: "
        self.problems.append((path, f"{level}[{c['id']}] {message}"))

    def keys(self, c: dict[str, Any], node: Node) -> tuple[Any, ...] | None:
        values: list[Any] = []
        patterns = c.get("patterns") or [None] * len(c["_keys"])
        for expr, pattern in zip(c["_keys"], patterns, strict=False):
            found = [self.t.atom(v) for v in metapath.select(self.t, expr, node)]
            value = found[0] if found else None
            if pattern and isinstance(value, str):
                m = re.fullmatch(pattern, value)
                value = m.group(1) if m and m.groups() else value
            values.append(value)
        return None if all(v is None for v in values) else tuple(values)

    def apply(self, c: dict[str, Any], node: Node) -> None:
        kind = c["kind"]
        if c["level"] not in self.levels and kind != "allowed-values":
            return
        targets = metapath.select(self.t, c["_target"], node)
        if kind == "allowed-values":
            for target in targets:
                if isinstance(target, Node):
                    self.allowed.setdefault(target.ident, (target, []))[1].append(c)
        elif kind == "has-cardinality":
            n = len(targets)
            if n < c["min"] or n > c.get("max", n):
                bounds = f"at least {c['min']}" if n < c["min"] else f"at most {c['max']}"
                self.report(node.path, c, f"{n} of {c['target']} where {bounds} required")
        elif kind == "index":
            index = self.indexes.setdefault(c["name"], {})
            for target in targets:
                key = self.keys(c, target)
                if key is None:
                    continue
                if key in index:
                    self.report(
                        target.path,
                        c,
                        f"duplicate key {_key(key)} in index {c['name']} (first at {_json_path(index[key].path)})",
                    )
                else:
                    index[key] = target
        elif kind == "index-has-key":
            for target in targets:
                key = self.keys(c, target)
                if key is not None:
                    self.lookups.append((c, target, key))
        elif kind == "is-unique":
            seen: dict[tuple[Any, ...], Node] = {}
            for target in targets:
                key = self.keys(c, target)
                if key is None:
                    continue
                if key in seen:
                    self.report(target.path, c, f"duplicate {_key(key)} (first at {_json_path(seen[key].path)})")
                else:
                    seen[key] = target
        elif kind == "matches":
            for target in targets:
                value = self.t.atom(target)
                if value is None:
                    continue
                if "_regex" in c and not c["_regex"].fullmatch(str(value)):
                    self.report(target.path, c, f"{value!r} does not match {c['regex']}")
                elif c.get("datatype") and not _datatype_ok(c["datatype"], str(value)):
                    self.report(target.path, c, f"{value!r} is not a valid {c['datatype']}")
        elif kind == "expect":
            for target in targets:
                if not metapath.truth(c["_test"](self.t, target)):
                    self.report(target.path, c, c.get("message") or f"expected {c['test']}")

    def walk(self, root: Node) -> None:
        """Visit every node that is, or can contain, a constraint's context (in document order)."""
        t = self.t
        plan = t.walk_plan
        stack = [root]
        while stack:
            node = stack.pop()
            constraints, flags, children = plan[node.defkey]
            for c in constraints:
                self.apply(c, node)
            value = node.value
            if type(value) is not dict:
                continue
            for key, flag, name, flag_constraints in flags:
                if key in value:
                    f = Node(value[key], flag, name, node, key)
                    for c in flag_constraints:
                        self.apply(c, f)
            for key, child, name, local in reversed(children):
                found = value.get(key)
                if found is None:
                    continue
                if type(found) is list:
                    made = [Node(v, child, name, node, (key, i)) for i, v in enumerate(found)]
                else:
                    made = [Node(found, child, name, node, key)]
                for n in made:
                    for c in local:
                        self.apply(c, n)
                stack.extend(reversed(made))

    def finish(self) -> None:
        for target, constraints in self.allowed.values():
            value = self.t.atom(target)
            if value is None or any(value in c["_values"] for c in constraints):
                continue
            strict = [c for c in constraints if not c["allow-other"] and c["level"] in self.levels]
            if strict:
                allowed = sorted({v for c in constraints for v in c["values"]})
                shown = ", ".join(allowed[:12]) + (f", ... ({len(allowed)} in all)" if len(allowed) > 12 else "")
                self.report(target.path, strict[0], f"{value!r} is not an allowed value (allowed: {shown})")
        for c, target, key in self.lookups:
            if c["level"] not in self.levels:
                continue
            index = self.indexes.get(c["name"], {})
            if key not in index:
                self.report(target.path, c, f"{_key(key)} is not a key of index {c['name']}")


def check(
    doc: dict[str, Any], model: str, version: str, *, warnings: bool = False
) -> list[tuple[tuple[Any, ...], str]]:
    """``(json path parts, message)`` for every constraint ``doc`` breaks; ``[]`` when it satisfies
    them all. ``warnings``: also WARNING-level constraints (their messages start ``warning:``)."""
    t = table(version)
    run = _Run(t, warnings)
    run.walk(Node(doc[model], t.data["roots"][model], model, None, model))
    run.finish()
    return run.problems


def _key(key: tuple[Any, ...]) -> str:
    return "|".join("" if k is None else str(k) for k in key)


def _json_path(parts: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _datatype_ok(datatype: str, value: str) -> bool:
    try:
        if datatype == "integer":
            return re.fullmatch(r"[-+]?\d+", value) is not None
        if datatype == "uuid":
            uuid.UUID(value)
            return (
                re.fullmatch(
                    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[45][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}", value
                )
                is not None
            )
        if datatype == "date":
            dt.date.fromisoformat(value[:10])
            return re.fullmatch(r"\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?", value) is not None
        if datatype in ("date-time", "date-time-with-timezone"):
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return datatype == "date-time" or parsed.tzinfo is not None
        if datatype == "uri":
            return re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S*", value) is not None
        if datatype == "uri-reference":
            return re.fullmatch(r"\S*", value) is not None
        if datatype == "ip-v4-address":
            ipaddress.IPv4Address(value)
        elif datatype == "ip-v6-address":
            ipaddress.IPv6Address(value)
        elif datatype == "token":
            return re.fullmatch(r"[A-Za-z_][\w.-]*", value) is not None
    except ValueError:
        return False
    return True
