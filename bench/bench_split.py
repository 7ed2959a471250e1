"""Step 3f benchmark: load + split + write, the tutorial's pandas code against split_file.

Run by hand: ``BANK_DATA_DIR=path/to/data python bench/bench_split.py``.

Both sides run in child processes of their own (imports included), on the same input:

- the tutorial's code: ``pd.read_csv(index_col=0)``, ``sample(frac=1,
  random_state=1729)``, the cut at ``int(0.7 * n)`` (``.iloc``: what ``np.split`` did
  before pandas 3), ``to_csv`` for each part;
- the project's ``split_file`` (what ``sagemaker-tutorial split`` runs).

Inputs: the real bank_clean.csv (the synthetic stand-in without BANK_DATA_DIR), and a
copy of it with 100 times its rows (index renumbered), made in a temporary folder and
deleted afterwards (about 550 MB). For each: wall time (median of the repeats), peak
RSS of the child (from ``os.wait4``), and whether both wrote byte-identical files.

Goal (issue 5): not slower at 1x; at 100x, half the tutorial's time and memory or
better; identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TUTORIAL_CODE = """
import sys
import numpy as np
import pandas as pd

model_data = pd.read_csv(sys.argv[1], index_col=0)
shuffled = model_data.sample(frac=1, random_state=1729)
cut = int(0.7 * len(model_data))
train_data, test_data = shuffled.iloc[:cut], shuffled.iloc[cut:]
train_data.to_csv(sys.argv[2] + "/train_data.csv")
test_data.to_csv(sys.argv[2] + "/test_data.csv")
"""

PROJECT_CODE = """
import sys
from pathlib import Path
from sagemaker_tutorial.data.split import split_file

split_file(Path(sys.argv[1]), Path(sys.argv[2]), 0.7, 1729)
"""


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    digest: str


def run_child(code: str, data: Path, out: Path) -> Run:
    """Run `code` in a fresh interpreter; its wall time and its own peak RSS."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(data), str(out)])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"child failed with exit code {child.returncode}")
    digest = hashlib.sha1()
    for name in ("train_data.csv", "test_data.csv"):
        digest.update(hashlib.sha1((out / name).read_bytes()).digest())
    shutil.rmtree(out)
    return Run(seconds, usage.ru_maxrss / 1024, digest.hexdigest())  # ru_maxrss: KiB on Linux


def make_copies(source: Path, target: Path, times: int) -> int:
    """`source` with its rows repeated `times` times, the index renumbered 0..n-1."""
    with source.open("rb") as handle:
        header = handle.readline()
        rests = [line.split(b",", 1)[1] for line in handle]
    with target.open("wb") as out:
        out.write(header)
        for copy in range(times):
            base = copy * len(rests)
            out.write(b"".join(b"%d,%b" % (base + i, rest) for i, rest in enumerate(rests)))
    return len(rests) * times


def tutorial_data(folder: Path) -> tuple[Path, str]:
    data_dir = os.environ.get("BANK_DATA_DIR")
    if data_dir and (Path(data_dir) / "bank_clean.csv").is_file():
        return Path(data_dir) / "bank_clean.csv", "real bank_clean.csv"
    from sagemaker_tutorial.data.synthetic import synthetic_csv

    path = folder / "bank_clean.csv"
    path.write_bytes(synthetic_csv())
    return path, "synthetic stand-in (set BANK_DATA_DIR for the real file)"


def compare(label: str, data: Path, repeats: int, folder: Path) -> tuple[float, float, bool]:
    tutorial: list[Run] = []
    project: list[Run] = []
    for _ in range(repeats):  # interleaved, so that both see the same machine state
        tutorial.append(run_child(TUTORIAL_CODE, data, folder / "out-tutorial"))
        project.append(run_child(PROJECT_CODE, data, folder / "out-project"))
    identical = {run.digest for run in tutorial + project}
    t_time = statistics.median(run.seconds for run in tutorial)
    p_time = statistics.median(run.seconds for run in project)
    t_rss = max(run.peak_rss_mb for run in tutorial)
    p_rss = max(run.peak_rss_mb for run in project)
    size_mb = data.stat().st_size / 1e6
    print(
        f"{label:>5} {size_mb:8.1f} MB | time  tutorial {t_time:7.2f} s   split_file "
        f"{p_time:7.2f} s   ratio {p_time / t_time:5.2f}\n"
        f"{'':>5} {'':>11} | RSS   tutorial {t_rss:7.0f} MB  split_file {p_rss:7.0f} MB  "
        f"ratio {p_rss / t_rss:5.2f}   identical output: {'yes' if len(identical) == 1 else 'NO'}"
        f"   (median of {repeats})",
        flush=True,
    )
    return p_time / t_time, p_rss / t_rss, len(identical) == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per side at 1x (default 5)")
    parser.add_argument(
        "--repeat-big", type=int, default=1, help="runs per side at 100x (default 1)"
    )
    parser.add_argument("--times", type=int, default=100, help="size of the big copy (default 100)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-split-"))
    try:
        data, what = tutorial_data(folder)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; data: {what}")
        small = compare("1x", data, args.repeat, folder)
        big_path = folder / f"bank_clean_x{args.times}.csv"
        started = time.perf_counter()
        rows = make_copies(data, big_path, args.times)
        print(f"(made {rows:,} rows in {time.perf_counter() - started:.1f} s)", flush=True)
        big = compare(f"{args.times}x", big_path, args.repeat_big, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    met_small = small[0] <= 1.0 and small[2]
    met_big = big[0] <= 0.5 and big[1] <= 0.5 and big[2]
    print(f"goal at 1x (not slower, identical): {'met' if met_small else 'NOT met'}")
    print(
        f"goal at {args.times}x (half the time and memory or better, identical): "
        f"{'met' if met_big else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
