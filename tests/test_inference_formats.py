"""Invocations read and answered as the XGBoost container does, for the model's image version.

The expected texts are the container's (aws/sagemaker-xgboost-container serve.py,
serve_utils.py, data_utils.py); the expected numbers are the trained booster's own
predictions, read from the artifact the job wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import local_aws
import numpy as np
import pytest
import xgboost as xgb
from botocore.exceptions import ClientError
from local_aws import Aws

from sagemaker_tutorial.local_server.recordio_protobuf import read_features

pytestmark = pytest.mark.moto_only

DATA = Path(__file__).parent / "data"
# The rows tests/data/record_serializer_*.bin hold (see tests/data/README.md).
SERIALIZED_ROWS = np.array([[0.5, 1.25, -2.0, 0.0], [3.0, 0.125, 7.5, 1.0], [0.0, 0.0, 0.0, 0.0]])
SPARSE_ROWS = np.array([[0.5, np.nan, -2.0, np.nan], [np.nan, 0.125, np.nan, 1.0]])


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


@pytest.fixture
def job(aws: Aws) -> dict[str, Any]:
    x, y = local_aws.dataset()
    finished = local_aws.train(aws, local_aws.to_csv(x, y))
    assert finished["TrainingJobStatus"] == "Completed", finished.get("FailureReason")
    return finished


@pytest.fixture
def booster(aws: Aws, job: dict[str, Any]) -> xgb.Booster:
    return local_aws.booster(aws, job)


def invoke(aws: Aws, endpoint: str, body: bytes, content_type: str, **kwargs: Any) -> Any:
    answer = aws.runtime.invoke_endpoint(
        EndpointName=endpoint, Body=body, ContentType=content_type, **kwargs
    )
    return answer["ContentType"], answer["Body"].read().decode()


def model_error(aws: Aws, endpoint: str, body: bytes, content_type: str, **kwargs: Any) -> Any:
    with pytest.raises(ClientError) as refused:
        aws.runtime.invoke_endpoint(
            EndpointName=endpoint, Body=body, ContentType=content_type, **kwargs
        )
    response = refused.value.response
    return response["Error"]["Code"], response["OriginalStatusCode"], response["OriginalMessage"]


def expected(booster: xgb.Booster, rows: np.ndarray) -> list[float]:
    values: list[float] = booster.predict(xgb.DMatrix(rows)).tolist()
    return values


def test_the_reader_reads_what_the_sdks_record_serializer_wrote() -> None:
    for name in ("record_serializer_float64.bin", "record_serializer_float32.bin"):
        assert read_features((DATA / name).read_bytes()).tolist() == SERIALIZED_ROWS.tolist()
    sparse = read_features((DATA / "record_sparse_float32.bin").read_bytes())
    assert np.array_equal(sparse, SPARSE_ROWS, equal_nan=True)


def test_a_1_7_1_model_answers_text_csv_one_value_per_line(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset()
    content_type, body = invoke(
        aws, local_aws.deploy(aws, job), local_aws.to_csv(x[:5]), "text/csv"
    )
    assert content_type == "text/csv; charset=utf-8"
    assert body == "".join(f"{value}\n" for value in expected(booster, x[:5]))


def test_a_1_2_1_model_answers_comma_separated_whatever_the_accept(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset()
    endpoint = local_aws.deploy(aws, job, image=local_aws.IMAGE_1_2_1)
    content_type, body = invoke(
        aws, endpoint, local_aws.to_csv(x[:5]), "text/csv", Accept="application/json"
    )
    assert content_type == "text/csv; charset=utf-8"
    assert body == ",".join(str(value) for value in expected(booster, x[:5]))


@pytest.mark.parametrize("content_type", ["text/libsvm", "text/x-libsvm", "libsvm"])
def test_libsvm_rows_are_scored_like_the_same_rows_in_csv(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster, content_type: str
) -> None:
    x, _ = local_aws.dataset()
    lines = [
        "0 " + " ".join(f"{column}:{value}" for column, value in enumerate(row)) for row in x[:4]
    ]
    _, body = invoke(aws, local_aws.deploy(aws, job), "\n".join(lines).encode(), content_type)
    assert [float(v) for v in body.split()] == expected(booster, x[:4])


@pytest.mark.parametrize(
    ("fixture", "rows"),
    [
        ("record_serializer_float64.bin", SERIALIZED_ROWS),
        ("record_sparse_float32.bin", SPARSE_ROWS),
    ],
)
def test_recordio_protobuf_from_the_sdk_is_scored_row_by_row(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster, fixture: str, rows: np.ndarray
) -> None:
    _, body = invoke(
        aws,
        local_aws.deploy(aws, job),
        (DATA / fixture).read_bytes(),
        "application/x-recordio-protobuf",
    )
    assert [float(v) for v in body.split()] == expected(booster, rows)


def test_accept_application_json_answers_predictions_with_scores(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset()
    content_type, body = invoke(
        aws,
        local_aws.deploy(aws, job),
        local_aws.to_csv(x[:3]),
        "text/csv",
        Accept="application/json",
    )
    assert content_type == "application/json"
    assert json.loads(body) == {"predictions": [{"score": v} for v in expected(booster, x[:3])]}


def test_accept_application_jsonlines_answers_one_score_per_line(
    aws: Aws, job: dict[str, Any], booster: xgb.Booster
) -> None:
    x, _ = local_aws.dataset()
    content_type, body = invoke(
        aws,
        local_aws.deploy(aws, job),
        local_aws.to_csv(x[:3]),
        "text/csv",
        Accept="application/jsonlines",
    )
    assert content_type == "application/jsonlines"
    assert [json.loads(line) for line in body.splitlines()] == [
        {"score": v} for v in expected(booster, x[:3])
    ]


def test_a_request_type_the_container_does_not_read_is_its_415(
    aws: Aws, job: dict[str, Any]
) -> None:
    assert model_error(aws, local_aws.deploy(aws, job), b'{"x": 1}', "application/json") == (
        "ModelError",
        415,
        "application/json is not an accepted ContentType: csv, libsvm, parquet, "
        "recordio-protobuf, text/csv, text/libsvm, text/x-libsvm, application/x-parquet, "
        "application/x-recordio-protobuf.",
    )


def test_parquet_is_a_training_type_only(aws: Aws, job: dict[str, Any]) -> None:
    assert model_error(aws, local_aws.deploy(aws, job), b"PAR1", "application/x-parquet") == (
        "ModelError",
        415,
        "Content-type application/x-parquet is not supported.",
    )


def test_an_accept_the_container_does_not_write_is_its_406(aws: Aws, job: dict[str, Any]) -> None:
    x, _ = local_aws.dataset()
    assert model_error(
        aws, local_aws.deploy(aws, job), local_aws.to_csv(x[:2]), "text/csv", Accept="text/html"
    ) == (
        "ModelError",
        406,
        "Accept type text/html is not supported. Please use supported accept types: "
        "['application/json', 'application/jsonlines', 'application/x-recordio-protobuf', "
        "'text/csv'].",
    )


def test_bytes_that_are_not_recordio_are_its_415(aws: Aws, job: dict[str, Any]) -> None:
    code, status, message = model_error(
        aws, local_aws.deploy(aws, job), b"1,2,3,4", "application/x-recordio-protobuf"
    )
    assert (code, status) == ("ModelError", 415)
    assert message.startswith(
        "Loading recordio-protobuf data failed with Exception, please ensure data is in "
        "recordio-protobuf format: "
    )


# --- text/csv read as the container reads it ------------------------------------------------


def containers_csv_reading(payload: bytes) -> np.ndarray:
    """The serving container's encoder (csv_to_dmatrix), for payloads it accepts."""
    text = payload.strip().decode("utf-8")
    rows = [["nan" if v == "" else v for v in line.split(",")] for line in text.split("\n")]
    return np.array(rows).astype(np.float64)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(
            "\n".join(
                ",".join(repr(float(v)) for v in row)
                for row in np.random.default_rng(7).standard_normal((300, 6))
                * 10.0 ** np.random.default_rng(8).integers(-40, 40, (300, 6))
            ).encode(),
            id="floats-of-every-magnitude",
        ),
        pytest.param(b"999,0,1\n3,-1,0\n", id="integers"),
        pytest.param(b"+5,-6e2,.5,5.,1E3\n", id="signs-and-exponents"),
        pytest.param(b"1,,2\n3,4,5", id="an-empty-field"),
    ],
)
def test_a_csv_payload_reads_as_the_container_reads_it(payload: bytes) -> None:
    from sagemaker_tutorial.local_server.xgboost_algorithm import parse_csv_payload

    np.testing.assert_array_equal(parse_csv_payload(payload), containers_csv_reading(payload))


def test_the_tutorials_test_rows_read_as_the_container_reads_them(bank_data_file: Path) -> None:
    from sagemaker_tutorial.local_server.xgboost_algorithm import parse_csv_payload

    data = local_aws.tutorial_data(bank_data_file)

    np.testing.assert_array_equal(
        parse_csv_payload(data.test_features), containers_csv_reading(data.test_features)
    )
