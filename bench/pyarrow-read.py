"""Rows per second pyarrow reads the read-path benchmark's data file with, on one thread.

Usage: python3 bench/pyarrow-read.py FILE.parquet  (FILE from `ReadPathBenchmark FILE`)
Median of 15 after 2 warm-ups, as JSON on stdout.
"""
import json
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

pa.set_cpu_count(1)
pa.set_io_thread_count(1)
path = sys.argv[1]
for _ in range(2):
    pq.read_table(path, use_threads=False)
times = []
rows = 0
for _ in range(15):
    start = time.perf_counter()
    table = pq.read_table(path, use_threads=False)
    times.append(time.perf_counter() - start)
    rows = table.num_rows
median = sorted(times)[len(times) // 2]
print(json.dumps({
    "reader": "pyarrow.parquet.read_table(use_threads=False)",
    "pyarrow": pa.__version__,
    "rows": rows,
    "seconds": times,
    "rows_per_second_median": rows / median,
    "rows_per_second_min": rows / max(times),
    "rows_per_second_max": rows / min(times),
}, indent=2))
