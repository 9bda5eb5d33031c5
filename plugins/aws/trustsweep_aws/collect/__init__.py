"""Collectors: one module per AWS service (its botocore name), each ``collect(ctx: AwsCollector)``
reading the service once per unit, with ``TYPES`` (what it adds) and ``REGIONAL`` (per region, or
once per account)."""
