"""Nothing a client sends gets a 500 from `serve` (botocore retries a 500; the user waits).

Malformed JSON is 400 SerializationException, wrong types or values 400
ValidationException in AWS's words, a bad invocation payload 424 ModelError
wrapping the container's 400.
"""

from __future__ import annotations

import json

import pytest
from serve_support import Clients, clients, deploy, good_archive, sagemaker_call

pytestmark = pytest.mark.moto_only


@pytest.fixture
def aws(moto_endpoint: str | None) -> Clients:
    assert moto_endpoint is not None
    return clients(moto_endpoint)


@pytest.mark.parametrize(
    "operation", ["CreateTrainingJob", "StopTrainingJob", "UpdateEndpoint", "ListTrainingJobs"]
)
@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(
    aws: Clients, operation: str, body: bytes
) -> None:
    answer = sagemaker_call(aws.endpoint, operation, body)
    assert answer.status == 400
    assert answer.json() == {
        "__type": "SerializationException",
        "message": f"The body of the {operation} request is not a JSON object.",
    }


def _training_request(aws: Clients, **changes: object) -> dict[str, object]:
    request: dict[str, object] = {
        "TrainingJobName": aws.name("job"),
        "AlgorithmSpecification": {
            "TrainingImage": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": "arn:aws:iam::123456789012:role/serve-test",
        "HyperParameters": {"num_round": "2"},
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "ContentType": "text/csv",
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{aws.bucket}/t"}
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{aws.bucket}/out"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.large",
            "InstanceCount": 1,
            "VolumeSizeInGB": 5,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
    }
    request.update(changes)
    return request


def test_a_value_of_the_wrong_type_is_a_validation_exception(aws: Clients) -> None:
    request = _training_request(aws, InputDataConfig="s3://bucket/train")
    answer = sagemaker_call(aws.endpoint, "CreateTrainingJob", json.dumps(request).encode())
    assert answer.status == 400
    assert answer.json() == {
        "__type": "ValidationException",
        "message": "1 validation error detected: Value 's3://bucket/train' at "
        "'inputDataConfig' failed to satisfy constraint: Member must be a list",
    }


def test_a_uri_that_is_not_s3_is_a_validation_exception(aws: Clients) -> None:
    channel = {
        "ChannelName": "train",
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "http://x.example/t"}},
    }
    request = _training_request(aws, InputDataConfig=[channel])
    answer = sagemaker_call(aws.endpoint, "CreateTrainingJob", json.dumps(request).encode())
    assert answer.status == 400
    assert answer.json()["__type"] == "ValidationException"
    assert answer.json()["message"] == (
        "1 validation error detected: Value 'http://x.example/t' at "
        "'inputDataConfig.1.member.dataSource.s3DataSource.s3Uri' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: (https|s3)://([^/]+)/?(.*)"
    )


def test_a_missing_required_member_is_a_validation_exception(aws: Clients) -> None:
    answer = sagemaker_call(aws.endpoint, "StopTrainingJob", b"{}")
    assert answer.status == 400
    assert answer.json()["message"] == (
        "1 validation error detected: Value null at 'trainingJobName' failed to satisfy "
        "constraint: Member must not be null"
    )


@pytest.mark.parametrize("row", ["inf,1,2,3", "1e309,1,2,3", "-inf,0,0,0"])
def test_an_infinite_value_in_an_invocation_is_a_model_error(aws: Clients, row: str) -> None:
    endpoint = deploy(aws, good_archive())
    with pytest.raises(aws.runtime.exceptions.ModelError) as raised:
        aws.runtime.invoke_endpoint(EndpointName=endpoint, Body=row, ContentType="text/csv")
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert error["OriginalStatusCode"] == 400
    assert error["OriginalMessage"].startswith("Unable to evaluate payload provided: ")
    assert "Input data contains `inf` or a value too large" in error["OriginalMessage"]


@pytest.mark.parametrize(
    ("body", "status"),
    [("1,2", 400), ("a,b,c,d", 415), ("1,2,3,4\n1,2", 415)],
    ids=["wrong-width", "unparsable", "ragged"],
)
def test_a_bad_invocation_payload_is_a_model_error(aws: Clients, body: str, status: int) -> None:
    endpoint = deploy(aws, good_archive())
    with pytest.raises(aws.runtime.exceptions.ModelError) as raised:
        aws.runtime.invoke_endpoint(EndpointName=endpoint, Body=body, ContentType="text/csv")
    assert raised.value.response["OriginalStatusCode"] == status
