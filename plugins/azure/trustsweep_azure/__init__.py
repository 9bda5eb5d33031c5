"""trustsweep's azure provider plugin."""
