"""The whole offline tutorial, timed: `python bench/bench_run.py [--data-file PATH] [--runs N]`.

Runs `sagemaker-tutorial run` (mock backend: the local SageMaker, no account, no
network) in a fresh work folder and prints its wall time (goal on a 2-core machine:
under 20 s), its peak RSS, and the time split by step, read off the moment each of
the notebook's lines appears. The data is --data-file, else
$BANK_DATA_DIR/bank_clean.csv, else the synthetic data. Figures to read, never
asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The first line each step prints, in the order `run` prints them.
STEPS = [
    ("3c setup (SDK import, role)", "Success - the MySageMakerInstance"),
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


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}


def one_run(data_file: Path | None) -> tuple[float, dict[str, float], list[str]]:
    """Wall time, seconds per step, and the output of one `run` in a fresh folder."""
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
    return wall, per_step, [line for _, line in stamped]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-file", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_file = args.data_file
    if data_file is None and os.environ.get("BANK_DATA_DIR"):
        candidate = Path(os.environ["BANK_DATA_DIR"]) / "bank_clean.csv"
        data_file = candidate if candidate.is_file() else None

    walls, steps = [], []
    output: list[str] = []
    for _ in range(args.runs):
        wall, per_step, output = one_run(data_file)
        walls.append(wall)
        steps.append(per_step)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"data: {data_file or 'synthetic'}; {args.runs} runs on {os.cpu_count()} cores")
    shown = ", ".join(f"{w:.1f}" for w in walls)
    print(f"wall time: median {statistics.median(walls):.1f} s (goal: under 20 s); runs {shown}")
    print(f"peak RSS of a run: {peak_mb:.0f} MB")
    print("time by step (median; from the step's first line to the next step's):")
    for name in ["start-up", *(step for step, _ in STEPS)]:
        values = [s[name] for s in steps if name in s]
        if values:
            print(f"  {name:<28} {statistics.median(values):6.2f} s")
    block = [line for line in output if line.startswith(("Overall", "No Purchase", "Purchase"))]
    print("result:", " | ".join(block))


if __name__ == "__main__":
    main()
