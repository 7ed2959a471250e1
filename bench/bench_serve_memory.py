"""What `serve` holds in memory: a 30x training file, 5 jobs in a row, a 2 GiB archive bomb.

    BANK_DATA_DIR=path/to/data python bench/bench_serve_memory.py [--times 30]

Printed, side by side, from one run (the goals are printed, never asserted):

1. a training job on the tutorial's train.csv repeated ``--times`` times (30x: ~106 MB
   with the real data): the `serve` process's peak RSS while the job runs (its peak
   is reset once the file is uploaded, /proc/<pid>/clear_refs), against a plain
   ``xgboost.train`` on the same file in a process of its own (pandas.read_csv to
   float32, as lean as a user's script gets; a DMatrix; the job's parameters).
   Goal: server peak <= 1.3 x plain peak + server idle.
2. the server's RSS before any job (once it has answered a SageMaker call), and after
   each of 5 jobs on the tutorial's train.csv. Goal: back within 50 MB of that.
3. CreateEndpoint on a 2 MB tar.gz declaring a 2 GiB member of zeros: how long until
   the endpoint is Failed, and the server's RSS growth. Goal: < 1 s, < 50 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_training import HYPERPARAMETERS, tutorial_train_csv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from serve_support import (  # noqa: E402
    IMAGE,
    ROLE,
    Clients,
    Served,
    clients,
    deploy,
    good_archive,
    serve,
    wait_for,
    zeros_bomb,
)

PLAIN = """
import json, resource, sys
import pandas as pd, xgboost as xgb
from sagemaker_tutorial.local_server import xgboost_algorithm as algorithm
from sagemaker_tutorial.local_server.training_jobs import training_threads
config = algorithm.parse_hyperparameters(json.loads(sys.argv[2]), "1.7-1")
params = {**config.params, "nthread": training_threads()}
import numpy as np
matrix = pd.read_csv(sys.argv[1], header=None, dtype=np.float32).to_numpy()
dtrain = xgb.DMatrix(matrix[:, 1:], label=matrix[:, 0])
del matrix
xgb.train(params, dtrain, num_boost_round=config.num_round)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def plain_peak_mb(path: Path) -> float:
    """Peak RSS of a fresh process that trains on ``path`` with plain xgboost.train."""
    out = subprocess.run(
        [sys.executable, "-c", PLAIN, str(path), json.dumps(HYPERPARAMETERS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out.split()[-1])


def run_job(aws: Clients, prefix: str) -> str:
    name = aws.name("job")
    aws.sagemaker.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        RoleArn=ROLE,
        HyperParameters=HYPERPARAMETERS,
        InputDataConfig=[
            {
                "ChannelName": "train",
                "ContentType": "text/csv",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": f"s3://{aws.bucket}/{prefix}",
                    }
                },
            }
        ],
        OutputDataConfig={"S3OutputPath": f"s3://{aws.bucket}/out"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 5},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )

    def status() -> str | None:
        job = aws.sagemaker.describe_training_job(TrainingJobName=name)
        value = str(job["TrainingJobStatus"])
        return value if value in ("Completed", "Failed", "Stopped") else None

    return str(wait_for(status, timeout=3600))


def reset_peak(served: Served) -> None:
    Path(f"/proc/{served.process.pid}/clear_refs").write_text("5", encoding="ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=30)
    args = parser.parse_args()
    train_csv, what = tutorial_train_csv()
    print(f"data: {what}; train.csv {len(train_csv) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "train.csv"
        big.write_bytes(train_csv * args.times)
        size_mb = big.stat().st_size / 1e6
        plain = plain_peak_mb(big)
        with serve() as served:
            aws = clients(served.endpoint)
            idle = served.rss_mb()
            aws.s3.upload_file(str(big), aws.bucket, "big/train.csv")
            uploaded = served.rss_mb()
            reset_peak(served)
            status = run_job(aws, "big/")
            peak = served.peak_mb()
    print(f"\n1. {args.times}x train.csv ({size_mb:.0f} MB), one training job ({status})")
    print(f"   plain xgboost.train peak RSS:   {plain:7.0f} MB")
    print(f"   serve: idle {idle:.0f} MB, after the upload {uploaded:.0f} MB (moto holds the file)")
    print(f"   serve peak RSS during the job:  {peak:7.0f} MB")
    goal = 1.3 * plain + idle
    print(f"   goal: <= 1.3 x plain + idle = {goal:.0f} MB: {'met' if peak <= goal else 'NOT met'}")

    with serve() as served:
        aws = clients(served.endpoint)
        aws.s3.put_object(Bucket=aws.bucket, Key="small/train.csv", Body=train_csv)
        aws.sagemaker.list_training_jobs()
        idle = served.rss_mb()
        after = []
        for _ in range(5):
            run_job(aws, "small/")
            after.append(served.rss_mb())
        print("\n2. five jobs on train.csv, one after another")
        print(f"   serve RSS before {idle:.0f} MB; after each job: {[round(a) for a in after]} MB")
        grown = after[-1] - idle
        print(f"   growth after 5 jobs: {grown:+.0f} MB (goal: within 50 MB)")

        deploy(aws, good_archive())  # XGBoost's serving side loaded once
        bomb = zeros_bomb()
        before = served.rss_mb()
        started = time.perf_counter()
        name = deploy(aws, bomb)
        endpoint = aws.sagemaker.describe_endpoint(EndpointName=name)
        seconds = time.perf_counter() - started
        print(f"\n3. a {len(bomb) / 1e6:.1f} MB tar.gz declaring a 2 GiB member")
        print(
            f"   endpoint {endpoint['EndpointStatus']} in {seconds:.2f} s (model, config, "
            f"endpoint and describe calls), RSS {served.rss_mb() - before:+.0f} MB "
            "(goal: < 1 s, < 50 MB)"
        )


if __name__ == "__main__":
    main()
