"""Resource types the GCP checks read. CAI asset types are used verbatim; two are trustsweep's own."""

PROJECT = "cloudresourcemanager.googleapis.com/Project"
ORGANIZATION = "cloudresourcemanager.googleapis.com/Organization"
FOLDER = "cloudresourcemanager.googleapis.com/Folder"
BUCKET = "storage.googleapis.com/Bucket"
DATASET = "bigquery.googleapis.com/Dataset"
CRYPTO_KEY = "cloudkms.googleapis.com/CryptoKey"
SA_KEY = "iam.googleapis.com/ServiceAccountKey"
SQL_INSTANCE = "sqladmin.googleapis.com/Instance"
FIREWALL = "compute.googleapis.com/Firewall"
SUBNETWORK = "compute.googleapis.com/Subnetwork"
SSL_POLICY = "compute.googleapis.com/SslPolicy"
HTTPS_PROXY = "compute.googleapis.com/TargetHttpsProxy"
SSL_PROXY = "compute.googleapis.com/TargetSslProxy"
LOG_SINK = "logging.googleapis.com/LogSink"
LOG_BUCKET = "logging.googleapis.com/LogBucket"
GKE_CLUSTER = "container.googleapis.com/Cluster"

# trustsweep's own: facts about a project that are not one CAI asset
ORG_POLICY = "orgpolicy.googleapis.com/EffectivePolicies"  # the project's org-policy chain
SCC_FINDINGS = "securitycenter.googleapis.com/ActiveFindings"  # its active CRITICAL/HIGH findings

ASSET_TYPES = (
    PROJECT,
    BUCKET,
    DATASET,
    CRYPTO_KEY,
    SA_KEY,
    SQL_INSTANCE,
    FIREWALL,
    SUBNETWORK,
    SSL_POLICY,
    HTTPS_PROXY,
    SSL_PROXY,
    LOG_SINK,
    LOG_BUCKET,
    GKE_CLUSTER,
)
IAM_POLICY_TYPES = (PROJECT, BUCKET, DATASET, CRYPTO_KEY)
