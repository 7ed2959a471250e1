"""Every answer of the local SageMaker server in AWS's shape, walked along botocore's model.

botocore parses an answer by its output shape and silently drops what the shape does
not know, so the walk reads the raw JSON (botocore's ``before-parse`` event) and
checks, for each SageMaker operation the tutorial's resources go through: every
member is in the shape, each value has the shape's type, each enum value is one of
the shape's, every required member is there, and so is every member AWS always
returns for such a resource (below, with where each is seen).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import botocore.session
import local_aws
import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from local_aws import Aws

pytestmark = pytest.mark.moto_only

# Members AWS returns whether or not the request set them, by operation (dotted paths).
ALWAYS_RETURNED = {
    # aws/sagemaker-python-sdk tests/unit/test_estimator.py RETURNED_JOB_DESCRIPTION, the
    # SDK's fixture of a real DescribeTrainingJob: "OutputDataConfig": {"KmsKeyId": "",
    # "S3OutputPath": ...}; Estimator.attach reads KmsKeyId unconditionally (KeyError
    # without it). The same fixture's ResourceConfig and StoppingCondition members.
    "DescribeTrainingJob": [
        "OutputDataConfig.KmsKeyId",
        "OutputDataConfig.S3OutputPath",
        "ResourceConfig.InstanceCount",
        "ResourceConfig.InstanceType",
        "ResourceConfig.VolumeSizeInGB",
        "StoppingCondition.MaxRuntimeInSeconds",
        "ModelArtifacts.S3ModelArtifacts",
        "AlgorithmSpecification.TrainingInputMode",
        "RoleArn",
        "HyperParameters",
        "EnableNetworkIsolation",
        "SecondaryStatusTransitions",
    ],
    # A finished job: FinalMetricDataList (SDK v2's TrainingJobAnalytics and the
    # console read it; every completed built-in-algorithm job has it).
    "DescribeTrainingJob:Completed": ["FinalMetricDataList", "TrainingEndTime"],
    "DescribeEndpoint": ["ProductionVariants", "EndpointConfigName"],
    "DescribeModel": ["PrimaryContainer.Image", "PrimaryContainer.ModelDataUrl"],
    "DescribeTransformJob": ["TransformOutput.S3OutputPath", "TransformOutput.KmsKeyId"],
}

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "double": (int, float),
    "float": (int, float),
    "boolean": (bool,),
    "timestamp": (int, float, str),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


def shape_problems(value: Any, shape: Shape, path: str = "") -> list[str]:
    """What in ``value`` (raw JSON) does not fit ``shape``."""
    allowed = _JSON_TYPES.get(shape.type_name, (object,))
    if isinstance(value, bool) and shape.type_name not in ("boolean",):
        return [f"{path}: {value!r} is a boolean, the shape says {shape.type_name}"]
    if not isinstance(value, allowed):
        return [f"{path}: {type(value).__name__} where the shape says {shape.type_name}"]
    problems: list[str] = []
    if shape.type_name == "string" and shape.enum and value not in shape.enum:
        problems.append(f"{path}: {value!r} is not one of {shape.name}'s values")
    if isinstance(shape, StructureShape):
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
            else:
                problems += shape_problems(item, member, f"{path}.{name}")
        problems += [
            f"{path}.{name}: required by {shape.name}, missing"
            for name in shape.required_members
            if name not in value
        ]
    elif isinstance(shape, ListShape):
        for index, item in enumerate(value):
            problems += shape_problems(item, shape.member, f"{path}[{index}]")
    elif isinstance(shape, MapShape):
        for key, item in value.items():
            problems += shape_problems(item, shape.value, f"{path}[{key!r}]")
    return problems


def missing_members(answer: dict[str, Any], paths: list[str]) -> list[str]:
    missing = []
    for path in paths:
        holder: Any = answer
        for key in path.split("."):
            holder = holder.get(key) if isinstance(holder, dict) else None
        if holder is None:
            missing.append(path)
    return missing


class RawAnswers:
    """The raw JSON of every SageMaker answer a client receives."""

    def __init__(self) -> None:
        self.by_operation: dict[str, list[dict[str, Any]]] = {}

    def record(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        if response_dict.get("status_code") == 200 and response_dict.get("body"):
            answer = json.loads(response_dict["body"])
            self.by_operation.setdefault(operation_model.name, []).append(answer)


@pytest.fixture
def aws(moto_endpoint: str | None) -> Aws:
    return local_aws.connect(moto_endpoint)


@pytest.fixture
def raw(aws: Aws) -> Iterator[RawAnswers]:
    answers = RawAnswers()
    events = aws.sagemaker.meta.events
    events.register("before-parse.sagemaker.*", answers.record)
    yield answers
    # The client is shared with the tests that come after (local_aws.connect).
    events.unregister("before-parse.sagemaker.*", answers.record)


def run_the_tutorials_resources(aws: Aws) -> None:
    """Every SageMaker operation the tutorial (and its batch-transform half) makes."""
    x, y = local_aws.dataset()
    job = local_aws.train(
        aws, local_aws.to_csv(x[:150], y[:150]), validation=local_aws.to_csv(x[150:], y[150:])
    )
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    aws.sagemaker.list_training_jobs()
    model = local_aws.create_model(aws, job)
    config = local_aws.create_config(aws, model)
    endpoint = aws.name("endpoint")
    aws.sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    aws.sagemaker.describe_model(ModelName=model)
    aws.sagemaker.describe_endpoint_config(EndpointConfigName=config)
    aws.sagemaker.describe_endpoint(EndpointName=endpoint)
    aws.sagemaker.update_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    aws.sagemaker.list_models()
    aws.sagemaker.list_endpoint_configs()
    aws.sagemaker.list_endpoints()
    aws.s3.put_object(Bucket=aws.bucket, Key="batch/test.csv", Body=local_aws.to_csv(x[:20]))
    transform = aws.name("transform")
    aws.sagemaker.create_transform_job(
        TransformJobName=transform,
        ModelName=model,
        TransformInput={
            "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{aws.bucket}/batch/"}
            },
            "ContentType": "text/csv",
            "SplitType": "Line",
        },
        TransformOutput={"S3OutputPath": f"s3://{aws.bucket}/batch-out/"},
        TransformResources={"InstanceType": "ml.m4.xlarge", "InstanceCount": 1},
    )
    local_aws.wait_for(
        aws, "describe_transform_job", "TransformJobName", transform, "TransformJobStatus"
    )
    aws.sagemaker.list_transform_jobs()
    aws.sagemaker.delete_endpoint(EndpointName=endpoint)
    aws.sagemaker.delete_endpoint_config(EndpointConfigName=config)
    aws.sagemaker.delete_model(ModelName=model)


EXPECTED_OPERATIONS = {
    "CreateTrainingJob",
    "DescribeTrainingJob",
    "ListTrainingJobs",
    "CreateModel",
    "DescribeModel",
    "ListModels",
    "CreateEndpointConfig",
    "DescribeEndpointConfig",
    "ListEndpointConfigs",
    "CreateEndpoint",
    "DescribeEndpoint",
    "ListEndpoints",
    "UpdateEndpoint",
    "CreateTransformJob",
    "DescribeTransformJob",
    "ListTransformJobs",
}


def test_every_answer_fits_botocores_output_shape(aws: Aws, raw: RawAnswers) -> None:
    run_the_tutorials_resources(aws)
    model = botocore.session.get_session().get_service_model("sagemaker")
    assert set(raw.by_operation) >= EXPECTED_OPERATIONS
    problems = {}
    for operation, answers in sorted(raw.by_operation.items()):
        shape = model.operation_model(operation).output_shape
        if shape is None:  # Delete*: AWS answers an empty object
            found = [f"{operation}: {a} where AWS answers {{}}" for a in answers if a]
        else:
            found = [p for answer in answers for p in shape_problems(answer, shape, operation)]
        if found:
            problems[operation] = sorted(set(found))
    assert problems == {}


def test_describe_answers_carry_the_members_aws_always_returns(aws: Aws, raw: RawAnswers) -> None:
    run_the_tutorials_resources(aws)
    missing = {}
    for key, paths in ALWAYS_RETURNED.items():
        operation, _, status = key.partition(":")
        answers = raw.by_operation[operation]
        if status:
            answers = [a for a in answers if status in (a.get("TrainingJobStatus"),)]
        assert answers, f"no {key} answer was seen"
        gaps = sorted({path for answer in answers for path in missing_members(answer, paths)})
        if gaps:
            missing[key] = gaps
    assert missing == {}


def test_a_job_without_a_kms_key_has_kms_key_id_empty(aws: Aws) -> None:
    x, y = local_aws.dataset()
    job = local_aws.train(aws, local_aws.to_csv(x, y))
    assert job["OutputDataConfig"]["KmsKeyId"] == ""


def test_the_shape_walk_finds_what_botocore_would_drop() -> None:
    """The walk itself can fail: an unknown member, a wrong type, an unknown enum value
    and a missing required member are each reported."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("DescribeEndpoint").output_shape
    answer = {
        "EndpointName": "e",
        "EndpointArn": "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/e",
        "EndpointStatus": "Running",
        "CreationTime": "yesterday",
        "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": "1"}],
        "Color": "blue",
    }
    assert shape_problems(answer, shape, "DescribeEndpoint") == [
        "DescribeEndpoint.EndpointStatus: 'Running' is not one of EndpointStatus's values",
        "DescribeEndpoint.ProductionVariants[0].CurrentInstanceCount: str where the shape "
        "says integer",
        "DescribeEndpoint.Color: not a member of DescribeEndpointOutput",
        "DescribeEndpoint.LastModifiedTime: required by DescribeEndpointOutput, missing",
    ]
