"""A training job's log in CloudWatch Logs, where SageMaker puts it and its clients read it.

SageMaker streams each instance's container output to log group
``/aws/sagemaker/TrainingJobs``, stream ``<job name>/algo-<n>-<epoch seconds of the
instance's start>``; the SDK v2's ``fit(logs=True)`` / ``logs_for_job`` and
``aws logs tail`` read it there. The local server writes the same group and stream,
through moto's own logs service (its public API, as any client would, made in process
as the job's creator), with what the built-in XGBoost container prints: the
algorithm-mode banner, the data it read, the hyperparameters, and one line per
boosting round, ``[0]#011train-logloss:0.57344`` (the ``#011`` is the tab, as the
log driver escapes it in CloudWatch).

Writing the log is best effort: a job never fails because its log could not be
written (SageMaker's own log delivery does not fail jobs either).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from .inner_client import Identity, InnerClient

log = logging.getLogger(__name__)

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
_TARGET = "Logs_20140328."


def stream_name(job_name: str, started: float, host: int = 1) -> str:
    """``<job>/algo-1-<epoch>``: the stream of a job's instance ``host``."""
    return f"{job_name}/algo-{host}-{int(started)}"


def _stamp(now: float) -> str:
    """The container's logging prefix time, ``2026-01-31:12:34:56``."""
    return time.strftime("%Y-%m-%d:%H:%M:%S", time.gmtime(now))


def banner(
    hyperparameters: Mapping[str, str], train_rows: int, validation_rows: int | None, now: float
) -> list[str]:
    """What the container prints before its first round (as built-in XGBoost jobs' logs
    show it): sagemaker-containers' note for each hyperparameter that is not JSON, the
    algorithm-mode banner, and the matrices it read."""
    stamp = _stamp(now)
    lines = ["Arguments: train"]
    for name, value in sorted(hyperparameters.items()):
        try:
            json.loads(value)
        except ValueError:
            lines.append(
                f"[{stamp}:INFO:sagemaker-containers] Failed to parse hyperparameter {name} "
                f"value {value} to Json.\nReturning the value itself"
            )
    lines += [
        f"[{stamp}:INFO:sagemaker-containers] No GPUs detected (normal if no gpus installed)",
        f"[{stamp}:INFO:sagemaker_xgboost_container.training] Running XGBoost Sagemaker in "
        "algorithm mode",
        f"[{stamp}:INFO:root] Single node training.",
        f"[{stamp}:INFO:root] Train matrix has {train_rows} rows",
    ]
    if validation_rows is not None:
        lines.append(f"[{stamp}:INFO:root] Validation matrix has {validation_rows} rows")
    return lines


class TrainingLog:
    """One job instance's log stream, written as the job runs (a transform job's too,
    in its own group)."""

    def __init__(
        self,
        inner: InnerClient,
        identity: Identity,
        job_name: str,
        started: float,
        group: str = LOG_GROUP,
    ) -> None:
        self._inner = inner
        self._identity = identity
        self.group = group
        self.stream = stream_name(job_name, started)
        self._lock = threading.Lock()
        self._ready = False
        self._last = 0

    def _call(self, operation: str, payload: dict[str, Any]) -> bool:
        answer = self._inner.call(
            "POST",
            "/",
            self._identity,
            "logs",
            headers={
                "X-Amz-Target": _TARGET + operation,
                "Content-Type": "application/x-amz-json-1.1",
            },
            body=json.dumps(payload).encode(),
        )
        if not answer.ok and b"ResourceAlreadyExists" not in answer.body:
            log.debug("logs %s refused: %s", operation, answer.body[:300])
            return False
        return True

    def write(self, lines: Sequence[str]) -> None:
        """Append ``lines`` (one event each, in order) to the stream."""
        if not lines:
            return
        with self._lock:
            if not self._ready:
                self._call("CreateLogGroup", {"logGroupName": self.group})
                self._ready = self._call(
                    "CreateLogStream", {"logGroupName": self.group, "logStreamName": self.stream}
                )
                if not self._ready:
                    return
            # Event times never go back (PutLogEvents wants them in order).
            now = max(int(time.time() * 1000), self._last)
            self._last = now
            events = [{"timestamp": now, "message": line} for line in lines]
            self._call(
                "PutLogEvents",
                {"logGroupName": self.group, "logStreamName": self.stream, "logEvents": events},
            )
