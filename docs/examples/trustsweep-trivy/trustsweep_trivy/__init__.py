"""Example trustsweep plugin: vulnerability remediation SLAs from Trivy JSON reports."""
