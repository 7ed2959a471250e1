"""SageMaker's "no such resource" answers, in each wording it uses, read as "gone"."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from sagemaker_tutorial.aws.not_found import is_not_found


def _error(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "DescribeSomething")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        # AWS, per resource (the local server's refusals.py quotes where each is seen).
        ("ValidationException", 'Could not find endpoint "arn:aws:sagemaker:x:1:endpoint/e".'),
        ("ValidationException", "RecordNotFound"),
        ("ValidationException", "Requested resource not found."),
        # moto and other emulators.
        ("ValidationError", "Could not find model 'm'."),
        ("ValidationException", "Notebook instance n does not exist"),
        ("ResourceNotFound", "anything"),
        ("ResourceNotFoundException", ""),
    ],
)
def test_each_wording_of_a_missing_resource_is_not_found(code: str, message: str) -> None:
    assert is_not_found(_error(code, message))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ValidationException", "The request was rejected because the training job is in status"),
        ("AccessDeniedException", "Could not find credentials allowing sagemaker:DescribeModel"),
        ("ThrottlingException", "Rate exceeded"),
    ],
)
def test_other_refusals_are_not_taken_for_a_missing_resource(code: str, message: str) -> None:
    assert not is_not_found(_error(code, message))
