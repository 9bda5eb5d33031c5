"""Registration of the gcp provider: declarations only, no SDK import."""

from __future__ import annotations

from trustsweep.hookspecs import hookimpl
from trustsweep.model import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, SettingSpec, Severity

from . import types as T

P = "gcp"
_C = "trustsweep_gcp.checks"


def _check(id_: str, title: str, types: tuple[str, ...], severity: Severity, rationale: str,
           remediation: str, function: str, *settings: SettingSpec) -> CheckSpec:
    return CheckSpec(id_, title, P, types, severity, rationale, remediation, f"{_C}.{function}", settings=settings)


def _days(name: str, default: int, help: str) -> SettingSpec:
    return SettingSpec(name, "int", default, help, min=1, max=3653)


def _seconds(name: str, default: float, help: str) -> SettingSpec:
    return SettingSpec(name, "float", default, help, min=0.01, max=3600)


CHECKS: list[CheckSpec] = [
    # access
    _check("gcp.iam.basic_roles_approved", "No basic roles (owner, editor) outside the approved list",
           (T.PROJECT,), Severity.HIGH,
           "Basic roles grant thousands of permissions; only named break-glass principals should hold them.",
           "Replace roles/owner and roles/editor grants with predefined roles; list approved holders in "
           "settings.gcp.approved_members.", "access:basic_roles_approved",
           SettingSpec("approved_members", "list[str]", (), "members (user:…, group:…) allowed to hold basic roles")),
    _check("gcp.iam.no_public_access", "No allUsers or allAuthenticatedUsers in IAM policies",
           (T.PROJECT, T.BUCKET, T.DATASET, T.CRYPTO_KEY), Severity.CRITICAL,
           "A public member exposes the resource to anyone on the internet.",
           "Remove allUsers / allAuthenticatedUsers bindings (and dataset access entries).",
           "access:no_public_access"),
    _check("gcp.iam.sa_key_age", "User-managed service-account keys are rotated within 90 days", (T.SA_KEY,),
           Severity.MEDIUM, "Long-lived keys leak and outlive the people who created them.",
           "Rotate or delete keys older than 90 days; prefer workload identity over keys.", "access:sa_key_age",
           _days("max_days", 90, "maximum age of a user-managed key in days")),
    _check("gcp.iam.sa_no_admin_roles", "Service accounts hold no owner, editor or admin roles", (T.PROJECT,),
           Severity.HIGH, "A compromised workload with an admin role controls the project.",
           "Grant service accounts narrowly scoped predefined or custom roles.",
           "access:service_accounts_no_admin"),
    _check("gcp.orgpolicy.domain_restricted_sharing", "Domain-restricted sharing is enforced",
           (T.ORG_POLICY,), Severity.MEDIUM,
           "Without iam.allowedPolicyMemberDomains, IAM grants can reach identities outside the organisation.",
           "Set constraints/iam.allowedPolicyMemberDomains to your Cloud Identity customer id at the "
           "organisation.", "access:domain_restricted_sharing"),
    # encryption
    _check("gcp.sql.require_tls", "Cloud SQL requires TLS", (T.SQL_INSTANCE,), Severity.HIGH,
           "Unencrypted database connections expose credentials and data in transit.",
           "Set sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.", "encryption:sql_require_tls"),
    _check("gcp.compute.ssl_policy_tls12", "SSL policies require TLS 1.2 and a non-COMPATIBLE profile",
           (T.SSL_POLICY,), Severity.MEDIUM, "TLS 1.0/1.1 and COMPATIBLE ciphers are broken or deprecated.",
           "Set minTlsVersion TLS_1_2 and profile MODERN or RESTRICTED.", "encryption:ssl_policy_tls12"),
    _check("gcp.compute.lb_tls12", "HTTPS / SSL load balancers use an SSL policy with TLS 1.2",
           (T.HTTPS_PROXY, T.SSL_PROXY), Severity.MEDIUM,
           "A proxy without an SSL policy uses Google's default, which accepts TLS 1.0.",
           "Attach an SSL policy with minimum TLS 1.2 to every target HTTPS and SSL proxy.",
           "encryption:proxy_ssl_policy"),
    _check("gcp.kms.key_rotation", "KMS keys rotate at least every 90 days", (T.CRYPTO_KEY,), Severity.MEDIUM,
           "Rotation limits the data exposed by one key version.",
           "Set a rotation period of 90 days or less (settings: max_days).", "encryption:kms_rotation",
           _days("max_days", 90, "maximum rotation period in days")),
    _check("gcp.encryption.cmek", "Customer-managed keys on buckets, Cloud SQL and BigQuery (when required)",
           (T.BUCKET, T.SQL_INSTANCE, T.DATASET), Severity.MEDIUM,
           "Customer-managed keys let you revoke access to data and prove key custody.",
           "Configure a Cloud KMS key as default encryption; enable with settings require_cmek: true.",
           "encryption:cmek", SettingSpec("require_cmek", "bool", False, "require customer-managed keys")),
    # logging
    _check("gcp.logging.data_access_audit_logs", "Data-access audit logs on for all services", (T.PROJECT,),
           Severity.MEDIUM, "Without DATA_READ/DATA_WRITE logs, access to data leaves no trace.",
           "Add an allServices auditConfig with ADMIN_READ, DATA_READ and DATA_WRITE and no exemptions.",
           "logs:data_access_audit_logs"),
    _check("gcp.logging.sink_retention", "All logs exported to a destination keeping them a year", (T.PROJECT,),
           Severity.MEDIUM, "SOC 2 Type II needs logs for the whole audit period; default buckets keep 30 days.",
           "Create a sink with no filter to a bucket or log bucket retaining >= 365 days.",
           "logs:sink_all_logs_retained", _days("retention_days", 365, "days the destination must keep logs")),
    _check("gcp.logging.retention_locked", "Log destinations have a locked retention policy",
           (T.LOG_BUCKET, T.BUCKET), Severity.MEDIUM,
           "Only a locked retention policy makes logs immutable, even for project owners.",
           "Lock the retention policy of log buckets and of storage buckets receiving sinks.",
           "logs:retention_locked"),
    _check("gcp.network.subnet_flow_logs", "VPC subnets record flow logs", (T.SUBNETWORK,), Severity.LOW,
           "Flow logs are the record of network traffic for investigations.", "Enable flow logs on every subnet.",
           "logs:subnet_flow_logs"),
    _check("gcp.network.firewall_logging", "Firewall rules log matched connections", (T.FIREWALL,), Severity.LOW,
           "Firewall logs show what was allowed and denied.", "Enable logging on firewall rules.",
           "logs:firewall_logging"),
    # detection
    _check("gcp.scc.findings_remediated", "No CRITICAL finding open > 7 days nor HIGH > 30 days",
           (T.SCC_FINDINGS,), Severity.HIGH,
           "Known vulnerabilities left open are the usual way in.",
           "Remediate or mute (with a recorded reason) Security Command Center findings within the window.",
           "detection:findings_age", _days("critical_days", 7, "days a CRITICAL finding may stay open"),
           _days("high_days", 30, "days a HIGH finding may stay open")),
    # network
    _check("gcp.network.firewall_no_open_admin_ports", "No firewall rule open to the internet on 22, 3389 or all ports",
           (T.FIREWALL,), Severity.HIGH, "SSH and RDP open to the internet are brute-forced constantly.",
           "Restrict source ranges; use IAP TCP forwarding for administration.",
           "network:firewall_no_open_admin_ports"),
    _check("gcp.sql.no_public_access", "Cloud SQL not open to 0.0.0.0/0", (T.SQL_INSTANCE,), Severity.HIGH,
           "A database reachable from anywhere invites credential attacks.",
           "Use private IP, or authorise specific networks only.", "network:sql_no_public_access"),
    _check("gcp.storage.uniform_access", "Buckets use uniform bucket-level access", (T.BUCKET,), Severity.MEDIUM,
           "Object ACLs bypass IAM and are hard to review.", "Enable uniform bucket-level access.",
           "network:bucket_uniform_access"),
    _check("gcp.storage.public_access_prevention", "Buckets enforce public access prevention", (T.BUCKET,),
           Severity.HIGH, "Public access prevention stops accidental publication of data.",
           "Set publicAccessPrevention to enforced (or enforce it by org policy).",
           "network:bucket_public_access_prevention"),
    # availability
    _check("gcp.sql.backups_pitr", "Cloud SQL automated backups and point-in-time recovery", (T.SQL_INSTANCE,),
           Severity.HIGH, "Without backups and PITR, data lost to error or attack cannot be recovered.",
           "Enable automated backups and point-in-time recovery (binary logging on MySQL).",
           "availability:sql_backups_pitr"),
    _check("gcp.sql.regional_production", "Production Cloud SQL instances are REGIONAL", (T.SQL_INSTANCE,),
           Severity.MEDIUM, "A zonal production database goes down with its zone.",
           "Set availabilityType REGIONAL on instances labelled env=production.",
           "availability:sql_regional_production",
           SettingSpec("production_label", "str", "env", "label key that marks an instance as production"),
           SettingSpec("production_values", "list[str]", ("production", "prod"),
                       "values of that label meaning production (case-insensitive)")),
    _check("gcp.gke.node_auto_repair", "GKE node pools auto-repair", (T.GKE_CLUSTER,), Severity.MEDIUM,
           "Auto-repair replaces unhealthy nodes and keeps workloads available.",
           "Enable auto-repair on every node pool.", "availability:gke_auto_repair"),
    _check("gcp.gke.node_auto_upgrade", "GKE node pools auto-upgrade", (T.GKE_CLUSTER,), Severity.MEDIUM,
           "Auto-upgrade applies security patches to nodes.", "Enable auto-upgrade on every node pool.",
           "availability:gke_auto_upgrade"),
]


# settings.gcp in the config file, besides the check settings
PROVIDER_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("scope", "str", "", "organizations/N or folders/N whose active projects are swept"),
    SettingSpec("impersonate", "str", "", "service account (email) to impersonate"),
    SettingSpec("endpoint", "str", "", "API endpoint with anonymous credentials (emulators, tests)"),
    _seconds("request_timeout", 60.0, "seconds per HTTP request"),
    _seconds("retry_initial", 1.0, "first retry delay in seconds"),
    _seconds("retry_maximum", 30.0, "longest retry delay in seconds"),
    _seconds("retry_deadline", 180.0, "seconds before a call is given up, retries included"),
    SettingSpec("page_size", "int", 1000, "Cloud Asset results per page", min=1, max=1000),
    SettingSpec("findings_page_size", "int", 1000, "Security Command Center findings per page", min=1, max=1000),
)

# CAI records are kept whole, so these fields would reach the inventory (labels, environment maps and
# secret-looking values anywhere are redacted by the engine's generic rules as well)
SECRET_FIELDS = (
    "data.masterAuth.password", "data.masterAuth.clientKey",  # GKE basic auth and client certificate key
    "data.rootPassword",  # Cloud SQL
    "data.privateKeyData",  # service-account keys
    "data.metadata.items.value",  # instance metadata (startup scripts, ssh keys)
)


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [ProviderSpec(P, "Google Cloud", "trustsweep_gcp.provider:GcpProvider",
                         description="Projects through Cloud Asset Inventory and Security Command Center",
                         settings=PROVIDER_SETTINGS, secret_fields=SECRET_FIELDS)]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return list(CHECKS)


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec("gcp-scope", P, "Sweep every active project under organizations/N or folders/N.",
                   env="TRUSTSWEEP_GCP_SCOPE"),
        OptionSpec("gcp-impersonate", P, "Impersonate this service account (email) for all API calls.",
                   env="TRUSTSWEEP_GCP_IMPERSONATE"),
        OptionSpec("gcp-endpoint", P, "Send API calls to this endpoint (http://host:port) with anonymous "
                   "credentials: emulators and tests.", env="TRUSTSWEEP_GCP_ENDPOINT"),
    ]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [EmulatorSpec(P, "trustsweep.testing.gcp:demo_emulator",
                         "fake Cloud Asset Inventory and Security Command Center (Northwind Analytics)")]
