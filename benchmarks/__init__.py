"""Benchmarks at ten times the real platform's size: `make bench` (benchmarks/run.sh) writes RESULTS.md."""
