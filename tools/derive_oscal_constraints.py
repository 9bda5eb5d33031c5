"""Derive the constraint tables from NIST's OSCAL Metaschema sources (a development tool).

A development tool, not part of the package: run it by hand from the checkout when NIST
publishes a release we support, on the ``src/metaschema`` folder of NIST's OSCAL repository
(github.com/usnistgov/OSCAL) checked out at that release's tag::

    .venv/bin/python tools/derive_oscal_constraints.py OSCAL/src/metaschema 1.2.1

It reads the Metaschema modules of our four models (catalog, component-definition,
assessment-plan, assessment-results) and what they import, and writes
``core/trustsweep/oscal/constraints/v<version>.json``:

* ``defs``: for every definition the four models can reach, its flags (XML name → JSON key,
  flag definition) and children (XML name → JSON key, definition, list or single), so the
  checker knows which definition each JSON node is an instance of;
* ``constraints``: each ``allowed-values``, ``has-cardinality``, ``index``, ``index-has-key``,
  ``is-unique``, ``matches`` and ``expect`` with its context definition and its Metapath
  target (checked only when the target parses in :mod:`.metapath`'s subset);
* ``skipped``: the others, each with the reason; ``provenance``: the NIST tag, the source
  files and their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from trustsweep.oscal.constraints.metapath import Unsupported, parse

TABLES = Path(__file__).resolve().parents[1] / "core" / "trustsweep" / "oscal" / "constraints"

M = "{http://csrc.nist.gov/ns/oscal/metaschema/1.0}"
ROOT_FILES = (
    "oscal_catalog_metaschema.xml",
    "oscal_component_metaschema.xml",
    "oscal_assessment-plan_metaschema.xml",
    "oscal_assessment-results_metaschema.xml",
)
ROOTS = ("catalog", "component-definition", "assessment-plan", "assessment-results")
KINDS = ("allowed-values", "has-cardinality", "index", "index-has-key", "is-unique", "matches", "expect")
_ENTITY = re.compile(r'<!ENTITY\s+([\w.-]+)\s+SYSTEM\s+"([^"]+)"\s*>')


def read_module(path: Path, sources: dict[str, str]) -> ET.Element:
    """Parse one Metaschema file, expanding its external entities (shared allowed-values lists)."""
    text = path.read_text(encoding="utf-8")
    sources[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    for name, href in _ENTITY.findall(text):
        entity = path.parent / href
        sources[f"{entity.parent.name}/{entity.name}"] = hashlib.sha256(entity.read_bytes()).hexdigest()
        text = text.replace(f"&{name};", entity.read_text(encoding="utf-8"))
    text = re.sub(r"<!DOCTYPE[^\[]*\[.*?\]>", "", text, flags=re.S)
    return ET.fromstring(text)


def load_modules(folder: Path) -> tuple[list[ET.Element], dict[str, str]]:
    sources: dict[str, str] = {}
    modules: list[ET.Element] = []
    todo = list(ROOT_FILES)
    while todo:
        name = todo.pop(0)
        if name in sources:
            continue
        root = read_module(folder / name, sources)
        modules.append(root)
        todo += [imp.get("href", "") for imp in root.findall(f"{M}import")]
    return modules, sources


class Deriver:
    def __init__(self, modules: list[ET.Element]) -> None:
        self.top: dict[str, ET.Element] = {}
        for module in modules:
            for elem in module:
                tag = elem.tag.removeprefix(M)
                if tag in ("define-assembly", "define-field", "define-flag"):
                    key = ("@" if tag == "define-flag" else "") + elem.get("name", "")
                    self.top.setdefault(key, elem)
        self.defs: dict[str, dict[str, Any]] = {}
        self.constraints: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.roots: dict[str, str] = {}
        self.anonymous: dict[tuple[str, str], int] = {}

    def xml_name(self, key: str) -> str:
        elem = self.top[key]
        use = elem.find(f"{M}use-name")
        return use.text.strip() if use is not None and use.text else elem.get("name", "")

    def run(self) -> None:
        for key, elem in self.top.items():
            root_name = elem.find(f"{M}root-name")
            if root_name is not None and root_name.text in ROOTS:
                self.roots[root_name.text] = key
        todo = list(self.roots.values())
        while todo:
            key = todo.pop()
            if key in self.defs:
                continue
            todo += self.define(key, self.top[key])

    def define(self, key: str, elem: ET.Element) -> list[str]:
        """Record one definition (and its inline ones); return the definitions it refers to."""
        kind = elem.tag.removeprefix(M).removeprefix("define-")
        entry: dict[str, Any] = {"k": kind}
        refs: list[str] = []
        flags: dict[str, list[str]] = {}
        for child in elem:
            tag = child.tag.removeprefix(M)
            if tag == "flag":
                ref = "@" + child.get("ref", "")
                flags[child.get("ref", "")] = [child.get("ref", ""), ref]
                refs.append(ref)
                self.local_constraints(key, child.get("ref", ""), child)
            elif tag == "define-flag":
                sub = f"{key}@{child.get('name')}"
                flags[child.get("name", "")] = [child.get("name", ""), sub]
                refs += self.define(sub, child)
                self.defs[sub]["k"] = "flag"
            elif tag == "json-value-key" and child.text:
                entry["v"] = child.text.strip()
            elif tag == "model":
                children: dict[str, list[Any]] = {}
                refs += self.model(key, child, children)
                entry["c"] = children
        if kind == "field" and "v" not in entry:
            entry["v"] = "STRVALUE"  # Metaschema's default value key of a field with flags
        if flags:
            entry["f"] = flags
        self.defs[key] = entry
        constraint = elem.find(f"{M}constraint")
        if constraint is not None:
            self.collect(key, constraint)
        return refs

    def model(self, key: str, model: ET.Element, children: dict[str, list[Any]]) -> list[str]:
        refs: list[str] = []
        for child in model:
            tag = child.tag.removeprefix(M)
            if tag in ("choice", "choice-group"):
                refs += self.model(key, child, children)
                continue
            if tag not in ("assembly", "field", "define-assembly", "define-field"):
                continue
            use = child.find(f"{M}use-name")
            if tag.startswith("define-"):
                name = use.text.strip() if use is not None and use.text else child.get("name", "")
                target = f"{key}/{child.get('name')}"
                refs += self.define(target, child)
            else:
                target = child.get("ref", "")
                name = use.text.strip() if use is not None and use.text else self.xml_name(target)
                refs.append(target)
                self.local_constraints(key, name, child)
            group = child.find(f"{M}group-as")
            many = child.get("max-occurs", "1") != "1"
            json_key = group.get("name") if many and group is not None else name
            if many and group is not None and group.get("in-json") == "BY_KEY":
                self.skipped.append({"id": f"{key}/{name}", "reason": "BY_KEY group (not used by OSCAL)"})
            children[name] = [json_key, target, 1 if many else 0]
        return refs

    def local_constraints(self, parent: str, name: str, use: ET.Element) -> None:
        constraint = use.find(f"{M}constraint")
        if constraint is not None:
            self.collect(f"{parent}#{name}", constraint)

    def collect(self, context: str, block: ET.Element) -> None:
        for c in block:
            kind = c.tag.removeprefix(M)
            if kind not in KINDS:
                continue
            n = self.anonymous[(context, kind)] = self.anonymous.get((context, kind), 0) + 1
            entry: dict[str, Any] = {
                # NIST left some constraints without an id (most of 1.1.3): name them by place
                "id": c.get("id") or f"{context}:{kind}:{n}",
                "kind": kind,
                "context": context,
                "level": c.get("level", "ERROR"),
                "target": c.get("target", "."),
            }
            if kind == "allowed-values":
                entry["values"] = [e.get("value") for e in c.findall(f"{M}enum")]
                entry["allow-other"] = c.get("allow-other", "no") == "yes"
            elif kind == "has-cardinality":
                entry["min"] = int(c.get("min-occurs", "0"))
                if c.get("max-occurs", "unbounded") != "unbounded":
                    entry["max"] = int(c.get("max-occurs", "0"))
            elif kind in ("index", "index-has-key", "is-unique"):
                if kind != "is-unique":
                    entry["name"] = c.get("name")
                entry["keys"] = [k.get("target", ".") for k in c.findall(f"{M}key-field")]
                if any(k.get("pattern") for k in c.findall(f"{M}key-field")):
                    entry["patterns"] = [k.get("pattern") for k in c.findall(f"{M}key-field")]
            elif kind == "matches":
                for attr in ("regex", "datatype"):
                    if c.get(attr):
                        entry[attr] = c.get(attr)
            elif kind == "expect":
                entry["test"] = c.get("test", "")
                message = c.find(f"{M}message")
                if message is not None and message.text:
                    entry["message"] = " ".join(message.text.split())
            reason = self.unsupported(entry)
            if reason:
                self.skipped.append({"id": entry["id"], "kind": kind, "context": context, "reason": reason})
            else:
                self.constraints.append(entry)

    def unsupported(self, entry: dict[str, Any]) -> str:
        """Why a constraint is not checked ("" when it is)."""
        if entry["level"] not in ("ERROR", "CRITICAL", "WARNING"):
            return f"level {entry['level']}"
        texts = [entry["target"], entry.get("test", ""), *entry.get("keys", [])]
        for text in filter(None, texts):
            try:
                parse(text)
            except Unsupported as exc:
                return f"metapath not supported: {exc}"
        if entry["kind"] == "matches" and entry.get("datatype") not in (None, *DATATYPES):
            return f"datatype {entry['datatype']} not supported"
        return ""


DATATYPES = (
    "integer",
    "uuid",
    "date",
    "date-time",
    "date-time-with-timezone",
    "uri",
    "uri-reference",
    "ip-v4-address",
    "ip-v6-address",
    "token",
    "string",
)


def derive(folder: Path, version: str) -> dict[str, Any]:
    modules, sources = load_modules(folder)
    d = Deriver(modules)
    d.run()
    by_kind: dict[str, dict[str, int]] = {}
    for c in d.constraints:
        by_kind.setdefault(c["kind"], {"checked": 0, "skipped": 0})["checked"] += 1
    for s in d.skipped:
        if "kind" in s:
            by_kind.setdefault(s["kind"], {"checked": 0, "skipped": 0})["skipped"] += 1
    return {
        "oscal-version": version,
        "provenance": {
            "source": f"usnistgov/OSCAL tag v{version}, src/metaschema",
            "derived-by": "trustsweep.oscal.constraints.derive",
            "derived-on": dt.date.today().isoformat(),
            "files": dict(sorted(sources.items())),
        },
        "coverage": {
            "derived": len(d.constraints) + sum(1 for s in d.skipped if "kind" in s),
            "checked": len(d.constraints),
            "skipped": sum(1 for s in d.skipped if "kind" in s),
            # allow-other=yes lists never fail alone; they widen the union of allowed values of a node
            "advisory": sum(1 for c in d.constraints if c.get("allow-other")),
            "by-kind": by_kind,
        },
        "roots": d.roots,
        "defs": d.defs,
        "constraints": d.constraints,
        "skipped": d.skipped,
    }


def dumps(table: dict[str, Any]) -> str:
    """Compact JSON that still reviews well in a diff: one definition or constraint per line."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for key, value in table.items():
        if isinstance(value, dict) and key in ("defs", "provenance"):
            body = ",\n".join(f"  {one(k)}:{one(v)}" for k, v in value.items())
            parts.append(f" {one(key)}:{{\n{body}\n }}")
        elif isinstance(value, list) and value:
            body = ",\n".join(f"  {one(v)}" for v in value)
            parts.append(f" {one(key)}:[\n{body}\n ]")
        else:
            parts.append(f" {one(key)}:{one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: tools/derive_oscal_constraints.py METASCHEMA_DIR VERSION", file=sys.stderr)
        return 2
    table = derive(Path(argv[0]), argv[1])
    out = TABLES / f"v{argv[1]}.json"
    out.write_text(dumps(table), encoding="utf-8")
    cov = table["coverage"]
    print(f"{out.name}: {cov['derived']} constraints derived, {cov['checked']} checked, {cov['skipped']} skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
