"""One failure, one resource: Resource Manager reads about one resource (a vault's diagnostic
settings, a database's TDE) that mark that resource, never the whole unit.

A failed read marks the field unread on the resource (``trustsweep.unread``): only the checks that
need it report ``error``. A 404 whose resource is gone too means it was deleted during the sweep:
:class:`Gone` is raised and the collector records the resource as vanished (not assessed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from trustsweep.unread import mark

from .session import Session

T = TypeVar("T")


class Gone(Exception):
    """The resource was deleted while it was being read."""


def reason(exc: BaseException) -> str:
    """One line for a failure (the session's errors already name the call and status)."""
    return str(exc) if type(exc).__name__ in ("AzureCallError", "RuntimeError") else f"{type(exc).__name__}: {exc}"


def _gone(sess: Session, resource_id: str, api: str) -> bool:
    try:
        return sess.arm_get(resource_id, api, missing_ok=True) is None
    except Exception:  # noqa: BLE001 - cannot tell: treat as unread, not as gone
        return False


def field(sess: Session, props: dict[str, Any], name: str, resource_id: str, api: str,
          read: Callable[[], T]) -> T | None:
    """``read()`` one field of one resource; a failure marks ``name`` unread in ``props``."""
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - recorded on the resource; its checks report it
        why = reason(exc)
        if getattr(exc, "status", None) == 404 and _gone(sess, resource_id, api):
            raise Gone(why) from None
        mark(props, name, why)
        return None
