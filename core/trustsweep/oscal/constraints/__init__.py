"""NIST's OSCAL Metaschema constraints (the layer the JSON schema cannot express).

``v<version>.json`` beside this file is derived from NIST's Metaschema sources by
``tools/derive_oscal_constraints.py`` in the checkout (provenance inside it and in ``PROVENANCE.md``); :mod:`.checker` evaluates it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .checker import check, table, versions

if TYPE_CHECKING:
    from ..validate import Problem

__all__ = ["check", "constraint_problems", "coverage", "table", "versions"]


def constraint_problems(doc: dict[str, Any], model: str, version: str, *, warnings: bool = False) -> list[Problem]:
    """Problems (``json.path: [constraint-id] message``) against NIST's constraints for ``version``.

    ``[]`` when the document satisfies them, and also when no table is shipped for that version
    or model (only catalog, component-definition, assessment-plan and assessment-results are derived).
    """
    from ..validate import Problem, json_path

    if version not in versions() or model not in table(version).data["roots"]:
        return []
    return [Problem(json_path(path), message) for path, message in check(doc, model, version, warnings=warnings)]


def coverage(version: str) -> dict[str, Any]:
    """How many constraints were derived for ``version``, how many are checked and skipped."""
    return dict(table(version).data["coverage"])
