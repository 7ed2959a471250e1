"""Clients on the session's local SageMaker server, and the tutorial's resources on it,
for the local-server test modules that came after tests/test_local_server.py.

Not a test module (pytest collects ``test_*.py`` only): each module defines its own
``aws`` fixture as ``local_aws.connect(moto_endpoint)``.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import boto3
import numpy as np
import pandas as pd

REGION = "eu-west-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/local-server-test"
IMAGE_1_7 = f"141502667606.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.7-1"
IMAGE_1_2_1 = f"141502667606.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.2-1"
HYPERPARAMETERS = {"num_round": "12", "objective": "binary:logistic", "max_depth": "3"}


@dataclass
class Aws:
    """Clients on the local server, and a bucket this test may use."""

    endpoint: str
    session: boto3.Session
    s3: Any
    sagemaker: Any
    runtime: Any
    logs: Any
    bucket: str

    def name(self, kind: str) -> str:
        return f"{kind}-{secrets.token_hex(4)}"

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint)


def connect(endpoint: str | None) -> Aws:
    assert endpoint is not None
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint)

    bucket = f"local-server-{secrets.token_hex(5)}"
    client("s3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return Aws(
        endpoint,
        session,
        client("s3"),
        client("sagemaker"),
        client("sagemaker-runtime"),
        client("logs"),
        bucket,
    )


def dataset(rows: int = 200, features: int = 4, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((rows, features)).round(4)
    y = (x[:, 0] + x[:, 1] > 1).astype(int)
    return x, y


def to_csv(x: np.ndarray, y: np.ndarray | None = None) -> bytes:
    frame = pd.DataFrame(x)
    if y is not None:
        frame.insert(0, "label", y)
    return frame.to_csv(index=False, header=False).encode()


def channel(name: str, uri: str) -> dict[str, Any]:
    return {
        "ChannelName": name,
        "ContentType": "text/csv",
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri}},
    }


def train(
    aws: Aws,
    data: bytes,
    *,
    validation: bytes | None = None,
    hyperparameters: dict[str, str] | None = None,
    image: str = IMAGE_1_7,
) -> dict[str, Any]:
    """A finished training job on ``data`` (and ``validation``), as DescribeTrainingJob says."""
    name = aws.name("job")
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/train/train.csv", Body=data)
    channels = [channel("train", f"s3://{aws.bucket}/{name}/train/")]
    if validation is not None:
        aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/validation/v.csv", Body=validation)
        channels.append(channel("validation", f"s3://{aws.bucket}/{name}/validation/"))
    aws.sagemaker.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
        RoleArn=ROLE,
        HyperParameters=hyperparameters or HYPERPARAMETERS,
        InputDataConfig=channels,
        OutputDataConfig={"S3OutputPath": f"s3://{aws.bucket}/output"},
        ResourceConfig={"InstanceType": "ml.m4.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 5},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
    )
    return wait_for(aws, "describe_training_job", "TrainingJobName", name, "TrainingJobStatus")


def wait_for(
    aws: Aws, describe: str, member: str, name: str, status: str, timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        answer: dict[str, Any] = getattr(aws.sagemaker, describe)(**{member: name})
        if answer[status] in ("Completed", "Failed", "Stopped"):
            return answer
        assert time.monotonic() < deadline, f"{name} still {answer[status]}"
        time.sleep(0.05)


def create_model(aws: Aws, job: dict[str, Any], image: str = IMAGE_1_7) -> str:
    model = aws.name("model")
    aws.sagemaker.create_model(
        ModelName=model,
        PrimaryContainer={
            "Image": image,
            "ModelDataUrl": job["ModelArtifacts"]["S3ModelArtifacts"],
        },
        ExecutionRoleArn=ROLE,
    )
    return model


def create_config(aws: Aws, model: str) -> str:
    config = aws.name("config")
    aws.sagemaker.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m4.xlarge",
            }
        ],
    )
    return config


def deploy(aws: Aws, job: dict[str, Any], image: str = IMAGE_1_7) -> str:
    """An InService endpoint serving ``job``'s model."""
    config = create_config(aws, create_model(aws, job, image))
    endpoint = aws.name("endpoint")
    aws.sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    return endpoint
