"""trustsweep's gcp provider plugin."""
