"""Steps 4b and 4c: configure the training job, start it, and wait for its model.

The tutorial builds an SDK v1/v2 ``Estimator`` and calls ``fit``; SDK v3 removed
both. The request is the same CreateTrainingJob call either way, so here it is spelt
out as a value (``TrainingRequest``) that the feature shows as a table, and sent as
that one call with boto3. The notebook teaches the same request through the SDK
v3's ``sagemaker.core.resources.TrainingJob``; the command line does not use it,
because importing ``sagemaker.core`` costs over a second and some 60 MB, and its
resource classes re-read the SDK's defaults files on every create: together most
of what ``run`` spent beyond its compute (issue 22's budget is 4x the plain work).

Waiting is the project's own loop over DescribeTrainingJob, one progress line per
status change (the SDK's ``wait()`` draws a rich panel). A job that fails is an
error carrying SageMaker's FailureReason; a job that says Completed but left no
model artifact is an error too; a job still running when the wait ends (timeout,
Ctrl-C, SIGTERM) is stopped, so nothing keeps billing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import settings
from ..aws.poll import Poll
from ..errors import InputError, TutorialError
from ..local_server import container_versions as versions
from .layout import channel_uri, output_uri

if TYPE_CHECKING:
    from ..aws.backends import Backend

Say = Callable[[str], None]


def container_version(image_uri: str) -> str:
    """The XGBoost container version an image URI names (``latest`` is the legacy 0.72).

    The rule is the local server's too (``local_server.container_versions``), so the
    hyperparameters sent are the ones the container of that image accepts.
    """
    version = versions.container_version(image_uri)
    if version is None:
        raise InputError(
            f"'{image_uri}' names no XGBoost image (expected <registry>/sagemaker-xgboost:"
            "<version> or <registry>/xgboost:latest)"
        )
    return version


def hyperparameters_for(version: str, tutorial: dict[str, str] | None = None) -> dict[str, str]:
    """The tutorial's hyperparameters as the container of ``version`` accepts them.

    XGBoost containers 1.x and later refuse the legacy ``silent``; its meaning
    survives as ``verbosity`` (silent=0: messages as usual, verbosity 1; silent=1:
    none, verbosity 0). The 0.72 and 0.90 containers take ``silent`` as it is.
    """
    params = dict(settings.HYPERPARAMETERS if tutorial is None else tutorial)
    if versions.accepts_silent(version):
        return params
    # In place, so the request reads in the tutorial's order.
    return {
        ("verbosity" if name == "silent" else name): (
            ("0" if value == "1" else "1") if name == "silent" else value
        )
        for name, value in params.items()
    }


@dataclass(frozen=True)
class TrainingRequest:
    """One CreateTrainingJob request: everything step 4b configures."""

    job_name: str
    image_uri: str
    role_arn: str
    train_channel: str
    output_path: str
    hyperparameters: dict[str, str]
    instance_type: str = settings.INSTANCE_TYPE
    instance_count: int = 1
    max_runtime_seconds: int = settings.MAX_TRAINING_SECONDS
    tags: list[dict[str, str]] = field(default_factory=list)
    # The tutorial's s3_input(..., content_type='csv'): train.csv, label first.
    content_type: str = "text/csv"

    @property
    def distribution(self) -> str:
        """Each instance reads every file, or (several instances) its own share of them."""
        return "FullyReplicated" if self.instance_count == 1 else "ShardedByS3Key"

    def table(self) -> list[tuple[str, str]]:
        """The request as (setting, value) rows, in the order the tutorial sets them."""
        rows = [
            ("training image", self.image_uri),
            ("execution role", self.role_arn),
            ("instance type", self.instance_type),
            ("instance count", str(self.instance_count)),
            ("train channel", f"{self.train_channel} ({self.content_type}, {self.distribution})"),
            ("output path", self.output_path),
            ("stopping condition", f"at most {self.max_runtime_seconds} s"),
        ]
        rows += [(name, value) for name, value in self.hyperparameters.items()]
        return rows

    def report(self) -> list[str]:
        width = max(len(name) for name, _ in self.table())
        return [f"  {name:<{width}}  {value}" for name, value in self.table()]

    def create_arguments(self) -> dict[str, Any]:
        """The request as CreateTrainingJob's arguments (boto3's names)."""
        return {
            "TrainingJobName": self.job_name,
            "RoleArn": self.role_arn,
            "AlgorithmSpecification": {
                "TrainingImage": self.image_uri,
                "TrainingInputMode": "File",
            },
            "HyperParameters": self.hyperparameters,
            "InputDataConfig": [
                {
                    "ChannelName": settings.TRAIN_CHANNEL,
                    "ContentType": self.content_type,
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": self.train_channel,
                            "S3DataDistributionType": self.distribution,
                        }
                    },
                }
            ],
            "OutputDataConfig": {"S3OutputPath": self.output_path},
            "ResourceConfig": {
                "InstanceType": self.instance_type,
                "InstanceCount": self.instance_count,
                "VolumeSizeInGB": settings.TRAINING_VOLUME_GB,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": self.max_runtime_seconds},
            "Tags": self.tags,
        }


def training_request(
    job_name: str,
    image_uri: str,
    role_arn: str,
    bucket: str,
    prefix: str,
    instance_count: int,
    tags: list[dict[str, str]],
) -> TrainingRequest:
    """Step 4b: the tutorial's training, for the container the notebook chose in 3c."""
    return TrainingRequest(
        job_name=job_name,
        image_uri=image_uri,
        role_arn=role_arn,
        train_channel=channel_uri(bucket, prefix),
        output_path=output_uri(bucket, prefix),
        hyperparameters=hyperparameters_for(container_version(image_uri)),
        instance_count=instance_count,
        tags=tags,
    )


@dataclass(frozen=True)
class TrainingOutcome:
    job_name: str
    model_artifact: str
    seconds: float

    def report(self) -> str:
        return (
            f"Training job {self.job_name} completed in {self.seconds:.0f} s; "
            f"model: {self.model_artifact}"
        )


def start_training(backend: Backend, request: TrainingRequest) -> str:
    """CreateTrainingJob, exactly the request shown; returns the job's name."""
    backend.client("sagemaker").create_training_job(**request.create_arguments())
    return request.job_name


def wait_for_model(backend: Backend, job_name: str, timeout: float, say: Say) -> TrainingOutcome:
    """Step 4c: wait for the job; its model artifact, checked to exist, or a clear error.

    A job still running when the wait ends for any reason is stopped.
    """
    sagemaker = backend.client("sagemaker")
    poll = Poll(timeout)
    shown = ""
    finished = False
    job: dict[str, Any] = {}
    try:
        while True:
            job = sagemaker.describe_training_job(TrainingJobName=job_name)
            status, secondary = str(job["TrainingJobStatus"]), str(job.get("SecondaryStatus"))
            if f"{status}/{secondary}" != shown:
                shown = f"{status}/{secondary}"
                say(f"Training job {job_name}: {status} - {secondary}")
            if status in ("Completed", "Failed", "Stopped"):
                finished = True
                break
            if not poll.wait():
                break
    finally:
        if not finished:
            stop_training_job(backend, job_name)
    if status == "Failed":
        raise TutorialError(f"training job {job_name} failed: {job.get('FailureReason')}")
    if status == "Stopped":
        raise TutorialError(f"training job {job_name} was stopped before it finished")
    if status != "Completed":
        raise TutorialError(
            f"training job {job_name} did not finish within {timeout:.0f} s; it was stopped"
        )
    artifact = str(job.get("ModelArtifacts", {}).get("S3ModelArtifacts"))
    _check_artifact(backend, job_name, artifact)
    return TrainingOutcome(job_name, artifact, poll.elapsed)


def stop_training_job(backend: Backend, name: str) -> None:
    """Stop a job that may still be running (best effort: it may have just ended)."""
    from botocore.exceptions import BotoCoreError, ClientError

    with contextlib.suppress(BotoCoreError, ClientError):
        backend.client("sagemaker").stop_training_job(TrainingJobName=name)


def _check_artifact(backend: Backend, job_name: str, artifact: str) -> None:
    from botocore.exceptions import ClientError

    bucket, _, key = artifact.removeprefix("s3://").partition("/")
    try:
        backend.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code not in ("404", "NoSuchKey", "NotFound"):
            raise
        raise TutorialError(
            f"training job {job_name} says Completed but left no model artifact at {artifact}"
        ) from None
