"""Batch transform jobs run: every object under the input prefix scored by the model.

The expected predictions are the trained booster's own, from the artifact the job wrote;
the container's batch-mode reply is one prediction per line.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import local_aws
import numpy as np
import pytest
import xgboost as xgb
from botocore.exceptions import ClientError
from local_aws import ACCOUNT, REGION, Aws

pytestmark = pytest.mark.moto_only


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


@pytest.fixture
def job(aws: Aws) -> dict[str, Any]:
    x, y = local_aws.dataset()
    finished = local_aws.train(aws, local_aws.to_csv(x, y))
    assert finished["TrainingJobStatus"] == "Completed", finished.get("FailureReason")
    return finished


@pytest.fixture
def model(aws: Aws, job: dict[str, Any]) -> str:
    return local_aws.create_model(aws, job)


@pytest.fixture
def booster(aws: Aws, job: dict[str, Any]) -> xgb.Booster:
    return local_aws.booster(aws, job)


def transform(
    aws: Aws, model: str, prefix: str, *, wait: bool = True, **options: Any
) -> dict[str, Any]:
    name = aws.name("transform")
    transform_input: dict[str, Any] = {
        "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{aws.bucket}/{prefix}"}
        },
        "ContentType": "text/csv",
        "SplitType": options.pop("SplitType", "Line"),
    }
    if "CompressionType" in options:
        transform_input["CompressionType"] = options.pop("CompressionType")
    transform_output = {"S3OutputPath": f"s3://{aws.bucket}/{name}-out"}
    if "AssembleWith" in options:
        transform_output["AssembleWith"] = options.pop("AssembleWith")
    aws.sagemaker.create_transform_job(
        TransformJobName=name,
        ModelName=model,
        TransformInput=transform_input,
        TransformOutput=transform_output,
        TransformResources={"InstanceType": "ml.m4.xlarge", "InstanceCount": 1},
        **options,
    )
    if not wait:
        return {"TransformJobName": name}
    return local_aws.wait_for(
        aws, "describe_transform_job", "TransformJobName", name, "TransformJobStatus"
    )


def output(aws: Aws, done: dict[str, Any], key: str) -> str:
    out = f"{done['TransformJobName']}-out/{key}.out"
    return str(aws.s3.get_object(Bucket=aws.bucket, Key=out)["Body"].read().decode())


def lines_of(values: list[float]) -> str:
    return "".join(f"{value}\n" for value in values)


def test_each_object_under_the_prefix_gets_its_out_file_of_predictions(
    aws: Aws, model: str, booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset(seed=3)
    aws.s3.put_object(Bucket=aws.bucket, Key="in/a.csv", Body=local_aws.to_csv(x[:30]))
    aws.s3.put_object(Bucket=aws.bucket, Key="in/b.csv", Body=local_aws.to_csv(x[30:45]))
    done = transform(aws, model, "in/")
    assert done["TransformJobStatus"] == "Completed", done.get("FailureReason")
    assert output(aws, done, "a.csv") == lines_of(booster.predict(xgb.DMatrix(x[:30])).tolist())
    assert output(aws, done, "b.csv") == lines_of(booster.predict(xgb.DMatrix(x[30:45])).tolist())
    assert done["TransformStartTime"] <= done["TransformEndTime"]


# ~1.6 MB of CSV: more than one 1 MB mini-batch.
MORE_THAN_A_BATCH = 40_000
SMALL_BATCHES = {"BatchStrategy": "MultiRecord", "MaxPayloadInMB": 1}


@pytest.mark.parametrize(
    ("options", "rows"),
    [
        ({"SplitType": "None"}, MORE_THAN_A_BATCH),
        # A request a record: what matters is that there are several records (and
        # 40 000 requests cost 30 s), so a few hundred.
        ({"BatchStrategy": "SingleRecord", "AssembleWith": "Line"}, 500),
        ({**SMALL_BATCHES, "AssembleWith": "Line"}, MORE_THAN_A_BATCH),
        ({**SMALL_BATCHES, "AssembleWith": "None"}, MORE_THAN_A_BATCH),
    ],
    ids=["split-none", "single-record", "small-batches-line", "small-batches-none"],
)
def test_every_split_and_batch_strategy_gives_the_same_predictions(
    aws: Aws, model: str, booster: xgb.Booster, options: dict[str, Any], rows: int
) -> None:
    x = np.random.default_rng(5).random((rows, 4))
    aws.s3.put_object(Bucket=aws.bucket, Key="big/test.csv", Body=local_aws.to_csv(x))
    done = transform(aws, model, "big/", **options)
    assert done["TransformJobStatus"] == "Completed", done.get("FailureReason")
    predicted = np.array(output(aws, done, "test.csv").split(), dtype=float)
    assert predicted.tolist() == booster.predict(xgb.DMatrix(x)).tolist()


def test_a_gzip_object_is_inflated_before_it_is_split(
    aws: Aws, model: str, booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset(seed=4)
    body = gzip.compress(local_aws.to_csv(x[:10]))
    aws.s3.put_object(Bucket=aws.bucket, Key="gz/test.csv.gz", Body=body)
    done = transform(aws, model, "gz/", CompressionType="Gzip")
    assert output(aws, done, "test.csv.gz") == lines_of(
        booster.predict(xgb.DMatrix(x[:10])).tolist()
    )


def test_an_object_over_max_payload_without_splitting_fails_the_job(aws: Aws, model: str) -> None:
    x = np.random.default_rng(5).random((MORE_THAN_A_BATCH, 4))
    aws.s3.put_object(Bucket=aws.bucket, Key="big/test.csv", Body=local_aws.to_csv(x))
    done = transform(aws, model, "big/", SplitType="None", MaxPayloadInMB=1)
    assert done["TransformJobStatus"] == "Failed"
    assert done["FailureReason"] == "ClientError: Too much data for max payload size"


def test_records_the_container_refuses_fail_the_job_and_its_log_says_why(
    aws: Aws, model: str
) -> None:
    aws.s3.put_object(Bucket=aws.bucket, Key="bad/test.csv", Body=b"a,b,c,d\n")
    done = transform(aws, model, "bad/")
    assert done["TransformJobStatus"] == "Failed"
    assert done["FailureReason"] == "ClientError: See job logs for more information"
    group = "/aws/sagemaker/TransformJobs"
    streams = aws.logs.describe_log_streams(
        logGroupName=group, logStreamNamePrefix=done["TransformJobName"]
    )["logStreams"]
    events = aws.logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"])[
        "events"
    ]
    assert events[-1]["message"].startswith(
        "Bad HTTP status received from algorithm: 415\nMessage: Loading csv data failed"
    )


def test_stop_transform_job_stops_it_before_it_writes(aws: Aws, model: str) -> None:
    x, _ = local_aws.dataset()
    aws.s3.put_object(Bucket=aws.bucket, Key="in/a.csv", Body=local_aws.to_csv(x))
    local_aws.hold_training(aws, True)
    try:
        started = transform(aws, model, "in/", wait=False)
        name = started["TransformJobName"]
        running = aws.sagemaker.describe_transform_job(TransformJobName=name)
        assert running["TransformJobStatus"] == "InProgress"
        aws.sagemaker.stop_transform_job(TransformJobName=name)
    finally:
        local_aws.hold_training(aws, False)
    done = local_aws.wait_for(
        aws, "describe_transform_job", "TransformJobName", name, "TransformJobStatus"
    )
    assert done["TransformJobStatus"] == "Stopped"
    listed = aws.s3.list_objects_v2(Bucket=aws.bucket, Prefix=f"{name}-out/")
    assert listed.get("KeyCount", 0) == 0
    stopped = aws.sagemaker.list_transform_jobs(StatusEquals="Stopped")["TransformJobSummaries"]
    assert [s["TransformJobName"] for s in stopped] == [name]


def test_stop_transform_job_refuses_a_completed_job(aws: Aws, model: str) -> None:
    x, _ = local_aws.dataset()
    aws.s3.put_object(Bucket=aws.bucket, Key="in/a.csv", Body=local_aws.to_csv(x[:5]))
    done = transform(aws, model, "in/")
    with pytest.raises(ClientError) as refused:
        aws.sagemaker.stop_transform_job(TransformJobName=done["TransformJobName"])
    assert refused.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "The request was rejected because the transform job is in status Completed.",
    }


def test_a_transform_job_naming_an_unknown_model_is_refused(aws: Aws) -> None:
    aws.s3.put_object(Bucket=aws.bucket, Key="in/a.csv", Body=b"1,2,3,4\n")
    with pytest.raises(ClientError) as refused:
        transform(aws, "no-such-model", "in/")
    assert refused.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": (
            f'Could not find model "arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/no-such-model".'
        ),
    }


def test_a_transform_job_on_an_empty_prefix_is_refused_when_created(aws: Aws, model: str) -> None:
    with pytest.raises(ClientError) as refused:
        transform(aws, model, "nothing-here/")
    uri = f"s3://{aws.bucket}/nothing-here/"
    assert refused.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": (
            f'No S3 objects found under S3 URL "{uri}" given in input data source. Please '
            f"ensure that the bucket exists in the selected region ({REGION}), that objects "
            f'exist under that S3 prefix, and that the role "{local_aws.ROLE}" has '
            f'"s3:ListBucket" permissions on bucket "{aws.bucket}".'
        ),
    }


@pytest.mark.real_data
def test_the_tutorials_test_set_by_batch_transform_equals_the_endpoints_predictions(
    aws: Aws, bank_data_file: Path
) -> None:
    data = local_aws.tutorial_data(bank_data_file)
    trained = local_aws.train(
        aws, data.train_csv, hyperparameters=local_aws.TUTORIAL_HYPERPARAMETERS
    )
    assert trained["TrainingJobStatus"] == "Completed", trained.get("FailureReason")
    aws.s3.put_object(Bucket=aws.bucket, Key="test/test.csv", Body=data.test_features)

    done = transform(aws, local_aws.create_model(aws, trained), "test/")
    endpoint = local_aws.deploy(aws, trained)
    answer = aws.runtime.invoke_endpoint(
        EndpointName=endpoint, Body=data.test_features, ContentType="text/csv"
    )
    by_endpoint = answer["Body"].read().decode().split()
    by_batch = output(aws, done, "test.csv").split()
    assert len(by_batch) == len(data.test_labels)
    assert by_batch == by_endpoint
    accuracy = float(np.mean(np.round(np.array(by_batch, dtype=float)) == data.test_labels))
    assert 0.892 <= accuracy <= 0.898
