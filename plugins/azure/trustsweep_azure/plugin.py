"""Registration of the azure provider: declarations only, no SDK import."""
