"""tgtui benchmarks: ratios against a baseline measured in the same run (`python -m benchmarks`).

Benchmarks are not tests: nothing here asserts a time. `tests/test_benchmarks.py` only
checks that `python -m benchmarks --quick` runs and prints every row.
"""
