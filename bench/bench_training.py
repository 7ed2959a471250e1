"""What the local server's training costs on top of XGBoost itself (goal: at most 1.2x).

    BANK_DATA_DIR=path/to/data python bench/bench_training.py [--repeat 5]

Both sides train on the tutorial's train part (step 3f's split of the real
bank_clean.csv, or of the synthetic stand-in without BANK_DATA_DIR; label first, no
header, no index: the train.csv of step 4a) with the tutorial's hyperparameters:

- the stand-in's path, as a training job runs it once its data is downloaded: from
  the CSV bytes to model.tar.gz (hyperparameter validation, CSV parsing, the
  container's training call with its train-set evaluation, the artifact);
- a plain ``xgboost.train`` on the same matrix (already parsed, as a numpy array) with
  the same parameters (the job's, as the stand-in hands them to XGBoost, threads
  included), its DMatrix made in the call: XGBoost keeps a DMatrix's histogram cuts
  after a first training, so reusing one DMatrix would time a second training.

The two alternate, in this process, so they see the same machine; printed: the median
of each and their ratio. The goal is printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from sagemaker_tutorial.local_server import xgboost_algorithm as algorithm
from sagemaker_tutorial.local_server.training_jobs import training_threads

HYPERPARAMETERS = {
    "max_depth": "5",
    "eta": "0.2",
    "gamma": "4",
    "min_child_weight": "6",
    "subsample": "0.8",
    "objective": "binary:logistic",
    "num_round": "100",
}
GOAL = 1.2


def tutorial_train_csv() -> tuple[bytes, str]:
    """The tutorial's train.csv (step 4a) as bytes, and where its rows came from."""
    data_dir = os.environ.get("BANK_DATA_DIR")
    if data_dir and (Path(data_dir) / "bank_clean.csv").is_file():
        source: Path | io.BytesIO = Path(data_dir) / "bank_clean.csv"
        what = "real bank_clean.csv"
    else:
        from sagemaker_tutorial.data.synthetic import synthetic_csv

        source = io.BytesIO(synthetic_csv())
        what = "synthetic stand-in (set BANK_DATA_DIR for the real file)"
    model_data = pd.read_csv(source, index_col=0)
    shuffled = model_data.sample(frac=1, random_state=1729)
    train = shuffled.iloc[: int(0.7 * len(model_data))]
    frame = pd.concat([train["y_yes"], train.drop(["y_no", "y_yes"], axis=1)], axis=1)
    return frame.to_csv(index=False, header=False).encode(), what


def stand_in(csv_bytes: bytes) -> dict[str, float]:
    """The training job's path, from the channel's bytes to model.tar.gz; seconds per phase."""
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    config = algorithm.parse_hyperparameters(HYPERPARAMETERS, "1.7-1")
    data = algorithm.read_csv_channel([("train.csv", csv_bytes)])
    assert data is not None
    parse = lap()
    model = algorithm.train(config, data, default_threads=training_threads())
    assert model is not None
    fit = lap()
    algorithm.model_artifact(model.booster)
    return {"parse": parse, "train": fit, "artifact": lap()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per side (default 5)")
    args = parser.parse_args()

    csv_bytes, what = tutorial_train_csv()
    config = algorithm.parse_hyperparameters(HYPERPARAMETERS, "1.7-1")
    params = {**config.params, "nthread": config.params.get("nthread", training_threads())}
    matrix = np.loadtxt(io.BytesIO(csv_bytes), delimiter=",", dtype=np.float32)
    features, labels = np.ascontiguousarray(matrix[:, 1:]), np.ascontiguousarray(matrix[:, 0])

    def plain_train() -> None:
        dtrain = xgb.DMatrix(features, label=labels, nthread=params["nthread"])
        xgb.train(params, dtrain, num_boost_round=config.num_round)

    print(
        f"python {sys.version.split()[0]}, xgboost {xgb.__version__}, {os.cpu_count()} CPUs, "
        f"{params['nthread']} XGBoost thread(s); data: {what}, {matrix.shape[0]:,} rows x "
        f"{matrix.shape[1] - 1} features ({len(csv_bytes) / 1e6:.1f} MB of CSV)",
        flush=True,
    )

    stand_in(csv_bytes)  # warm up both (imports, first-call allocations)
    plain_train()
    ours: list[dict[str, float]] = []
    plain: list[float] = []
    for _ in range(args.repeat):  # interleaved, so that both see the same machine state
        ours.append(stand_in(csv_bytes))
        start = time.perf_counter()
        plain_train()
        plain.append(time.perf_counter() - start)

    ours_s = statistics.median(sum(run.values()) for run in ours)
    plain_s = statistics.median(plain)
    ratio = ours_s / plain_s
    phases = "   ".join(
        f"{phase} {statistics.median(run[phase] for run in ours):.3f} s"
        for phase in ("parse", "train", "artifact")
    )
    print(
        f"stand-in (CSV bytes -> model.tar.gz) {ours_s:6.3f} s   "
        f"DMatrix + xgboost.train {plain_s:6.3f} s   "
        f"ratio {ratio:4.2f}   (median of {args.repeat})\n"
        f"  stand-in phases: {phases} (train: DMatrix, boosting, final evaluation)"
    )
    print(f"goal (at most {GOAL}x): {'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
