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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

from .. import settings
from ..errors import InputError, TutorialError
from .backends import Backend

ROLE_NAME = "sagemaker-tutorial-execution-role"
FULL_ACCESS_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
_SAGEMAKER = "sagemaker.amazonaws.com"
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
    """The role step 2 sets up (created if missing), for the mock backend's notebook."""
    return ensure_execution_role(backend).arn


@dataclass(frozen=True)
class RoleOutcome:
    arn: str
    created: bool
    problems: list[str] = field(default_factory=list)

    def report(self) -> str:
        if self.created:
            return f"Created the execution role {self.arn} with AmazonSageMakerFullAccess"
        return f"Using the existing execution role {self.arn}"


def ensure_execution_role(backend: Backend) -> RoleOutcome:
    """The role step 2 makes: created when missing, otherwise checked and left alone."""
    from botocore.exceptions import ClientError

    iam = backend.client("iam")
    try:
        role = iam.get_role(RoleName=ROLE_NAME)["Role"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise
    else:
        return RoleOutcome(str(role["Arn"]), False, _role_problems(iam, role))
    arn = iam.create_role(
        RoleName=ROLE_NAME,
        AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
        Description="Execution role for the SageMaker XGBoost tutorial (step 2)",
        Tags=backend.tags(),
    )["Role"]["Arn"]
    iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=FULL_ACCESS_POLICY_ARN)
    return RoleOutcome(str(arn), True)


def _role_problems(iam: Any, role: dict[str, Any]) -> list[str]:
    document = role.get("AssumeRolePolicyDocument", {})
    if isinstance(document, str):
        document = json.loads(unquote(document))
    trusted = any(
        statement.get("Effect") == "Allow"
        and _SAGEMAKER in _as_list(statement.get("Principal", {}).get("Service"))
        for statement in _as_list(document.get("Statement"))
    )
    problems = []
    if not trusted:
        problems.append(
            f"the role {ROLE_NAME} exists but does not trust {_SAGEMAKER}, so SageMaker "
            "cannot act as it; it was left unchanged"
        )
    attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    if FULL_ACCESS_POLICY_ARN not in {policy["PolicyArn"] for policy in attached}:
        problems.append(
            f"the role {ROLE_NAME} exists without AmazonSageMakerFullAccess attached; "
            "it was left unchanged"
        )
    return problems


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


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
