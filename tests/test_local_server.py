"""The local SageMaker server: moto's records made true by real XGBoost training and serving.

Every test runs against the session's server (``moto_endpoint``, reset before each
test) through ordinary boto3 clients, as a user would; names are unique per test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import local_aws
import numpy as np
import pytest
import xgboost as xgb
from botocore.exceptions import ClientError
from local_aws import (
    ACCOUNT,
    HYPERPARAMETERS,
    IMAGE_1_7,
    REGION,
    ROLE,
    Aws,
    create_job,
    dataset,
    deploy,
    hold_training,
    to_csv,
    train,
    wait_for_job,
)

from sagemaker_tutorial.aws import sdk
from sagemaker_tutorial.aws.backends import endpoint_session
from sagemaker_tutorial.local_server.xgboost_algorithm import container_version

pytestmark = pytest.mark.moto_only

IMAGE_LATEST = "433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest"


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


def invoke(aws: Aws, endpoint: str, body: bytes | str) -> dict[str, Any]:
    answer: dict[str, Any] = aws.runtime.invoke_endpoint(
        EndpointName=endpoint, Body=body, ContentType="text/csv"
    )
    answer["Body"] = answer["Body"].read()
    return answer


@pytest.fixture
def trained(aws: Aws) -> tuple[dict[str, Any], np.ndarray]:
    """A completed job on a small generated data set, and that data set's features."""
    x, y = dataset()
    job = train(aws, to_csv(x, y))
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    return job, x


# --- training jobs --------------------------------------------------------------------------


def test_a_training_job_is_in_progress_while_it_runs_then_completed(aws: Aws) -> None:
    name = aws.name("job")
    x, y = dataset()
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/train.csv", Body=to_csv(x, y))
    hold_training(aws, True)
    create_job(aws, name, prefix=f"{name}/")

    running = aws.sagemaker.describe_training_job(TrainingJobName=name)
    assert (running["TrainingJobStatus"], running["SecondaryStatus"]) == ("InProgress", "Starting")
    assert "TrainingEndTime" not in running
    listed = aws.sagemaker.list_training_jobs()["TrainingJobSummaries"]
    assert [(j["TrainingJobName"], j["TrainingJobStatus"]) for j in listed] == [
        (name, "InProgress")
    ]
    in_progress = aws.sagemaker.list_training_jobs(StatusEquals="InProgress")
    assert [j["TrainingJobName"] for j in in_progress["TrainingJobSummaries"]] == [name]
    completed = aws.sagemaker.list_training_jobs(StatusEquals="Completed")
    assert completed["TrainingJobSummaries"] == []

    hold_training(aws, False)
    job = wait_for_job(aws, name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Completed", "Completed")
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert job["TrainingStartTime"] <= job["TrainingEndTime"]
    assert [m["MetricName"] for m in job["FinalMetricDataList"]] == ["train:logloss"]
    assert "FailureReason" not in job


def test_a_completed_job_leaves_model_tar_gz_where_describe_says(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y))
    name = job["TrainingJobName"]
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == (
        f"s3://{aws.bucket}/output/{name}/output/model.tar.gz"
    )
    booster = local_aws.booster(aws, job)
    assert booster.num_features() == 4
    assert booster.num_boosted_rounds() == int(HYPERPARAMETERS["num_round"])


def test_training_is_deterministic_for_the_same_input(aws: Aws) -> None:
    x, y = dataset(rows=400)
    subsampled = {**HYPERPARAMETERS, "subsample": "0.8", "colsample_bytree": "0.7"}
    first = train(aws, to_csv(x, y), hyperparameters=subsampled)
    second = train(aws, to_csv(x, y), hyperparameters=subsampled)
    assert local_aws.artifact(aws, first) == local_aws.artifact(aws, second)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"1,0.5,0.25\n0,abc,0.5\n",
            "could not convert string to float: 'abc'",
        ),
        (
            b"1,0.5,0.25\n0,0.5\n",
            "rows have different numbers of fields (the first row has 3)",
        ),
    ],
    ids=["non-numeric", "ragged"],
)
def test_a_job_on_bad_data_fails_with_the_containers_reason(
    aws: Aws, data: bytes, reason: str
) -> None:
    job = train(aws, data)
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"] == (
        "AlgorithmError: framework error: \n"
        "sagemaker_algorithm_toolkit.exceptions.UserError: Failed to load csv data with "
        f"exception:\n{reason}\n\nFailed to load csv data with exception:\n{reason}"
    )
    with pytest.raises(ClientError) as missing:
        aws.s3.head_object(
            Bucket=aws.bucket, Key=f"output/{job['TrainingJobName']}/output/model.tar.gz"
        )
    assert missing.value.response["Error"]["Code"] == "404"


def test_a_job_on_an_empty_file_fails_as_the_container_does_without_data(aws: Aws) -> None:
    job = train(aws, b"")
    assert job["TrainingJobStatus"] == "Failed"
    message = "No data in training channel path /opt/ml/input/data/train"
    assert job["FailureReason"] == (
        "AlgorithmError: framework error: \n"
        f"sagemaker_algorithm_toolkit.exceptions.UserError: {message}\n\n{message}"
    )


def test_a_job_with_no_objects_under_its_prefix_is_refused_when_created(aws: Aws) -> None:
    name = aws.name("job")
    with pytest.raises(ClientError) as refused:
        create_job(aws, name, prefix="nothing-here/")
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"] == (
        f'No S3 objects found under S3 URL "s3://{aws.bucket}/nothing-here/" '
        f"given in input data source. Please ensure that the bucket exists in the selected "
        f"region ({REGION}), that objects exist under that S3 prefix, and that the role "
        f'"{ROLE}" has "s3:ListBucket" permissions on bucket "{aws.bucket}".'
    )
    with pytest.raises(ClientError) as missing:
        aws.sagemaker.describe_training_job(TrainingJobName=name)
    assert missing.value.response["Error"]["Code"] == "ValidationException"


def test_silent_fails_a_1_7_1_job_as_an_extraneous_hyperparameter(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y), hyperparameters={**HYPERPARAMETERS, "silent": "0"})
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"] == (
        "AlgorithmError: framework error: \n"
        "sagemaker_algorithm_toolkit.exceptions.UserError: Extraneous hyperparameter found: "
        "silent\n\nExtraneous hyperparameter found: silent"
    )


def test_silent_is_accepted_by_the_legacy_latest_image(aws: Aws) -> None:
    x, y = dataset()
    job = train(
        aws, to_csv(x, y), hyperparameters={**HYPERPARAMETERS, "silent": "0"}, image=IMAGE_LATEST
    )
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")


def test_an_out_of_range_hyperparameter_fails_the_job(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y), hyperparameters={**HYPERPARAMETERS, "eta": "2"})
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"].endswith("\n\nHyperparameter eta: 2.0 is not in [0, 1]")


def test_a_job_name_cannot_be_used_twice(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y))
    with pytest.raises(ClientError) as reused:
        create_job(aws, job["TrainingJobName"])
    assert reused.value.response["Error"]["Code"] == "ResourceInUse"
    assert reused.value.response["Error"]["Message"] == (
        "Training job names must be unique within an AWS account and region, and a training "
        f"job with this name already exists ({job['TrainingJobArn']})"
    )


def test_a_job_made_with_other_credentials_and_region_reads_the_bucket(aws: Aws) -> None:
    x, y = dataset()
    name = aws.name("job")
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/train.csv", Body=to_csv(x, y))
    other = endpoint_session(
        aws.endpoint,
        aws_access_key_id="AKIAOTHERUSER",
        aws_secret_access_key="other",
        region_name="us-east-1",
    ).client("sagemaker")
    create_job(aws, name, prefix=f"{name}/", client=other)
    deadline = time.monotonic() + 60
    while (job := other.describe_training_job(TrainingJobName=name))["TrainingJobStatus"] not in (
        "Completed",
        "Failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")


def test_sharded_data_on_several_hosts_trains_on_every_shard(aws: Aws) -> None:
    x, y = dataset(rows=300)
    name = aws.name("job")
    for part in range(2):
        rows = slice(part * 150, (part + 1) * 150)
        aws.s3.put_object(
            Bucket=aws.bucket, Key=f"{name}/part-{part}.csv", Body=to_csv(x[rows], y[rows])
        )
    create_job(aws, name, prefix=f"{name}/", instances=2, distribution="ShardedByS3Key")
    sharded = wait_for_job(aws, name)
    single = train(aws, to_csv(x, y))
    assert sharded["TrainingJobStatus"] == "Completed", sharded.get("FailureReason")
    assert local_aws.artifact(aws, sharded) == local_aws.artifact(aws, single)


def test_a_host_without_a_shard_is_left_out_as_the_container_does(aws: Aws) -> None:
    # sagemaker-xgboost-container (algorithm_mode/train.py): a host with no training data
    # is excluded ("will not be used in distributed training"); the job still trains.
    x, y = dataset(rows=300)
    name = aws.name("job")
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/only.csv", Body=to_csv(x, y))
    create_job(aws, name, prefix=f"{name}/", instances=3, distribution="ShardedByS3Key")
    sharded = wait_for_job(aws, name)
    single = train(aws, to_csv(x, y))
    assert sharded["TrainingJobStatus"] == "Completed", sharded.get("FailureReason")
    assert local_aws.artifact(aws, sharded) == local_aws.artifact(aws, single)


def test_stop_training_job_stops_a_running_job_without_an_artifact(aws: Aws) -> None:
    name = aws.name("job")
    x, y = dataset()
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/train.csv", Body=to_csv(x, y))
    hold_training(aws, True)
    create_job(aws, name, prefix=f"{name}/")

    aws.sagemaker.stop_training_job(TrainingJobName=name)
    job = wait_for_job(aws, name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Stopping",
        "Stopped",
    ]
    listing = aws.s3.list_objects_v2(Bucket=aws.bucket, Prefix="output/")
    assert listing["KeyCount"] == 0

    with pytest.raises(ClientError) as again:
        aws.sagemaker.stop_training_job(TrainingJobName=name)
    assert again.value.response["Error"]["Code"] == "ValidationException"
    assert again.value.response["Error"]["Message"] == (
        "The request was rejected because the training job is in status Stopped."
    )


def test_stop_training_job_refuses_a_completed_job(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y))
    with pytest.raises(ClientError) as refused:
        aws.sagemaker.stop_training_job(TrainingJobName=job["TrainingJobName"])
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"] == (
        "The request was rejected because the training job is in status Completed."
    )


def test_reset_forgets_every_training_job(aws: Aws) -> None:
    x, y = dataset()
    job = train(aws, to_csv(x, y))
    request = urllib.request.Request(
        aws.endpoint + "/moto-api/reset",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
    with pytest.raises(ClientError) as gone:
        aws.sagemaker.describe_training_job(TrainingJobName=job["TrainingJobName"])
    assert gone.value.response["Error"]["Code"] == "ValidationException"
    # AWS's wording for an unknown training job (see local_server/refusals.py).
    assert gone.value.response["Error"]["Message"] == "Requested resource not found."
    assert aws.sagemaker.list_training_jobs()["TrainingJobSummaries"] == []


# --- endpoints -------------------------------------------------------------------------------


def test_invoke_answers_one_probability_per_row_equal_to_the_models_own(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    job, x = trained
    endpoint = deploy(aws, job)
    answer = invoke(aws, endpoint, to_csv(x[:25]))

    assert answer["ContentType"] == "text/csv; charset=utf-8"
    assert answer["InvokedProductionVariant"] == "AllTraffic"
    # A 1.7-1 image answers one value per line (sagemaker_containers' array_to_csv).
    text = answer["Body"].decode()
    assert text.endswith("\n")
    values = [float(value) for value in text.splitlines()]
    booster = local_aws.booster(aws, job)
    assert values == booster.predict(xgb.DMatrix(x[:25])).tolist()
    assert all(0.0 < value < 1.0 for value in values)


@pytest.mark.parametrize(
    ("image", "separator", "end"),
    [
        (IMAGE_1_7, "\n", "\n"),  # from 1.2-2 on: the containers' CSV encoder, a line each
        (f"354813040037.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.2-2", "\n", "\n"),
        (f"354813040037.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.2-1", ",", ""),
        (IMAGE_LATEST, ",", ""),
    ],
)
def test_a_csv_reply_is_laid_out_as_the_models_container_version_lays_it_out(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray], image: str, separator: str, end: str
) -> None:
    job, x = trained
    text = invoke(aws, deploy(aws, job, image), to_csv(x[:3]))["Body"].decode()
    booster = local_aws.booster(aws, job)
    expected = booster.predict(xgb.DMatrix(x[:3])).tolist()
    assert text == separator.join(str(value) for value in expected) + end


def test_invoke_serves_the_new_model_after_update_endpoint(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    job, x = trained
    endpoint = deploy(aws, job)
    before = invoke(aws, endpoint, to_csv(x[:5]))["Body"]
    x2, y2 = dataset(seed=99)
    other = train(aws, to_csv(x2, 1 - y2))
    other_endpoint = deploy(aws, other)
    config = aws.sagemaker.describe_endpoint(EndpointName=other_endpoint)["EndpointConfigName"]

    aws.sagemaker.update_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    after = invoke(aws, endpoint, to_csv(x[:5]))["Body"]
    assert after != before
    assert after == invoke(aws, other_endpoint, to_csv(x[:5]))["Body"]


def test_invoke_on_an_unknown_endpoint_is_a_validation_error(aws: Aws) -> None:
    name = aws.name("endpoint")
    with pytest.raises(ClientError) as unknown:
        invoke(aws, name, b"1,2,3,4")
    error = unknown.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Code"] == "ValidationError"
    assert error["Error"]["Message"] == f"Endpoint {name} of account {ACCOUNT} not found."


def model_error_message(status: int, text: str, endpoint: str) -> str:
    return (
        f'Received client error ({status}) from primary with message "{text}". See '
        f"https://{REGION}.console.aws.amazon.com/cloudwatch/home?region={REGION}"
        f"#logEventViewer:group=/aws/sagemaker/Endpoints/{endpoint} in account {ACCOUNT} "
        "for more information."
    )


def test_invoke_with_a_non_numeric_body_is_a_model_error(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    endpoint = deploy(aws, trained[0])
    with pytest.raises(ClientError) as refused:
        invoke(aws, endpoint, b"0.1,0.2,abc,0.4")
    error = refused.value.response
    text = (
        "Loading csv data failed with Exception, please ensure data is in csv format:\n"
        " <class 'ValueError'>\n could not convert string to float: 'abc'"
    )
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert error["Error"]["Code"] == "ModelError"
    assert error["Error"]["Message"] == model_error_message(415, text, endpoint)
    assert (error["OriginalStatusCode"], error["OriginalMessage"]) == (415, text)


def test_invoke_with_the_wrong_number_of_features_is_a_model_error(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    endpoint = deploy(aws, trained[0])
    with pytest.raises(ClientError) as refused:
        invoke(aws, endpoint, b"0.1,0.2,0.3")
    error = refused.value.response
    text = (
        "Unable to evaluate payload provided: Feature size of csv inference data 3 is not "
        "consistent with feature size of trained model 4"
    )
    assert error["Error"]["Code"] == "ModelError"
    assert error["Error"]["Message"] == model_error_message(400, text, endpoint)


def test_invoke_with_more_than_6_mb_is_refused_with_413(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    endpoint = deploy(aws, trained[0])
    with pytest.raises(ClientError) as refused:
        invoke(aws, endpoint, b"0.5," * (6 * 1024 * 1024 // 4 + 1))
    error = refused.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert error["Error"]["Code"] == "413"
    assert error["Error"]["Message"] == "HTTP content length exceeded 6291456 bytes."


def test_describe_answers_carry_no_empty_vpc_or_data_capture_config(
    aws: Aws, trained: tuple[dict[str, Any], np.ndarray]
) -> None:
    endpoint = deploy(aws, trained[0])
    described = aws.sagemaker.describe_endpoint(EndpointName=endpoint)
    config = aws.sagemaker.describe_endpoint_config(
        EndpointConfigName=described["EndpointConfigName"]
    )
    model = aws.sagemaker.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    assert "DataCaptureConfig" not in described
    assert "DataCaptureConfig" not in config
    assert "VpcConfig" not in model
    assert "Containers" not in model
    assert (
        model["PrimaryContainer"]["ModelDataUrl"]
        == (trained[0]["ModelArtifacts"]["S3ModelArtifacts"])
    )


def test_the_sdk_v3_resources_train_host_and_invoke(aws: Aws) -> None:
    sdk.session_helper()  # the project's one door to the SDK: telemetry off before import
    from sagemaker.core import shapes
    from sagemaker.core.resources import Endpoint, EndpointConfig, Model, TrainingJob

    x, y = dataset()
    aws.s3.put_object(Bucket=aws.bucket, Key="sdk/train.csv", Body=to_csv(x, y))
    where = {"session": aws.session, "region": REGION}
    job = TrainingJob.create(
        training_job_name=aws.name("sdk-job"),
        algorithm_specification=shapes.AlgorithmSpecification(
            training_image=IMAGE_1_7, training_input_mode="File"
        ),
        role_arn=ROLE,
        hyper_parameters=HYPERPARAMETERS,
        input_data_config=[
            shapes.Channel(
                channel_name="train",
                content_type="text/csv",
                data_source=shapes.DataSource(
                    s3_data_source=shapes.S3DataSource(
                        s3_data_type="S3Prefix", s3_uri=f"s3://{aws.bucket}/sdk/"
                    )
                ),
            )
        ],
        output_data_config=shapes.OutputDataConfig(s3_output_path=f"s3://{aws.bucket}/output"),
        resource_config=shapes.ResourceConfig(
            instance_type="ml.m4.xlarge", instance_count=1, volume_size_in_gb=5
        ),
        stopping_condition=shapes.StoppingCondition(max_runtime_in_seconds=600),
        **where,
    )
    deadline = time.monotonic() + 60
    while job.refresh().training_job_status not in ("Completed", "Failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job.training_job_status == "Completed", job.failure_reason

    model = Model.create(
        model_name=aws.name("sdk-model"),
        primary_container=shapes.ContainerDefinition(
            image=IMAGE_1_7, model_data_url=job.model_artifacts.s3_model_artifacts
        ),
        execution_role_arn=ROLE,
        **where,
    )
    config = EndpointConfig.create(
        endpoint_config_name=aws.name("sdk-config"),
        production_variants=[
            shapes.ProductionVariant(
                variant_name="AllTraffic",
                model_name=model.model_name,
                initial_instance_count=1,
                instance_type="ml.m4.xlarge",
            )
        ],
        **where,
    )
    name = aws.name("sdk-endpoint")
    Endpoint.create(endpoint_name=name, endpoint_config_name=config.endpoint_config_name, **where)
    endpoint = Endpoint.get(name, **where)
    endpoint.wait_for_status("InService")
    answer = endpoint.invoke(body=to_csv(x[:3]).decode(), content_type="text/csv")
    assert answer.invoked_production_variant == "AllTraffic"
    assert len(answer.body.read().decode().splitlines()) == 3


# --- the server as a program -----------------------------------------------------------------


def test_container_version_comes_from_the_image_tag() -> None:
    assert container_version(IMAGE_1_7) == "1.7-1"
    assert container_version(IMAGE_LATEST) == "0.72"
    assert (
        container_version("1.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:0.90-1-cpu-py3")
        == "0.90-1"
    )


def _read_line(stream: Any, timeout: float) -> str:
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    assert lines, f"no line within {timeout} s"
    return lines[0]


@pytest.fixture
def server_process() -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_tutorial.local_server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_module_serves_prints_its_url_and_exits_0_on_sigterm(
    server_process: subprocess.Popen[str],
) -> None:
    line = _read_line(server_process.stdout, timeout=60)
    assert line.startswith("export AWS_ENDPOINT_URL=http://127.0.0.1:")
    endpoint = line.strip().split("=", 1)[1]
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket="from-the-test-process")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["from-the-test-process"]

    server_process.send_signal(signal.SIGTERM)
    stdout, stderr = server_process.communicate(timeout=30)
    assert server_process.returncode == 0
    assert (stdout, stderr) == ("", "")


# --- the tutorial's data -------------------------------------------------------------------


def test_the_tutorials_training_scores_as_on_sagemaker(aws: Aws, bank_data_file: Path) -> None:
    data = local_aws.tutorial_data(bank_data_file)
    job = train(aws, data.train_csv, hyperparameters=local_aws.TUTORIAL_HYPERPARAMETERS)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    endpoint = deploy(aws, job)

    answer = invoke(aws, endpoint, data.test_features)
    # One value per line (1.7-1, as every image from 1.2-2 on).
    predictions = np.array(answer["Body"].decode().splitlines(), dtype=float)
    assert predictions.shape == data.test_labels.shape
    accuracy = float(np.mean(np.round(predictions) == data.test_labels))
    assert 0.892 <= accuracy <= 0.898


# --- IAM ------------------------------------------------------------------------------------


def test_aws_managed_policies_are_known_from_the_first_iam_call(aws: Aws) -> None:
    iam = aws.client("iam")
    role = aws.name("role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument="{}")
    arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"

    iam.attach_role_policy(RoleName=role, PolicyArn=arn)

    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in attached] == [arn]
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
    assert "sagemaker:*" in str(document["Document"])


def test_an_aws_managed_policy_is_one_policy_whoever_attaches_it(aws: Aws) -> None:
    iam = aws.client("iam")
    arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
    roles = [aws.name("role"), aws.name("role")]
    for role in roles:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument="{}")
        iam.attach_role_policy(RoleName=role, PolicyArn=arn)

    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
