"""How long the offline backend takes to make its synthetic bank_clean.csv (goal: under 2 s).

    python bench/bench_synthetic.py [--rounds 5]

Each round generates the full 41,188-row file in a fresh process (the per-process
cache would otherwise answer), timing the generation only; printed: median and
best seconds, the size and the sha1 (the same every round: it is deterministic).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

_CHILD = """
import hashlib, json, time
import numpy  # imported before the clock starts: every CLI run pays this anyway
start = time.perf_counter()
from sagemaker_tutorial.data.synthetic import synthetic_csv
data = synthetic_csv()
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "size": len(data), "sha1": hashlib.sha1(data).hexdigest()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(args.rounds)
    ]
    seconds = [run["seconds"] for run in runs]
    print(f"synthetic bank_clean.csv: {runs[0]['size']:,} bytes, sha1 {runs[0]['sha1']}")
    print(f"generation: median {statistics.median(seconds):.2f} s, best {min(seconds):.2f} s")
    print(f"deterministic across {args.rounds} processes: {len({r['sha1'] for r in runs}) == 1}")


if __name__ == "__main__":
    main()
