"""Step 4a: put the training data where SageMaker's built-in XGBoost reads it.

The built-in algorithm reads CSV with the label in the first column and no header
and no index; the tutorial writes it with::

    pd.concat([train_data['y_yes'], train_data.drop(['y_no', 'y_yes'], axis=1)], axis=1)
      .to_csv('train.csv', index=False, header=False)

and uploads it to ``s3://<bucket>/<prefix>/train/train.csv`` without checking what
arrived. Here the object's size and SHA-256 are checked after the upload (S3 checks
the checksum on arrival too), and the channel's folder is made to hold exactly this
run's files: training reads *every* object under it, so a stale shard from an earlier
upload would silently be trained on twice.

When train_data.csv is exactly what pandas wrote for the tutorial's integer columns
(as the split writes it), train.csv is made by moving each line's fields (the
index dropped, y_yes moved to the front, y_no dropped): the same bytes pandas
would write, ten times faster. Anything else takes the tutorial's pandas code.

With more than one training instance the file is cut into one part per instance, for
SageMaker's ``ShardedByS3Key`` distribution (each instance reads its own part, as
distributed XGBoost on SageMaker does).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import settings
from ..data.atomic import atomic_writer
from ..data.dataset import BANK_COLUMNS, load_bank_data
from ..data.split import LABEL_COLUMNS, canonical_rows
from ..errors import InputError, TutorialError, check_instance_count
from .layout import channel_key, channel_uri

if TYPE_CHECKING:
    from ..aws.backends import Backend

# The label the model learns: did the client subscribe to a term deposit?
LABEL = "y_yes"
# What this project names its objects in the channel: train.csv, or train-part-I-of-N.csv.
_OUR_KEY = re.compile(r"^train(-part-\d+-of-\d+)?\.csv$")


@dataclass(frozen=True)
class TrainingFile:
    """The algorithm's CSV written locally: where, and its shape (label column included)."""

    path: Path
    rows: int
    columns: int


@dataclass(frozen=True)
class UploadOutcome:
    """What landed in S3: the channel folder and each object with its verified size."""

    bucket: str
    channel: str  # s3://<bucket>/<prefix>/train
    objects: list[tuple[str, int]]  # (key, bytes)
    removed: list[str]

    def report(self) -> list[str]:
        lines = [
            f"Uploaded to {self.channel}/: {key.rsplit('/', 1)[-1]} ({size:,} bytes, "
            "size and SHA-256 verified)"
            for key, size in self.objects
        ]
        if self.removed:
            names = ", ".join(key.rsplit("/", 1)[-1] for key in self.removed)
            lines.append(f"Removed the earlier upload's {names} from the channel")
        return lines


def write_training_file(train_data: Path, out: Path) -> TrainingFile:
    """Write the tutorial's train.csv from the split's training part (label first, no header)."""
    try:
        moved = training_lines(train_data.read_bytes())
    except OSError:
        moved = None  # the tutorial's read below says what is wrong
    if moved is not None:
        lines, rows = moved
        with atomic_writer(out) as handle:
            handle.write(lines)
        return TrainingFile(out, rows, len(BANK_COLUMNS) - 1)
    import pandas as pd

    frame = load_bank_data(train_data, rows=None)
    table = pd.concat([frame[LABEL], frame.drop(columns=list(LABEL_COLUMNS))], axis=1)
    with atomic_writer(out) as handle:
        table.to_csv(handle, index=False, header=False, lineterminator="\n")
    return TrainingFile(out, len(table), table.shape[1])


# The header line pandas writes for the tutorial's columns (an unnamed index first).
_CANONICAL_HEADER = ("," + ",".join(BANK_COLUMNS) + "\n").encode()


def training_lines(data: bytes) -> tuple[bytes, int] | None:
    """train.csv's bytes and row count, if ``data`` is a canonical split part; else None.

    Canonical: pandas' header for the tutorial's columns, then integer rows as pandas
    writes them (``split.canonical_rows``), so that pandas would read and write each
    field unchanged and only the columns' order is left to do. y_no and y_yes are
    the last two columns, the index the first.
    """
    if not data.startswith(_CANONICAL_HEADER) or canonical_rows(data) is None:
        return None
    lines = data[len(_CANONICAL_HEADER) :].split(b"\n")[:-1]
    moved = []
    for line in lines:
        features, _, label = line[line.index(b",") + 1 :].rsplit(b",", 2)
        moved.append(label + b"," + features + b"\n")
    return b"".join(moved), len(moved)


def part_names(instance_count: int) -> list[str]:
    """The object names in the channel: one file, or one part per training instance."""
    if instance_count == 1:
        return [settings.TRAIN_CSV_NAME]
    return [f"train-part-{i}-of-{instance_count}.csv" for i in range(1, instance_count + 1)]


def split_lines(data: bytes, parts: int) -> list[bytes]:
    """Cut CSV bytes into ``parts`` runs of whole lines, as even as line counts allow."""
    lines = data.splitlines(keepends=True)
    if len(lines) < parts:
        raise InputError(
            f"{len(lines)} training rows cannot be shared among {parts} instances: "
            "use fewer instances"
        )
    bounds = [len(lines) * i // parts for i in range(parts + 1)]
    return [b"".join(lines[bounds[i] : bounds[i + 1]]) for i in range(parts)]


def upload_training_file(
    backend: Backend, bucket: str, prefix: str, training_file: Path, instance_count: int = 1
) -> UploadOutcome:
    """Upload ``training_file`` as the train channel (in ``instance_count`` parts), verified."""
    check_instance_count(instance_count)
    s3 = backend.client("s3")
    folder = channel_key(prefix) + "/"
    names = part_names(instance_count)
    keys = [folder + name for name in names]
    stale = _stale_objects(s3, bucket, folder, set(keys))

    data = training_file.read_bytes()
    parts = [data] if instance_count == 1 else split_lines(data, instance_count)
    uploaded = [
        (key, _put_verified(s3, bucket, key, body)) for key, body in zip(keys, parts, strict=True)
    ]
    for key in stale:
        s3.delete_object(Bucket=bucket, Key=key)
    return UploadOutcome(bucket, channel_uri(bucket, prefix), uploaded, stale)


def _stale_objects(s3: object, bucket: str, folder: str, keep: set[str]) -> list[str]:
    """Objects in the channel folder that are not this upload's: earlier parts are ours to
    remove; anything else is the reader's, and training would read it, so it stops us."""
    found: list[str] = []
    paginator = s3.get_paginator("list_objects_v2")  # type: ignore[attr-defined]
    for page in paginator.paginate(Bucket=bucket, Prefix=folder):
        found.extend(item["Key"] for item in page.get("Contents", []))
    foreign = [key for key in found if not _OUR_KEY.match(key[len(folder) :])]
    if foreign:
        shown = ", ".join(foreign[:3]) + (" ..." if len(foreign) > 3 else "")
        raise TutorialError(
            f"s3://{bucket}/{folder} holds objects this project did not put there ({shown}); "
            "training reads every object in the channel: remove them or choose another --prefix"
        )
    return sorted(key for key in found if key not in keep)


def _put_verified(s3: object, bucket: str, key: str, body: bytes) -> int:
    """PUT one object with its SHA-256 (S3 refuses a body that does not match), then check
    what S3 holds: the same size and the same checksum."""
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
    s3.put_object(  # type: ignore[attr-defined]
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType="text/csv",
        ChecksumAlgorithm="SHA256",
        ChecksumSHA256=digest,
    )
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")  # type: ignore[attr-defined]
    size, stored = int(head["ContentLength"]), head.get("ChecksumSHA256")
    if size != len(body) or stored != digest:
        raise TutorialError(
            f"s3://{bucket}/{key} does not hold what was sent: {size:,} bytes with SHA-256 "
            f"{stored}, sent {len(body):,} bytes with SHA-256 {digest}"
        )
    return size
