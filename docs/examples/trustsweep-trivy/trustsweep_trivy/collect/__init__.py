"""Collectors: one module per thing read (here, the report file)."""
