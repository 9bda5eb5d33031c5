"""The plugin conformance suite on the GCP plugin: a passing and a failing case for every check (and its
not_applicable and error cases), every check mapped, named for its id, registration without the Google SDK,
and the Northwind demo estate assessed read-only without an error."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from trustsweep.testing.checks import resource
from trustsweep.testing.conformance import Case, PluginConformance
from trustsweep_gcp import types as T

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
NO_RESOURCE = {"unread": {"resource": "no RESOURCE content"}}
SQL_OK = {
    "ssl_mode": "ENCRYPTED_ONLY",
    "require_ssl": True,
    "public_ip": False,
    "authorized_networks": [],
    "backups_enabled": True,
    "pitr_enabled": True,
    "database_version": "POSTGRES_15",
    "availability_type": "REGIONAL",
    "labels": {"environment": "production"},
}
FIREWALL = {"direction": "INGRESS", "disabled": False, "source_ranges": ["0.0.0.0/0"], "logging": True}
AUDIT_ALL = {"service": "allServices", "log_types": ["ADMIN_READ", "DATA_READ", "DATA_WRITE"], "exempted_members": []}
DOMAIN = "constraints/iam.allowedPolicyMemberDomains"
PAP = "constraints/storage.publicAccessPrevention"


def _other(check: str, type_: str, name: str, **properties: object) -> object:
    return resource(check, properties, type=type_, id=f"//{type_}/{name}", name=name)


def _sink(destination: str, name: str = "archive", **extra: object) -> object:
    return _other(
        "gcp.logging.sink_retention",
        T.LOG_SINK,
        name,
        **{"destination": destination, "filter": "", "disabled": False, **extra},
    )


def _chain(*policies: dict) -> object:
    return _other(
        "gcp.storage.public_access_prevention",
        T.ORG_POLICY,
        "chain",
        chain=[{"node": "organizations/1", "policies": list(policies)}],
    )


class TestConformance(PluginConformance):
    plugin = "gcp"
    cases: ClassVar[list[Case]] = [
        # access
        Case(
            "gcp.iam.basic_roles_approved",
            "pass",
            {"iam_bindings": [{"role": "roles/owner", "members": ["user:boss@corp.example"]}]},
            settings={"approved_members": ["user:boss@corp.example"]},
        ),
        Case(
            "gcp.iam.basic_roles_approved",
            "fail",
            {"iam_bindings": [{"role": "roles/editor", "members": ["user:dev@corp.example"]}]},
        ),
        Case("gcp.iam.basic_roles_approved", "error", {"iam_bindings": [], "unread": {"*": "403"}}),
        Case(
            "gcp.iam.no_public_access",
            "pass",
            {"iam_bindings": [{"role": "roles/viewer", "members": ["group:g@corp.example"]}]},
        ),
        Case(
            "gcp.iam.no_public_access",
            "fail",
            {"iam_bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]},
            type=T.BUCKET,
        ),
        Case(
            "gcp.iam.no_public_access",
            "fail",
            {"access": [{"role": "READER", "member": "allAuthenticatedUsers"}]},
            type=T.DATASET,
            why="a dataset's access list",
        ),
        Case("gcp.iam.no_public_access", "error", NO_RESOURCE, type=T.DATASET, why="access list unread"),
        Case(
            "gcp.iam.sa_no_admin_roles",
            "pass",
            {
                "iam_bindings": [
                    {
                        "role": "roles/container.serviceAgent",
                        "members": ["serviceAccount:service-1@container-engine-robot.iam.gserviceaccount.com"],
                    }
                ]
            },
        ),
        Case(
            "gcp.iam.sa_no_admin_roles",
            "fail",
            {
                "iam_bindings": [
                    {
                        "role": "roles/iam.serviceAccountAdmin",
                        "members": ["serviceAccount:ci@p.iam.gserviceaccount.com"],
                    }
                ]
            },
        ),
        Case(
            "gcp.iam.sa_key_age", "pass", {"key_type": "USER_MANAGED", "created": "2026-05-20T00:00:00+00:00"}, now=NOW
        ),
        Case(
            "gcp.iam.sa_key_age", "fail", {"key_type": "USER_MANAGED", "created": "2026-01-01T00:00:00+00:00"}, now=NOW
        ),
        Case("gcp.iam.sa_key_age", "not_applicable", {"key_type": "SYSTEM_MANAGED"}, now=NOW),
        Case(
            "gcp.orgpolicy.domain_restricted_sharing",
            "pass",
            {
                "chain": [
                    {
                        "node": "organizations/1",
                        "policies": [{"constraint": DOMAIN, "list_policy": {"allowed_values": ["C0"]}}],
                    },
                    {"node": "projects/2", "policies": []},
                ]
            },
        ),
        Case(
            "gcp.orgpolicy.domain_restricted_sharing",
            "fail",
            {
                "chain": [
                    {
                        "node": "organizations/1",
                        "policies": [{"constraint": DOMAIN, "list_policy": {"allowed_values": ["C0"]}}],
                    },
                    {"node": "projects/2", "policies": [{"constraint": DOMAIN, "restore_default": True}]},
                ]
            },
        ),
        # encryption
        Case("gcp.sql.require_tls", "pass", SQL_OK),
        Case("gcp.sql.require_tls", "pass", {"ssl_mode": "", "require_ssl": True}, why="older requireSsl"),
        Case("gcp.sql.require_tls", "fail", {"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED", "require_ssl": False}),
        Case("gcp.compute.ssl_policy_tls12", "pass", {"min_tls_version": "TLS_1_2", "profile": "MODERN"}),
        Case("gcp.compute.ssl_policy_tls12", "fail", {"min_tls_version": "TLS_1_2", "profile": "COMPATIBLE"}),
        Case(
            "gcp.compute.lb_tls12",
            "pass",
            {"ssl_policy": "https://x/sslPolicies/modern"},
            others=[
                _other(
                    "gcp.compute.ssl_policy_tls12",
                    T.SSL_POLICY,
                    "modern",
                    min_tls_version="TLS_1_2",
                    profile="RESTRICTED",
                )
            ],
        ),
        Case("gcp.compute.lb_tls12", "fail", {"ssl_policy": ""}, why="Google's default policy"),
        Case("gcp.kms.key_rotation", "pass", {"purpose": "ENCRYPT_DECRYPT", "rotation_days": 90.0}),
        Case("gcp.kms.key_rotation", "fail", {"purpose": "ENCRYPT_DECRYPT", "rotation_days": 365.0}),
        Case("gcp.kms.key_rotation", "not_applicable", {"purpose": "ASYMMETRIC_SIGN", "rotation_days": None}),
        Case("gcp.kms.key_rotation", "error", NO_RESOURCE),
        Case(
            "gcp.encryption.cmek",
            "pass",
            {"cmk": "projects/p/locations/us/keyRings/r/cryptoKeys/k"},
            settings={"require_cmk": True},
        ),
        Case("gcp.encryption.cmek", "fail", {"cmk": ""}, type=T.SQL_INSTANCE, settings={"require_cmk": True}),
        Case("gcp.encryption.cmek", "not_applicable", {"cmk": ""}),
        # logging
        Case("gcp.logging.data_access_audit_logs", "pass", {"audit_configs": [AUDIT_ALL]}),
        Case(
            "gcp.logging.data_access_audit_logs",
            "fail",
            {"audit_configs": [{**AUDIT_ALL, "exempted_members": ["user:dev@corp.example"]}]},
        ),
        Case(
            "gcp.logging.sink_retention",
            "pass",
            {},
            others=[
                _sink("storage.googleapis.com/logs"),
                _other("gcp.storage.uniform_access", T.BUCKET, "logs", retention_days=400.0, locked=True),
            ],
        ),
        Case(
            "gcp.logging.sink_retention",
            "fail",
            {},
            others=[
                _sink("logging.googleapis.com/projects/p/locations/global/buckets/short"),
                _other(
                    "gcp.logging.retention_locked",
                    T.LOG_BUCKET,
                    "short",
                    path="projects/p/locations/global/buckets/short",
                    retention_days=30.0,
                ),
            ],
        ),
        Case(
            "gcp.logging.retention_locked",
            "pass",
            {"path": "projects/p/locations/global/buckets/b", "retention_days": 400.0, "locked": True},
            others=[_sink("logging.googleapis.com/projects/p/locations/global/buckets/b")],
        ),
        Case(
            "gcp.logging.retention_locked",
            "fail",
            {"path": "projects/p/locations/global/buckets/b", "retention_days": 30.0, "locked": False},
            others=[_sink("logging.googleapis.com/projects/p/locations/global/buckets/b")],
        ),
        Case("gcp.logging.retention_locked", "not_applicable", {"path": "projects/p/locations/global/buckets/b"}),
        Case("gcp.network.subnet_flow_logs", "pass", {"flow_logs": True}),
        Case("gcp.network.subnet_flow_logs", "fail", {"flow_logs": False}),
        Case("gcp.network.subnet_flow_logs", "not_applicable", {"purpose": "REGIONAL_MANAGED_PROXY"}),
        Case("gcp.network.firewall_logging", "pass", {"logging": True}),
        Case("gcp.network.firewall_logging", "fail", {"logging": False}),
        # detection
        Case(
            "gcp.scc.findings_remediated",
            "pass",
            {"findings": [{"severity": "HIGH", "category": "X", "resource": "r", "created": "2026-05-20T00:00:00Z"}]},
            now=NOW,
        ),
        Case(
            "gcp.scc.findings_remediated",
            "fail",
            {
                "findings": [
                    {"severity": "CRITICAL", "category": "X", "resource": "r", "created": "2026-05-20T00:00:00Z"}
                ]
            },
            now=NOW,
        ),
        # network
        Case(
            "gcp.network.firewall_no_open_admin_ports",
            "pass",
            {**FIREWALL, "allowed": [{"protocol": "tcp", "ports": ["443"]}]},
        ),
        Case(
            "gcp.network.firewall_no_open_admin_ports",
            "fail",
            {**FIREWALL, "allowed": [{"protocol": "tcp", "ports": ["22"]}]},
        ),
        Case("gcp.network.firewall_no_open_admin_ports", "not_applicable", {**FIREWALL, "direction": "EGRESS"}),
        Case("gcp.sql.no_public_access", "pass", SQL_OK),
        Case("gcp.sql.no_public_access", "fail", {"public_ip": True, "authorized_networks": ["0.0.0.0/0"]}),
        Case("gcp.storage.uniform_access", "pass", {"uniform_access": True}),
        Case("gcp.storage.uniform_access", "fail", {"uniform_access": False}),
        Case("gcp.storage.uniform_access", "error", NO_RESOURCE),
        Case("gcp.storage.public_access_prevention", "pass", {"public_access_prevention": "enforced"}),
        Case(
            "gcp.storage.public_access_prevention",
            "pass",
            {"public_access_prevention": "inherited"},
            others=[_chain({"constraint": PAP, "enforced": True})],
            why="enforced by org policy",
        ),
        Case(
            "gcp.storage.public_access_prevention",
            "fail",
            {"public_access_prevention": "inherited"},
            others=[_chain({"constraint": PAP, "enforced": True}, {"constraint": PAP, "restore_default": True})],
        ),
        # availability
        Case("gcp.sql.backups_pitr", "pass", SQL_OK),
        Case(
            "gcp.sql.backups_pitr",
            "pass",
            {"backups_enabled": True, "binary_log_enabled": True, "database_version": "MYSQL_8_0"},
            why="MySQL binary logging",
        ),
        Case("gcp.sql.backups_pitr", "fail", {**SQL_OK, "pitr_enabled": False}),
        Case("gcp.sql.backups_pitr", "not_applicable", {"instance_type": "READ_REPLICA_INSTANCE"}),
        Case("gcp.sql.regional_production", "pass", SQL_OK),
        Case("gcp.sql.regional_production", "fail", {**SQL_OK, "availability_type": "ZONAL"}),
        Case("gcp.sql.regional_production", "not_applicable", {**SQL_OK, "labels": {"environment": "dev"}}),
        Case("gcp.gke.node_auto_repair", "pass", {"node_pools": [{"name": "a", "auto_repair": True}]}),
        Case("gcp.gke.node_auto_repair", "pass", {"autopilot": True, "node_pools": []}, why="Autopilot"),
        Case("gcp.gke.node_auto_repair", "fail", {"node_pools": [{"name": "a", "auto_repair": False}]}),
        Case("gcp.gke.node_auto_upgrade", "pass", {"node_pools": [{"name": "a", "auto_upgrade": True}]}),
        Case(
            "gcp.gke.node_auto_upgrade",
            "fail",
            {"node_pools": [{"name": "a", "auto_upgrade": True}, {"name": "b", "auto_upgrade": False}]},
        ),
        Case("gcp.gke.node_auto_upgrade", "not_applicable", {"node_pools": []}),
    ]
