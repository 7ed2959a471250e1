"""The local SageMaker server refuses what SageMaker refuses, with AWS's code and words.

Where each wording comes from is in src/sagemaker_tutorial/local_server/refusals.py
(real answers quoted in public issue threads).
"""

from __future__ import annotations

from typing import Any

import local_aws
import pytest
from botocore.exceptions import ClientError
from local_aws import ACCOUNT, REGION, Aws

pytestmark = pytest.mark.moto_only


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


@pytest.fixture
def job(aws: Aws) -> dict[str, Any]:
    x, y = local_aws.dataset()
    finished = local_aws.train(aws, local_aws.to_csv(x, y))
    assert finished["TrainingJobStatus"] == "Completed", finished.get("FailureReason")
    return finished


def arn(kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{kind}/{name}"


def refusal(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as refused:
        call(**kwargs)
    error = refused.value.response["Error"]
    return error["Code"], error["Message"]


def test_create_endpoint_on_an_existing_name_is_refused_and_keeps_the_endpoint(
    aws: Aws, job: dict[str, Any]
) -> None:
    endpoint = local_aws.deploy(aws, job)
    before = aws.sagemaker.describe_endpoint(EndpointName=endpoint)
    other = local_aws.create_config(aws, local_aws.create_model(aws, job))

    assert refusal(
        aws.sagemaker.create_endpoint, EndpointName=endpoint, EndpointConfigName=other
    ) == (
        "ValidationException",
        f'Cannot create already existing endpoint "{arn("endpoint", endpoint)}".',
    )
    after = aws.sagemaker.describe_endpoint(EndpointName=endpoint)
    assert (after["EndpointConfigName"], after["CreationTime"]) == (
        before["EndpointConfigName"],
        before["CreationTime"],
    )


def test_create_model_on_an_existing_name_is_refused(aws: Aws, job: dict[str, Any]) -> None:
    model = local_aws.create_model(aws, job)
    assert refusal(
        aws.sagemaker.create_model,
        ModelName=model,
        PrimaryContainer={"Image": local_aws.IMAGE_1_7, "ModelDataUrl": "s3://x/y.tar.gz"},
        ExecutionRoleArn=local_aws.ROLE,
    ) == ("ValidationException", f'Cannot create already existing model "{arn("model", model)}".')


def test_create_endpoint_config_on_an_existing_name_is_refused(
    aws: Aws, job: dict[str, Any]
) -> None:
    model = local_aws.create_model(aws, job)
    config = local_aws.create_config(aws, model)
    assert refusal(
        aws.sagemaker.create_endpoint_config,
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m4.xlarge",
            }
        ],
    ) == (
        "ValidationException",
        "Cannot create already existing endpoint configuration "
        f'"{arn("endpoint-config", config)}".',
    )


@pytest.mark.parametrize("missing", ["no-such-key/model.tar.gz", "output/"])
def test_create_model_with_no_object_at_its_model_data_url_is_refused(
    aws: Aws, missing: str
) -> None:
    url = f"s3://{aws.bucket}/{missing}"
    model = aws.name("model")
    assert refusal(
        aws.sagemaker.create_model,
        ModelName=model,
        PrimaryContainer={"Image": local_aws.IMAGE_1_7, "ModelDataUrl": url},
        ExecutionRoleArn=local_aws.ROLE,
    ) == ("ValidationException", f"Could not find model data at {url}.")
    assert refusal(aws.sagemaker.describe_model, ModelName=model)[0] == "ValidationException"


def test_create_model_in_a_bucket_that_does_not_exist_is_refused(aws: Aws) -> None:
    url = "s3://no-such-bucket-for-this-test/model.tar.gz"
    assert refusal(
        aws.sagemaker.create_model,
        ModelName=aws.name("model"),
        PrimaryContainer={"Image": local_aws.IMAGE_1_7, "ModelDataUrl": url},
        ExecutionRoleArn=local_aws.ROLE,
    ) == ("ValidationException", f"Could not find model data at {url}.")


def test_create_endpoint_config_naming_an_unknown_model_is_refused(aws: Aws) -> None:
    model = aws.name("model")
    assert refusal(
        aws.sagemaker.create_endpoint_config,
        EndpointConfigName=aws.name("config"),
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m4.xlarge",
            }
        ],
    ) == ("ValidationException", f'Could not find model "{arn("model", model)}".')


@pytest.mark.parametrize(
    ("operation", "member", "expected"),
    [
        ("describe_training_job", "TrainingJobName", "Requested resource not found."),
        ("stop_training_job", "TrainingJobName", "Requested resource not found."),
        ("describe_model", "ModelName", 'Could not find model "{arn_model}".'),
        ("delete_model", "ModelName", 'Could not find model "{arn_model}".'),
        ("describe_endpoint", "EndpointName", 'Could not find endpoint "{arn_endpoint}".'),
        ("delete_endpoint", "EndpointName", 'Could not find endpoint "{arn_endpoint}".'),
        (
            "describe_endpoint_config",
            "EndpointConfigName",
            'Could not find endpoint configuration "{arn_config}".',
        ),
        (
            "delete_endpoint_config",
            "EndpointConfigName",
            'Could not find endpoint configuration "{arn_config}".',
        ),
    ],
)
def test_an_unknown_name_is_a_validation_exception_in_aws_words(
    aws: Aws, operation: str, member: str, expected: str
) -> None:
    name = aws.name("unknown")
    message = expected.format(
        arn_model=arn("model", name),
        arn_endpoint=arn("endpoint", name),
        arn_config=arn("endpoint-config", name),
    )
    assert refusal(getattr(aws.sagemaker, operation), **{member: name}) == (
        "ValidationException",
        message,
    )


def test_update_endpoint_of_an_unknown_endpoint_is_refused_in_aws_words(aws: Aws) -> None:
    name = aws.name("unknown")
    assert refusal(aws.sagemaker.update_endpoint, EndpointName=name, EndpointConfigName="any") == (
        "ValidationException",
        f'Could not find endpoint "{arn("endpoint", name)}".',
    )
