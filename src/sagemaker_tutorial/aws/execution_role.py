"""Step 3c (and step 2 on the mock backend): the IAM role SageMaker acts as.

The tutorial calls ``get_execution_role()``, which works only where the
credentials are themselves a role (a notebook instance) and elsewhere fails with
"The current AWS identity is not a role". Here the role comes, in order, from
the ``--role`` flag, ``$SAGEMAKER_ROLE_ARN``, the role step 2 creates (mock
backend), or the notebook's own identity (live backend); a user identity is a
clear error that says how to name a role.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlparse

from .. import settings
from ..errors import InputError, TutorialError
from .backends import Backend

ROLE_NAME = "sagemaker-tutorial-execution-role"
FULL_ACCESS_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_ASSUMED_ROLE = re.compile(r"^(arn:aws[a-z-]*:)sts::(\d{12}):assumed-role/([^/]+)/.*$")
_AWS_HOST_SUFFIXES = (
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".api.aws",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
)


def check_role_arn(arn: str) -> str:
    """Return ``arn`` if it has the shape of an IAM role ARN, else raise InputError."""
    if not _ROLE_ARN.match(arn):
        raise InputError(
            f"'{arn}' is not an IAM role ARN (expected arn:aws:iam::<12-digit account>:role/<name>)"
        )
    return arn


def resolve_execution_role(backend: Backend, role: str | None) -> str:
    """The role ARN the tutorial's SageMaker jobs run as (the order: module docstring)."""
    named = role or os.environ.get(settings.ENV_ROLE_ARN)
    if named:
        return check_role_arn(named)
    if backend.offline:
        return provision_execution_role(backend)
    return notebook_execution_role(backend)


def provision_execution_role(backend: Backend) -> str:
    """Create (or reuse) the role step 2 sets up: SageMaker may assume it, with full access.

    Tagged with the run so a clean-up can find it.
    """
    from botocore.exceptions import ClientError

    iam = backend.client("iam")
    try:
        arn = iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=json.dumps(_TRUST_POLICY),
            Description="Execution role for the SageMaker XGBoost tutorial (step 2)",
            Tags=backend.tags(),
        )["Role"]["Arn"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        arn = iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=FULL_ACCESS_POLICY_ARN)
    return str(arn)


def notebook_execution_role(backend: Backend) -> str:
    """What ``get_execution_role()`` answers in a notebook, or a clear error elsewhere.

    Against AWS itself this is the SDK's own lookup (it also reads a notebook
    instance's metadata). The SDK sends its STS call to AWS's regional endpoint
    whatever the configuration says, so when the user points the SDK at another
    endpoint (``AWS_ENDPOINT_URL``) the same rule is applied through that endpoint
    instead: the project contacts no host the user did not configure.
    """
    sts = backend.client("sts")
    if _is_aws_endpoint(sts.meta.endpoint_url):
        return _sdk_execution_role(backend)
    identity = str(sts.get_caller_identity()["Arn"])
    if ":role/" in identity:
        return identity
    assumed = _ASSUMED_ROLE.match(identity)
    if assumed:
        partition, account, name = assumed.groups()
        return f"{partition}iam::{account}:role/{name}"
    raise _not_a_role(identity)


def _sdk_execution_role(backend: Backend) -> str:
    from .sdk import session_helper

    helper = session_helper()
    session = helper.Session(
        boto_session=backend.session, sagemaker_client=backend.client("sagemaker")
    )
    try:
        return str(helper.get_execution_role(sagemaker_session=session))
    except ValueError as exc:
        identity = str(exc).split(": ", 1)[-1].split(",", 1)[0]
        raise _not_a_role(identity) from None


def _not_a_role(identity: str) -> TutorialError:
    return TutorialError(
        f"the current AWS identity ({identity}) is not a role, so it cannot be SageMaker's "
        "execution role: pass --role ARN or set SAGEMAKER_ROLE_ARN"
    )


def _is_aws_endpoint(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host.endswith(_AWS_HOST_SUFFIXES)
