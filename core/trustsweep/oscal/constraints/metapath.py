"""The subset of Metaschema's Metapath that NIST's OSCAL constraints use for our four models.

Parsed into small tuples, evaluated over a JSON document through a :class:`Navigator` that knows
which Metaschema definition every JSON node is an instance of (XML names such as ``prop`` map to
JSON keys such as ``props``).

Supported: paths of child steps (``prop``, ``metadata/role``, ``(control|group|part)``, ``*``),
``.``, ``(.)``, ``//`` and ``.//`` (descendants), ``@flag``; predicates ``[...]``; unions ``|``;
``and``, ``or``, ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (general comparison over sequences),
string literals, integers, sequences ``('a', 'b')``; the functions ``has-oscal-namespace``,
``not``, ``exists``, ``empty``, ``starts-with``, ``count``. Anything else (``doc()``, ``..``,
axes, arithmetic, variables) raises :class:`Unsupported`; the derivation script lists those
constraints as skipped, with the reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Protocol

OSCAL_NS = "http://csrc.nist.gov/ns/oscal"

FUNCTIONS = frozenset({"has-oscal-namespace", "not", "exists", "empty", "starts-with", "count"})

_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<str>'[^']*'|"[^"]*")
    | (?P<num>\d+)
    | (?P<op>//|\.//|!=|<=|>=|=|<|>|/|\||\[|\]|\(|\)|,|@|\*|\.\.|\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_.-]*)
    )""",
    re.VERBOSE,
)


class Unsupported(ValueError):
    """A Metapath expression outside the supported subset."""


def tokenize(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"cannot read {text[pos:]!r}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "name" and value.endswith("."):  # "a." is not a name here
            raise Unsupported(f"cannot read {value!r}")
        out.append((kind, value))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise Unsupported(f"expected {value!r} at {tok[1] or 'end'!r} in {self.text!r}")
        self.i += 1
        return tok

    def parse(self) -> Any:
        expr = self.expr()
        if self.peek()[0] != "end":
            raise Unsupported(f"unexpected {self.peek()[1]!r} in {self.text!r}")
        return expr

    def expr(self) -> Any:
        left = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            left = ("or", left, self.and_expr())
        return left

    def and_expr(self) -> Any:
        left = self.comparison()
        while self.peek() == ("name", "and"):
            self.take()
            left = ("and", left, self.comparison())
        return left

    def comparison(self) -> Any:
        left = self.union()
        if self.peek()[1] in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            return ("cmp", op, left, self.union())
        return left

    def union(self) -> Any:
        parts = [self.primary()]
        while self.peek()[1] == "|":
            self.take()
            parts.append(self.primary())
        return parts[0] if len(parts) == 1 else ("union", parts)

    def primary(self) -> Any:
        kind, value = self.peek()
        if kind == "str":
            self.take()
            return ("lit", value[1:-1])
        if kind == "num":
            self.take()
            return ("lit", int(value))
        if kind == "name" and self.peek(1)[1] == "(":
            if value not in FUNCTIONS:
                raise Unsupported(f"function {value}() is not supported")
            self.take()
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.expr())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expr())
            self.take(")")
            return ("fn", value, args)
        if value == "(" and not self._is_group_step():
            self.take()
            items = [self.expr()]
            while self.peek()[1] == ",":
                self.take()
                items.append(self.expr())
            self.take(")")
            if self.peek()[1] in ("[", "/", "//"):  # (.)[...] handled as a step; anything else is not
                raise Unsupported(f"filtered parenthesised expression in {self.text!r}")
            return items[0] if len(items) == 1 else ("seq", items)
        return self.path()

    def _is_group_step(self) -> bool:
        """``(a|b|c)`` of plain names, or ``(.)``, used as a path step."""
        j = self.i + 1
        expect_name = True
        while j < len(self.tokens):
            kind, value = self.tokens[j]
            if expect_name and (kind == "name" or value == "."):
                expect_name = False
            elif not expect_name and value == "|":
                expect_name = True
            elif not expect_name and value == ")":  # noqa: SIM103 - one branch of the scan, read with the others
                return True
            else:
                return False
            j += 1
        return False

    def path(self) -> Any:
        steps: list[tuple[str, Any, list[Any]]] = []
        axis = "child"
        if self.peek()[1] in ("//", ".//"):
            self.take()
            axis = "desc"
        steps.append(self.step(axis))
        while self.peek()[1] in ("/", "//"):
            sep = self.take()[1]
            steps.append(self.step("desc" if sep == "//" else "child"))
        return ("path", steps)

    def step(self, axis: str) -> tuple[str, Any, list[Any]]:
        kind, value = self.peek()
        if value == ".":
            self.take()
            test: Any = "."
            if axis == "desc":
                raise Unsupported(f"'//.' in {self.text!r}")
        elif value == "..":
            raise Unsupported(f"parent step '..' in {self.text!r}")
        elif value == "@":
            self.take()
            test = "@" + self.take()[1]
        elif value == "*":
            self.take()
            test = "*"
        elif value == "(":
            self.take()
            names = [self.take()[1]]
            while self.peek()[1] == "|":
                self.take()
                names.append(self.take()[1])
            self.take(")")
            test = "." if names == ["."] else tuple(names)
            if "." in names and names != ["."]:
                raise Unsupported(f"mixed group step in {self.text!r}")
        elif kind == "name":
            self.take()
            if self.peek()[1] == "::":
                raise Unsupported(f"axis in {self.text!r}")
            test = value
        else:
            raise Unsupported(f"unexpected {value or 'end'!r} in {self.text!r}")
        predicates = []
        while self.peek()[1] == "[":
            self.take()
            predicates.append(self.expr())
            self.take("]")
        return (axis, test, predicates)


def parse(text: str) -> Any:
    """Parse a Metapath expression of the supported subset (raises :class:`Unsupported`)."""
    return _Parser(text).parse()


# ---------------------------------------------------------------------------------------------
# evaluation: an expression compiles into a closure ``fn(nav, node)``; paths return lists, the
# rest a value or a bool


class Navigator(Protocol):
    """What the evaluator needs from the document model (see ``checker.Table``)."""

    def children(self, node: Any, name: str) -> list[Any]: ...
    def all_children(self, node: Any) -> list[Any]: ...
    def flag(self, node: Any, name: str) -> list[Any]: ...
    def atom(self, item: Any) -> Any: ...
    def ns(self, node: Any) -> Any: ...


Compiled = Callable[[Navigator, Any], Any]


@functools.lru_cache(maxsize=1024)
def compile_text(text: str) -> Compiled:
    """Parse and compile a Metapath expression (raises :class:`Unsupported`)."""
    return compile_expr(parse(text))


def select(nav: Navigator, fn: Compiled, node: Any) -> list[Any]:
    """The items a compiled expression selects from ``node`` (always a list)."""
    result = fn(nav, node)
    return result if isinstance(result, list) else [result]


def truth(value: Any) -> bool:
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], bool):
            return value[0]
        return bool(value)
    return bool(value)


def compile_expr(expr: Any) -> Compiled:
    op = expr[0]
    if op == "lit":
        value = expr[1]
        return lambda nav, node: value
    if op == "path":
        return _compile_path(expr[1])
    if op == "seq":
        items = [compile_expr(e) for e in expr[1]]

        def seq(nav: Navigator, node: Any) -> list[Any]:
            out: list[Any] = []
            for item in items:
                value = item(nav, node)
                out.extend(value if isinstance(value, list) else [value])
            return out

        return seq
    if op == "union":
        parts = [compile_expr(e) for e in expr[1]]

        def union(nav: Navigator, node: Any) -> list[Any]:
            out: list[Any] = []
            for part in parts:
                out.extend(select(nav, part, node))
            return out

        return union
    if op in ("and", "or"):
        left, right = compile_expr(expr[1]), compile_expr(expr[2])
        if op == "and":
            return lambda nav, node: truth(left(nav, node)) and truth(right(nav, node))
        return lambda nav, node: truth(left(nav, node)) or truth(right(nav, node))
    if op == "cmp":
        cmp, left, right = expr[1], compile_expr(expr[2]), compile_expr(expr[3])

        def compare(nav: Navigator, node: Any) -> bool:
            a_values = [nav.atom(v) for v in select(nav, left, node)]
            b_values = [nav.atom(v) for v in select(nav, right, node)]
            return any(_compare(cmp, a, b) for a in a_values for b in b_values if a is not None and b is not None)

        return compare
    if op == "fn":
        return _compile_function(expr[1], [compile_expr(a) for a in expr[2]], expr[2])
    raise Unsupported(f"unknown expression {op}")


def _compile_path(steps: list[tuple[str, Any, list[Any]]]) -> Compiled:
    compiled = [(axis, test, [compile_expr(p) for p in predicates]) for axis, test, predicates in steps]

    def path(nav: Navigator, node: Any) -> list[Any]:
        current = [node]
        for axis, test, predicates in compiled:
            if test != ".":
                current = _step(nav, current, axis, test)
            for predicate in predicates:
                current = [n for n in current if truth(predicate(nav, n))]
            if not current:
                break
        return current

    if len(compiled) == 2 and compiled[0][1] == "." and compiled[1][1][0] == "@" and compiled[1][0] == "child":
        # ``.[predicates]/@flag``: the shape of most prop constraints, run for every prop
        predicates, flag = compiled[0][2], compiled[1][1][1:]

        def self_flag(nav: Navigator, node: Any) -> list[Any]:
            for predicate in predicates:
                if not truth(predicate(nav, node)):
                    return []
            return nav.flag(node, flag)

        return self_flag if not compiled[1][2] else path
    return path


def _step(nav: Navigator, current: list[Any], axis: str, test: Any) -> list[Any]:
    if test == ".":
        return current
    out: list[Any] = []
    for n in current:
        if axis == "desc":
            stack = list(reversed(nav.all_children(n)))
            while stack:
                c = stack.pop()
                if test == "*" or (c.name == test if isinstance(test, str) else c.name in test):
                    out.append(c)
                stack.extend(reversed(nav.all_children(c)))
        elif test[0] == "@":
            out.extend(nav.flag(n, test[1:]))
        elif test == "*":
            out.extend(nav.all_children(n))
        else:
            for name in (test,) if isinstance(test, str) else test:
                out.extend(nav.children(n, name))
    return out


def _compare(op: str, a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        try:
            a, b = float(a), float(b)
        except (TypeError, ValueError):
            return False
    else:
        a, b = str(a), str(b)
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _compile_function(name: str, args: list[Compiled], raw: list[Any]) -> Compiled:
    if name == "has-oscal-namespace":
        if all(a[0] in ("lit", "seq") for a in raw):  # the usual case: literal namespaces
            allowed = frozenset(str(v) for a in args for v in select(None, a, None))  # type: ignore[arg-type]
            return lambda nav, node: (nav.ns(node) or OSCAL_NS) in allowed

        def has_ns(nav: Navigator, node: Any) -> bool:
            wanted = {str(nav.atom(v)) for a in args for v in select(nav, a, node)}
            return (nav.ns(node) or OSCAL_NS) in wanted

        return has_ns
    if name == "not":
        return lambda nav, node: not truth(args[0](nav, node))
    if name == "exists":
        return lambda nav, node: bool(select(nav, args[0], node))
    if name == "empty":
        return lambda nav, node: not select(nav, args[0], node)
    if name == "count":
        return lambda nav, node: len(select(nav, args[0], node))

    def starts_with(nav: Navigator, node: Any) -> bool:
        text = [nav.atom(v) for v in select(nav, args[0], node)]
        prefix = [nav.atom(v) for v in select(nav, args[1], node)]
        return bool(text and prefix) and str(text[0]).startswith(str(prefix[0]))

    return starts_with
