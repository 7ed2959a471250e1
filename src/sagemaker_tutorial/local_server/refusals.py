"""SageMaker's refusals that moto does not make, in AWS's codes and words.

moto accepts a second ``CreateEndpoint``/``CreateModel``/``CreateEndpointConfig``
with a name already in use (silently replacing the record), and a ``CreateModel``
whose ``ModelDataUrl`` has no object behind it; its "not found" texts are its own.
Where each AWS wording comes from (real answers quoted in public threads):

- ``Cannot create already existing endpoint "arn:…:endpoint/<name>".``
  (ValidationException; aws/amazon-sagemaker-examples#2491,
  ministryofjustice/modernisation-platform-environments#9383), and likewise
  ``… existing endpoint configuration "arn:…:endpoint-config/<name>".``
  (awslabs/spot-tagging-bot-for-digital-assets#2) and ``… existing model
  "arn:…:model/<name>".`` (astronomer/astronomer-providers#1055).
- ``Could not find model data at s3://….`` (ValidationException at CreateModel;
  aws-ia/ecs-blueprints#223, a CloudFormation stack failing on it).
- ``Could not find model "arn:…:model/<name>".`` at CreateEndpointConfig naming an
  unknown model (ValidationException; quoted from a failing SageMaker examples run
  in a public notebook repository's notes). The same text answers DescribeModel and
  DeleteModel, and ``Could not find endpoint "arn:…"`` / ``Could not find endpoint
  configuration "arn:…"`` the endpoint and config calls (AWS's double quotes; moto
  uses single ones, or the bare name for DeleteModel).
- ``No S3 objects found under S3 URL "…" given in input data source. Please ensure …``
  at CreateTransformJob on an empty input prefix, naming the model's role
  (aws/amazon-sagemaker-examples#2414).
- ``Requested resource not found.`` for an unknown training job (ValidationException,
  not ResourceNotFound: aws/aws-sdk#165, boto/boto3#2808,
  aws/amazon-sagemaker-examples#2360).
"""

from __future__ import annotations

import json
from typing import Any

from .answers import Reply, json_error
from .inner_client import Answer, Identity, InnerClient, S3Error, split_s3_uri

_NOT_FOUND_TRAINING_JOB = "Requested resource not found."


def no_s3_objects(uri: str, bucket: str, region: str, role: object) -> str:
    """SageMaker's refusal of an input channel or transform input with no object under it.

    Said at CreateTrainingJob and CreateTransformJob, and by a training job whose channel
    was emptied after it was created; ``role`` is the one that lists the prefix.
    """
    return (
        f'No S3 objects found under S3 URL "{uri}" given in input data source. Please ensure '
        f"that the bucket exists in the selected region ({region}), that objects "
        f'exist under that S3 prefix, and that the role "{role}" has "s3:ListBucket" '
        f'permissions on bucket "{bucket}".'
    )


def job_not_stoppable(kind: str, status: object) -> str:
    """SageMaker's refusal of StopTrainingJob or StopTransformJob (``kind``: training,
    transform) for a job that is no longer running."""
    return f"The request was rejected because the {kind} job is in status {status}."


# operation -> (request member naming the resource, ARN resource type, AWS's noun)
_NAMED: dict[str, tuple[str, str, str]] = {
    "DescribeEndpoint": ("EndpointName", "endpoint", "endpoint"),
    "DeleteEndpoint": ("EndpointName", "endpoint", "endpoint"),
    "UpdateEndpoint": ("EndpointName", "endpoint", "endpoint"),
    "DescribeEndpointConfig": (
        "EndpointConfigName",
        "endpoint-config",
        "endpoint configuration",
    ),
    "DeleteEndpointConfig": ("EndpointConfigName", "endpoint-config", "endpoint configuration"),
    "DescribeModel": ("ModelName", "model", "model"),
    "DeleteModel": ("ModelName", "model", "model"),
}
_TRAINING_JOB_OPERATIONS = ("DescribeTrainingJob", "StopTrainingJob")
_CREATES: dict[str, tuple[str, str, str, str]] = {
    # operation -> (name member, Describe operation, ARN member, AWS's noun)
    "CreateEndpoint": ("EndpointName", "DescribeEndpoint", "EndpointArn", "endpoint"),
    "CreateEndpointConfig": (
        "EndpointConfigName",
        "DescribeEndpointConfig",
        "EndpointConfigArn",
        "endpoint configuration",
    ),
    "CreateModel": ("ModelName", "DescribeModel", "ModelArn", "model"),
}


def _missing(answer: Answer) -> bool:
    """moto says there is no such resource (not: the caller may not ask)."""
    return answer.status == 400 and b"Could not find" in answer.body


def _arn(client: InnerClient, identity: Identity, kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{identity.region}:{client.account_id(identity)}:{kind}/{name}"


def refuse_before(
    operation: str, request: dict[str, Any], client: InnerClient, identity: Identity
) -> Reply | None:
    """AWS's refusal of a Create* request moto would accept, or None."""
    if operation in _CREATES:
        member, describe, arn_member, noun = _CREATES[operation]
        existing = client.sagemaker(describe, {member: request.get(member, "")}, identity)
        if existing.ok:
            arn = existing.json().get(arn_member)
            return json_error(
                "ValidationException", f'Cannot create already existing {noun} "{arn}".'
            )
    if operation == "CreateModel":
        return _missing_model_data(request, client, identity)
    if operation == "CreateTransformJob":
        return _transform_refusal(request, client, identity)
    if operation == "CreateEndpointConfig":
        for variant in request.get("ProductionVariants") or []:
            model = str(variant.get("ModelName", ""))
            if _missing(client.sagemaker("DescribeModel", {"ModelName": model}, identity)):
                arn = _arn(client, identity, "model", model)
                return json_error("ValidationException", f'Could not find model "{arn}".')
    return None


def _transform_refusal(
    request: dict[str, Any], client: InnerClient, identity: Identity
) -> Reply | None:
    """An unknown model, or an input prefix with no object (listed as the model's role)."""
    model = str(request.get("ModelName", ""))
    described = client.sagemaker("DescribeModel", {"ModelName": model}, identity)
    if _missing(described):
        arn = _arn(client, identity, "model", model)
        return json_error("ValidationException", f'Could not find model "{arn}".')
    source = request.get("TransformInput", {}).get("DataSource", {}).get("S3DataSource", {})
    uri = source.get("S3Uri")
    if not uri or source.get("S3DataType", "S3Prefix") != "S3Prefix":
        return None
    try:
        bucket, prefix = split_s3_uri(str(uri))
        keys = [key for key in client.s3_list(bucket, prefix, identity) if key[-1:] != "/"]
    except ValueError:
        return None
    except S3Error as error:
        if error.code != "NoSuchBucket":
            return None
        keys = []
    if keys:
        return None
    role = described.json().get("ExecutionRoleArn") if described.ok else None
    return json_error("ValidationException", no_s3_objects(str(uri), bucket, identity.region, role))


def _missing_model_data(
    request: dict[str, Any], client: InnerClient, identity: Identity
) -> Reply | None:
    """SageMaker looks for every container's ModelDataUrl object when the model is made.

    Looked up as the caller; a listing the caller may not make refuses nothing (SageMaker
    looks as the model's role, which the local server cannot act as).
    """
    containers = [request.get("PrimaryContainer") or {}, *(request.get("Containers") or [])]
    for container in containers:
        url = container.get("ModelDataUrl")
        if not url:
            continue
        try:
            bucket, key = split_s3_uri(str(url))
            found = key != "" and key in client.s3_list(bucket, key, identity)
        except ValueError:
            found = False
        except S3Error as error:
            found = error.code not in ("NoSuchBucket", "NoSuchKey")
        if not found:
            return json_error("ValidationException", f"Could not find model data at {url}.")
    return None


def reword_not_found(
    operation: str, body: bytes, answer: Answer, client: InnerClient, identity: Identity
) -> Reply | None:
    """moto's "not found" error for ``operation``, in AWS's words, or None to relay it."""
    if answer.status != 400 or b"Could not find" not in answer.body:
        return None
    if operation in _TRAINING_JOB_OPERATIONS:
        return json_error("ValidationException", _NOT_FOUND_TRAINING_JOB)
    if operation in _NAMED:
        member, kind, noun = _NAMED[operation]
        name = str(json.loads(body or b"{}").get(member, ""))
        arn = _arn(client, identity, kind, name)
        return json_error("ValidationException", f'Could not find {noun} "{arn}".')
    return None
