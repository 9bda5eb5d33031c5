"""The resource types the Azure plugin collects (``azure.<service>.<kind>``)."""

STORAGE_ACCOUNT = "azure.storage.account"
DISK = "azure.compute.disk"
VM = "azure.compute.vm"
NSG = "azure.network.nsg"
FLOW_LOG = "azure.network.flow_log"
ACCESS = "azure.authorization.subscription_access"  # one per subscription: its role assignments
CUSTOM_ROLE = "azure.authorization.custom_role"
DIRECTORY = "azure.entra.directory"  # one per tenant (copied into each subscription's inventory)
DEFENDER = "azure.defender.plans"  # one per subscription
CONTACTS = "azure.defender.contacts"  # one per subscription
SUB_ASSESSMENT = "azure.defender.sub_assessment"
ASSESSMENT = "azure.defender.assessment"  # a Defender recommendation on one resource
BACKUP = "azure.backup.protected_items"  # one per subscription
ACTIVITY_LOG = "azure.monitor.activity_log"  # one per subscription: its diagnostic settings
LOG_STORAGE = "azure.monitor.log_storage"  # storage accounts that receive the activity log
SQL_SERVER = "azure.sql.server"
SQL_DATABASE = "azure.sql.database"
WEB_APP = "azure.web.site"
KEY_VAULT = "azure.keyvault.vault"
KEY = "azure.keyvault.key"

# built-in role definition ids
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
USER_ACCESS_ADMIN = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
