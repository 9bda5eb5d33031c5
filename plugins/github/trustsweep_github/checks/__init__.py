"""Checks: ``branch`` (default-branch design), ``access`` (organisation and collaborators), ``changes`` (operating evidence)."""
