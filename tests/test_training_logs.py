"""A training job's log in CloudWatch Logs, and its final metrics in DescribeTrainingJob.

The log is read back with an ordinary CloudWatch Logs client, from where SageMaker puts
it (group /aws/sagemaker/TrainingJobs, stream <job>/algo-1-<epoch>); the expected
metric values are computed here from the artifact the job wrote, on the same data.
"""

from __future__ import annotations

import re
from typing import Any

import local_aws
import numpy as np
import pytest
import xgboost as xgb
from local_aws import Aws

pytestmark = pytest.mark.moto_only

GROUP = "/aws/sagemaker/TrainingJobs"
ROUND = re.compile(r"^\[(\d+)\]((?:#011(?:train|validation)-[a-z@.0-9]+:-?\d+\.\d{5})+)$")


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


def log_lines(aws: Aws, job: dict[str, Any]) -> tuple[str, list[str]]:
    streams = aws.logs.describe_log_streams(
        logGroupName=GROUP, logStreamNamePrefix=job["TrainingJobName"] + "/"
    )["logStreams"]
    assert len(streams) == 1
    name = streams[0]["logStreamName"]
    events = aws.logs.get_log_events(logGroupName=GROUP, logStreamName=name, startFromHead=True)
    return name, [event["message"] for event in events["events"]]


def evaluated(booster: xgb.Booster, sets: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict:
    report = booster.eval_set([(xgb.DMatrix(x, label=y), name) for name, (x, y) in sets.items()])
    values = {}
    for entry in report.split("\t")[1:]:
        key, _, value = entry.rpartition(":")
        data, _, metric = key.partition("-")
        values[f"{data}:{metric}"] = float(value)
    return values


def test_the_log_stream_is_named_after_the_job_and_its_first_host(aws: Aws) -> None:
    x, y = local_aws.dataset()
    job = local_aws.train(aws, local_aws.to_csv(x, y))
    name, _ = log_lines(aws, job)
    epoch = name.rsplit("-", 1)[1]
    assert name == f"{job['TrainingJobName']}/algo-1-{epoch}"
    assert abs(int(epoch) - job["TrainingStartTime"].timestamp()) < 2


def test_the_log_has_one_line_per_round_ending_with_the_models_final_metric(aws: Aws) -> None:
    x, y = local_aws.dataset()
    job = local_aws.train(aws, local_aws.to_csv(x, y))
    _, lines = log_lines(aws, job)
    rounds = [line for line in lines if ROUND.match(line)]
    assert [int(ROUND.match(line)[1]) for line in rounds] == list(range(12))  # type: ignore[index]
    final = evaluated(local_aws.booster(aws, job), {"train": (x, y)})["train:logloss"]
    assert rounds[-1] == f"[11]#011train-logloss:{final:.5f}"


def test_the_log_shows_the_hyperparameters_the_container_was_given(aws: Aws) -> None:
    x, y = local_aws.dataset()
    job = local_aws.train(aws, local_aws.to_csv(x, y))
    _, lines = log_lines(aws, job)
    assert lines[0] == "Arguments: train"
    assert any(
        "Failed to parse hyperparameter objective value binary:logistic to Json." in line
        for line in lines
    )
    assert any(line.endswith("Train matrix has 200 rows") for line in lines)


def test_a_validation_channel_adds_validation_metrics_to_the_log_and_the_final_list(
    aws: Aws,
) -> None:
    x, y = local_aws.dataset(rows=300)
    sets = {"train": (x[:200], y[:200]), "validation": (x[200:], y[200:])}
    hyperparameters = {**local_aws.HYPERPARAMETERS, "eval_metric": "auc,error"}
    job = local_aws.train(
        aws,
        local_aws.to_csv(*sets["train"]),
        validation=local_aws.to_csv(*sets["validation"]),
        hyperparameters=hyperparameters,
    )
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    final = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    booster = local_aws.booster(aws, job)
    # A saved model keeps no eval_metric: ask for the job's.
    booster.set_param([("eval_metric", "auc"), ("eval_metric", "error")])
    want = evaluated(booster, sets)
    assert sorted(final) == ["train:auc", "train:error", "validation:auc", "validation:error"]
    assert final == pytest.approx(want, abs=1e-5)
    _, lines = log_lines(aws, job)
    # SageMaker reads the final values off the last log line (five decimals), as float32.
    logged = dict(item.split(":") for item in lines[-1].split("#011")[1:])
    assert final == {
        name.replace("-", ":", 1): float(np.float32(value)) for name, value in logged.items()
    }
    assert lines[-1] == (
        f"[11]#011train-auc:{want['train:auc']:.5f}#011train-error:{want['train:error']:.5f}"
        f"#011validation-auc:{want['validation:auc']:.5f}"
        f"#011validation-error:{want['validation:error']:.5f}"
    )


def test_a_failed_job_logs_its_failure_reason(aws: Aws) -> None:
    job = local_aws.train(aws, b"not,numbers\nat,all\n")
    assert job["TrainingJobStatus"] == "Failed"
    _, lines = log_lines(aws, job)
    assert lines[-1] == job["FailureReason"]
