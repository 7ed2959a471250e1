"""The IAM-enforcing local server judges S3 calls by their IAM action, as AWS does.

The notebook-role scenarios rely on it: AmazonSageMakerFullAccess and the role's
explicit Deny name IAM actions (s3:ListAllMyBuckets, s3:ListBucket,
s3:ListBucketVersions), which differ from the API names of the calls they govern
(ListBuckets, ListObjectsV2, ListObjectVersions). moto 5.2.6 checked S3 calls against
"s3:<API name>" instead, so the role could not even list its buckets; a moto release
that does so again fails here, naming the cause, before the scenarios fail obscurely.
"""

from __future__ import annotations

import secrets

import pytest
from botocore.exceptions import ClientError

from steps.notebook_role import NotebookRole

pytestmark = pytest.mark.moto_only


def _unique_sagemaker_bucket() -> str:
    """A name the managed policy covers (``*sagemaker*``), never created."""
    return f"sagemaker-iam-{secrets.token_hex(4)}"


def test_list_buckets_is_allowed_by_s3_list_all_my_buckets(notebook_role: NotebookRole) -> None:
    answer = notebook_role.client("s3").list_buckets()

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_list_objects_v2_is_allowed_by_s3_list_bucket(notebook_role: NotebookRole) -> None:
    # Allowed, the call reaches the bucket lookup: the bucket does not exist.
    with pytest.raises(ClientError) as raised:
        notebook_role.client("s3").list_objects_v2(Bucket=_unique_sagemaker_bucket())

    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "NoSuchBucket",
        "The specified bucket does not exist",
    )


def test_list_object_versions_is_refused_by_the_deny_of_s3_list_bucket_versions(
    notebook_role: NotebookRole,
) -> None:
    with pytest.raises(ClientError) as raised:
        notebook_role.client("s3").list_object_versions(Bucket=_unique_sagemaker_bucket())

    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("AccessDenied", "Access Denied")
