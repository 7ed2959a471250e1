"""Which role SageMaker acts as when none is named, on the live backend's code path.

These run the live backend against the session's moto server through
AWS_ENDPOINT_URL, as the contract env does, with credentials moto issued.
"""

from __future__ import annotations

import json

import pytest

from sagemaker_tutorial.aws.backends import Backend, live_backend
from sagemaker_tutorial.aws.execution_role import check_role_arn, resolve_execution_role
from sagemaker_tutorial.errors import InputError, TutorialError

_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


def _use_credentials(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, credentials: dict[str, str]
) -> Backend:
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["SecretAccessKey"])
    if "SessionToken" in credentials:
        monkeypatch.setenv("AWS_SESSION_TOKEN", credentials["SessionToken"])
    else:
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("SAGEMAKER_ROLE_ARN", raising=False)
    return live_backend("eu-west-1")


@pytest.mark.moto_only
def test_assumed_role_credentials_give_the_role_they_were_assumed_from(
    backend: Backend, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, run_id: str
) -> None:
    iam = backend.client("iam")
    role_name = f"notebook-{run_id}"
    role_arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(_TRUST))[
        "Role"
    ]["Arn"]
    credentials = backend.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="notebook")
    live = _use_credentials(monkeypatch, moto_endpoint, credentials["Credentials"])
    assert resolve_execution_role(live, None) == role_arn


@pytest.mark.moto_only
def test_user_credentials_are_refused_with_a_hint_to_name_a_role(
    backend: Backend, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, run_id: str
) -> None:
    iam = backend.client("iam")
    user = f"reader-{run_id}"
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    live = _use_credentials(monkeypatch, moto_endpoint, key)
    with pytest.raises(TutorialError) as refused:
        resolve_execution_role(live, None)
    assert str(refused.value) == (
        f"the current AWS identity (arn:aws:iam::123456789012:user/{user}) is not a role, "
        "so it cannot be SageMaker's execution role: pass --role ARN or set SAGEMAKER_ROLE_ARN"
    )
    assert not isinstance(refused.value, InputError)  # it took a call to find out: exit 1


def test_a_role_from_the_environment_is_used_without_any_call(
    monkeypatch: pytest.MonkeyPatch, backend: Backend
) -> None:
    arn = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-1"
    monkeypatch.setenv("SAGEMAKER_ROLE_ARN", arn)
    assert resolve_execution_role(backend, None) == arn


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::12345:role/too-short-account",
        "AmazonSageMaker-ExecutionRole",
        "arn:aws:sts::123456789012:assumed-role/notebook/session",
    ],
)
def test_what_is_not_a_role_arn_is_refused_as_input(arn: str) -> None:
    with pytest.raises(InputError, match=r"is not an IAM role ARN \(expected arn:aws:iam::"):
        check_role_arn(arn)
