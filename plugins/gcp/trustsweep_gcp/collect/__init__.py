"""GCP collectors: one module per unit of work (``cloudasset``, ``orgpolicy``, ``securitycenter``),
each ``collect(ctx: GcpCollector) -> None``, and the extractors that turn Cloud Asset data into the
documented properties of each resource type (``storage``, ``bigquery``, ``kms``, ``iam``, ``sql``,
``compute``, ``logs``, ``gke``)."""
