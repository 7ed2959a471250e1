"""Start-up and suite figures, run by hand: `python bench/bench_startup.py [--suite]`.

Prints the wall time of `sagemaker-tutorial --help` (goal: under 0.5 s) against a
bare `python -c pass` measured in the same run, the cost of the first SDK import
(what `setup` pays once), and, with --suite, the mock suite's wall time.
No threshold is asserted: these are figures to read and compare.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--suite", action="store_true", help="also time the mock test suite")
    args = parser.parse_args()

    python = [sys.executable]
    cli = shutil.which("sagemaker-tutorial")
    help_command = [cli, "--help"] if cli else [*python, "-m", "sagemaker_tutorial.cli", "--help"]

    baseline = _median_seconds([*python, "-c", "pass"], args.runs)
    help_time = _median_seconds(help_command, args.runs)
    sdk_time = _median_seconds([*python, "-c", "import sagemaker.core.image_uris"], 3)
    print(f"python -c pass               {baseline * 1000:8.1f} ms (baseline)")
    print(
        f"sagemaker-tutorial --help    {help_time * 1000:8.1f} ms  "
        f"({help_time / baseline:.1f}x baseline; goal < 500 ms)"
    )
    print(
        f"import sagemaker.core        {sdk_time * 1000:8.1f} ms  (paid once by setup/prepare only)"
    )
    if args.suite:
        start = time.perf_counter()
        subprocess.run(
            [*python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT, check=False
        )
        print(f"mock suite (pytest -q)       {time.perf_counter() - start:8.1f} s")


if __name__ == "__main__":
    main()
