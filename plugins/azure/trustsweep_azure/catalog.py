"""The Azure checks as declared (ids, titles, severities, remediation, settings); no SDK import here."""

from __future__ import annotations

from trustsweep.model import CheckSpec, SettingSpec, Severity

from . import types as T

_M = "trustsweep_azure.checks"


def _spec(id_: str, title: str, types: tuple[str, ...], severity: Severity, rationale: str, remediation: str,
          function: str, *settings: SettingSpec) -> CheckSpec:
    return CheckSpec(id_, title, "azure", types, severity, rationale, remediation, f"{_M}.{function}",
                     settings=settings)


def _days(name: str, default: int, help: str) -> SettingSpec:
    return SettingSpec(name, "int", default, help, min=1, max=3653)


def _owners(name: str, default: int, help: str) -> SettingSpec:
    return SettingSpec(name, "int", default, help, min=1, max=100)


_MIN_TLS = SettingSpec("min_tls", "str", "1.2", "lowest TLS version accepted", choices=("1.0", "1.1", "1.2", "1.3"))
_SLA = (_days("critical_days", 7, "days a Critical item may stay open"),
        _days("high_days", 30, "days a High item may stay open"))
_RETENTION = _days("min_retention_days", 365, "days the logs must be kept")


CHECKS: list[CheckSpec] = [
    # access
    _spec("azure.iam.owner_count", "Each subscription has between 2 and 3 Owners", (T.ACCESS,), Severity.MEDIUM,
          "One Owner is a single point of failure; many Owners widen who can change everything.",
          "Keep 2–3 Owner assignments at subscription scope; use narrower roles for the rest.",
          "access:owner_count", _owners("min_owners", 2, "fewest Owners a subscription may have"),
          _owners("max_owners", 3, "most Owners a subscription may have")),
    _spec("azure.iam.no_wildcard_custom_role", "No custom role grants '*' actions at subscription scope",
          (T.CUSTOM_ROLE,), Severity.HIGH,
          "A custom '*' role is an unreviewed Owner equivalent.",
          "List the actions the role needs, or use a built-in role.", "access:no_wildcard_custom_role"),
    _spec("azure.iam.no_privileged_guests", "No guest account holds Owner or Contributor", (T.ACCESS,), Severity.HIGH,
          "Guests are managed by another organisation's joiner-mover-leaver process.",
          "Remove the assignment or convert the guest to a member account under your lifecycle.",
          "access:no_privileged_guests",
          SettingSpec("privileged_roles", "list[str]", (T.OWNER, T.CONTRIBUTOR, T.USER_ACCESS_ADMIN),
                      "role definition ids a guest must not hold")),
    _spec("azure.entra.mfa_privileged", "Conditional access requires MFA for privileged access", (T.DIRECTORY,),
          Severity.HIGH, "Passwords alone do not protect administrative access.",
          "Enable a conditional-access policy requiring MFA for admin roles on all apps or Azure management.",
          "access:mfa_privileged"),
    # encryption
    _spec("azure.storage.secure_transfer", "Storage accounts require secure transfer (HTTPS)", (T.STORAGE_ACCOUNT,),
          Severity.HIGH, "HTTP exposes data and shared keys in transit.", "Set supportsHttpsTrafficOnly to true.",
          "encryption:storage_secure_transfer"),
    _spec("azure.storage.min_tls", "Storage accounts require TLS 1.2 or later", (T.STORAGE_ACCOUNT,), Severity.MEDIUM,
          "TLS 1.0/1.1 have known weaknesses.", "Set minimumTlsVersion to TLS1_2.", "encryption:storage_min_tls",
          _MIN_TLS),
    _spec("azure.sql.min_tls", "SQL servers require TLS 1.2 or later", (T.SQL_SERVER,), Severity.MEDIUM,
          "TLS 1.0/1.1 have known weaknesses.", "Set the server's minimalTlsVersion to 1.2.", "encryption:sql_min_tls",
          _MIN_TLS),
    _spec("azure.sql.tde", "SQL databases have transparent data encryption on", (T.SQL_DATABASE,), Severity.HIGH,
          "Unencrypted database files and backups expose data if copied.", "Turn TDE on for the database.",
          "encryption:sql_tde"),
    _spec("azure.web.https_only", "App Service apps accept HTTPS only", (T.WEB_APP,), Severity.HIGH,
          "HTTP exposes sessions and data in transit.", "Set httpsOnly to true.", "encryption:web_https_only"),
    _spec("azure.web.min_tls", "App Service apps require TLS 1.2 or later", (T.WEB_APP,), Severity.MEDIUM,
          "TLS 1.0/1.1 have known weaknesses.", "Set siteConfig.minTlsVersion to 1.2.", "encryption:web_min_tls",
          _MIN_TLS),
    _spec("azure.compute.disk_encryption", "Managed disks are encrypted (customer-managed key where required)",
          (T.DISK,), Severity.MEDIUM, "Disk contents must be unreadable outside the platform.",
          "Use a disk encryption set with a customer-managed key where policy requires it (setting require_cmk).",
          "encryption:disk_encryption",
          SettingSpec("require_cmk", "bool", False, "require a customer-managed key on every disk")),
    _spec("azure.keyvault.key_rotation", "Key Vault keys have a rotation policy or an expiry", (T.KEY,),
          Severity.MEDIUM, "Keys that never change widen the impact of a leak.",
          "Add a rotation policy with a Rotate action, or set an expiry date.", "encryption:key_rotation"),
    _spec("azure.keyvault.recoverable", "Key vaults have soft delete and purge protection", (T.KEY_VAULT,),
          Severity.HIGH, "A deleted or purged key makes the data it protects unrecoverable.",
          "Enable purge protection (soft delete is on by default).", "encryption:keyvault_recoverable"),
    # logging
    _spec("azure.monitor.activity_log_retained", "The activity log is exported to a destination keeping it 365 days",
          (T.ACTIVITY_LOG,), Severity.HIGH, "Auditors need a year of control-plane history (SOC 2 Type II).",
          "Add a subscription diagnostic setting sending Administrative and Security logs to a workspace with "
          "retention >= 365 days or to storage without earlier deletion.", "logs:activity_log_retained",
          _RETENTION, SettingSpec("required_categories", "list[str]", ("Administrative", "Security"),
                                  "activity-log categories the export must include")),
    _spec("azure.monitor.log_storage_immutable", "Storage receiving the activity log has a locked immutability policy",
          (T.LOG_STORAGE,), Severity.MEDIUM, "Logs an administrator can delete are weak evidence.",
          "Add and lock a time-based retention policy on the insights-activity-logs container.",
          "logs:log_storage_immutable"),
    _spec("azure.sql.auditing", "SQL server auditing is on with retention of 365 days or more", (T.SQL_SERVER,),
          Severity.HIGH, "Database access must be traceable for the audit period.",
          "Enable server auditing with retentionDays 0 (unlimited) or >= 365.", "logs:sql_auditing",
          _RETENTION),
    _spec("azure.keyvault.diagnostic_logs", "Key vaults send audit logs to a diagnostic destination", (T.KEY_VAULT,),
          Severity.MEDIUM, "Key use and access must be traceable.",
          "Add a diagnostic setting with the audit category group (AuditEvent).", "logs:keyvault_diagnostic_logs"),
    _spec("azure.network.nsg_flow_logs", "NSGs are covered by flow logs", (T.NSG,), Severity.LOW,
          "Flow logs are needed to investigate network incidents.",
          "Enable an NSG or virtual-network flow log in Network Watcher.", "logs:nsg_flow_logs"),
    # detection and vulnerabilities
    _spec("azure.defender.plans_enabled", "Defender for Cloud plans are on (servers, SQL, storage, containers, Key Vault)",
          (T.DEFENDER,), Severity.HIGH, "Threat detection needs the Defender plans.",
          "Set the plans' pricing tier to Standard.", "detection:defender_plans",
          SettingSpec("required_plans", "list[str]",
                      ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"),
                      "Defender plans that must be on (Standard tier)")),
    _spec("azure.defender.security_contact", "A security contact receives Defender alerts", (T.CONTACTS,),
          Severity.MEDIUM, "Alerts nobody receives are not acted on.",
          "Set security contact emails in Defender for Cloud environment settings.", "detection:security_contact"),
    _spec("azure.defender.vulnerability_sla", "No Critical vulnerability open > 7 days nor High > 30 days",
          (T.SUB_ASSESSMENT,), Severity.HIGH, "Known vulnerabilities must be fixed within agreed deadlines.",
          "Patch the affected resource; thresholds are settings critical_days and high_days.",
          "detection:vulnerability_sla", *_SLA),
    _spec("azure.defender.recommendation_sla", "No High Defender recommendation unhealthy > 30 days",
          (T.ASSESSMENT,), Severity.MEDIUM, "Security recommendations left open are known, unmitigated risks.",
          "Remediate the recommendation or exempt it with a reason; the deadline is setting high_days.",
          "detection:vulnerability_sla", *_SLA),
    # network
    _spec("azure.network.nsg_no_open_admin_ports", "No NSG rule allows the Internet to SSH, RDP or all ports", (T.NSG,),
          Severity.HIGH, "Administrative ports open to the Internet are brute-forced within minutes.",
          "Restrict the source to known ranges or use Bastion / just-in-time access.", "network:nsg_admin_ports"),
    _spec("azure.storage.no_public_blob", "Storage accounts disallow anonymous blob access", (T.STORAGE_ACCOUNT,),
          Severity.HIGH, "Anonymous containers leak data.", "Set allowBlobPublicAccess to false.",
          "network:storage_public_blob"),
    _spec("azure.storage.default_network_deny", "Storage account firewalls deny by default", (T.STORAGE_ACCOUNT,),
          Severity.MEDIUM, "An open firewall exposes the account to every network.",
          "Set networkAcls.defaultAction to Deny and allow the networks that need access.",
          "network:storage_default_deny"),
    _spec("azure.sql.no_open_firewall", "No SQL firewall rule admits 0.0.0.0–255.255.255.255", (T.SQL_SERVER,),
          Severity.HIGH, "A rule admitting every address exposes the database to the Internet.",
          "Delete the rule; allow only the addresses that need access.", "network:sql_open_firewall"),
    # availability
    _spec("azure.backup.vm_protected", "VMs are protected by a Recovery Services vault", (T.VM,), Severity.MEDIUM,
          "Without backups a VM cannot be restored after loss or ransomware.",
          "Enable Azure Backup for the VM in a Recovery Services vault.", "availability:vm_protected"),
    _spec("azure.sql.backup_redundancy", "SQL databases have geo-redundant or long-term backups", (T.SQL_DATABASE,),
          Severity.MEDIUM, "Locally redundant short-term backups do not survive a regional outage.",
          "Use geo-redundant backup storage or configure long-term retention.", "availability:sql_backup_redundancy"),
    _spec("azure.storage.geo_redundant_production", "Production storage accounts are geo-redundant",
          (T.STORAGE_ACCOUNT,), Severity.MEDIUM, "A regional outage must not lose production data.",
          "Use GRS, RA-GRS, GZRS or RA-GZRS for accounts tagged production (setting production_tags).",
          "availability:storage_geo_redundant",
          SettingSpec("production_tags", "list[str]",
                      ("environment=production", "environment=prod", "env=production", "env=prod"),
                      "KEY=VALUE (or KEY) tags marking an account as production")),
]

# settings.azure in the config file, besides the check settings
PROVIDER_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("management_group", "str", "", "sweep every subscription under this management group"),
    SettingSpec("cloud", "str", "public", "Azure cloud", choices=("public", "usgov", "china")),
    SettingSpec("graph_batch", "int", 0, "subscriptions per Resource Graph query (0: about a quarter)", min=0, max=1000),
    SettingSpec("regions", "list[str]", (), "regions to sweep (default: all)"),
    SettingSpec("attempts", "int", 5, "attempts per request (429, 408, 5xx, timeouts)", min=1, max=20),
    SettingSpec("retry_base_seconds", "float", 1.0, "back-off base when there is no Retry-After", min=0, max=60),
    SettingSpec("timeout_seconds", "float", 60.0, "read timeout per request", min=0.1, max=3600),
    SettingSpec("connect_timeout_seconds", "float", 20.0, "connect timeout per request", min=0.1, max=600),
    SettingSpec("page_size", "int", 1000, "Resource Graph rows per page", min=1, max=1000),
)
