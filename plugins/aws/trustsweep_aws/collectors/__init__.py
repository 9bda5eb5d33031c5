"""Collectors: one module per AWS service, each ``collect(unit) -> Collected``, reading the service once."""
