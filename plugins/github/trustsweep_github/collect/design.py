"""What protects a repository's default branch: classic branch protection and repository rulesets.

Both are normalised to the same small shape so checks can accept either source::

    {"pull_request": {"approvals": int, "dismiss_stale": bool, "code_owners": bool} | None,
     "status_checks": [context, ...], "no_force_push": bool, "no_deletion": bool,
     "bypass": ["User:dave", "Team:77", "OrganizationAdmin", ...]}

plus ``enforce_admins`` (classic protection) or ``id``/``name``/``source``/``enforcement`` (a ruleset).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ..session import BadCredentials, GitHubError, GitHubSession, NotFound, RateLimited

#: Errors that stop the whole unit (every later request would fail the same way).
FATAL = (BadCredentials, RateLimited)
Fail = Callable[[dict[str, Any], str, BaseException], None]
_ERROR = object()


def _enabled(doc: dict[str, Any], key: str) -> bool:
    value = doc.get(key)
    return bool(value.get("enabled")) if isinstance(value, dict) else bool(value)


def normalise_protection(doc: dict[str, Any]) -> dict[str, Any]:
    """``GET /repos/{o}/{r}/branches/{b}/protection`` in the common shape."""
    reviews = doc.get("required_pull_request_reviews")
    pull_request = None
    bypass: list[str] = []
    if isinstance(reviews, dict):
        pull_request = {
            "approvals": int(reviews.get("required_approving_review_count") or 0),
            "dismiss_stale": bool(reviews.get("dismiss_stale_reviews")),
            "code_owners": bool(reviews.get("require_code_owner_reviews")),
        }
        allowances = reviews.get("bypass_pull_request_allowances") or {}
        bypass = (
            [f"User:{u.get('login')}" for u in allowances.get("users") or []]
            + [f"Team:{t.get('slug')}" for t in allowances.get("teams") or []]
            + [f"App:{a.get('slug')}" for a in allowances.get("apps") or []]
        )
    checks = doc.get("required_status_checks") or {}
    contexts = sorted(
        {*(checks.get("contexts") or []), *(c.get("context") for c in checks.get("checks") or [])} - {None}
    )
    return {
        "pull_request": pull_request,
        "status_checks": contexts,
        "no_force_push": not _enabled(doc, "allow_force_pushes"),
        "no_deletion": not _enabled(doc, "allow_deletions"),
        "enforce_admins": _enabled(doc, "enforce_admins"),
        "bypass": bypass,
    }


def _actor(actor: dict[str, Any]) -> str:
    kind = str(actor.get("actor_type") or "Unknown")
    ident = actor.get("actor_id")
    return kind if kind in ("OrganizationAdmin", "DeployKey") or ident is None else f"{kind}:{ident}"


def normalise_rules(rules: list[dict[str, Any]], detail: dict[str, Any] | None) -> dict[str, Any]:
    """The active rules one ruleset applies to the branch, with its bypass actors (None: unread)."""
    out: dict[str, Any] = {
        "pull_request": None,
        "status_checks": [],
        "no_force_push": False,
        "no_deletion": False,
        "bypass": None,
    }
    for rule in rules:
        params = rule.get("parameters") or {}
        kind = rule.get("type")
        if kind == "pull_request":
            out["pull_request"] = {
                "approvals": int(params.get("required_approving_review_count") or 0),
                "dismiss_stale": bool(params.get("dismiss_stale_reviews_on_push")),
                "code_owners": bool(params.get("require_code_owner_review")),
            }
        elif kind == "required_status_checks":
            out["status_checks"] = sorted(c.get("context", "") for c in params.get("required_status_checks") or [])
        elif kind == "non_fast_forward":
            out["no_force_push"] = True
        elif kind == "deletion":
            out["no_deletion"] = True
    if detail is not None:
        out.update(
            name=detail.get("name", ""),
            source=detail.get("source", ""),
            enforcement=detail.get("enforcement", ""),
            bypass=sorted(_actor(a) for a in detail.get("bypass_actors") or []),
        )
    return out


def read_design(session: GitHubSession, full_name: str, branch: str, fail: Fail) -> dict[str, Any]:
    """The design properties of one repository; ``fail(props, field, exc)`` records an unread field."""
    props: dict[str, Any] = {"default_branch": branch}
    ref = quote(branch, safe="")
    read(
        props,
        "protection",
        fail,
        lambda: normalise_protection(session.get(f"/repos/{full_name}/branches/{ref}/protection")),
        if_missing=None,
    )  # 404: not protected
    read(props, "rulesets", fail, lambda: _rulesets(session, full_name, ref, props, fail))
    read(
        props,
        "codeowners",
        fail,
        lambda: session.get(f"/repos/{full_name}/codeowners/errors", {"ref": branch}) is not None,
        if_missing=False,
    )  # 404: no CODEOWNERS file on the branch
    read(
        props,
        "outside_admins",
        fail,
        lambda: sorted(
            u.get("login", "")
            for u in session.paged(
                f"/repos/{full_name}/collaborators", {"affiliation": "outside", "permission": "admin"}
            )
        ),
    )
    return props


def read(props: dict[str, Any], field: str, fail: Fail, fn: Callable[[], Any], if_missing: Any = _ERROR) -> None:
    """``props[field] = fn()``; a 404 gives ``if_missing`` (when set), another GitHub error marks the
    field unread. A dead token or an over-long rate-limit wait escapes and fails the unit."""
    try:
        props[field] = fn()
    except FATAL:
        raise
    except NotFound as exc:
        if if_missing is _ERROR:
            fail(props, field, exc)
        else:
            props[field] = if_missing
    except GitHubError as exc:
        fail(props, field, exc)


def _rulesets(
    session: GitHubSession, full_name: str, ref: str, props: dict[str, Any], fail: Any
) -> list[dict[str, Any]]:
    by_id: dict[int, list[dict[str, Any]]] = {}
    for rule in session.paged(f"/repos/{full_name}/rules/branches/{ref}"):
        by_id.setdefault(int(rule.get("ruleset_id") or 0), []).append(rule)
    return [
        {"id": ruleset_id, **normalise_rules(rules, _detail(session, full_name, ruleset_id, props, fail))}
        for ruleset_id, rules in sorted(by_id.items())
    ]


def _detail(
    session: GitHubSession, full_name: str, ruleset_id: int, props: dict[str, Any], fail: Fail
) -> dict[str, Any] | None:
    """One ruleset as ``GET /repos/{o}/{r}/rulesets/{id}`` shows it (None: unread, marked ``ruleset_bypass``)."""
    holder: dict[str, Any] = {}
    read(
        holder,
        "detail",
        lambda _, __, exc: fail(props, "ruleset_bypass", exc),
        lambda: session.get(f"/repos/{full_name}/rulesets/{ruleset_id}", {"includes_parents": "true"}),
    )
    detail = holder.get("detail")
    if detail is not None and "bypass_actors" not in detail:  # shown only to tokens that may administer it
        fail(
            props,
            "ruleset_bypass",
            f"ruleset {ruleset_id}: GitHub shows bypass actors to tokens with Administration read only",
        )
        return None
    return detail
