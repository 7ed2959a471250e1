"""What a scenario's run leaves for the page: facts read back from the run, as JSON.

Step definitions assert; they do not format anything for the page. A step that has
something worth showing calls the ``record_figure`` fixture with a kind and the
objects it has at hand (its work folder, a client and a resource name); the builder
of that kind, here, reads the facts from them, only when a page is being built
(``--living-docs-results``): the evaluation's counts and this run's ROC curve from
its own predictions, the bucket's settings as S3 reports them, the training job as
SageMaker describes it. ``living_docs.page`` draws them. Every builder returns plain
JSON (str, numbers, lists, dicts) so that results files stay readable.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Facts = dict[str, Any]
# A ROC curve drawn from 12,357 predictions needs far fewer corners to look the same.
ROC_POINTS = 200


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_kind(workdir: Path) -> str:
    """ "real", "synthetic" or "other": which data the run in ``workdir`` used."""
    from sagemaker_tutorial import settings
    from sagemaker_tutorial.data.synthetic import synthetic_sha1

    path = workdir / settings.DATA_FILE_NAME
    if not path.is_file():
        return "other"
    sha1 = _sha1(path)
    if sha1 == settings.TUTORIAL_DATA_SHA1:
        return "real"
    return "synthetic" if sha1 == synthetic_sha1() else "other"


def roc_curve(labels: list[int], scores: list[float]) -> list[tuple[float, float]]:
    """(false positive rate, true positive rate) at every distinct threshold, thinned.

    Ties are one step (all predictions of one score change side together), so the
    curve is the one an AUC of the same predictions measures."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return []
    ordered = sorted(zip(scores, labels, strict=True), key=lambda pair: -pair[0])
    points = [(0.0, 0.0)]
    tp = fp = 0
    for index, (score, label) in enumerate(ordered):
        tp += label
        fp += 1 - label
        if index + 1 == len(ordered) or ordered[index + 1][0] != score:
            points.append((fp / negatives, tp / positives))
    if len(points) > ROC_POINTS:
        step = (len(points) - 1) / (ROC_POINTS - 1)
        points = [points[round(i * step)] for i in range(ROC_POINTS)]
    return [(round(x, 4), round(y, 4)) for x, y in points]


def evaluation(workdir: Path, source: str) -> Facts:
    """The evaluation a run saved (evaluation.json), with its ROC curve and its data.

    ``source`` is "run" for a whole run (the model's own predictions) or "fixed" for
    predictions a scenario wrote to check the printed format: those show no AUC and
    no curve, as they describe no model."""
    from sagemaker_tutorial import settings
    from sagemaker_tutorial.data.dataset import load_bank_data
    from sagemaker_tutorial.model.prediction import read_predictions

    saved = json.loads((workdir / settings.EVALUATION_FILE_NAME).read_text(encoding="utf-8"))
    facts: Facts = {
        "source": source,
        "data": data_kind(workdir),
        **{key: saved[key] for key in ("rows", "tn", "fp", "fn", "tp")},
        "rate": saved["overall_classification_rate"],
        "precision": saved["precision"],
        "recall": saved["recall"],
    }
    if source == "run":
        facts["auc"] = saved["auc"]
        scores = read_predictions(workdir / settings.PREDICTIONS_FILE_NAME).tolist()
        labels = load_bank_data(workdir / settings.TEST_FILE_NAME, rows=None)["y_yes"]
        facts["roc"] = roc_curve([int(value) for value in labels], scores)
    return facts


def split(workdir: Path) -> Facts:
    """The two parts' (rows, columns), as the tutorial prints them: without the index."""
    from sagemaker_tutorial import settings

    def shape(path: Path) -> list[int]:
        part = path.read_bytes()
        return [part.count(b"\n") - 1, part.split(b"\n", 1)[0].count(b",")]

    return {
        "train": shape(workdir / settings.TRAIN_FILE_NAME),
        "test": shape(workdir / settings.TEST_FILE_NAME),
        "data": data_kind(workdir),
    }


def bucket(s3: Any, name: str) -> Facts:
    """The bucket's region and lock-down, read back from S3."""
    from botocore.exceptions import ClientError

    def read(call: Any, show: Callable[[dict[str, Any]], str]) -> str:
        try:
            return show(call(Bucket=name))
        except ClientError as exc:
            return f"not set ({exc.response['Error']['Code']})"

    def blocks(answer: dict[str, Any]) -> str:
        configuration = answer["PublicAccessBlockConfiguration"].items()
        return ", ".join(f"{key} {'on' if on else 'off'}" for key, on in configuration)

    return {
        "name": name,
        "region": read(
            s3.get_bucket_location, lambda a: a.get("LocationConstraint") or "us-east-1"
        ),
        "public_access_block": read(s3.get_public_access_block, blocks),
        "encryption": read(
            s3.get_bucket_encryption,
            lambda a: a["ServerSideEncryptionConfiguration"]["Rules"][0][
                "ApplyServerSideEncryptionByDefault"
            ]["SSEAlgorithm"],
        ),
        "ownership": read(
            s3.get_bucket_ownership_controls,
            lambda a: a["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        ),
        "tags": read(
            s3.get_bucket_tagging,
            lambda a: ", ".join(f"{tag['Key']}={tag['Value']}" for tag in a["TagSet"]),
        ),
    }


def training_request(table: dict[str, str]) -> Facts:
    """The CreateTrainingJob request, as the step's table of (field, value)."""
    return {"fields": [[key, str(value)] for key, value in table.items()]}


def training_job(sagemaker: Any, job: str, logs: Any = None) -> Facts:
    """The trained job as DescribeTrainingJob tells it, with the metrics it reports.

    SageMaker's FinalMetricDataList holds each metric's last value only; the per-round
    history (the training curve) is in the job's CloudWatch logs, where the built-in
    container writes one line per round ("[12]#011train-logloss:0.27"). ``logs`` is
    a CloudWatch Logs client of the same backend; a backend that keeps no such log
    gives no rounds, and the page says so."""
    described = sagemaker.describe_training_job(TrainingJobName=job)
    metrics = {
        item["MetricName"]: item["Value"] for item in described.get("FinalMetricDataList", [])
    }
    return {
        "status": described["TrainingJobStatus"],
        "course": [item["Status"] for item in described.get("SecondaryStatusTransitions", [])],
        "image": described["AlgorithmSpecification"]["TrainingImage"],
        "hyperparameters": dict(described.get("HyperParameters", {})),
        "artifact": described.get("ModelArtifacts", {}).get("S3ModelArtifacts", ""),
        "final_metrics": metrics,
        "rounds": logged_rounds(logs, job) if logs is not None else [],
    }


LOG_GROUP = "/aws/sagemaker/TrainingJobs"
_ROUND = re.compile(r"^\[(\d+)\](?:#011|\t)(.*)$")


def parse_rounds(lines: list[str]) -> list[dict[str, float]]:
    """``[{"round": 0, "train:logloss": 0.52}, ...]`` from the container's log lines."""
    rounds: dict[int, dict[str, float]] = {}
    for line in lines:
        match = _ROUND.match(line.strip())
        if not match:
            continue
        entry = rounds.setdefault(int(match[1]), {"round": float(match[1])})
        for item in re.split(r"#011|\t", match[2]):
            name, _, value = item.rpartition(":")
            data, _, metric = name.partition("-")
            try:
                entry[f"{data}:{metric}"] = float(value)
            except ValueError:
                continue
    return [rounds[number] for number in sorted(rounds)]


def logged_rounds(logs: Any, job: str) -> list[dict[str, float]]:
    """The per-round metrics in the job's log streams; [] where there is no such log."""
    from botocore.exceptions import ClientError

    try:
        streams = logs.describe_log_streams(logGroupName=LOG_GROUP, logStreamNamePrefix=job)
        lines: list[str] = []
        for stream in streams.get("logStreams", []):
            events = logs.get_log_events(
                logGroupName=LOG_GROUP, logStreamName=stream["logStreamName"], startFromHead=True
            )
            lines.extend(event["message"] for event in events.get("events", []))
    except ClientError:
        return []
    return parse_rounds(lines)


BUILDERS: dict[str, Callable[..., Facts]] = {
    "evaluation": evaluation,
    "split": split,
    "bucket": bucket,
    "training-request": training_request,
    "training-job": training_job,
}


def build(kind: str, **objects: Any) -> Facts:
    """The facts of one figure of ``kind``, read from the objects the step passed."""
    return BUILDERS[kind](**objects)
