"""Where the run's objects lie in its bucket, under the tutorial's prefix.

Step 4a writes the train channel, SageMaker writes each job's model under the output
path, and step 7 deletes exactly those two folders of a run: one rule for all three.
"""

from __future__ import annotations

from .. import settings


def channel_key(prefix: str) -> str:
    """The train channel's folder: ``<prefix>/train``."""
    return f"{prefix}/{settings.TRAIN_CHANNEL}"


def channel_uri(bucket: str, prefix: str) -> str:
    """The train channel, as the training request names it."""
    return f"s3://{bucket}/{channel_key(prefix)}"


def output_uri(bucket: str, prefix: str) -> str:
    """The training request's output path: ``s3://<bucket>/<prefix>/output``."""
    return f"s3://{bucket}/{prefix}/output"


def job_output_key(prefix: str, job_name: str) -> str:
    """The folder SageMaker writes one job's output under (its ``model.tar.gz``)."""
    return f"{prefix}/output/{job_name}"
