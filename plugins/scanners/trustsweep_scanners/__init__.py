"""The scanners plugin: vulnerability-remediation SLAs from Trivy, Grype and Snyk JSON reports."""
