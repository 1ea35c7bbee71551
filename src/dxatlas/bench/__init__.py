"""Benchmarks: accuracy and speed of each job on the shared evaluation data (not part of the tests)."""
