"""trustsweep's aws provider plugin."""
