"""Benchmarks: each bench_*.py module has a main() printing a comparison against a baseline
measured in the same run. `python -m benchmarks` runs them all."""
