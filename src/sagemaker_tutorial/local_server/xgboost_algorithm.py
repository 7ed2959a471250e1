"""SageMaker's built-in XGBoost algorithm, as its container behaves, with no HTTP in sight.

The local server's training jobs and endpoints must compute what the real container
computes and fail the way it fails, so that a user who runs the tutorial locally
meets the same answers and the same error texts as on AWS. This module is that
contract: which container version an image is, which hyperparameters it takes,
how it reads the train channel's CSV, how it trains, what model.tar.gz holds, and
how an endpoint turns a text/csv request into a reply.

Where the texts come from (sources read through the code search of public repositories,
aws/sagemaker-xgboost-container, versions 0.90-1 to 3.x; the legacy 0.72 image is closed
source, so it is assumed to behave like 0.90 except where noted):

- Hyperparameter errors are sagemaker_algorithm_toolkit's ``UserError`` texts
  (``hyperparameter_validation.py``): "Extraneous hyperparameter found: silent",
  "Missing required hyperparameter: num_round", "Hyperparameter eta: could not parse
  value (caused by ValueError)", "Hyperparameter eta: 2.0 is not in [0, 1]". The 1.x
  tables no longer list ``silent``; 0.90's still did.
- A toolkit error reaches DescribeTrainingJob through sagemaker_containers'
  ``_trainer.train``: ``"framework error: \\n%s\\n%s" % (traceback, str(e))``, which
  SageMaker prefixes with "AlgorithmError: " (seen in aws/amazon-sagemaker-examples
  issue 1740: "Failed. Reason: AlgorithmError: framework error: \\nTraceback ...
  KeyError: 'silent'"). This module keeps the traceback's last line only.
- Data errors are ``data_utils.py``'s: "Failed to load csv data with exception:\\n...",
  "No data in training channel path /opt/ml/input/data/train", "Hidden file found in
  the data path! Remove that before training.", "Missing required channel: train".
- Serving is ``serve.py``/``serve_utils.py`` (the request types and reply formats
  per image version are in inference_formats.py). A payload that is not numeric CSV
  answers 415 "Loading csv data failed with Exception, please ensure data is in csv
  format:\\n <class 'ValueError'>\\n could not convert string to float: 'x'"; a payload
  with the wrong number of features answers 400 "Unable to evaluate payload provided:
  Feature size of csv inference data 32 is not consistent with feature size of trained
  model 31" (the text a user quotes from a real endpoint, in a test of
  a public repository calling SageMaker).
"""

from __future__ import annotations

import csv
import io
import math
import re
import tarfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xgboost as xgb

from . import archive
from . import container_versions as versions

FloatMatrix = npt.NDArray[np.float64]
# Training data is parsed to float32, the precision XGBoost stores it in anyway.
TrainMatrix = npt.NDArray[np.float32]

MODEL_MEMBER = "xgboost-model"
TRAIN_CHANNEL = "train"
VALIDATION_CHANNEL = "validation"
# Where the container finds a channel's files; its error texts name these paths.
CHANNEL_PATH = "/opt/ml/input/data/{}"
# DescribeTrainingJob's FailureReason is at most 1024 characters.
MAX_FAILURE_REASON = 1024
# XGBoost's own default; the container passes no other unless the job sets `seed`.
DEFAULT_SEED = 0

_TOOLKIT = "sagemaker_algorithm_toolkit.exceptions"


class TrainingFailure(Exception):
    """A reason for a training job to end Failed; ``failure_reason`` is what AWS shows."""

    @property
    def failure_reason(self) -> str:
        raise NotImplementedError


class ClientError(TrainingFailure):
    """A failure SageMaker itself reports before or around the container (data, image)."""

    @property
    def failure_reason(self) -> str:
        return f"ClientError: {self}"[:MAX_FAILURE_REASON]


class ContainerError(TrainingFailure):
    """An exception raised inside the algorithm container, reported as its trainer does.

    ``exception_class`` is the class the real container raises (a toolkit ``UserError``,
    ``AlgorithmError``, or a plain ``RuntimeError``); the failure reason is the
    "framework error" text with the traceback cut down to its last line.
    """

    def __init__(self, message: str, exception_class: str = f"{_TOOLKIT}.UserError") -> None:
        super().__init__(message)
        self.exception_class = exception_class

    @property
    def failure_reason(self) -> str:
        text = str(self)
        reason = f"AlgorithmError: framework error: \n{self.exception_class}: {text}\n\n{text}"
        return reason[:MAX_FAILURE_REASON]


def _user_error(message: str) -> ContainerError:
    return ContainerError(message, f"{_TOOLKIT}.UserError")


def _algorithm_error(message: str) -> ContainerError:
    return ContainerError(message, f"{_TOOLKIT}.AlgorithmError")


# --- container versions ---------------------------------------------------------------


def container_version(image_uri: str) -> str:
    """The XGBoost container version an image URI names (container_versions' rule).

    An image that is not one of the published XGBoost images is not an image this
    server can run, and fails the job as SageMaker would fail on an image it cannot start.
    """
    version = versions.container_version(image_uri)
    if version not in versions.SUPPORTED_VERSIONS:
        raise ClientError(
            f"The local SageMaker server runs the built-in XGBoost algorithm only; the image "
            f"'{image_uri}' is not one of its images (known versions: "
            f"{', '.join(versions.SUPPORTED_VERSIONS)})."
        )
    assert version is not None
    return version


# --- hyperparameters ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Interval:
    """A numeric range, printed as the toolkit prints it: "[0, 1]", "(0, +inf)"."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)

    def __str__(self) -> str:
        low = "(-inf" if self.low is None else f"{'(' if self.low_open else '['}{_num(self.low)}"
        high = (
            "+inf)" if self.high is None else f"{_num(self.high)}{')' if self.high_open else ']'}"
        )
        return f"{low}, {high}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class _Spec:
    """One hyperparameter: how to parse its string and which values it accepts."""

    kind: type[Any]
    valid: _Interval | tuple[str, ...] | None = None
    required: bool = False


_OBJECTIVES = (
    "binary:logistic",
    "binary:logitraw",
    "binary:hinge",
    "count:poisson",
    "multi:softmax",
    "multi:softprob",
    "rank:pairwise",
    "rank:ndcg",
    "rank:map",
    "reg:linear",
    "reg:squarederror",
    "reg:logistic",
    "reg:gamma",
    "reg:pseudohubererror",
    "reg:squaredlogerror",
    "reg:tweedie",
    "survival:aft",
    "survival:cox",
)
_METRICS = [
    "accuracy",
    "auc",
    "aucpr",
    "balanced_accuracy",
    "f1",
    "f1_binary",
    "f1_macro",
    "map",
    "ndcg",
    "precision",
    "r2",
    "recall",
    "precision_macro",
    "precision_micro",
    "recall_macro",
    "recall_micro",
    "aft-nloglik",
    "cox-nloglik",
    "error",
    "gamma-deviance",
    "gamma-nloglik",
    "interval-regression-accuracy",
    "logloss",
    "mae",
    "mape",
    "merror",
    "mlogloss",
    "mphe",
    "mse",
    "poisson-nloglik",
    "rmse",
    "rmsle",
    "tweedie-nloglik",
]
_UNIT = _Interval(0, 1)
_NON_NEGATIVE = _Interval(0)
_FRACTION = _Interval(0, 1, low_open=True)

# The container's table (algorithm_mode/hyperparameter_validation.py), less the entries
# this server cannot honour (k-fold cross-validation, checkpointing switches); those and
# any other name fail as "Extraneous hyperparameter found".
_HYPERPARAMETERS: dict[str, _Spec] = {
    "num_round": _Spec(int, _Interval(1), required=True),
    "csv_weights": _Spec(int, _Interval(0, 1)),
    "early_stopping_rounds": _Spec(int, _Interval(1)),
    "booster": _Spec(str, ("gbtree", "gblinear", "dart")),
    "verbosity": _Spec(int, _Interval(0, 3)),
    "nthread": _Spec(int, _Interval(1)),
    "eta": _Spec(float, _UNIT),
    "gamma": _Spec(float, _NON_NEGATIVE),
    "max_depth": _Spec(int, _NON_NEGATIVE),
    "min_child_weight": _Spec(float, _NON_NEGATIVE),
    "max_delta_step": _Spec(float, _NON_NEGATIVE),
    "subsample": _Spec(float, _FRACTION),
    "colsample_bytree": _Spec(float, _FRACTION),
    "colsample_bylevel": _Spec(float, _FRACTION),
    "colsample_bynode": _Spec(float, _FRACTION),
    "lambda": _Spec(float, _NON_NEGATIVE),
    "alpha": _Spec(float, _NON_NEGATIVE),
    "tree_method": _Spec(str, ("auto", "exact", "approx", "hist", "gpu_hist")),
    "sketch_eps": _Spec(float, _Interval(0, 1, low_open=True, high_open=True)),
    "scale_pos_weight": _Spec(float, _Interval(0, low_open=True)),
    "updater": _Spec(str),
    "dsplit": _Spec(str, ("row", "col")),
    "refresh_leaf": _Spec(int, _Interval(0, 1)),
    "process_type": _Spec(str, ("default", "update")),
    "grow_policy": _Spec(str, ("depthwise", "lossguide")),
    "max_leaves": _Spec(int, _NON_NEGATIVE),
    "max_bin": _Spec(int, _NON_NEGATIVE),
    "predictor": _Spec(str, ("auto", "cpu_predictor", "gpu_predictor")),
    "monotone_constraints": _Spec(str),
    "interaction_constraints": _Spec(str),
    "sample_type": _Spec(str, ("uniform", "weighted")),
    "normalize_type": _Spec(str, ("tree", "forest")),
    "rate_drop": _Spec(float, _UNIT),
    "one_drop": _Spec(int, _Interval(0, 1)),
    "skip_drop": _Spec(float, _UNIT),
    "lambda_bias": _Spec(float, _UNIT),
    "tweedie_variance_power": _Spec(float, _Interval(1, 2, low_open=True, high_open=True)),
    "objective": _Spec(str, _OBJECTIVES),
    "num_class": _Spec(int, _Interval(2)),
    "base_score": _Spec(float, _NON_NEGATIVE),
    "eval_metric": _Spec(str),
    "seed": _Spec(int, _Interval(-(2**31), 2**31 - 1, low_open=True, high_open=True)),
    "num_parallel_tree": _Spec(int, _Interval(1)),
}
_LEGACY_ONLY: dict[str, _Spec] = {"silent": _Spec(int, _Interval(0, 1))}
# Read by the container itself, never handed to xgboost.train as a parameter.
_CONTAINER_KEYS = ("num_round", "csv_weights", "early_stopping_rounds", "silent")


@dataclass(frozen=True)
class TrainingConfig:
    """A job's hyperparameters once the container has validated them."""

    version: str
    params: dict[str, Any]
    num_round: int
    early_stopping_rounds: int | None = None
    csv_weights: int = 0


def _parse_value(name: str, spec: _Spec, text: str) -> Any:
    try:
        value: Any = spec.kind(text)
        if spec.kind is float and not math.isfinite(value):
            raise ValueError(text)
    except ValueError:
        raise _user_error(
            f"Hyperparameter {name}: could not parse value (caused by ValueError)"
        ) from None
    if isinstance(spec.valid, _Interval) and value not in spec.valid:
        raise _user_error(f"Hyperparameter {name}: {value} is not in {spec.valid}")
    if isinstance(spec.valid, tuple) and value not in spec.valid:
        raise _user_error(f"Hyperparameter {name}: {value} is not in {list(spec.valid)}")
    return value


def _check_eval_metric(text: str, objective: str | None) -> list[str]:
    metrics = text.split(",")
    for metric in metrics:
        if metric.split("@")[0].strip() not in _METRICS:
            raise _user_error(
                f"Hyperparameter eval_metric: value {metrics} not in range {_METRICS}"
            )
    if "auc" in metrics and not str(objective).startswith(("binary:", "rank:")):
        raise _user_error(
            "Metric 'auc' can only be applied for classification and ranking problems."
        )
    return metrics


def parse_hyperparameters(hyperparameters: Mapping[str, str], version: str) -> TrainingConfig:
    """Validate a job's hyperparameters (strings, as SageMaker passes them) for ``version``.

    The checks run in the container's order: required ones first, then each value's
    type, then its range, then the dependencies between them.
    """
    table = dict(_HYPERPARAMETERS)
    if versions.accepts_silent(version):
        table.update(_LEGACY_ONLY)
    for name, spec in table.items():
        if spec.required and name not in hyperparameters:
            raise _user_error(f"Missing required hyperparameter: {name}")
    parsed: dict[str, Any] = {}
    for name, text in hyperparameters.items():
        if name not in table:
            raise _user_error(f"Extraneous hyperparameter found: {name}")
        parsed[name] = _parse_value(name, table[name], str(text))

    objective = parsed.get("objective")
    if objective in ("multi:softmax", "multi:softprob") and "num_class" not in parsed:
        raise _user_error("Require input for parameter 'num_class' for multi-classification")
    if "eval_metric" in parsed:
        parsed["eval_metric"] = _check_eval_metric(parsed["eval_metric"], objective)

    params = {key: value for key, value in parsed.items() if key not in _CONTAINER_KEYS}
    params.setdefault("seed", DEFAULT_SEED)
    # No log stream exists here (there is no CloudWatch): xgboost stays quiet whatever the
    # job's `verbosity` or legacy `silent` says, both of which only govern logging.
    params["verbosity"] = 0
    return TrainingConfig(
        version=version,
        params=params,
        num_round=int(parsed["num_round"]),
        early_stopping_rounds=parsed.get("early_stopping_rounds"),
        csv_weights=int(parsed.get("csv_weights", 0)),
    )


# --- channels and data -----------------------------------------------------------------

# data_utils.VALID_CONTENT_TYPES: what the container accepts for a channel.
_CSV_TYPES = ("csv", "text/csv")
_OTHER_TYPES = (
    "libsvm",
    "parquet",
    "recordio-protobuf",
    "text/libsvm",
    "text/x-libsvm",
    "application/x-parquet",
    "application/x-recordio-protobuf",
)
# channel_validation.py: without ContentType a channel is LIBSVM.
DEFAULT_CONTENT_TYPE = "text/libsvm"


@dataclass(frozen=True)
class Channel:
    """One input channel of a job as the container sees it (its name and its config)."""

    name: str
    content_type: str | None = None
    input_mode: str = "File"
    distribution: str = "FullyReplicated"


def check_channels(channels: Sequence[Channel]) -> None:
    """The container's channel validation: train is required, only train/validation exist,
    and each channel's content type is one the container reads (this server: CSV only)."""
    names = [channel.name for channel in channels]
    if TRAIN_CHANNEL not in names:
        raise _user_error(f"Missing required channel: {TRAIN_CHANNEL}")
    for channel in channels:
        if channel.name not in (TRAIN_CHANNEL, VALIDATION_CHANNEL):
            raise _user_error(f"Extraneous channel found: {channel.name}")
        content_type = channel.content_type or DEFAULT_CONTENT_TYPE
        media_type = content_type.split(";")[0].strip().lower()
        if media_type in _CSV_TYPES:
            continue
        if media_type in _OTHER_TYPES:
            raise ClientError(
                f"The local SageMaker server reads CSV training data only; channel "
                f"'{channel.name}' has ContentType '{content_type}' (set ContentType to "
                f"'text/csv' or 'csv')."
            )
        config = {
            "ContentType": content_type,
            "TrainingInputMode": channel.input_mode,
            "S3DistributionType": channel.distribution,
        }
        raise _user_error(
            f"Channel configuration for '{channel.name}' channel is not supported: {config}"
        )


@dataclass(frozen=True)
class Dataset:
    """A channel's rows: the label (first column), optional weights, the features."""

    labels: TrainMatrix
    features: TrainMatrix
    weights: TrainMatrix | None = None

    @property
    def rows(self) -> int:
        return int(self.features.shape[0])


def _sniff_delimiter(line: str) -> str:
    try:
        delimiter = csv.Sniffer().sniff(line).delimiter
    except csv.Error as exc:
        raise _user_error(f"Could not determine delimiter on line {line[:50]}:\n{exc}") from None
    # The serving side's rule (encoder.csv_to_dmatrix): a "letter" delimiter means ",".
    return "," if delimiter.isalnum() else delimiter


def _parse_csv(data: bytes, delimiter: str) -> TrainMatrix:
    try:
        frame = pd.read_csv(
            io.BytesIO(data), header=None, sep=delimiter, dtype=np.float32, engine="c"
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise _user_error(f"Failed to load csv data with exception:\n{exc}") from None
    matrix: TrainMatrix = frame.to_numpy(dtype=np.float32)
    # pandas pads a short row with NaN; the container's parser rejects it. With every row
    # no longer than the first (pandas refuses longer ones), the delimiter count is exact.
    rows, columns = matrix.shape
    if data.count(delimiter.encode()) != rows * (columns - 1):
        raise _user_error(
            "Failed to load csv data with exception:\n"
            f"rows have different numbers of fields (the first row has {columns})"
        )
    return matrix


def read_csv_channel(
    files: Sequence[tuple[str, bytes]], channel: str = TRAIN_CHANNEL, csv_weights: int = 0
) -> Dataset | None:
    """A channel's data from its files (name, bytes) in key order; None if it has none.

    Label first, no header, no index: the built-in algorithm's CSV. Files are read as
    one table, as the container hands its channel folder to XGBoost in one piece.
    """
    for name, _ in files:
        if name.rsplit("/", 1)[-1].startswith("."):
            raise _user_error("Hidden file found in the data path! Remove that before training.")
    parts = [data if data.endswith(b"\n") else data + b"\n" for _, data in files if data]
    if not parts:
        return None
    data = b"".join(parts)
    first_line = data.split(b"\n", 1)[0].decode("utf-8", errors="ignore").rstrip("\r")
    matrix = _parse_csv(data, _sniff_delimiter(first_line))
    first_feature = 2 if csv_weights == 1 else 1
    if matrix.shape[1] <= first_feature:
        raise _user_error(
            f"Failed to load csv data with exception:\nthe {channel} channel's rows have "
            f"{matrix.shape[1]} column(s): a label{' and a weight' if csv_weights else ''} "
            "and no features"
        )
    # Contiguous copies: XGBoost builds its DMatrix from them about twice as fast.
    return Dataset(
        labels=np.ascontiguousarray(matrix[:, 0]),
        features=np.ascontiguousarray(matrix[:, first_feature:]),
        weights=np.ascontiguousarray(matrix[:, 1]) if csv_weights == 1 else None,
    )


def no_data_error(channel: str = TRAIN_CHANNEL) -> ContainerError:
    """The container's failure when a single host finds nothing in a channel."""
    label = "training" if channel == TRAIN_CHANNEL else channel
    return _user_error(f"No data in {label} channel path {CHANNEL_PATH.format(channel)}")


# --- training ------------------------------------------------------------------------------

# xgb_constants.CUSTOMER_ERRORS: XGBoost failures the container blames on the user
# (a UserError, not an AlgorithmError). The container matches fixed strings written
# for XGBoost 1.x; XGBoost's wording has moved since (3.2 says "base_score must be in
# (0,1) for the logistic loss" when every label is out of range, "label must be in
# (0, 1) for logistic regression" when some are, and "Label contains NaN, infinity or
# a value too large" for a NaN label), so each is a pattern that matches the old
# wording and the installed XGBoost's (tests/test_serve_failures.py makes XGBoost
# fail and checks its own messages against these).
_CUSTOMER_ERRORS = tuple(
    re.compile(pattern)
    for pattern in (
        r"label must be in [\[(]0, ?1[\])] for logistic regression",
        r"label must be in \[0, num_class\)",
        r"Target is multiclass but average='binary'",
        r"feature_names mismatch",
        r"Check failed: preds\.size\(\) == info\.labels_?\.size\(\)",
        r"AUC: the dataset only contains pos or neg samples",
        r"base_score must be in \(0, ?1\) for (the )?logistic loss",
        r"label must be nonnegative",
        r"Label contains NaN, infinity or a value too large",
        r"Parameter reg_lambda should be greater equal to 0",
    )
)


def is_customer_error(text: str) -> bool:
    """Whether the container reports this XGBoost error as the user's (UserError)."""
    return any(pattern.search(text) for pattern in _CUSTOMER_ERRORS)


@dataclass
class Inputs:
    """A job's datasets, handed over to ``train``, which lets go of them (sets them to
    None) as soon as XGBoost holds its own copy: a job's peak memory is then the
    matrices XGBoost trains on, not those plus the parsed CSV."""

    train: Dataset | None
    validation: Dataset | None = None


@dataclass
class TrainedModel:
    """What a finished job leaves: the booster and the last value of each metric."""

    booster: xgb.Booster
    final_metrics: dict[str, float] = field(default_factory=dict)
    # One line per boosting round, as the container prints it (training_logs.py).
    rounds: list[str] = field(default_factory=list)


class _StopWhen(xgb.callback.TrainingCallback):
    """Ends boosting between two rounds once the job has been asked to stop."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        super().__init__()
        self._should_stop = should_stop
        self.stopped = False

    def after_iteration(self, model: Any, epoch: int, evals_log: Any) -> bool:
        self.stopped = self._should_stop()
        return self.stopped


def _dmatrix(dataset: Dataset, nthread: int | None) -> xgb.DMatrix:
    return xgb.DMatrix(
        dataset.features, label=dataset.labels, weight=dataset.weights, nthread=nthread
    )


def train(
    config: TrainingConfig,
    inputs: Inputs,
    should_stop: Callable[[], bool] | None = None,
    default_threads: int | None = None,
) -> TrainedModel | None:
    """Boost ``num_round`` rounds as the container's ``train_job`` does; None if stopped.

    Deterministic for a given input: the seed is the job's ``seed`` or 0.
    ``default_threads`` applies when the job sets no ``nthread`` (XGBoost's own
    default is every core, which the container has to itself on its instance).

    The container evaluates its watchlist (train, and validation if any) every round
    and prints one line per round (its training log, ``TrainedModel.rounds``); the
    last values reach DescribeTrainingJob (FinalMetricDataList).
    """
    params = dict(config.params)
    if default_threads is not None:
        params.setdefault("nthread", default_threads)
    threads = params.get("nthread")
    early_stopping = config.early_stopping_rounds if inputs.validation is not None else None
    stopper = _StopWhen(should_stop or (lambda: False))
    if inputs.train is None:
        raise ValueError("train() needs the train channel's data")
    history: dict[str, dict[str, list[float]]] = {}
    try:
        # XGBoost checks the labels (NaN, infinity) as it builds the matrix: inside the try.
        dtrain = _dmatrix(inputs.train, threads)
        inputs.train = None
        evals = [(dtrain, TRAIN_CHANNEL)]
        if inputs.validation is not None:
            evals.append((_dmatrix(inputs.validation, threads), VALIDATION_CHANNEL))
            inputs.validation = None
        booster = xgb.train(
            params,
            dtrain,
            num_boost_round=config.num_round,
            evals=evals,
            evals_result=history,
            early_stopping_rounds=early_stopping,
            callbacks=[stopper],
            verbose_eval=False,
        )
        if stopper.stopped:
            return None
        report = booster.eval_set(evals)
    except xgb.core.XGBoostError as exc:
        text = str(exc).split("\nStack trace:")[0]
        if is_customer_error(text):
            raise _user_error(text) from None
        raise _algorithm_error(f"XGB train call failed with exception:\n {text}") from None
    return TrainedModel(booster, _final_metrics(report), _round_lines(history))


def _round_lines(history: Mapping[str, Mapping[str, list[float]]]) -> list[str]:
    """XGBoost's per-round report, as the container's log shows it in CloudWatch:
    ``[3]#011train-logloss:0.41234#011validation-logloss:0.42345`` (the tab escaped
    as ``#011`` by the log driver; five decimals, XGBoost's EvaluationMonitor format)."""
    series = [
        (f"{data}-{metric}", values)
        for data, metrics in history.items()
        for metric, values in metrics.items()
    ]
    rounds = min((len(values) for _, values in series), default=0)
    return [
        f"[{number}]" + "".join(f"#011{name}:{values[number]:.5f}" for name, values in series)
        for number in range(rounds)
    ]


def _final_metrics(report: str) -> dict[str, float]:
    """``{"train:logloss": 0.27}`` from XGBoost's "[0]\ttrain-logloss:0.27" report."""
    metrics: dict[str, float] = {}
    for entry in report.split("\t")[1:]:
        name, _, value = entry.rpartition(":")
        data, _, metric = name.partition("-")
        metrics[f"{data}:{metric}"] = float(value)
    return metrics


def model_artifact(booster: xgb.Booster) -> bytes:
    """model.tar.gz as the container leaves it: one member, ``xgboost-model``.

    The member's bytes are what ``Booster.save_model("xgboost-model")`` writes (UBJSON
    in XGBoost 3), taken from memory so no temporary file and no format warning.
    """
    raw = bytes(booster.save_raw(raw_format="ubj"))
    buffer = io.BytesIO()
    # gzip's usual level (tar czf's): a tenth of level 9's time for 7% more bytes.
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        member = tarfile.TarInfo(MODEL_MEMBER)
        member.size = len(raw)
        member.mode = 0o644
        tar.addfile(member, io.BytesIO(raw))
    return buffer.getvalue()


def load_model_artifact(data: bytes) -> xgb.Booster:
    """The booster inside a model.tar.gz (its ``xgboost-model``, else its first file).

    The archive is read within archive.py's caps (``archive.ArchiveError`` otherwise);
    a file XGBoost cannot load raises ``xgb.core.XGBoostError``.
    """
    raw = archive.model_file(data)
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))
    # The serving container predicts on one thread per worker.
    booster.set_param({"nthread": 1})
    return booster


# --- inference -------------------------------------------------------------------------------


class InferenceError(Exception):
    """The container's error answer to an invocation: its HTTP status and body text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _float_error(rows: list[list[str]]) -> str:
    for row in rows:
        for value in row:
            try:
                float(value)
            except ValueError:
                return f"could not convert string to float: {value!r}"
    return "could not convert the rows to a matrix"


# Bytes a payload of plain numbers is made of: digits, '.', exponents, signs, ',' and LF.
_PLAIN_NUMBERS = re.compile(rb"[0-9.eE+\-,\n]+")
# Every float exactly as Python's float() parses it: pandas 3.1 always does (fast_float)
# and deprecates the switch that earlier versions needed for it.
_EXACT_FLOATS: dict[str, Any] = (
    {}
    if tuple(int(part) for part in pd.__version__.split(".")[:2]) >= (3, 1)
    else {"float_precision": "round_trip"}
)


def _plain_numbers(payload: bytes) -> FloatMatrix | None:
    """The payload read by pandas' C parser, when that is sure to be the container's result.

    The container's own reading (below) converts every field from a Python string,
    0.18 s for the tutorial's 12,357 test rows; pandas takes 0.03 s. They agree on
    payloads of plain numbers in equal rows, no field empty, ',' sniffed as the
    delimiter, and every field parsed as Python's ``float`` parses it (_EXACT_FLOATS).
    Anything else (an error included) is None, and the
    container's way reads it.
    """
    text = payload.strip()
    if not _PLAIN_NUMBERS.fullmatch(text):
        return None
    if (
        text.startswith(b",")
        or text.endswith(b",")
        or any(pair in text for pair in (b",,", b",\n", b"\n,", b"\n\n"))
    ):
        return None  # an empty field: the container reads it as NaN
    first_line = text.split(b"\n", 1)[0][:512].decode("ascii")
    try:
        if csv.Sniffer().sniff(first_line).delimiter != ",":
            return None
        matrix: FloatMatrix = pd.read_csv(
            io.BytesIO(text),
            header=None,
            dtype=np.float64,
            na_filter=False,
            **_EXACT_FLOATS,
        ).to_numpy()
    except (csv.Error, ValueError, pd.errors.ParserError):
        return None
    rows = text.count(b"\n") + 1
    if matrix.shape[0] != rows or matrix.size != text.count(b",") + rows:
        return None  # a short row, which pandas fills with NaN and the container refuses
    return matrix


def parse_csv_payload(payload: bytes) -> FloatMatrix:
    """An invocation's text/csv body as the serving container reads it (encoder.py).

    Rows split on newlines and on the delimiter sniffed from the first line; an empty
    field is a missing value. Errors carry the container's 415 text.
    """
    plain = _plain_numbers(payload)
    if plain is not None:
        return plain
    prefix = "Loading csv data failed with Exception, please ensure data is in csv format:"
    try:
        text = payload.strip().decode("utf-8")
        delimiter = csv.Sniffer().sniff(text.split("\n")[0][:512]).delimiter
        delimiter = "," if delimiter.isalnum() else delimiter
        rows = [
            ["nan" if v == "" else v for v in line.split(delimiter)] for line in text.split("\n")
        ]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InferenceError(415, f"{prefix}\n {type(exc)}\n {exc}") from None
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        message = (
            "setting an array element with a sequence. The requested array has an "
            "inhomogeneous shape after 1 dimensions. The detected shape was "
            f"({len(rows)},) + inhomogeneous part."
        )
        raise InferenceError(415, f"{prefix}\n {ValueError}\n {message}")
    try:
        matrix: FloatMatrix = np.array(rows, dtype=np.float64)
    except ValueError:
        raise InferenceError(415, f"{prefix}\n {ValueError}\n {_float_error(rows)}") from None
    return matrix


def predict(booster: xgb.Booster, matrix: FloatMatrix) -> npt.NDArray[np.float32]:
    """One prediction per row (a probability for binary:logistic), as the container predicts.

    The feature count must match the model's; the container's check is the one users
    meet (400 "Unable to evaluate payload provided: ...").
    """
    expected, given = booster.num_features(), int(matrix.shape[1])
    if expected != given:
        raise InferenceError(
            400,
            "Unable to evaluate payload provided: Feature size of csv inference data "
            f"{given} is not consistent with feature size of trained model {expected}",
        )
    best = booster.attr("best_iteration")
    limit = (0, int(best) + 1) if best is not None else (0, 0)
    try:
        predictions: npt.NDArray[np.float32] = booster.predict(
            xgb.DMatrix(matrix), iteration_range=limit, validate_features=False
        )
    except xgb.core.XGBoostError as exc:
        # e.g. inf or 1e309 in a row: "Input data contains `inf` or a value too large".
        text = str(exc).split("\nStack trace:")[0]
        raise InferenceError(400, f"Unable to evaluate payload provided: {text}") from None
    return predictions
