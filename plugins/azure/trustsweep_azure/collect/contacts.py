"""Defender for Cloud security contacts (one fact per subscription), from Resource Manager."""

from __future__ import annotations

from .. import types as T
from .base import API, AzureCollector


def collect(ctx: AzureCollector) -> None:
    contacts = []
    for item in ctx.session.arm_list(
        f"/subscriptions/{ctx.subscription}/providers/Microsoft.Security/securityContacts", API["security_contacts"]
    ):
        props = item.get("properties") or {}
        contacts.append(
            {
                "name": item.get("name"),
                "emails": props.get("emails") or "",
                "enabled": props.get("isEnabled", True),
                "alert_notifications": (props.get("alertNotifications") or {}).get("state"),
                "notifications_by_role": (props.get("notificationsByRole") or {}).get("state"),
            }
        )
    ctx.fact(T.CONTACTS, "providers/Microsoft.Security/securityContacts", contacts=contacts)
