"""Clients on a local SageMaker server, and the tutorial's resources on it: the one
helper the local-server and `serve` test modules share (tests/serve_support.py adds
raw HTTP, model archives and a `serve` process of a test's own).

Not a test module (pytest collects ``test_*.py`` only): each module defines its own
``aws`` fixture as ``local_aws.connect(moto_endpoint)``.

The clients of one endpoint, region and config are made once per process and reused
by every test (each still gets a bucket of its own, after the session's reset):
building a fresh session's clients parses botocore's models again, about a second a
test on this machine, which was most of these modules' time.
"""

from __future__ import annotations

import functools
import io
import json
import secrets
import tarfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pandas as pd
import xgboost as xgb
from botocore.config import Config

from sagemaker_tutorial.aws.backends import endpoint_session
from sagemaker_tutorial.local_server import HOLD_PATH

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

    @staticmethod
    def name(kind: str) -> str:
        return f"{kind}-{secrets.token_hex(4)}"

    def client(self, service: str) -> Any:
        return self.session.client(service)


@functools.cache
def _clients(
    endpoint: str, region: str, config: Config | None
) -> tuple[boto3.Session, Any, Any, Any, Any]:
    """One session and its four clients per endpoint, region and config (see the docstring)."""
    session = endpoint_session(
        endpoint, aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    return (
        session,
        *(
            session.client(s, config=config)
            for s in ("s3", "sagemaker", "sagemaker-runtime", "logs")
        ),
    )


def connect(endpoint: str | None, region: str = REGION, config: Config | None = None) -> Aws:
    """The (shared) clients on ``endpoint``, and a fresh bucket in ``region``."""
    assert endpoint is not None
    session, s3, sagemaker, runtime, logs = _clients(endpoint, region, config)
    bucket = f"local-server-{secrets.token_hex(5)}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    return Aws(endpoint, session, s3, sagemaker, runtime, logs, bucket)


def hold_training(aws: Aws, hold: bool) -> None:
    """Keep new training and transform jobs from starting (True), or let them run."""
    request = urllib.request.Request(
        aws.endpoint + HOLD_PATH,
        data=json.dumps({"hold": hold}).encode(),
        # A control path takes JSON POSTs only (guard.py).
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer) == {"hold": hold}


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


# The tutorial's own hyperparameters (step 4).
TUTORIAL_HYPERPARAMETERS = {
    "max_depth": "5",
    "eta": "0.2",
    "gamma": "4",
    "min_child_weight": "6",
    "subsample": "0.8",
    "objective": "binary:logistic",
    "num_round": "100",
}


@dataclass(frozen=True)
class TutorialData:
    """The tutorial's cut of bank_clean.csv: what it trains on and what it scores."""

    train_csv: bytes  # label first, no header, no index
    test_features: bytes  # no label, no header, no index
    test_labels: np.ndarray


def tutorial_data(bank_data_file: Path) -> TutorialData:
    """Step 3f as the tutorial writes it: the 1729 shuffle and a 70/30 cut."""
    model_data = pd.read_csv(bank_data_file, index_col=0)
    shuffled = model_data.sample(frac=1, random_state=1729)
    cut = int(0.7 * len(model_data))
    train_data, test_data = shuffled.iloc[:cut], shuffled.iloc[cut:]
    train_csv = pd.concat(
        [train_data["y_yes"], train_data.drop(["y_no", "y_yes"], axis=1)], axis=1
    ).to_csv(index=False, header=False)
    features = test_data.drop(["y_no", "y_yes"], axis=1).to_csv(index=False, header=False)
    return TutorialData(train_csv.encode(), features.encode(), test_data["y_yes"].to_numpy())


def channel(name: str, uri: str, distribution: str = "FullyReplicated") -> dict[str, Any]:
    return {
        "ChannelName": name,
        "ContentType": "text/csv",
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": uri,
                "S3DataDistributionType": distribution,
            }
        },
    }


def create_job(
    aws: Aws,
    name: str,
    *,
    prefix: str = "train",
    validation_prefix: str | None = None,
    hyperparameters: dict[str, str] | None = None,
    image: str = IMAGE_1_7,
    instances: int = 1,
    distribution: str = "FullyReplicated",
    client: Any = None,
) -> None:
    """CreateTrainingJob on the data under ``prefix`` of the test's bucket (not waited for)."""
    channels = [channel("train", f"s3://{aws.bucket}/{prefix}", distribution)]
    if validation_prefix is not None:
        channels.append(channel("validation", f"s3://{aws.bucket}/{validation_prefix}"))
    (client or aws.sagemaker).create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
        RoleArn=ROLE,
        HyperParameters=hyperparameters or HYPERPARAMETERS,
        InputDataConfig=channels,
        OutputDataConfig={"S3OutputPath": f"s3://{aws.bucket}/output"},
        ResourceConfig={
            "InstanceType": "ml.m4.xlarge",
            "InstanceCount": instances,
            "VolumeSizeInGB": 5,
        },
        StoppingCondition={"MaxRuntimeInSeconds": 600},
    )


def train(
    aws: Aws, data: bytes, *, validation: bytes | None = None, **options: Any
) -> dict[str, Any]:
    """A finished training job on ``data`` (and ``validation``), as DescribeTrainingJob says.

    ``options`` are create_job's (hyperparameters, image, ...).
    """
    name = aws.name("job")
    aws.s3.put_object(Bucket=aws.bucket, Key=f"{name}/train/train.csv", Body=data)
    validation_prefix = None
    if validation is not None:
        validation_prefix = f"{name}/validation/"
        aws.s3.put_object(Bucket=aws.bucket, Key=f"{validation_prefix}v.csv", Body=validation)
    create_job(aws, name, prefix=f"{name}/train/", validation_prefix=validation_prefix, **options)
    return wait_for_job(aws, name)


def wait_for_job(aws: Aws, name: str) -> dict[str, Any]:
    """DescribeTrainingJob once the job has ended."""
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


def model_data(model: dict[str, Any] | str) -> str:
    """Where a model.tar.gz is: a finished training job's artifact, or the URL itself."""
    return model if isinstance(model, str) else str(model["ModelArtifacts"]["S3ModelArtifacts"])


def artifact(aws: Aws, job: dict[str, Any]) -> bytes:
    """The model file inside a finished job's model.tar.gz, as the job wrote it."""
    bucket, key = model_data(job).removeprefix("s3://").split("/", 1)
    data = aws.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        assert archive.getnames() == ["xgboost-model"]
        member = archive.extractfile("xgboost-model")
        assert member is not None
        return member.read()


def booster(aws: Aws, job: dict[str, Any]) -> xgb.Booster:
    """The trained booster of a finished job, loaded with XGBoost itself."""
    loaded = xgb.Booster()
    loaded.load_model(bytearray(artifact(aws, job)))
    return loaded


def create_model(aws: Aws, source: dict[str, Any] | str, image: str = IMAGE_1_7) -> str:
    """A model serving a finished job's artifact, or the model.tar.gz at a URL."""
    model = aws.name("model")
    aws.sagemaker.create_model(
        ModelName=model,
        PrimaryContainer={"Image": image, "ModelDataUrl": model_data(source)},
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


def deploy(aws: Aws, source: dict[str, Any] | str, image: str = IMAGE_1_7) -> str:
    """An InService endpoint serving a finished job's artifact, or a model.tar.gz's URL."""
    config = create_config(aws, create_model(aws, source, image))
    endpoint = aws.name("endpoint")
    aws.sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    return endpoint
