"""Step 7: delete what the tutorial made, and find what a crashed run left behind.

The tutorial's last cell deletes the endpoint and the bucket's objects; readers who
skip it pay for an idle ml.m4.xlarge. Three ways in:

- ``clean_up_recorded``: the run recorded in ``<workdir>/state.json``: its endpoint,
  endpoint config and model, a training job still running, every object under the
  prefix (every version), and the bucket unless it is to be kept.
- ``clean_up_after_run``: what `run` does whatever ends it: the hosting, a job still
  running, and the objects that run wrote (its training data and its model).
- ``find_leftovers`` / ``remove_leftovers``: every resource in the region that carries
  the project's tag (and the run's id, when one is given): endpoints, endpoint
  configs, models, running training jobs, notebook instances and buckets. Nothing
  without the project's tag is ever touched.

Everything is idempotent: what is already gone is said so, and is not an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import settings
from .aws.not_found import is_not_found
from .data.bucket import US_EAST_1, BucketKept, delete_objects_under, delete_tutorial_bucket
from .model.hosting import Deployment, delete_deployment
from .model.layout import channel_key, job_output_key
from .model.training import stop_training_job

if TYPE_CHECKING:
    from .aws.backends import Backend
    from .reporter import Reporter
    from .state import RunState


@dataclass(frozen=True)
class Leftover:
    """One tagged resource: its kind (as SageMaker or S3 names it), name and run id."""

    kind: str
    name: str
    run_id: str
    # When AWS says it was made (what `cleanup --older-than` judges by); None: not said.
    created: dt.datetime | None = None

    def describe(self) -> str:
        return f"{self.kind} {self.name} (run {self.run_id})"


def clean_up_recorded(
    backend: Backend, state: RunState, *, keep_bucket: bool, reporter: Reporter
) -> None:
    """Step 7 for the workdir's recorded run (see the module docstring)."""
    take_down(backend, state, reporter)
    _stop_if_running(backend, state.training_job, reporter)
    if not state.bucket:
        reporter.say("No bucket is recorded: no objects to delete")
        return
    removed = delete_objects_under(backend, state.bucket, state.prefix + "/")
    if removed is None:
        reporter.say(f"Bucket {state.bucket} is already gone")
        return
    reporter.say(f"Deleted {removed} object versions under s3://{state.bucket}/{state.prefix}/")
    if keep_bucket:
        reporter.say(f"Kept the bucket {state.bucket} (--keep-bucket)")
    else:
        reporter.say(_delete_bucket_if_allowed(backend, state.bucket))


def _delete_bucket_if_allowed(backend: Backend, name: str) -> str:
    """Delete the bucket, or say plainly why it remains (the notebook's role may not delete
    buckets, nor read the tags that show this tool made it)."""
    try:
        return delete_tutorial_bucket(backend, name)
    except BucketKept as kept:
        return str(kept)


def clean_up_after_run(backend: Backend, state: RunState, reporter: Reporter) -> None:
    """What `run` removes however it ends: hosting, a running job, the objects it wrote."""
    take_down(backend, state, reporter)
    _stop_if_running(backend, state.training_job, reporter)
    if not state.bucket:
        return
    folders = [channel_key(state.prefix) + "/"]
    if state.training_job:
        folders.append(job_output_key(state.prefix, state.training_job) + "/")
    removed = 0
    for folder in folders:
        removed += delete_objects_under(backend, state.bucket, folder) or 0
    objects = "1 object" if removed == 1 else f"{removed} objects"
    reporter.say(f"Deleted this run's {objects} (training data, model) from {state.bucket}")


def take_down(backend: Backend, state: RunState, reporter: Reporter) -> None:
    """Delete the recorded endpoint, endpoint config and model (what is gone is said so)."""
    if not (state.endpoint or state.endpoint_config or state.model):
        return
    deployment = Deployment(state.model or "", state.endpoint_config or "", state.endpoint or "")
    for line in delete_deployment(backend, deployment):
        reporter.say(line)


def _stop_if_running(backend: Backend, job: str | None, reporter: Reporter) -> None:
    from botocore.exceptions import ClientError

    if not job:
        return
    try:
        described = backend.client("sagemaker").describe_training_job(TrainingJobName=job)
    except ClientError as exc:
        if is_not_found(exc):
            return  # gone with its records: nothing runs
        raise
    if described["TrainingJobStatus"] == "InProgress":
        stop_training_job(backend, job)
        reporter.say(f"Stopped training job {job}")


# --- by tag ----------------------------------------------------------------------------------

# (kind, list call, its result key, name field, ARN field, extra list arguments)
_SAGEMAKER_KINDS: list[tuple[str, str, str, str, str, dict[str, str]]] = [
    ("endpoint", "list_endpoints", "Endpoints", "EndpointName", "EndpointArn", {}),
    (
        "endpoint config",
        "list_endpoint_configs",
        "EndpointConfigs",
        "EndpointConfigName",
        "EndpointConfigArn",
        {},
    ),
    ("model", "list_models", "Models", "ModelName", "ModelArn", {}),
    (
        "training job",
        "list_training_jobs",
        "TrainingJobSummaries",
        "TrainingJobName",
        "TrainingJobArn",
        {"StatusEquals": "InProgress"},
    ),
    (
        "notebook instance",
        "list_notebook_instances",
        "NotebookInstances",
        "NotebookInstanceName",
        "NotebookInstanceArn",
        {},
    ),
]


@dataclass(frozen=True)
class Search:
    """What a search by tag found, and the buckets whose tags it could not read."""

    found: list[Leftover]
    unreadable_buckets: list[str]


def find_leftovers(backend: Backend, run_id: str | None) -> Search:
    """Every resource in the region with the project's tag (and ``run_id``'s, if given)."""
    unreadable: list[str] = []
    found = [*_tagged_sagemaker(backend), *_tagged_buckets(backend, unreadable)]
    return Search([item for item in found if run_id is None or item.run_id == run_id], unreadable)


def _tagged_sagemaker(backend: Backend) -> Iterator[Leftover]:
    sagemaker = backend.client("sagemaker")
    for kind, call, key, name_field, arn_field, extra in _SAGEMAKER_KINDS:
        for page in sagemaker.get_paginator(call).paginate(**extra):
            for item in page[key]:
                tags = sagemaker.list_tags(ResourceArn=item[arn_field]).get("Tags", [])
                run_id = _run_of({tag["Key"]: tag["Value"] for tag in tags})
                if run_id is not None:
                    yield Leftover(kind, item[name_field], run_id, item.get("CreationTime"))


def _tagged_buckets(backend: Backend, unreadable: list[str]) -> Iterator[Leftover]:
    """The region's buckets with the project's tag; those whose tags this identity may
    not read (the notebook's role) go to ``unreadable``, to be named, never touched."""
    from botocore.exceptions import ClientError

    s3 = backend.client("s3")
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        try:
            where = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or US_EAST_1
            if where != backend.region:
                continue
            tag_set = s3.get_bucket_tagging(Bucket=name).get("TagSet", [])
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code == "AccessDenied":
                unreadable.append(name)
                continue
            if code in ("NoSuchTagSet", "NoSuchBucket"):
                continue
            raise
        run_id = _run_of({tag["Key"]: tag["Value"] for tag in tag_set})
        if run_id is not None:
            yield Leftover("bucket", name, run_id, bucket.get("CreationDate"))


def _run_of(tags: dict[str, str]) -> str | None:
    """The run id of a resource the project made; None for anything else."""
    if tags.get(settings.TAG_PROJECT_KEY) != settings.TAG_PROJECT_VALUE:
        return None
    return tags.get(settings.TAG_RUN_ID_KEY, "unknown")


def remove_leftovers(backend: Backend, leftovers: list[Leftover], reporter: Reporter) -> None:
    """Remove each leftover, hosting first (an endpoint pins its config and model)."""
    from .aws.notebook_instance import delete_notebook_instance

    sagemaker = backend.client("sagemaker")
    by_kind: dict[str, list[str]] = {}
    for item in leftovers:
        by_kind.setdefault(item.kind, []).append(item.name)
    for name in by_kind.get("training job", []):
        stop_training_job(backend, name)
        reporter.say(f"Stopped training job {name}")
    actions: list[tuple[str, Callable[..., Any], str]] = [
        ("endpoint", sagemaker.delete_endpoint, "EndpointName"),
        ("endpoint config", sagemaker.delete_endpoint_config, "EndpointConfigName"),
        ("model", sagemaker.delete_model, "ModelName"),
    ]
    for kind, call, field in actions:
        for name in by_kind.get(kind, []):
            call(**{field: name})
            reporter.say(f"Deleted {kind} {name}")
    for name in by_kind.get("notebook instance", []):
        delete_notebook_instance(backend, name, timeout=settings.WAIT_SECONDS, say=reporter.say)
    for name in by_kind.get("bucket", []):
        reporter.say(_delete_bucket_if_allowed(backend, name))
