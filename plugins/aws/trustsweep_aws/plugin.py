"""Registration of the aws provider: declarations only, no SDK import."""
