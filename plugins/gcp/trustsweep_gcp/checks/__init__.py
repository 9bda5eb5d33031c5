"""The GCP checks, one module per area, each an ``@check``-declared function named for its id."""
