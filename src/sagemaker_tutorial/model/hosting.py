"""Step 5a: host the trained model on an endpoint; and take the endpoint down again.

The tutorial's ``xgb.deploy(initial_instance_count=1, instance_type='ml.m4.xlarge')``
makes three resources: a model (image + artifact + role), an endpoint config (which
model, on what instances) and the endpoint itself. SDK v3 has no Estimator to
deploy from, so the three are created here with boto3's three Create calls (the
SDK's resource classes cost over a second to import: see training.py), named after
the training job as the SDK's deploy named them, and tagged with the run.

The endpoint bills by the hour from the moment it is created, so taking it down is
part of this step's contract: ``delete_deployment`` removes whatever of the three
exists, and counts what was already gone as done (it can run twice, or after a
crash half-way through deploy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import settings
from ..aws.not_found import is_not_found
from ..aws.poll import Poll
from ..errors import TutorialError

if TYPE_CHECKING:
    from ..aws.backends import Backend

Say = Callable[[str], None]
VARIANT = "AllTraffic"


@dataclass(frozen=True)
class Deployment:
    """The three names a deployment is made of (all the training job's name, by default)."""

    model: str
    endpoint_config: str
    endpoint: str

    @classmethod
    def named(cls, name: str) -> Deployment:
        return cls(name, name, name)


def deploy(
    backend: Backend,
    deployment: Deployment,
    *,
    image_uri: str,
    role_arn: str,
    model_artifact: str,
    timeout: float,
    say: Say,
    instance_type: str = settings.INSTANCE_TYPE,
) -> None:
    """Create the model, the endpoint config and the endpoint; wait until it is InService."""
    sagemaker = backend.client("sagemaker")
    tags = backend.tags()
    sagemaker.create_model(
        ModelName=deployment.model,
        PrimaryContainer={"Image": image_uri, "ModelDataUrl": model_artifact},
        ExecutionRoleArn=role_arn,
        Tags=tags,
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=deployment.endpoint_config,
        ProductionVariants=[
            {
                "VariantName": VARIANT,
                "ModelName": deployment.model,
                "InitialInstanceCount": 1,
                "InstanceType": instance_type,
            }
        ],
        Tags=tags,
    )
    sagemaker.create_endpoint(
        EndpointName=deployment.endpoint,
        EndpointConfigName=deployment.endpoint_config,
        Tags=tags,
    )
    _wait_in_service(sagemaker, deployment.endpoint, timeout, say)


def _wait_in_service(sagemaker: Any, name: str, timeout: float, say: Say) -> None:
    poll = Poll(timeout)
    shown = ""
    while True:
        endpoint = sagemaker.describe_endpoint(EndpointName=name)
        status = str(endpoint["EndpointStatus"])
        if status != shown:
            shown = status
            say(f"Endpoint {name}: {status}")
        if status == "InService":
            return
        if status == "Failed":
            raise TutorialError(f"endpoint {name} failed: {endpoint.get('FailureReason')}")
        if not poll.wait():
            raise TutorialError(
                f"endpoint {name} was not InService within {timeout:.0f} s (it is {status})"
            )


def delete_deployment(backend: Backend, deployment: Deployment) -> list[str]:
    """Delete the endpoint, its config and the model; one line each on what happened.

    A resource already gone counts as deleted: clean-up may run twice, or after a
    deploy that stopped half-way.
    """
    sagemaker = backend.client("sagemaker")
    steps = [
        ("endpoint", deployment.endpoint, sagemaker.delete_endpoint, "EndpointName"),
        (
            "endpoint config",
            deployment.endpoint_config,
            sagemaker.delete_endpoint_config,
            "EndpointConfigName",
        ),
        ("model", deployment.model, sagemaker.delete_model, "ModelName"),
    ]
    return [_delete(kind, name, call, {field: name}) for kind, name, call, field in steps]


def _delete(kind: str, name: str, call: Callable[..., Any], args: dict[str, str]) -> str:
    from botocore.exceptions import ClientError

    try:
        call(**args)
    except ClientError as exc:
        if not is_not_found(exc):
            raise
        return f"{kind.capitalize()} {name} was already gone: nothing to delete"
    return f"Deleted {kind} {name}"
