"""`brscale demo`: the whole flow on sample data, in the terminal, on the embedded default."""
