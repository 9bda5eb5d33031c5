"""Collectors: one module per report format (``trivy``, ``grype``, ``snyk``), each ``collect(ctx)``."""
