"""Estate builders for identity (role assignments, custom roles, users, conditional access) and
Defender for Cloud (plans, security contacts, vulnerabilities, recommendations)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .records import OWNER_ROLE, azure_time, stable_id


class SecurityBuilders:
    """Mixed into :class:`~.estate.AzureEstate`, whose tables and directory these fill."""

    tenant_id: str
    users: list[dict[str, Any]]
    ca_policies: list[dict[str, Any]]

    if TYPE_CHECKING:  # provided by AzureEstate, the class these builders are mixed into

        def row(self, table: str, row: dict[str, Any]) -> dict[str, Any]: ...
        def put(self, path: str, doc: Any) -> None: ...
        def append(self, path: str, item: dict[str, Any]) -> None: ...

    def role_assignment(
        self,
        sub: str,
        principal_id: str,
        role: str = OWNER_ROLE,
        *,
        principal_type: str = "User",
        scope: str | None = None,
    ) -> str:
        scope = scope or f"/subscriptions/{sub}"
        name = stable_id("assignment", sub, principal_id, role, scope)
        rid = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"
        self.row(
            "authorizationresources",
            {
                "id": rid,
                "name": name,
                "type": "microsoft.authorization/roleassignments",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub,
                "tags": {},
                "properties": {
                    "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                    "principalId": principal_id,
                    "principalType": principal_type,
                    "scope": scope,
                    "createdOn": "2024-01-08T23:30:46.4341990Z",
                    "updatedOn": "2024-01-08T23:30:46.4341990Z",
                    "createdBy": None,
                    "updatedBy": None,
                },
            },
        )
        return rid

    def custom_role(self, sub: str, role_name: str, actions: list[str], *, scopes: list[str] | None = None) -> str:
        name = stable_id("role", sub, role_name)
        rid = f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{name}"
        self.row(
            "authorizationresources",
            {
                "id": rid,
                "name": name,
                "type": "microsoft.authorization/roledefinitions",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub,
                "tags": {},
                "properties": {
                    "roleName": role_name,
                    "type": "CustomRole",
                    "description": role_name,
                    "assignableScopes": scopes or [f"/subscriptions/{sub}"],
                    "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
                    "createdOn": "2024-02-02T21:55:09.8806423Z",
                    "updatedOn": "2024-02-05T21:24:32.2101122Z",
                },
            },
        )
        return rid

    def user(self, display_name: str, *, guest: bool = False) -> str:
        oid = stable_id("user", display_name)
        upn = display_name.lower().replace(" ", ".") + (
            "_partner.example#EXT#@northwind.onmicrosoft.com" if guest else "@northwind.example"
        )
        self.users.append(
            {
                "id": oid,
                "displayName": display_name,
                "userPrincipalName": upn,
                "userType": "Guest" if guest else "Member",
            }
        )
        return oid

    def conditional_access(
        self,
        name: str,
        *,
        state: str = "enabled",
        roles: list[str] | None = None,
        users: list[str] | None = None,
        apps: list[str] | None = None,
        controls: list[str] | None = None,
    ) -> None:
        self.ca_policies.append(
            {
                "id": stable_id("ca", name),
                "displayName": name,
                "state": state,
                "createdDateTime": "2024-01-03T10:00:00Z",
                "modifiedDateTime": None,
                "conditions": {
                    "clientAppTypes": ["all"],
                    "applications": {"includeApplications": apps or ["All"], "excludeApplications": []},
                    "users": {
                        "includeUsers": users or [],
                        "excludeUsers": [],
                        "includeGroups": [],
                        "excludeGroups": [],
                        "includeRoles": roles or [],
                        "excludeRoles": [],
                    },
                },
                "grantControls": {
                    "operator": "OR",
                    "builtInControls": controls if controls is not None else ["mfa"],
                    "customAuthenticationFactors": [],
                    "termsOfUse": [],
                },
                "sessionControls": None,
            }
        )

    # -- Defender for Cloud -------------------------------------------------------------------

    def defender_plan(self, sub: str, plan: str, tier: str = "Standard") -> None:
        rid = f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}"
        self.row(
            "securityresources",
            {
                "id": rid,
                "name": plan,
                "type": "microsoft.security/pricings",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub,
                "tags": {},
                "properties": {"pricingTier": tier, "freeTrialRemainingTime": "PT0S"},
            },
        )

    def security_contact(self, sub: str, emails: str = "security@northwind.example") -> None:
        self.append(
            f"/subscriptions/{sub}/providers/Microsoft.Security/securityContacts",
            {
                "id": f"/subscriptions/{sub}/providers/Microsoft.Security/securityContacts/default",
                "name": "default",
                "type": "Microsoft.Security/securityContacts",
                "properties": {
                    "emails": emails,
                    "phone": "",
                    "isEnabled": True,
                    "notificationsByRole": {"state": "On", "roles": ["Owner"]},
                    "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "Medium"}],
                },
            },
        )

    def vulnerability(
        self,
        sub: str,
        resource_id: str,
        title: str,
        *,
        severity: str = "High",
        age_days: int = 1,
        healthy: bool = False,
        now: dt.datetime | None = None,
    ) -> str:
        now = now or dt.datetime.now(dt.UTC)
        first = now - dt.timedelta(days=age_days)
        assessment = f"{resource_id}/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f"
        name = stable_id("vuln", resource_id, title)
        rid = f"{assessment}/subAssessments/{name}"
        self.row(
            "securityresources",
            {
                "id": rid,
                "name": name,
                "type": "microsoft.security/assessments/subassessments",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub,
                "tags": {},
                "properties": {
                    "id": "CVE-2024-" + name[:4],
                    "displayName": title,
                    "category": "Vulnerability",
                    "status": {
                        "code": "Healthy" if healthy else "Unhealthy",
                        "severity": severity,
                        "cause": "",
                        "description": title,
                        "firstEvaluationDate": azure_time(first),
                        "statusChangeDate": azure_time(first),
                    },
                    "timeGenerated": azure_time(now - dt.timedelta(hours=2)),
                    "resourceDetails": {"source": "Azure", "id": resource_id},
                    "additionalData": {"assessedResourceType": "ServerVulnerability"},
                    "remediation": "Apply the vendor patch",
                },
            },
        )
        return rid

    def recommendation(
        self,
        sub: str,
        resource_id: str,
        title: str,
        *,
        severity: str = "High",
        age_days: int = 1,
        healthy: bool = False,
        now: dt.datetime | None = None,
    ) -> str:
        """A Defender assessment (recommendation) on one resource."""
        now = now or dt.datetime.now(dt.UTC)
        first = now - dt.timedelta(days=age_days)
        name = stable_id("assessment", resource_id, title)
        rid = f"{resource_id}/providers/Microsoft.Security/assessments/{name}"
        self.row(
            "securityresources",
            {
                "id": rid,
                "name": name,
                "type": "microsoft.security/assessments",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub,
                "tags": {},
                "properties": {
                    "displayName": title,
                    "resourceDetails": {"Source": "Azure", "Id": resource_id},
                    "status": {
                        "code": "Healthy" if healthy else "Unhealthy",
                        "cause": "",
                        "description": "",
                        "firstEvaluationDate": azure_time(first),
                        "statusChangeDate": azure_time(first),
                    },
                    "metadata": {
                        "displayName": title,
                        "severity": severity,
                        "assessmentType": "BuiltIn",
                        "categories": ["Compute"],
                        "userImpact": "Low",
                        "implementationEffort": "Low",
                    },
                    "additionalData": {},
                },
            },
        )
        return rid
