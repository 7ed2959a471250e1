"""Training jobs that really train: one background thread per job, its state kept here.

moto records a training job and calls it "Completed" at once. The layer keeps its
own state for every job it starts (keyed by the job's ARN, so accounts and regions
never mix) and answers DescribeTrainingJob from it: "InProgress" while the thread
downloads, trains and uploads (SecondaryStatus Starting, Downloading, Training,
Uploading), then "Completed", "Failed" (with the container's FailureReason) or
"Stopped". All state changes happen under one lock; the upload of model.tar.gz
does too, so a reset can never interleave with it and leave an artifact behind in
a fresh moto.

Jobs can be *held* in Starting (``hold(True)``) until released: SageMaker spends
minutes provisioning, the local server none, and a test that must see a job
"InProgress" (or stop one) holds it there instead of racing a timer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import memory
from . import xgboost_algorithm as algorithm
from .inner_client import Identity, InnerClient, S3Error, split_s3_uri
from .job_threads import INTERNAL_FAILURE, JobThreads
from .refusals import job_not_stoppable, no_s3_objects
from .training_logs import TrainingLog, banner

log = logging.getLogger(__name__)

# What SageMaker says in each secondary status (as its SDK prints them while waiting).
_MESSAGES = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Failed": "Training job failed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
    "MaxRuntimeExceeded": "Training job stopped: it ran longer than MaxRuntimeInSeconds",
}
_TERMINAL = ("Completed", "Failed", "Stopped")


@dataclass
class _Job:
    """One job's request and its live state (mutated only under TrainingJobs._lock)."""

    arn: str
    name: str
    request: dict[str, Any]
    model_uri: str
    created: float
    # Who created the job: its S3 reads and writes are made as them (see inner_client).
    identity: Identity
    status: str = "InProgress"
    secondary: str = "Starting"
    transitions: list[dict[str, Any]] = field(default_factory=list)
    started: float | None = None
    ended: float | None = None
    modified: float = 0.0
    failure_reason: str | None = None
    final_metrics: dict[str, float] = field(default_factory=dict)
    stop_requested: bool = False
    cancelled: bool = False
    thread: threading.Thread | None = None
    # The job's CloudWatch log stream (training_logs.py), once the job has begun.
    log: TrainingLog | None = None

    @property
    def deadline(self) -> float | None:
        limit = self.request.get("StoppingCondition", {}).get("MaxRuntimeInSeconds")
        return self.created + float(limit) if limit else None


class JobStopped(Exception):
    """Raised inside a job's thread when it has been asked to stop (or the server resets)."""


@dataclass(frozen=True)
class _Channel:
    config: algorithm.Channel
    files: list[tuple[str, bytes]]


class TrainingJobs(JobThreads[_Job]):
    """The layer's record of the training jobs it runs, and the threads running them."""

    def __init__(self, inner: InnerClient) -> None:
        super().__init__()
        self._inner = inner

    # --- requests -------------------------------------------------------------------------

    def start(self, request: dict[str, Any], arn: str, model_uri: str, creator: Identity) -> None:
        """Run the job moto has just recorded as ``arn``; its artifact goes to ``model_uri``."""
        now = time.time()
        name = str(request["TrainingJobName"])
        job = _Job(arn, name, request, model_uri, now, creator, modified=now)
        job.transitions.append(_transition("Starting", now))
        self._launch(job, self._run, "training")

    def stop(self, arn: str) -> str | None:
        """Ask a running job to stop; the reason it cannot be, or None."""
        with self._lock:
            job = self._jobs.get(arn)
            if job is None:
                return None
            if job.status != "InProgress":
                return job_not_stoppable("training", job.status)
            job.stop_requested = True
            self._advance(job, "Stopping", status="Stopping")
            self._lock.notify_all()
        return None

    # --- answers ----------------------------------------------------------------------------

    def amend_describe(self, answer: dict[str, Any]) -> dict[str, Any]:
        """moto's DescribeTrainingJob answer, with this job's true state."""
        with self._lock:
            job = self._jobs.get(str(answer.get("TrainingJobArn")))
            if job is None:
                return answer
            amended = dict(answer)
            # moto adds a canned metric definition ("test:dcg"); show what the job asked for.
            amended["AlgorithmSpecification"] = job.request["AlgorithmSpecification"]
            amended.update(
                TrainingJobStatus=job.status,
                SecondaryStatus=job.secondary,
                SecondaryStatusTransitions=[dict(t) for t in job.transitions],
                LastModifiedTime=job.modified,
            )
            for name in (
                "TrainingStartTime",
                "TrainingEndTime",
                "FailureReason",
                "FinalMetricDataList",
                "TrainingTimeInSeconds",
                "BillableTimeInSeconds",
            ):
                amended.pop(name, None)
            if job.started is not None:
                amended["TrainingStartTime"] = job.started
            if job.ended is not None:
                amended["TrainingEndTime"] = job.ended
                seconds = max(1, round(job.ended - (job.started or job.created)))
                amended["TrainingTimeInSeconds"] = amended["BillableTimeInSeconds"] = seconds
            if job.failure_reason is not None:
                amended["FailureReason"] = job.failure_reason
            if job.final_metrics:
                amended["FinalMetricDataList"] = [
                    {"MetricName": name, "Value": logged_metric(value), "Timestamp": job.ended}
                    for name, value in job.final_metrics.items()
                ]
            return amended

    def amend_list(self, answer: dict[str, Any]) -> dict[str, Any]:
        """moto's ListTrainingJobs answer, each summary with its job's true status."""
        with self._lock:
            summaries = []
            for summary in answer.get("TrainingJobSummaries", []):
                job = self._jobs.get(str(summary.get("TrainingJobArn")))
                if job is not None:
                    summary = {
                        **summary,
                        "TrainingJobStatus": job.status,
                        "LastModifiedTime": job.modified,
                    }
                    summary.pop("TrainingEndTime", None)
                    if job.ended is not None:
                        summary["TrainingEndTime"] = job.ended
                summaries.append(summary)
        return {**answer, "TrainingJobSummaries": summaries}

    # --- the job's thread ----------------------------------------------------------------

    def _advance(self, job: _Job, secondary: str, status: str | None = None) -> None:
        """Move ``job`` to a new secondary status (caller holds the lock)."""
        now = time.time()
        if job.transitions and "EndTime" not in job.transitions[-1]:
            job.transitions[-1]["EndTime"] = now
        job.transitions.append(_transition(secondary, now))
        job.secondary = secondary
        job.modified = now
        if status is not None:
            job.status = status
        if status in _TERMINAL:
            job.transitions[-1]["EndTime"] = now
            job.ended = now

    def _enter(self, job: _Job, secondary: str) -> None:
        """Begin a phase of the job, unless it must stop first."""
        with self._lock:
            self._check(job)
            if secondary == "Downloading":
                job.started = time.time()
            self._advance(job, secondary)

    def _check(self, job: _Job) -> None:
        if job.cancelled or job.stop_requested:
            raise JobStopped
        if job.deadline is not None and time.time() > job.deadline:
            raise JobStopped

    def _should_stop(self, job: _Job) -> Callable[[], bool]:
        def should_stop() -> bool:
            try:
                self._check(job)
            except JobStopped:
                return True
            return False

        return should_stop

    def _finish(self, job: _Job, status: str, reason: str | None = None) -> None:
        with self._lock:
            if job.cancelled or job.status in _TERMINAL:
                return
            secondary = status
            if status == "Stopped" and not job.stop_requested:
                secondary = "MaxRuntimeExceeded"
            job.failure_reason = reason
            self._advance(job, secondary, status=status)

    def _run(self, job: _Job) -> None:
        try:
            with self._lock:
                while self._held and not (job.cancelled or job.stop_requested):
                    self._lock.wait()
            self._enter(job, "Downloading")
            channels = self._download(job)
            self._enter(job, "Training")
            model = self._train(job, channels)
            self._log(job).write(model.rounds)
            self._enter(job, "Uploading")
            self._upload(job, algorithm.model_artifact(model.booster))
            with self._lock:
                job.final_metrics = model.final_metrics
            self._finish(job, "Completed")
        except JobStopped:
            self._finish(job, "Stopped")
        except algorithm.TrainingFailure as failure:
            if job.started is not None:
                self._log(job).write([failure.failure_reason])
            self._finish(job, "Failed", failure.failure_reason)
        except Exception:
            log.exception("training job %s failed in the local server", job.arn)
            self._finish(job, "Failed", INTERNAL_FAILURE)
        finally:
            memory.release()

    def _log(self, job: _Job) -> TrainingLog:
        """The job's log stream, named after the time its instance started."""
        if job.log is None:
            job.log = TrainingLog(self._inner, job.identity, job.name, job.started or job.created)
        return job.log

    def _download(self, job: _Job) -> list[_Channel]:
        """Each channel's objects, as SageMaker copies them onto the instances."""
        channels = []
        for config in job.request.get("InputDataConfig", []):
            source = config.get("DataSource", {}).get("S3DataSource")
            if source is None:
                raise algorithm.ClientError(
                    f"The local SageMaker server reads channels from S3 only; channel "
                    f"'{config.get('ChannelName')}' has no S3DataSource."
                )
            if source.get("S3DataType", "S3Prefix") != "S3Prefix":
                raise algorithm.ClientError(
                    f"The local SageMaker server supports S3DataType 'S3Prefix' only; channel "
                    f"'{config.get('ChannelName')}' has '{source.get('S3DataType')}'."
                )
            files = self._fetch(job, str(source["S3Uri"]))
            channel = algorithm.Channel(
                name=str(config.get("ChannelName")),
                content_type=config.get("ContentType"),
                input_mode=str(
                    config.get("InputMode")
                    or job.request["AlgorithmSpecification"].get("TrainingInputMode", "File")
                ),
                distribution=str(source.get("S3DataDistributionType", "FullyReplicated")),
            )
            channels.append(_Channel(channel, files))
        return channels

    def _fetch(self, job: _Job, uri: str) -> list[tuple[str, bytes]]:
        bucket, prefix = split_s3_uri(uri)
        identity = job.identity
        try:
            keys = [key for key in self._inner.s3_list(bucket, prefix, identity) if key[-1:] != "/"]
        except S3Error as exc:
            if exc.code != "NoSuchBucket":
                raise algorithm.ClientError(f"Data download failed: {exc}") from None
            keys = []
        if not keys:
            # CreateTrainingJob already refused an empty channel (app._empty_channel, in
            # SageMaker's words); this is a channel emptied after the job was created.
            raise algorithm.ClientError(
                no_s3_objects(uri, bucket, identity.region, job.request.get("RoleArn"))
            )
        files = []
        for key in keys:
            with self._lock:
                self._check(job)
            try:
                files.append((key, self._inner.s3_get(bucket, key, identity)))
            except S3Error as exc:
                raise algorithm.ClientError(f"Data download failed: {exc}") from None
        return files

    def _train(self, job: _Job, channels: list[_Channel]) -> algorithm.TrainedModel:
        """What the container does once the data is on the instances."""
        version = algorithm.container_version(
            str(job.request["AlgorithmSpecification"].get("TrainingImage", ""))
        )
        config = algorithm.parse_hyperparameters(job.request.get("HyperParameters") or {}, version)
        algorithm.check_channels([channel.config for channel in channels])
        by_name = {channel.config.name: channel for channel in channels}
        # The downloaded bytes are held by by_name alone from here, and each channel's
        # are let go once parsed (a 100 MB file must not stay beside its matrices).
        channels.clear()
        hosts = int(job.request.get("ResourceConfig", {}).get("InstanceCount", 1))
        inputs = algorithm.Inputs(
            _read_hosts(
                _host_files(by_name.pop(algorithm.TRAIN_CHANNEL), hosts),
                algorithm.TRAIN_CHANNEL,
                config.csv_weights,
            )
        )
        if algorithm.VALIDATION_CHANNEL in by_name:
            inputs.validation = _read_hosts(
                _host_files(by_name.pop(algorithm.VALIDATION_CHANNEL), hosts),
                algorithm.VALIDATION_CHANNEL,
                0,
            )
        assert inputs.train is not None
        self._log(job).write(
            banner(
                job.request.get("HyperParameters") or {},
                inputs.train.rows,
                inputs.validation.rows if inputs.validation is not None else None,
                time.time(),
            )
        )
        model = algorithm.train(
            config, inputs, self._should_stop(job), default_threads=training_threads()
        )
        if model is None:
            raise JobStopped
        return model

    def _upload(self, job: _Job, artifact: bytes) -> None:
        bucket, key = split_s3_uri(job.model_uri)
        with self._lock:  # never interleaved with a reset (see the module's docstring)
            self._check(job)
            try:
                self._inner.s3_put(bucket, key, artifact, job.identity)
            except S3Error as exc:
                raise algorithm.ClientError(
                    f"Unable to upload the model artifact to {job.model_uri}: {exc}"
                ) from None


def training_threads() -> int:
    """XGBoost threads for a job that sets no ``nthread``: half the cores, at least one.

    A SageMaker instance belongs to its job; this server shares its machine with its
    callers and the other jobs, and OpenMP threads that outnumber the free cores spin
    instead of working (measured on a busy 2-core machine: 100 rounds of the tutorial
    took 0.2 s on one thread, 4 s on two).
    """
    return max(1, (os.cpu_count() or 1) // 2)


def logged_metric(value: float) -> float:
    """A final metric as SageMaker reports it: read from the job's log line by the
    built-in algorithm's metric regex (``#011train-logloss:0.11524``, five decimals) and
    kept as a 32-bit float (DescribeTrainingJob shows e.g. 0.11524000018835068)."""
    return float(np.float32(f"{value:.5f}"))


def _transition(status: str, start: float) -> dict[str, Any]:
    return {"Status": status, "StartTime": start, "StatusMessage": _MESSAGES[status]}


def _host_files(channel: _Channel, hosts: int) -> list[list[tuple[str, bytes]]]:
    """The files each host gets, as one list per host that holds distinct data.

    FullyReplicated copies every file to every host: distributed XGBoost on n copies
    of the rows computes what one host computes, so it is one list. ShardedByS3Key
    gives each of n instances "approximately 1/n of the number of S3 objects"
    (S3DataSource's documentation); the exact rule is not published, so the keys (in
    order) are dealt round-robin: host i gets keys i, i+n, i+2n, ...
    """
    if channel.config.distribution != "ShardedByS3Key" or hosts <= 1:
        return [channel.files]
    return [channel.files[host::hosts] for host in range(hosts)]


def _read_hosts(
    host_files: list[list[tuple[str, bytes]]], channel: str, csv_weights: int
) -> algorithm.Dataset:
    """One channel's data over every host, as distributed XGBoost trains on it.

    With one host, no data fails the job (the container's UserError). With several,
    a host without data is left out of training, as the container does (it logs "Host
    algo-2 does not have training data. Will broadcast to cluster and this host algo-2
    will not be used in distributed training."), and the model is trained on the
    union of the shards; only when no host has data does the job fail.
    """
    datasets: list[algorithm.Dataset] = []
    for host, files in enumerate(host_files, start=1):
        dataset = algorithm.read_csv_channel(files, channel, csv_weights)
        if dataset is None and len(host_files) > 1:
            log.warning(
                "Host algo-%d does not have %s data. Will broadcast to cluster and this "
                "host algo-%d will not be used in distributed training.",
                host,
                "training" if channel == algorithm.TRAIN_CHANNEL else "validation",
                host,
            )
        elif dataset is not None:
            datasets.append(dataset)
    if not datasets:
        if len(host_files) > 1:
            raise algorithm.ContainerError("No hosts received training data.", "RuntimeError")
        raise algorithm.no_data_error(channel)
    return _concatenate(datasets)


def _concatenate(datasets: list[algorithm.Dataset]) -> algorithm.Dataset:
    if len(datasets) == 1:
        return datasets[0]
    widths = {dataset.features.shape[1] for dataset in datasets}
    if len(widths) > 1:
        raise algorithm.ContainerError(
            f"Failed to load csv data with exception:\nthe hosts' shards have different "
            f"numbers of features: {sorted(widths)}"
        )
    weights = [dataset.weights for dataset in datasets if dataset.weights is not None]
    return algorithm.Dataset(
        labels=np.concatenate([dataset.labels for dataset in datasets]),
        features=np.concatenate([dataset.features for dataset in datasets]),
        weights=np.concatenate(weights) if len(weights) == len(datasets) else None,
    )
