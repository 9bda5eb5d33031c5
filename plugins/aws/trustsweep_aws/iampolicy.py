"""Pure helpers over IAM policy documents: full-admin grants, write actions, trust principals.

Conservative by design: an action pattern is a read only when its verb is clearly a read (Get,
List, Describe, ...); ``*``, ``svc:*`` and anything else count as write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

READ_VERBS = (
    "Get",
    "List",
    "Describe",
    "BatchGet",
    "BatchDescribe",
    "Search",
    "Lookup",
    "View",
    "Query",
    "Scan",
    "Select",
    "Head",
    "Check",
    "Validate",
    "Estimate",
    "Preview",
    "Simulate",
)

#: AWS managed policies whose documents may not be in the account's authorization details.
KNOWN_AWS_MANAGED = {
    "AdministratorAccess": {"admin": True, "write": True},
    "PowerUserAccess": {"admin": False, "write": True},
    "IAMFullAccess": {"admin": False, "write": True},
    "ReadOnlyAccess": {"admin": False, "write": False},
    "ViewOnlyAccess": {"admin": False, "write": False},
    "SecurityAudit": {"admin": False, "write": False},
}


def document(doc: Any) -> dict[str, Any]:
    """A policy document as a dict (the API may return it URL-encoded JSON text)."""
    if isinstance(doc, dict):
        return doc
    if isinstance(doc, str) and doc:
        text = doc if doc.lstrip().startswith("{") else unquote(doc)
        try:
            parsed = json.loads(text)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def statements(doc: Any) -> Iterator[dict[str, Any]]:
    for stmt in _list(document(doc).get("Statement")):
        if isinstance(stmt, dict):
            yield stmt


def allows_full_admin(doc: Any) -> bool:
    """An Allow of every action (``*`` / ``*:*``, or ``NotAction`` on anything) on every resource."""
    for stmt in statements(doc):
        if stmt.get("Effect") != "Allow":
            continue
        resources = [str(r) for r in _list(stmt.get("Resource"))]
        if "*" not in resources:
            continue
        actions = [str(a) for a in _list(stmt.get("Action"))]
        if any(a in ("*", "*:*") for a in actions):
            return True
        if "NotAction" in stmt and "Condition" not in stmt:
            return True
    return False


def is_read_action(action: str) -> bool:
    service, _, verb = action.partition(":")
    if not verb or "*" in service:
        return False
    if verb.endswith("*"):
        stem = verb.rstrip("*")
        return any(stem.startswith(v) for v in READ_VERBS) and stem != ""
    return verb.startswith(READ_VERBS)


def write_actions(doc: Any) -> list[str]:
    """Actions (patterns) an Allow statement grants that are not clearly reads."""
    out: list[str] = []
    for stmt in statements(doc):
        if stmt.get("Effect") != "Allow":
            continue
        if "NotAction" in stmt:
            out.append("NotAction:" + ",".join(str(a) for a in _list(stmt["NotAction"])))
            continue
        for action in _list(stmt.get("Action")):
            if not is_read_action(str(action)) and str(action) not in out:
                out.append(str(action))
    return out


def trust_principals(doc: Any) -> list[dict[str, Any]]:
    """Who may assume a role: ``[{"type": "Federated", "principal": ..., "actions": [...], "conditions": bool}]``."""
    out: list[dict[str, Any]] = []
    for stmt in statements(doc):
        if stmt.get("Effect") != "Allow":
            continue
        principal = stmt.get("Principal")
        actions = [str(a) for a in _list(stmt.get("Action"))]
        pairs: list[tuple[str, str]] = []
        if principal == "*":
            pairs.append(("AWS", "*"))
        elif isinstance(principal, dict):
            for kind, values in principal.items():
                pairs.extend((str(kind), str(v)) for v in _list(values))
        for kind, value in pairs:
            out.append(
                {"type": kind, "principal": value, "actions": actions, "conditions": bool(stmt.get("Condition"))}
            )
    return out


def denies_insecure_transport(doc: Any) -> bool:
    """A bucket policy Deny of every S3 action to everyone when ``aws:SecureTransport`` is false."""
    for stmt in statements(doc):
        if stmt.get("Effect") != "Deny":
            continue
        principal = stmt.get("Principal")
        if not (principal == "*" or (isinstance(principal, dict) and "*" in _list(principal.get("AWS")))):
            continue
        if not any(str(a) in ("*", "s3:*") for a in _list(stmt.get("Action"))):
            continue
        condition = stmt.get("Condition") or {}
        for operator in ("Bool", "BoolIfExists"):
            value = (condition.get(operator) or {}).get("aws:SecureTransport")
            if str(value[0] if isinstance(value, list) and value else value).lower() == "false":
                return True
    return False
