"""What the XGBoost container reads and writes at ``POST /invocations``, per image version.

From aws/sagemaker-xgboost-container (``algorithm_mode/serve.py``, ``serve_utils.py``,
``data_utils.py``, ``encoder.py``, branch by branch):

- Request types: ``text/csv`` (``csv``; a ``label_size`` other than 1 is refused),
  ``text/libsvm`` / ``text/x-libsvm`` (``libsvm``), ``application/x-recordio-protobuf``
  (``recordio-protobuf``). Parquet is a training type only ("Content-type … is not
  supported."); anything else gets data_utils' "… is not an accepted ContentType: csv,
  libsvm, …". All of these are 415, as is a body that does not parse.
- Reply, images 1.2-2 and later (the branches with #269 "Add supported response accept
  encodings"): ``Accept`` ``text/csv`` (the default, and for ``*/*``) is
  sagemaker_containers' ``array_to_csv``: one value per line; ``application/json`` is
  ``{"predictions": [{"score": …}]}`` (#282); ``application/jsonlines`` one
  ``{"score": …}`` per line (``json_to_jsonlines``); other types 406 "Accept type … is
  not supported. Please use supported accept types: [...]".
- Reply, earlier images (0.72 to 1.2-1): always ``text/csv``, the predictions joined
  by commas, whatever the ``Accept``.
- Batch transform (``SAGEMAKER_BATCH`` set) replies one value per line, every version.

Not emulated: an ``application/x-recordio-protobuf`` reply (the container writes one
Record per prediction); the local server answers it 406, saying so.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import xgboost as xgb

from . import container_versions as versions
from . import recordio_protobuf
from . import xgboost_algorithm as algorithm
from .xgboost_algorithm import FloatMatrix, InferenceError

CSV, LIBSVM, RECORDIO, PARQUET = "csv", "libsvm", "recordio-protobuf", "parquet"
# data_utils.VALID_CONTENT_TYPES, in its order (the 415 text lists them so).
VALID_CONTENT_TYPES = (
    "csv",
    "libsvm",
    "parquet",
    "recordio-protobuf",
    "text/csv",
    "text/libsvm",
    "text/x-libsvm",
    "application/x-parquet",
    "application/x-recordio-protobuf",
)
_KINDS = {
    "csv": CSV,
    "text/csv": CSV,
    "libsvm": LIBSVM,
    "text/libsvm": LIBSVM,
    "text/x-libsvm": LIBSVM,
    "parquet": PARQUET,
    "application/x-parquet": PARQUET,
    "recordio-protobuf": RECORDIO,
    "application/x-recordio-protobuf": RECORDIO,
}
# serve.SUPPORTED_ACCEPTS
SUPPORTED_ACCEPTS = [
    "application/json",
    "application/jsonlines",
    "application/x-recordio-protobuf",
    "text/csv",
]


def _header(value: str) -> tuple[str, dict[str, str]]:
    """``cgi.parse_header``: the media type and its parameters."""
    media, *rest = value.split(";")
    params = {}
    for item in rest:
        key, _, val = item.partition("=")
        if key.strip():
            params[key.strip().lower()] = val.strip().strip('"')
    return media.strip(), params


def request_kind(content_type: str | None) -> str:
    """csv, libsvm or recordio-protobuf, or the container's 415."""
    if not content_type:
        return CSV  # no header: read as CSV, the tutorial's (and the SDK's) request type
    media, params = _header(content_type.lower())
    kind = _KINDS.get(media)
    if kind is None:
        raise InferenceError(
            415, f"{content_type} is not an accepted ContentType: {', '.join(VALID_CONTENT_TYPES)}."
        )
    if kind == CSV and params.get("label_size", "1") != "1":
        raise InferenceError(
            415,
            f"{content_type} is not an accepted csv ContentType. Optional parameter "
            "label_size must be equal to 1",
        )
    if kind == PARQUET:
        raise InferenceError(415, f"Content-type {content_type} is not supported.")
    return kind


def parse_libsvm(payload: bytes, width: int) -> FloatMatrix:
    """``serve_utils._get_sparse_matrix_from_libsvm``: ``index:value`` items per line, the
    leading label (an item without a colon) ignored; absent values are missing (NaN)."""
    try:
        text = payload.strip().decode("utf-8")
        rows: list[dict[int, float]] = []
        for line in text.split("\n"):
            row: dict[int, float] = {}
            for item in line.split(" "):
                if ":" in item:
                    index_text, value_text = item.split(":")[:2]
                    row[int(index_text)] = float(value_text)
            rows.append(row)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InferenceError(
            415,
            "Loading libsvm data failed with Exception, please ensure data is in libsvm "
            f"format:\n {type(exc)}\n {exc}",
        ) from None
    columns = max([width, *(max(row, default=-1) + 1 for row in rows)])
    matrix = np.full((len(rows), columns), np.nan)
    for number, parsed in enumerate(rows):
        for column, value in parsed.items():
            matrix[number, column] = value
    return matrix


def parse_recordio(payload: bytes, width: int) -> FloatMatrix:
    try:
        return recordio_protobuf.read_features(payload, width)
    except (recordio_protobuf.RecordIOError, IndexError, ValueError) as exc:
        raise InferenceError(
            415,
            "Loading recordio-protobuf data failed with Exception, please ensure data is in "
            f"recordio-protobuf format: {type(exc)} {exc}",
        ) from None


def _predict_sparse(booster: xgb.Booster, matrix: FloatMatrix) -> list[float]:
    """libsvm and recordio rows: no width check of the container's own, XGBoost's instead."""
    if matrix.shape[1] > booster.num_features():
        raise InferenceError(
            400,
            "Unable to evaluate payload provided: the data has "
            f"{matrix.shape[1]} features, the model {booster.num_features()}",
        )
    values: list[float] = algorithm.predict(booster, matrix).tolist()
    return values


def _parse_accept(accept: str | None) -> str:
    media, _ = _header(accept or "")
    if not media or media == "*/*":
        return "text/csv"
    if media.lower() not in SUPPORTED_ACCEPTS:
        raise InferenceError(
            406,
            f"Accept type {media} is not supported. Please use supported accept types: "
            f"{SUPPORTED_ACCEPTS}.",
        )
    return media.lower()


def _csv_lines(values: list[float]) -> bytes:
    return "".join(f"{value}\n" for value in values).encode()


_ENCODERS: dict[str, Callable[[list[float]], bytes]] = {
    "text/csv": _csv_lines,
    "application/json": lambda values: json.dumps(
        {"predictions": [{"score": value} for value in values]}
    ).encode(),
    "application/jsonlines": lambda values: "".join(
        json.dumps({"score": value}) + "\n" for value in values
    ).encode(),
}


def predictions(booster: xgb.Booster, payload: bytes, content_type: str | None) -> list[float]:
    """One prediction per record of ``payload``, read as ``content_type`` (or the 415/400)."""
    kind = request_kind(content_type)
    if kind == CSV:
        return list(algorithm.predict(booster, algorithm.parse_csv_payload(payload)).tolist())
    if kind == LIBSVM:
        return _predict_sparse(booster, parse_libsvm(payload, booster.num_features()))
    return _predict_sparse(booster, parse_recordio(payload, booster.num_features()))


def invoke(
    booster: xgb.Booster,
    payload: bytes,
    content_type: str | None,
    accept: str | None,
    version: str,
    *,
    batch: bool = False,
) -> tuple[bytes, str]:
    """The container's answer to ``POST /invocations``: (body, content type).

    The order of the checks is serve.py's: an empty body is 204 (an empty reply), then
    the request's type and body (415), the prediction (400), the Accept (406).
    """
    if not payload:
        return b"", "text/csv; charset=utf-8"
    values = predictions(booster, payload, content_type)
    if not versions.honours_accept(version):
        if batch:
            return _csv_lines(values), "text/csv; charset=utf-8"
        return ",".join(map(str, values)).encode(), "text/csv; charset=utf-8"
    wanted = _parse_accept(accept)
    if batch:
        return _csv_lines(values), f"{wanted}; charset=utf-8" if wanted == "text/csv" else wanted
    if wanted == "application/x-recordio-protobuf":
        raise InferenceError(
            406,
            "Accept type application/x-recordio-protobuf is not supported by the local "
            "SageMaker server (the container answers one Record per prediction). Please use "
            "text/csv, application/json or application/jsonlines.",
        )
    mimetype = "text/csv; charset=utf-8" if wanted == "text/csv" else wanted
    return _ENCODERS[wanted](values), mimetype
