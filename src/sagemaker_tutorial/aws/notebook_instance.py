"""Step 2: the execution role and the notebook instance the tutorial runs on.

In the console the reader creates a notebook instance named MySageMakerInstance
(ml.t2.medium) and, on the way, an IAM role that SageMaker may assume, with the
AmazonSageMakerFullAccess policy attached. Here the role is created only if it is
missing; a role of that name that SageMaker may not assume, or that lacks the
policy, is reported and left as it is (someone else's role is not ours to change).
The instance bills by the hour while it is InService, so `--delete` stops and
deletes it, and starting one on a real account needs the same consent as training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import TutorialError
from .not_found import is_not_found
from .poll import Poll

if TYPE_CHECKING:
    from .backends import Backend

Say = Callable[[str], None]


def start_notebook_instance(
    backend: Backend,
    name: str,
    instance_type: str,
    role_arn: str,
    *,
    timeout: float,
    say: Say,
) -> str:
    """Create the instance (or start a stopped one) and wait until it is InService."""
    sagemaker = backend.client("sagemaker")
    status = _status(sagemaker, name)
    if status is None:
        sagemaker.create_notebook_instance(
            NotebookInstanceName=name,
            InstanceType=instance_type,
            RoleArn=role_arn,
            Tags=backend.tags(),
        )
    elif status == "Stopped":
        sagemaker.start_notebook_instance(NotebookInstanceName=name)
    elif status == "InService":
        say(f"Notebook instance {name} is already InService")
    poll, shown = Poll(timeout), ""
    while True:
        status = _status(sagemaker, name) or "missing"
        if status != shown:
            shown = status
            say(f"Notebook instance {name}: {status}")
        if status == "InService":
            return status
        if status in ("Failed", "missing"):
            raise TutorialError(f"notebook instance {name} could not start ({status})")
        if not poll.wait():
            raise TutorialError(
                f"notebook instance {name} was not InService within {timeout:.0f} s"
            )


def delete_notebook_instance(backend: Backend, name: str, *, timeout: float, say: Say) -> None:
    """Stop the instance if it runs, then delete it; one that is not there is fine."""
    sagemaker = backend.client("sagemaker")
    poll = Poll(timeout)
    while True:
        status = _status(sagemaker, name)
        if status is None:
            say(f"Notebook instance {name} is deleted")
            return
        if status in ("InService", "Pending"):
            say(f"Stopping notebook instance {name}")
            sagemaker.stop_notebook_instance(NotebookInstanceName=name)
        elif status in ("Stopped", "Failed"):
            sagemaker.delete_notebook_instance(NotebookInstanceName=name)
        if not poll.wait():
            raise TutorialError(f"notebook instance {name} was not deleted within {timeout:.0f} s")


def _status(sagemaker: Any, name: str) -> str | None:
    """The instance's status, or None when there is no instance of that name."""
    from botocore.exceptions import ClientError

    try:
        return str(
            sagemaker.describe_notebook_instance(NotebookInstanceName=name)[
                "NotebookInstanceStatus"
            ]
        )
    except ClientError as exc:
        if is_not_found(exc):
            return None
        raise
