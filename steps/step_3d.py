"""Step definitions for tutorial step 3d: create the S3 bucket.

Every bucket a scenario makes is named with the session's run id and removed by
the ``cleanup`` fixture, even when the scenario fails.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pytest_bdd import parsers

from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.data.bucket import (
    BucketOutcome,
    create_bucket_request,
    default_bucket_name,
    delete_tutorial_bucket,
    owned_bucket_region,
)
from sagemaker_tutorial.options import BucketOptions
from sagemaker_tutorial.pipeline import bucket_step

from .bilingual import given, then, when
from .common import Told, attempt, run_command

# The account that holds a name first in the "taken by another account" scenario (moto only).
ANOTHER_ACCOUNT = "210987654321"
ALL_FOUR_SETTINGS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)


@dataclass
class BucketTold(Told):
    """What the reader saw, and what create-bucket returned when it succeeded."""

    outcome: BucketOutcome | None = None


@pytest.fixture
def bucket_name(run_id: str) -> str:
    """A bucket name of this run, unique per scenario (a deleted name lingers in S3 for a while)."""
    return f"sagemaker-st-{run_id}-{secrets.token_hex(3)}"


@pytest.fixture
def create_requests() -> list[bytes]:
    """The bodies of the CreateBucket requests a When step sent, as they went over the wire."""
    return []


def _remove(backend: Backend, name: str) -> None:
    delete_tutorial_bucket(backend, name, require_project_tag=False)


def _create(backend: Backend, name: str | None) -> BucketTold:
    """Step 3d as prepare and `Tutorial` run it (the command line's create-bucket also
    records it in state.json)."""
    told, outcome = attempt(lambda reporter: bucket_step(backend, BucketOptions(name), reporter))
    return BucketTold(told.text, told.exit_code, told.argv, told.stderr, outcome=outcome)


def _cli(argv: list[str]) -> BucketTold:
    told = run_command(argv)
    return BucketTold(told.text, told.exit_code, told.argv, told.stderr)


def _raw_request(s3: Any, **request: Any) -> BucketTold:
    try:
        s3.create_bucket(**request)
    except ClientError as exc:
        return BucketTold(str(exc.response["Error"]["Code"]), 1)
    return BucketTold("created", 0)


# --- Given ------------------------------------------------------------------------------------


@given("the tutorial's bucket already exists", "チュートリアルのバケットがすでにある")
def bucket_exists(backend: Backend, bucket_name: str, cleanup: Any) -> None:
    cleanup.add(_remove, backend, bucket_name)
    made = _create(backend, bucket_name)
    assert made.outcome is not None and made.outcome.created, made.text


@given(
    parsers.parse("I already have the bucket in {region}"),
    parsers.parse("同じ名前のバケットを {region} にすでに持っている"),
)
def bucket_exists_in(
    make_backend: Callable[..., Backend], bucket_name: str, cleanup: Any, region: str
) -> None:
    elsewhere = make_backend(region)
    cleanup.add(_remove, elsewhere, bucket_name)
    made = _create(elsewhere, bucket_name)
    assert made.outcome is not None and made.outcome.created, made.text


@given(
    "I already have the bucket, with its public access not blocked",
    "そのバケットをすでに持っていて、パブリックアクセスがブロックされていない",
)
def bucket_with_public_access(backend: Backend, bucket_name: str, cleanup: Any) -> None:
    s3 = backend.client("s3")
    cleanup.add(_remove, backend, bucket_name)
    s3.create_bucket(**create_bucket_request(bucket_name, backend.region, ownership=False))
    s3.put_public_access_block(
        Bucket=bucket_name,
        PublicAccessBlockConfiguration={setting: False for setting in ALL_FOUR_SETTINGS},
    )


@given(
    "another AWS account owns a bucket of that name",
    "別の AWS アカウントが同じ名前のバケットを持っている",
)
def bucket_of_another_account(
    backend: Backend, bucket_name: str, run_id: str, cleanup: Any
) -> None:
    """Act as another account: moto maps the keys AssumeRole hands out to the role's account."""
    import boto3

    credentials = backend.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{ANOTHER_ACCOUNT}:role/another-team",
        RoleSessionName=f"st-{run_id}",
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=backend.region,
    )
    identity = session.client("sts", endpoint_url=backend.endpoint_url).get_caller_identity()
    other = session.client("s3", endpoint_url=backend.endpoint_url)
    assert identity["Account"] == ANOTHER_ACCOUNT != backend.account_id()
    other.create_bucket(**create_bucket_request(bucket_name, backend.region, ownership=False))
    cleanup.add(functools.partial(other.delete_bucket, Bucket=bucket_name))


# --- When -------------------------------------------------------------------------------------


@when("I create the tutorial's bucket", "チュートリアルのバケットを作る", target_fixture="told")
def create_bucket(
    backend: Backend,
    bucket_name: str,
    cleanup: Any,
    create_requests: list[bytes],
    record_figure: Any,
) -> BucketTold:
    def record(request: Any, **_: Any) -> None:
        create_requests.append(bytes(request.body or b""))

    # Clients of its own, made after the hook (mock backends share theirs).
    backend = replace(backend, clients={})
    backend.session.events.register("before-send.s3.CreateBucket", record)
    cleanup.add(_remove, backend, bucket_name)
    told = _create(backend, bucket_name)
    if told.exit_code == 0:
        record_figure("bucket", s3=backend.client("s3"), name=bucket_name)
    return told


@when(
    "I create the tutorial's bucket without naming it",
    "名前を指定せずにチュートリアルのバケットを作る",
    target_fixture="told",
)
def create_default_bucket(backend: Backend, cleanup: Any) -> BucketTold:
    name = default_bucket_name(backend.account_id(), backend.region)
    if owned_bucket_region(backend, name) is None:  # never remove a reader's own bucket
        cleanup.add(_remove, backend, name)
    return _create(backend, None)


@when(
    parsers.parse("I create the bucket {name}"),
    parsers.parse("バケット {name} を作る"),
    target_fixture="told",
)
def create_named_bucket(
    run_cli: Callable[..., object], backend_kind: str, workdir: Path, name: str
) -> BucketTold:
    # run_cli has pointed the mock backend at the session's moto server.
    # --bucket=NAME: a name starting with "-" must not be read as an option.
    return _cli(
        ["--backend", backend_kind, "--workdir", str(workdir), "create-bucket", f"--bucket={name}"]
    )


@when(
    parsers.parse("I create the tutorial's bucket in {region}"),
    parsers.parse("チュートリアルのバケットを {region} に作る"),
    target_fixture="told",
)
def create_bucket_in(
    run_cli: Callable[..., object], backend_kind: str, workdir: Path, region: str
) -> BucketTold:
    return _cli(
        ["--backend", backend_kind, "--workdir", str(workdir), "--region", region, "create-bucket"]
    )


@when(
    "a bucket is requested without naming a region",
    "リージョンを指定せずにバケットを作るリクエストを送る",
    target_fixture="told",
)
def request_without_region(backend: Backend, bucket_name: str, cleanup: Any) -> BucketTold:
    cleanup.add(_remove, backend, bucket_name)
    return _raw_request(backend.client("s3"), Bucket=bucket_name)


@when(
    parsers.parse("a bucket is requested naming {region} as its region"),
    parsers.parse("リージョンに {region} を指定してバケットを作るリクエストを送る"),
    target_fixture="told",
)
def request_naming_region(
    backend: Backend, bucket_name: str, cleanup: Any, region: str
) -> BucketTold:
    cleanup.add(_remove, backend, bucket_name)
    return _raw_request(
        backend.client("s3"),
        Bucket=bucket_name,
        CreateBucketConfiguration={"LocationConstraint": region},
    )


# --- Then -------------------------------------------------------------------------------------


def _succeeded(told: BucketTold) -> BucketOutcome:
    assert told.exit_code == 0 and told.outcome is not None, told.text
    return told.outcome


@then(parsers.parse("the bucket stands in {region}"), parsers.parse("バケットは {region} にある"))
def stands_in(told: BucketTold, backend: Backend, region: str) -> None:
    outcome = _succeeded(told)
    constraint = backend.client("s3").get_bucket_location(Bucket=outcome.name)["LocationConstraint"]
    assert (constraint or "us-east-1") == region
    assert outcome.region == region
    assert f"bucket: {outcome.name} ({region})" in told.text


@then(
    parsers.parse("the request to S3 named {named} as the bucket's region"),
    parsers.parse("S3 へのリクエストでは、バケットのリージョンに {named} が指定される"),
)
def request_named(told: BucketTold, create_requests: list[bytes], named: str) -> None:
    _succeeded(told)
    assert len(create_requests) == 1, create_requests
    found = re.search(rb"<LocationConstraint>([^<]*)</LocationConstraint>", create_requests[0])
    assert (found.group(1).decode() if found else "no region") == named


@then(
    parsers.parse("S3 refuses the request with {code}"),
    parsers.parse("S3 はリクエストを {code} で拒否する"),
)
def refused_with(told: BucketTold, code: str) -> None:
    assert (told.exit_code, told.text) == (1, code)


@then(
    parsers.parse("the bucket is named after my account and {region}, as in {example}"),
    parsers.parse(
        "バケットは自分のアカウントと {region} にちなんで、{example} のように名付けられる"
    ),
)
def named_after_account(told: BucketTold, backend: Backend, region: str, example: str) -> None:
    outcome = _succeeded(told)
    assert re.fullmatch(rf"sagemaker-tutorial-\d{{12}}-{re.escape(region)}", example)
    assert outcome.name == f"sagemaker-tutorial-{backend.account_id()}-{region}"
    assert outcome.region == region


@then(
    "I am told the bucket already exists and is mine",
    "バケットはすでにあり、自分のものだと表示される",
)
def told_exists(told: BucketTold) -> None:
    outcome = _succeeded(told)
    assert not outcome.created
    assert told.text.startswith("S3 bucket already exists and is yours: nothing changed"), told.text


@then(
    "no setting of the bucket is reported as different",
    "バケットのどの設定も、違うとは報告されない",
)
def no_differences(told: BucketTold) -> None:
    assert _succeeded(told).differences == []
    assert "warning:" not in told.text


@then(parsers.parse('I am warned "{message}"'), parsers.parse("「{message}」と警告される"))
def warned(told: BucketTold, message: str) -> None:
    _succeeded(told)
    warnings = [line for line in told.text.splitlines() if line.startswith("warning: ")]
    assert any(message in line for line in warnings), told.text


@then(
    "all four Block Public Access settings of the bucket are on",
    "バケットのブロックパブリックアクセスの 4 つの設定がすべてオンになっている",
)
def public_access_blocked(told: BucketTold, backend: Backend) -> None:
    name = _succeeded(told).name
    config = backend.client("s3").get_public_access_block(Bucket=name)
    assert config["PublicAccessBlockConfiguration"] == dict.fromkeys(ALL_FOUR_SETTINGS, True)


@then(
    "new objects in the bucket are encrypted with SSE-S3 by default",
    "バケットに入れる新しいオブジェクトは、デフォルトで SSE-S3 により暗号化される",
)
def encrypted_by_default(told: BucketTold, backend: Backend) -> None:
    name = _succeeded(told).name
    s3 = backend.client("s3")
    rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    algorithms = [rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for rule in rules]
    assert algorithms == ["AES256"]
    s3.put_object(Bucket=name, Key="sagemaker/DEMO-xgboost-dm/probe.txt", Body=b"probe")
    head = s3.head_object(Bucket=name, Key="sagemaker/DEMO-xgboost-dm/probe.txt")
    assert head["ServerSideEncryption"] == "AES256"


@then(
    "the bucket owner owns every object in it, with ACLs disabled",
    "ACL は無効で、バケット内のすべてのオブジェクトはバケット所有者のものになる",
)
def owner_enforced(told: BucketTold, backend: Backend) -> None:
    name = _succeeded(told).name
    controls = backend.client("s3").get_bucket_ownership_controls(Bucket=name)
    assert controls["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


@then(
    "the bucket is tagged with the project and this run's id",
    "バケットにはプロジェクトとこの実行の ID のタグが付いている",
)
def tagged_with_run(told: BucketTold, backend: Backend, run_id: str) -> None:
    name = _succeeded(told).name
    tags = backend.client("s3").get_bucket_tagging(Bucket=name)["TagSet"]
    have = {tag["Key"]: tag["Value"] for tag in tags}
    assert have["project"] == "sagemaker-tutorial"
    assert have["sagemaker-tutorial:run-id"] == run_id


@then(
    "the bucket's public access is still not blocked",
    "バケットのパブリックアクセスはブロックされないままだ",
)
def still_public(told: BucketTold, backend: Backend) -> None:
    name = _succeeded(told).name
    config = backend.client("s3").get_public_access_block(Bucket=name)
    assert config["PublicAccessBlockConfiguration"] == dict.fromkeys(ALL_FOUR_SETTINGS, False)
