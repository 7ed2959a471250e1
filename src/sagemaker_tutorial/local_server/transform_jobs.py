"""Batch transform jobs that really run: the model scores every object under a prefix.

moto records a transform job and calls it "Completed" at once, with no output. Here
each job runs in a thread, as SageMaker's batch transform does with the model's
container:

- the input is every object under ``TransformInput.DataSource.S3DataSource.S3Uri``
  (``S3Prefix``; ``CompressionType`` ``Gzip`` is inflated first);
- each object is split into records by ``SplitType``: ``None`` (the whole object is
  one record), ``Line`` (one record per line) or ``RecordIO``;
- records are sent in requests by ``BatchStrategy``: ``SingleRecord`` (one each) or
  ``MultiRecord`` (as many as fit in ``MaxPayloadInMB``, default 6); a single record
  over the limit fails the job, as SageMaker's "Too much data for max payload size";
- each request is answered as the container answers in batch mode (``SAGEMAKER_BATCH``:
  one prediction per line), with ``TransformOutput.Accept``;
- the answers for ``<prefix>/<key>`` are written to ``<S3OutputPath>/<key>.out``,
  concatenated (``AssembleWith`` ``None``) or one per line (``Line``: a newline after
  each answer that does not end with one);
- the job goes InProgress -> Completed, or Failed with SageMaker's "ClientError: See
  job logs for more information" when the container refuses a request (its own text
  goes to the job's log, /aws/sagemaker/TransformJobs), or Stopped.

Not emulated: ``DataProcessing`` filters and joins, ``ManifestFile`` inputs,
``TFRecord`` splitting, several instances; a job asking for them fails, saying so.
"""

from __future__ import annotations

import gzip
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import xgboost as xgb

from . import archive, inference_formats, recordio_protobuf
from . import xgboost_algorithm as algorithm
from .endpoints import image_version
from .inner_client import Identity, InnerClient, S3Error, split_s3_uri
from .job_threads import INTERNAL_FAILURE, JobThreads
from .refusals import job_not_stoppable
from .training_logs import TrainingLog

log = logging.getLogger(__name__)

LOG_GROUP = "/aws/sagemaker/TransformJobs"
SEE_LOGS = "ClientError: See job logs for more information"
TOO_MUCH_DATA = "ClientError: Too much data for max payload size"
_MB = 1024 * 1024
_TERMINAL = ("Completed", "Failed", "Stopped")
_IDENTITY_FILTERS = {"InputFilter": "$", "OutputFilter": "$", "JoinSource": "None"}


class _Stopped(Exception):
    pass


class _Failure(Exception):
    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class _Job:
    arn: str
    name: str
    request: dict[str, Any]
    identity: Identity
    created: float
    status: str = "InProgress"
    started: float | None = None
    ended: float | None = None
    failure_reason: str | None = None
    stop_requested: bool = False
    cancelled: bool = False
    thread: threading.Thread | None = None


class TransformJobs(JobThreads[_Job]):
    """The layer's record of the batch transform jobs it runs."""

    def __init__(self, inner: InnerClient) -> None:
        super().__init__()
        self._inner = inner

    def start(self, request: dict[str, Any], arn: str, creator: Identity) -> None:
        job = _Job(arn, str(request["TransformJobName"]), request, creator, time.time())
        self._launch(job, self._run, "transform")

    def stop(self, arn: str) -> str | None:
        """Ask a running job to stop; SageMaker's reason it cannot be, or None."""
        with self._lock:
            job = self._jobs.get(arn)
            if job is None:
                return None
            if job.status in _TERMINAL:
                return job_not_stoppable("transform", job.status)
            job.stop_requested = True
            job.status = "Stopping"
            self._lock.notify_all()
        return None

    # --- answers ------------------------------------------------------------------------

    def amend_describe(self, answer: dict[str, Any]) -> dict[str, Any]:
        """moto's DescribeTransformJob answer, with the job's true state."""
        amended = {k: v for k, v in answer.items() if v != ""}  # moto's empty ARNs, reason
        with self._lock:
            job = self._jobs.get(str(answer.get("TransformJobArn")))
            if job is None:
                return amended
            amended["TransformJobStatus"] = job.status
            for name in ("TransformStartTime", "TransformEndTime", "FailureReason"):
                amended.pop(name, None)
            if job.started is not None:
                amended["TransformStartTime"] = job.started
            if job.ended is not None:
                amended["TransformEndTime"] = job.ended
            if job.failure_reason is not None:
                amended["FailureReason"] = job.failure_reason
        return amended

    def amend_list(self, answer: dict[str, Any]) -> dict[str, Any]:
        summaries = []
        with self._lock:
            for summary in answer.get("TransformJobSummaries", []):
                job = self._jobs.get(str(summary.get("TransformJobArn")))
                summary = {k: v for k, v in summary.items() if v != ""}
                if job is not None:
                    summary["TransformJobStatus"] = job.status
                    summary.pop("TransformEndTime", None)
                    summary.pop("FailureReason", None)
                    if job.ended is not None:
                        summary["TransformEndTime"] = job.ended
                    if job.failure_reason is not None:
                        summary["FailureReason"] = job.failure_reason
                summaries.append(summary)
        return {**answer, "TransformJobSummaries": summaries}

    # --- the job's thread ---------------------------------------------------------------

    def _check(self, job: _Job) -> None:
        with self._lock:
            if job.cancelled or job.stop_requested:
                raise _Stopped

    def _finish(self, job: _Job, status: str, reason: str | None = None) -> None:
        with self._lock:
            if job.cancelled or job.status in _TERMINAL:
                return
            job.status, job.failure_reason = status, reason
            job.ended = time.time()

    def _run(self, job: _Job) -> None:
        try:
            with self._lock:
                while self._held and not (job.cancelled or job.stop_requested):
                    self._lock.wait()
                job.started = time.time()
            self._transform(job)
            self._finish(job, "Completed")
        except _Stopped:
            self._finish(job, "Stopped")
        except _Failure as failure:
            if failure.detail:
                TrainingLog(
                    self._inner, job.identity, job.name, job.started or job.created, LOG_GROUP
                ).write([failure.detail])
            self._finish(job, "Failed", failure.reason)
        except Exception:
            log.exception("transform job %s failed in the local server", job.arn)
            self._finish(job, "Failed", INTERNAL_FAILURE)

    def _unsupported(self, job: _Job) -> str | None:
        request = job.request
        source = request["TransformInput"]["DataSource"]["S3DataSource"]
        processing = request.get("DataProcessing") or {}
        if any(processing.get(k, v) != v for k, v in _IDENTITY_FILTERS.items()):
            return "DataProcessing (input and output filters, joins)"
        if source.get("S3DataType", "S3Prefix") != "S3Prefix":
            return f"S3DataType {source.get('S3DataType')}"
        if request["TransformInput"].get("SplitType", "None") not in ("None", "Line", "RecordIO"):
            return f"SplitType {request['TransformInput'].get('SplitType')}"
        if int(request.get("TransformResources", {}).get("InstanceCount", 1)) != 1:
            return "more than one instance"
        return None

    def _booster(self, job: _Job) -> tuple[xgb.Booster, str]:
        answer = self._inner.sagemaker(
            "DescribeModel", {"ModelName": job.request["ModelName"]}, job.identity
        )
        if not answer.ok:
            raise _Failure(f"ClientError: Could not find model {job.request['ModelName']}.")
        model = answer.json()
        container = model.get("PrimaryContainer") or (model.get("Containers") or [{}])[0]
        try:
            bucket, key = split_s3_uri(str(container.get("ModelDataUrl", "")))
            # archive.py's caps, as for an endpoint: the size before the download.
            size = self._inner.s3_size(bucket, key, job.identity)
            if size > archive.MAX_ARCHIVE_BYTES:
                raise archive.ArchiveError(
                    f"it is {size} bytes, over the {archive.MAX_ARCHIVE_BYTES} accepted"
                )
            data = self._inner.s3_get(bucket, key, job.identity)
            return algorithm.load_model_artifact(data), image_version(container)
        except (
            S3Error,
            ValueError,
            OSError,
            xgb.core.XGBoostError,
            archive.ArchiveError,
        ) as exc:
            raise _Failure(SEE_LOGS, f"Unable to load model: {exc}") from None

    def _transform(self, job: _Job) -> None:
        unsupported = self._unsupported(job)
        if unsupported is not None:
            raise _Failure(
                f"ClientError: the local SageMaker server does not emulate {unsupported} "
                "in batch transform."
            )
        booster, version = self._booster(job)
        request = job.request
        transform_input = request["TransformInput"]
        uri = str(transform_input["DataSource"]["S3DataSource"]["S3Uri"])
        bucket, prefix = split_s3_uri(uri)
        try:
            keys = [k for k in self._inner.s3_list(bucket, prefix, job.identity) if k[-1:] != "/"]
        except S3Error as exc:
            raise _Failure(f"ClientError: {exc}") from None
        if not keys:
            raise _Failure(f'ClientError: No S3 objects found under S3 URL "{uri}".')
        out_bucket, out_prefix = split_s3_uri(str(request["TransformOutput"]["S3OutputPath"]))
        base = prefix.rsplit("/", 1)[0] + "/" if "/" in prefix else ""
        for key in keys:
            self._check(job)
            data = self._inner.s3_get(bucket, key, job.identity)
            if transform_input.get("CompressionType") == "Gzip":
                data = gzip.decompress(data)
            output = self._score(job, booster, version, data)
            self._check(job)
            relative = key[len(base) :]
            target = f"{out_prefix.rstrip('/')}/{relative}.out" if out_prefix else f"{relative}.out"
            self._inner.s3_put(out_bucket, target, output, job.identity)

    def _score(self, job: _Job, booster: xgb.Booster, version: str, data: bytes) -> bytes:
        request = job.request
        transform_input = request["TransformInput"]
        split = transform_input.get("SplitType", "None")
        limit = int(request.get("MaxPayloadInMB", 6)) * _MB
        records = _split(data, split)
        if any(len(record) > limit for record in records):
            raise _Failure(TOO_MUCH_DATA, f"a record is over MaxPayloadInMB ({limit} bytes)")
        single = request.get("BatchStrategy", "MultiRecord") == "SingleRecord"
        answers = []
        for batch in _batches(records, split, limit, single):
            self._check(job)
            try:
                answer, _ = inference_formats.invoke(
                    booster,
                    batch,
                    transform_input.get("ContentType"),
                    request["TransformOutput"].get("Accept"),
                    version,
                    batch=True,
                )
            except algorithm.InferenceError as error:
                raise _Failure(
                    SEE_LOGS,
                    f"Bad HTTP status received from algorithm: {error.status}\n"
                    f"Message: {error.message}",
                ) from None
            answers.append(answer)
        if request["TransformOutput"].get("AssembleWith", "None") == "Line":
            return b"".join(a if a.endswith(b"\n") else a + b"\n" for a in answers)
        return b"".join(answers)


def _split(data: bytes, split: str) -> list[bytes]:
    if split == "Line":
        return [line for line in data.splitlines(keepends=True) if line.strip()]
    if split == "RecordIO":
        return [_frame(record) for record in recordio_protobuf.records(data)]
    return [data] if data else []


def _frame(payload: bytes) -> bytes:
    """One RecordIO record, framed again (a request body of RecordIO records)."""
    import struct

    padding = b"\0" * ((4 - len(payload) % 4) % 4)
    return struct.pack("<II", recordio_protobuf.MAGIC, len(payload)) + payload + padding


def _batches(records: list[bytes], split: str, limit: int, single: bool) -> list[bytes]:
    """Requests of records: one record each, or as many as fit in ``limit`` bytes."""
    if single or split == "None":
        return [record.rstrip(b"\n") if split == "Line" else record for record in records]
    batches: list[bytes] = []
    current: list[bytes] = []
    size = 0
    for record in records:
        if current and size + len(record) > limit:
            batches.append(b"".join(current))
            current, size = [], 0
        current.append(record)
        size += len(record)
    if current:
        batches.append(b"".join(current))
    return batches
