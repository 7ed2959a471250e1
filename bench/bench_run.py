"""The whole offline tutorial, timed: `python bench/bench_run.py [--data-file PATH] [--runs N]`.

Runs `sagemaker-tutorial run` (mock backend: the local SageMaker, no account, no
network) in a fresh work folder, and, alternating with it in the same invocation, the
plain reference: the same work done plainly in one Python process (pandas read, the
1729 shuffle, the 70/30 cut, ``xgboost.train`` 100 rounds with the tutorial's
hyper-parameters, predict, crosstab). Printed: each one's median wall time and peak
RSS (per process), the ratios run/reference (goals: at most 4x wall, 1.8x peak
memory), and `run`'s time split by step, read off the moment each of the notebook's
lines appears. The data is --data-file, else $BANK_DATA_DIR/bank_clean.csv, else the
synthetic data. Figures to read, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The first line each step prints, in the order `run` prints them.
STEPS = [
    ("3c setup (image, role)", "Success - the MySageMakerInstance"),
    ("3d bucket", "S3 bucket"),
    ("3e download", "Success: "),
    ("3f load and split", "Success: Data loaded"),
    ("4a upload", "Wrote train.csv"),
    ("4b-4c train", "Training job "),
    ("5a deploy", "Endpoint "),
    ("5b predict", "Predicted "),
    ("6 evaluate", "Overall Classification Rate"),
    ("7 take down", "Deleted "),
]


WALL_GOAL = 4.0
MEMORY_GOAL = 1.8

# The work `run` does, done plainly: what a reader would write in one notebook cell.
PLAIN = """
import sys
import numpy as np
import pandas as pd
import xgboost as xgb

data = pd.read_csv(sys.argv[1], index_col=0)
shuffled = data.sample(frac=1, random_state=1729)
cut = int(0.7 * len(shuffled))
train, test = shuffled.iloc[:cut], shuffled.iloc[cut:]
labels = ["y_no", "y_yes"]
dtrain = xgb.DMatrix(train.drop(columns=labels).to_numpy(), label=train["y_yes"].to_numpy())
params = {"max_depth": 5, "eta": 0.2, "gamma": 4, "min_child_weight": 6, "subsample": 0.8,
          "verbosity": 1, "objective": "binary:logistic"}
booster = xgb.train(params, dtrain, num_boost_round=100)
predictions = booster.predict(xgb.DMatrix(test.drop(columns=labels).to_numpy()))
print(pd.crosstab(index=test["y_yes"], columns=np.round(predictions),
                  rownames=["Observed"], colnames=["Predicted"]))
"""


CPU_SECONDS: list[tuple[str, float]] = []  # (which, user + system seconds) per process


def _waited(process: subprocess.Popen[str], which: str) -> int:
    """Reap the child ourselves: its own peak RSS (KiB), which Popen.wait would discard;
    its CPU time is kept too (a figure a busy machine disturbs less than wall time)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    CPU_SECONDS.append((which, usage.ru_utime + usage.ru_stime))
    return usage.ru_maxrss


def plain_run(data_file: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of the plain reference, as a whole process."""
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", PLAIN, str(data_file)], stdout=subprocess.DEVNULL, text=True
    ) as process:
        peak_kib = _waited(process, "reference")
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"the plain reference failed ({process.returncode})")
    return wall, peak_kib / 1024


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}


def one_run(data_file: Path | None) -> tuple[float, float, dict[str, float], list[str]]:
    """Wall time, peak RSS (MB), seconds per step and the output of one `run` in a fresh
    folder."""
    with tempfile.TemporaryDirectory() as workdir:
        command = [sys.executable, "-m", "sagemaker_tutorial.cli", "--workdir", workdir, "run"]
        if data_file is not None:
            command += ["--data-file", str(data_file)]
        start = time.perf_counter()
        stamped: list[tuple[float, str]] = []
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                stamped.append((time.perf_counter() - start, line.rstrip("\n")))
            error = process.stderr.read() if process.stderr else ""
            peak_kib = _waited(process, "run")
        wall = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"run failed ({process.returncode}): {error.strip()}")
    marks: list[tuple[str, float]] = []
    for name, prefix in STEPS:
        seen = next((t for t, line in stamped if line.startswith(prefix)), None)
        if seen is not None:
            marks.append((name, seen))
    # Up to the first line: interpreter start, imports, the local server, 3c's work.
    per_step: dict[str, float] = {"start-up": marks[0][1] if marks else wall}
    ends = [seen for _, seen in marks[1:]] + [wall]
    for (name, seen), end in zip(marks, ends, strict=True):
        per_step[name] = end - seen
    return wall, peak_kib / 1024, per_step, [line for _, line in stamped]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-file", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_file = args.data_file
    if data_file is None and os.environ.get("BANK_DATA_DIR"):
        candidate = Path(os.environ["BANK_DATA_DIR"]) / "bank_clean.csv"
        data_file = candidate if candidate.is_file() else None

    walls, peaks, steps = [], [], []
    plain_walls, plain_peaks = [], []
    output: list[str] = []
    for _ in range(args.runs):
        if data_file is not None:  # alternating, so that both see the same machine
            plain_wall, plain_peak = plain_run(data_file)
            plain_walls.append(plain_wall)
            plain_peaks.append(plain_peak)
        wall, peak, per_step, output = one_run(data_file)
        walls.append(wall)
        peaks.append(peak)
        steps.append(per_step)

    print(f"data: {data_file or 'synthetic'}; {args.runs} runs on {os.cpu_count()} cores")
    shown = ", ".join(f"{w:.2f}" for w in walls)
    wall, peak = statistics.median(walls), max(peaks)
    print(f"run:       wall median {wall:5.2f} s (runs {shown}); peak RSS {peak:4.0f} MB")
    if plain_walls:
        plain_wall, plain_peak = statistics.median(plain_walls), max(plain_peaks)
        shown = ", ".join(f"{w:.2f}" for w in plain_walls)
        print(
            f"reference: wall median {plain_wall:5.2f} s (runs {shown}); "
            f"peak RSS {plain_peak:4.0f} MB"
        )
        wall_ratio, memory_ratio = wall / plain_wall, peak / plain_peak
        print(
            f"ratio run/reference: wall {wall_ratio:.1f}x (goal <= {WALL_GOAL}x: "
            f"{'met' if wall_ratio <= WALL_GOAL else 'NOT met'}), peak memory "
            f"{memory_ratio:.2f}x (goal <= {MEMORY_GOAL}x: "
            f"{'met' if memory_ratio <= MEMORY_GOAL else 'NOT met'})"
        )
        cpu = {
            which: statistics.median(t for w, t in CPU_SECONDS if w == which)
            for which in ("run", "reference")
        }
        print(
            f"CPU time (user + system, median): run {cpu['run']:.2f} s, reference "
            f"{cpu['reference']:.2f} s: {cpu['run'] / cpu['reference']:.1f}x"
        )
    else:
        print("reference: needs the real data (--data-file or $BANK_DATA_DIR): no ratio")
    print("time by step (median; from the step's first line to the next step's):")
    for name in ["start-up", *(step for step, _ in STEPS)]:
        values = [s[name] for s in steps if name in s]
        if values:
            print(f"  {name:<28} {statistics.median(values):6.2f} s")
    block = [line for line in output if line.startswith(("Overall", "No Purchase", "Purchase"))]
    print("result:", " | ".join(block))


if __name__ == "__main__":
    main()
