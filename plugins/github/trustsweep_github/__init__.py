"""The built-in GitHub plugin: change-management evidence (CC8.1) from repositories' protection and history."""
