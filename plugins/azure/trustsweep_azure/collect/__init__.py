"""Collectors: ``collect(ctx: AzureCollector)`` per service, one unit per service per subscription."""
