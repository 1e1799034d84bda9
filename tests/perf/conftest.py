"""Nothing under tests/perf is a test: the benchmarks run with ``python tests/perf/run.py``
(``make bench``), never under pytest."""

collect_ignore_glob = ["*.py", "*.lua"]
