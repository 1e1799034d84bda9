"""Benchmarks: ``python tests/perf/run.py`` (``make bench``). Not part of the test suite."""
