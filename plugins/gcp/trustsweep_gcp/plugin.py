"""Registration of the gcp provider: declarations only, no SDK import."""
