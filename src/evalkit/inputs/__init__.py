"""Stage 1, inputs: the data contract; reading, checking and typing the raw tables."""
