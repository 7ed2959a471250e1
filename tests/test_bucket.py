"""Creating and deleting the tutorial's bucket against a real S3 endpoint (the session's moto).

Every bucket is named with the run id and removed at teardown by ``cleanup``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from botocore.exceptions import ClientError

from sagemaker_tutorial.aws.backends import Backend, mock_backend
from sagemaker_tutorial.data.bucket import (
    BucketKept,
    create_tutorial_bucket,
    delete_tutorial_bucket,
    owned_bucket_region,
)
from sagemaker_tutorial.errors import InputError, TutorialError
from steps.tripwire import serving, tripwire

LOCKED_DOWN = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


@pytest.fixture
def new_name(run_id: str) -> Callable[[], str]:
    """A fresh bucket name of this run (S3 keeps a deleted name busy for a while)."""
    return lambda: f"sagemaker-st-{run_id}-{secrets.token_hex(3)}"


def _remove(backend: Backend, name: str) -> None:
    delete_tutorial_bucket(backend, name, require_project_tag=False)


def _raw_create(s3: Any, name: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


# --- creating ---------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_a_new_bucket_is_created_in_the_backends_region_and_locked_down(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any, region: str
) -> None:
    backend = make_backend(region)
    name = new_name()
    cleanup.add(_remove, backend, name)

    outcome = create_tutorial_bucket(backend, name)

    assert (outcome.name, outcome.region, outcome.created, outcome.differences) == (
        name,
        region,
        True,
        [],
    )
    assert outcome.report()[:2] == ["S3 bucket created successfully", f"bucket: {name} ({region})"]
    s3 = backend.client("s3")
    assert (s3.get_bucket_location(Bucket=name)["LocationConstraint"] or "us-east-1") == region
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == LOCKED_DOWN
    rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    ownership = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]}
    assert tags == {"project": "sagemaker-tutorial", "sagemaker-tutorial:run-id": backend.run_id}


def test_s3_answers_200_to_re_creating_my_us_east_1_bucket_so_that_cannot_tell_created(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any
) -> None:
    """Why the project asks ListBuckets first: this is what the tutorial's cell would see."""
    backend = make_backend("us-east-1")
    name = new_name()
    cleanup.add(_remove, backend, name)
    s3 = backend.client("s3")
    s3.create_bucket(Bucket=name)
    again = s3.create_bucket(Bucket=name)
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_s3_answers_already_owned_to_re_creating_my_bucket_outside_us_east_1(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any
) -> None:
    backend = make_backend("eu-west-1")
    name = new_name()
    cleanup.add(_remove, backend, name)
    s3 = backend.client("s3")
    _raw_create(s3, name, "eu-west-1")
    with pytest.raises(ClientError) as error:
        _raw_create(s3, name, "eu-west-1")
    assert error.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"


@pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "ap-northeast-1"])
def test_creating_the_bucket_again_says_it_already_exists_and_changes_nothing(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any, region: str
) -> None:
    backend = make_backend(region)
    name = new_name()
    cleanup.add(_remove, backend, name)
    create_tutorial_bucket(backend, name)
    before = backend.client("s3").get_bucket_tagging(Bucket=name)["TagSet"]

    again = create_tutorial_bucket(make_backend(region), name)  # a later run: another run id

    assert (again.created, again.region, again.differences) == (False, region, [])
    assert again.report() == [
        "S3 bucket already exists and is yours: nothing changed",
        f"bucket: {name} ({region})",
    ]
    assert backend.client("s3").get_bucket_tagging(Bucket=name)["TagSet"] == before


@pytest.mark.parametrize(
    ("there", "here"), [("eu-west-1", "us-east-1"), ("us-east-1", "eu-west-1")]
)
def test_my_bucket_in_another_region_is_an_error_naming_its_real_region(
    make_backend: Callable[..., Backend],
    new_name: Callable[[], str],
    cleanup: Any,
    there: str,
    here: str,
) -> None:
    name = new_name()
    elsewhere = make_backend(there)
    cleanup.add(_remove, elsewhere, name)
    create_tutorial_bucket(elsewhere, name)

    with pytest.raises(TutorialError) as error:
        create_tutorial_bucket(make_backend(here), name)

    assert not isinstance(error.value, InputError)
    assert str(error.value) == (
        f"you already own a bucket named '{name}', but it stands in {there}, not {here}: "
        f"run in {there} (--region {there}) or choose another name with --bucket"
    )


@pytest.mark.moto_only
@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_a_name_another_account_owns_is_an_error_telling_to_pick_another(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any, region: str
) -> None:
    import boto3

    backend = make_backend(region)
    credentials = backend.client("sts").assume_role(
        RoleArn="arn:aws:iam::210987654321:role/another-team", RoleSessionName="another-team"
    )["Credentials"]
    other = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    ).client("s3", endpoint_url=backend.endpoint_url)
    name = new_name()
    _raw_create(other, name, region)
    cleanup.add(lambda: other.delete_bucket(Bucket=name))

    with pytest.raises(TutorialError) as error:
        create_tutorial_bucket(backend, name)

    assert str(error.value) == (
        f"the bucket name '{name}' is taken by another AWS account (bucket names are global "
        "across all accounts): pick another name with --bucket"
    )
    assert owned_bucket_region(backend, name) is None


def test_an_existing_bucket_with_other_settings_is_reported_and_left_as_it_is(
    backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    s3 = backend.client("s3")
    _raw_create(s3, name, backend.region)
    loose = {**LOCKED_DOWN, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=loose)
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "project", "Value": "other"}]})

    outcome = create_tutorial_bucket(backend, name)

    assert not outcome.created
    assert outcome.differences == [
        f"bucket {name}: Block Public Access setting BlockPublicPolicy is off (expected on)",
        f"bucket {name}: Block Public Access setting RestrictPublicBuckets is off (expected on)",
        f"bucket {name}: default encryption is aws:kms (expected SSE-S3, AES256)",
        f"bucket {name}: object ownership is ObjectWriter "
        "(expected BucketOwnerEnforced, ACLs disabled)",
        f"bucket {name}: tag project is other (expected sagemaker-tutorial)",
    ]
    assert outcome.report()[-1] == (
        "its settings differ from the tutorial's locked-down ones in 5 ways (see the warnings); "
        "it was left as it is"
    )
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == loose
    ownership = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "ObjectWriter"}]
    assert s3.get_bucket_tagging(Bucket=name)["TagSet"] == [{"Key": "project", "Value": "other"}]


def test_without_a_name_the_bucket_is_named_after_the_account_and_region(
    backend: Backend, cleanup: Any
) -> None:
    account = backend.account_id()
    expected = f"sagemaker-tutorial-{account}-{backend.region}"
    if owned_bucket_region(backend, expected) is None:  # never remove a reader's own bucket
        cleanup.add(_remove, backend, expected)

    outcome = create_tutorial_bucket(backend, None)

    assert outcome.name == expected


# --- nothing is sent for a bad name ------------------------------------------------------------


@pytest.mark.parametrize("operation", [create_tutorial_bucket, delete_tutorial_bucket])
def test_a_bad_name_is_refused_before_any_request_is_sent(
    run_id: str, operation: Callable[[Backend, str], object]
) -> None:
    with tripwire() as (endpoint, requests):
        backend = mock_backend(endpoint, "eu-west-1", run_id)
        with pytest.raises(InputError) as error:
            operation(backend, "My_Tutorial_Bucket")
    assert str(error.value) == (
        "bucket name 'My_Tutorial_Bucket' may not contain upper-case letters (found 'M', 'T', 'B')"
    )
    assert requests == []


# --- under a role that may not lock a bucket down (the notebook's) ------------------------------


def _error(code: str, message: str) -> bytes:
    return f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()


class _StingyS3(BaseHTTPRequestHandler):
    """S3 as AmazonSageMakerFullAccess sees it: lists no buckets, creates one, but refuses
    (AccessDenied) CreateBucket naming ObjectOwnership and every bucket setting, put or read."""

    def _answer(self, status: int, body: bytes = b"") -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if "?" in self.path.removeprefix("/?"):
            self._answer(403, _error("AccessDenied", "Access Denied"))
        else:
            self._answer(
                200, b"<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>"
            )

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if "?" in self.path or self.headers.get("x-amz-object-ownership"):
            self._answer(403, _error("AccessDenied", "Access Denied"))
        else:
            self._answer(200)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def test_a_lock_down_the_role_may_not_make_is_a_warning_naming_what_stands_in(
    run_id: str,
) -> None:
    told: list[str] = []
    with serving(_StingyS3) as (endpoint, requests):
        backend = mock_backend(endpoint, "eu-west-1", run_id)
        outcome = create_tutorial_bucket(backend, "sagemaker-stingy-bucket", warn=told.append)
    name = "sagemaker-stingy-bucket"
    refused = f"bucket {name}: S3 refused"
    assert (
        told
        == outcome.warnings
        == [
            f"{refused} s3:PutBucketPublicAccessBlock (AccessDenied): AWS's default "
            "for new buckets stands in: all public access blocked",
            f"{refused} s3:PutEncryptionConfiguration (AccessDenied): AWS's default "
            "for new buckets stands in: SSE-S3 encryption",
            f"{refused} s3:PutBucketOwnershipControls (AccessDenied): AWS's default "
            "for new buckets stands in: ACLs disabled (BucketOwnerEnforced)",
            f"{refused} s3:PutBucketTagging (AccessDenied): the bucket stays "
            "untagged; clean-up finds it by its name, recorded in state.json",
        ]
    )
    assert outcome.created
    assert outcome.report()[-1] == (
        "not locked down; left to AWS's defaults (see the warnings): public access blocked, "
        "SSE-S3 default encryption, ACLs disabled (BucketOwnerEnforced), tagged"
    )
    # Settings it could not put are not read back: nothing to compare them with.
    paths = [r.split("?")[0] for r in requests]
    assert paths == ["GET /"] + [f"PUT /{name}"] * 5


def test_a_name_without_sagemaker_is_warned_about_before_anything_is_created(
    run_id: str,
) -> None:
    told: list[tuple[str, int]] = []
    with serving(_StingyS3) as (endpoint, requests):
        backend = mock_backend(endpoint, "eu-west-1", run_id)
        create_tutorial_bucket(
            backend, "st-stingy-bucket", warn=lambda line: told.append((line, len(requests)))
        )
    assert told[0] == (
        "bucket name 'st-stingy-bucket' does not contain \"sagemaker\": a notebook role with "
        "only AmazonSageMakerFullAccess may create it but not put, get or delete its objects "
        "(the policy allows them only in buckets named *sagemaker*)",
        0,
    )


class _UnreadableS3(_StingyS3):
    """Lists the bucket as the caller's own: an existing bucket whose settings it may not read."""

    def do_GET(self) -> None:
        if "?" in self.path.removeprefix("/?"):
            self._answer(403, _error("AccessDenied", "Access Denied"))
        else:
            self._answer(
                200,
                b"<ListAllMyBucketsResult><Buckets><Bucket><Name>sagemaker-unreadable</Name>"
                b"<BucketRegion>eu-west-1</BucketRegion></Bucket></Buckets>"
                b"</ListAllMyBucketsResult>",
            )


def test_settings_the_role_may_not_read_are_unknown_not_differences(run_id: str) -> None:
    with serving(_UnreadableS3) as (endpoint, _requests):
        backend = mock_backend(endpoint, "eu-west-1", run_id)
        outcome = create_tutorial_bucket(backend, "sagemaker-unreadable")
    assert not outcome.created
    assert outcome.differences == []
    assert outcome.warnings == [
        "bucket sagemaker-unreadable: Block Public Access settings, default encryption, "
        "object ownership setting, tags: unknown (AccessDenied), not checked"
    ]
    assert outcome.report() == [
        "S3 bucket already exists and is yours: nothing changed",
        "bucket: sagemaker-unreadable (eu-west-1)",
    ]


class _UndeletableS3(_StingyS3):
    """A bucket of the project's, one object in it, under a role that may read its tags and
    delete objects but not list versions or uploads, nor delete the bucket."""

    def do_GET(self) -> None:
        if "tagging" in self.path:
            self._answer(
                200,
                b"<Tagging><TagSet><Tag><Key>project</Key><Value>sagemaker-tutorial</Value>"
                b"</Tag></TagSet></Tagging>",
            )
        elif "list-type=2" in self.path:
            requests = self.server.requests  # type: ignore[attr-defined]
            deleted = any(request.startswith("POST") for request in requests)
            contents = b"" if deleted else b"<Contents><Key>train/train.csv</Key></Contents>"
            self._answer(200, b"<ListBucketResult>" + contents + b"</ListBucketResult>")
        elif "?" in self.path.removeprefix("/?"):
            self._answer(403, _error("AccessDenied", "Access Denied"))
        else:
            self._answer(
                200,
                b"<ListAllMyBucketsResult><Buckets><Bucket><Name>sagemaker-undeletable</Name>"
                b"<BucketRegion>eu-west-1</BucketRegion></Bucket></Buckets>"
                b"</ListAllMyBucketsResult>",
            )

    def do_POST(self) -> None:  # DeleteObjects: each object is gone
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(200, b"<DeleteResult></DeleteResult>")

    def do_DELETE(self) -> None:
        self._answer(403, _error("AccessDenied", "Access Denied"))


def test_a_bucket_the_role_may_not_delete_is_emptied_and_said_to_remain(run_id: str) -> None:
    with serving(_UndeletableS3) as (endpoint, requests):
        backend = mock_backend(endpoint, "eu-west-1", run_id)
        with pytest.raises(BucketKept) as kept:
            delete_tutorial_bucket(backend, "sagemaker-undeletable")
    assert str(kept.value) == (
        "the bucket sagemaker-undeletable remains, empty (1 objects deleted): this identity may "
        "not delete buckets (s3:DeleteBucket: AccessDenied; AmazonSageMakerFullAccess, the "
        "notebook's role, does not allow it): delete it in the S3 console"
    )
    assert requests[-1] == "DELETE /sagemaker-undeletable"


# --- deleting ---------------------------------------------------------------------------------


def test_delete_removes_every_version_delete_marker_and_upload_then_the_bucket(
    backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    create_tutorial_bucket(backend, name)
    s3 = backend.client("s3")
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    for i in range(7):  # 7 versions of 3 keys
        key = f"sagemaker/DEMO-xgboost-dm/train/part-{i % 3}.csv"
        s3.put_object(Bucket=name, Key=key, Body=b"1,2")
    s3.delete_object(Bucket=name, Key="sagemaker/DEMO-xgboost-dm/train/part-0.csv")  # a marker
    s3.create_multipart_upload(Bucket=name, Key="sagemaker/DEMO-xgboost-dm/output/model.tar.gz")

    line = delete_tutorial_bucket(backend, name, batch_size=3)  # several rounds

    assert line == (
        f"S3 bucket deleted: {name} ({backend.region}); 8 object versions and delete markers "
        "and 1 unfinished uploads removed first"
    )
    assert owned_bucket_region(backend, name) is None


def test_deleting_a_bucket_that_does_not_exist_is_success_with_nothing_to_delete(
    backend: Backend, new_name: Callable[[], str]
) -> None:
    name = new_name()
    assert delete_tutorial_bucket(backend, name) == (
        f"no S3 bucket named '{name}' in this account: nothing to delete"
    )


def test_delete_finds_my_bucket_in_another_region(
    make_backend: Callable[..., Backend], new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    elsewhere = make_backend("us-west-2")
    cleanup.add(_remove, elsewhere, name)
    create_tutorial_bucket(elsewhere, name)
    line = delete_tutorial_bucket(make_backend("eu-west-1"), name)
    assert line.startswith(f"S3 bucket deleted: {name} (us-west-2); 0 object versions")


def test_delete_refuses_a_bucket_this_tool_did_not_make_and_leaves_it_full(
    backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    s3 = backend.client("s3")
    _raw_create(s3, name, backend.region)
    s3.put_object(Bucket=name, Key="precious.csv", Body=b"1")

    with pytest.raises(TutorialError) as error:
        delete_tutorial_bucket(backend, name)

    assert str(error.value) == (
        f"bucket '{name}' is not tagged project=sagemaker-tutorial, so this tool did not make "
        "it: not emptying or deleting it (delete it in the S3 console if you mean to)"
    )
    assert s3.get_object(Bucket=name, Key="precious.csv")["Body"].read() == b"1"


# --- the command line -------------------------------------------------------------------------


def test_create_bucket_prints_the_tutorials_line_then_says_it_already_exists(
    run_cli: Callable[..., Any], backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)

    first = run_cli("create-bucket", "--bucket", name)
    second = run_cli("create-bucket", "--bucket", name)

    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout.splitlines()[:2] == [
        "S3 bucket created successfully",
        f"bucket: {name} ({backend.region})",
    ]
    assert (second.exit_code, second.stderr) == (0, "")
    assert second.stdout.splitlines()[0] == "S3 bucket already exists and is yours: nothing changed"


def test_create_bucket_prints_each_difference_as_a_warning_line(
    run_cli: Callable[..., Any], backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    s3 = backend.client("s3")
    _raw_create(s3, name, backend.region)
    s3.put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration={**LOCKED_DOWN, "IgnorePublicAcls": False}
    )

    result = run_cli("create-bucket", "--bucket", name)

    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    expected = f"bucket {name}: Block Public Access setting IgnorePublicAcls is off (expected on)"
    assert f"warning: {expected}" in warnings
    assert all(line.startswith("warning: ") for line in warnings)


def test_create_bucket_in_an_unknown_region_exits_2(run_cli: Callable[..., Any]) -> None:
    result = run_cli("--region", "xx-nowhere-9", "create-bucket")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: unknown region 'xx-nowhere-9': it is not an AWS region this SDK knows\n"
    )


def test_create_bucket_with_a_bad_name_exits_2_with_the_rule(run_cli: Callable[..., Any]) -> None:
    result = run_cli("create-bucket", "--bucket", "my..bucket")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: bucket name 'my..bucket' may not contain two adjacent dots\n"


def test_my_bucket_in_another_region_exits_1_on_the_command_line(
    run_cli: Callable[..., Any], backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    create_tutorial_bucket(backend, name)
    result = run_cli("--region", "us-east-1", "create-bucket", "--bucket", name)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: you already own a bucket named '{name}', but it stands in"
    )


def test_delete_bucket_empties_and_deletes_then_has_nothing_to_delete(
    run_cli: Callable[..., Any], backend: Backend, new_name: Callable[[], str], cleanup: Any
) -> None:
    name = new_name()
    cleanup.add(_remove, backend, name)
    create_tutorial_bucket(backend, name)
    key = "sagemaker/DEMO-xgboost-dm/train/train.csv"
    backend.client("s3").put_object(Bucket=name, Key=key, Body=b"1")

    first = run_cli("delete-bucket", "--bucket", name)
    second = run_cli("delete-bucket", "--bucket", name)

    assert (first.exit_code, first.stdout) == (
        0,
        f"S3 bucket deleted: {name} ({backend.region}); "
        "1 object versions and delete markers removed first\n",
    )
    assert (second.exit_code, second.stdout) == (
        0,
        f"no S3 bucket named '{name}' in this account: nothing to delete\n",
    )
