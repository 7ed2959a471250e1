"""Steps for "Under the notebook's own role": the tutorial's commands as a notebook's role.

The scenarios run against a local SageMaker of their own (never the session's shared
one) that enforces IAM: moto's INITIAL_NO_AUTH_ACTION_COUNT lets the first few calls
(creating the role, attaching its policies, AssumeRole) through unchecked and checks
every later one, and the server knows AWS's managed policies, so
AmazonSageMakerFullAccess is the real document. The commands run on the live backend
(AWS_ENDPOINT_URL, as a reader pointing the tool at their own server would) with the
credentials AssumeRole gives for a role with that policy.

moto's policy evaluator is basic: under that role it authorises some bucket-setting
calls as CreateBucket or ListBucket (PutPublicAccessBlock, PutBucketEncryption,
PutBucketOwnershipControls and their reads, which the managed policy does not allow).
So the role also gets an explicit Deny for every call the managed policy lacks; moto
enforces the ones it names by their IAM action (tagging, deleting the bucket, object
versions, unfinished uploads), and the others' refusal is shown against a loopback
server that answers AccessDenied (tests/test_bucket.py).

The training job reads its channel and writes its model as the identity that created
it (in AWS: its execution role, which in the tutorial is the notebook's role), so a
job trained under the role is checked against the role's policy too
(local_server/inner_client.py). The server lives for the session, English and
Japanese scenarios alike: what a scenario leaves that the role may not delete (a
bucket) it removes itself through moto's reset-auth.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend, live_backend
from sagemaker_tutorial.aws.execution_role import FULL_ACCESS_POLICY_ARN
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.options import BucketOptions
from sagemaker_tutorial.pipeline import bucket_step
from sagemaker_tutorial.reporter import Reporter
from sagemaker_tutorial.state import RunState, load_state

from .bilingual import given, then, when
from .common import Told, run_command
from .step_3d import BucketTold, _create

REGION = "eu-west-1"
ROLE_NAME = "AmazonSageMaker-ExecutionRole-notebook"
# Calls the tutorial makes that AmazonSageMakerFullAccess does not allow (see above).
NOT_IN_THE_MANAGED_POLICY = [
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketTagging",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketTagging",
    "s3:DeleteBucket",
    "s3:ListBucketVersions",
    "s3:ListBucketMultipartUploads",
    "s3:DeleteObjectVersion",
]
# The calls moto lets through before it enforces IAM: CreateRole, AttachRolePolicy,
# PutRolePolicy, AssumeRole.
_SETUP_CALLS = 4


@dataclass(frozen=True)
class NotebookRole:
    """A local SageMaker enforcing IAM, and the credentials of a notebook's role there."""

    endpoint: str
    credentials: dict[str, str]

    def delete_bucket_unchecked(self, name: str) -> None:
        """Delete a bucket the role may not delete (the scenarios' own clean-up): moto's
        /moto-api/reset-auth lets the next call through unchecked, then checks all again."""

        def reset_auth(count: int) -> None:
            request = urllib.request.Request(
                f"{self.endpoint}/moto-api/reset-auth",
                data=str(count).encode(),
                # JSON, as the server's control paths require (and not a form: moto reads
                # the raw body, which Flask leaves empty for forms).
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()

        reset_auth(1)
        try:
            unchecked = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            with contextlib.suppress(unchecked.exceptions.NoSuchBucket):
                unchecked.delete_bucket(Bucket=name)
        finally:
            reset_auth(0)

    def client(self, service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=self.credentials["AccessKeyId"],
            aws_secret_access_key=self.credentials["SecretAccessKey"],
            aws_session_token=self.credentials["SessionToken"],
        )


@pytest.fixture(scope="session")
def notebook_role() -> Iterator[NotebookRole]:
    """The scenarios' own server (started on first use, for the session) and the role."""
    env = dict(
        os.environ,
        INITIAL_NO_AUTH_ACTION_COUNT=str(_SETUP_CALLS),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_tutorial.local_server"],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip().split("=", 1)[1]
        setup = {
            "endpoint_url": endpoint,
            "region_name": REGION,
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
        iam = boto3.client("iam", **setup)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sagemaker.amazonaws.com", "AWS": "*"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        arn = iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(trust))[
            "Role"
        ]["Arn"]
        iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=FULL_ACCESS_POLICY_ARN)
        deny = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": NOT_IN_THE_MANAGED_POLICY, "Resource": "*"}],
        }
        iam.put_role_policy(
            RoleName=ROLE_NAME,
            PolicyName="not-in-the-managed-policy",
            PolicyDocument=json.dumps(deny),
        )
        credentials = boto3.client("sts", **setup).assume_role(
            RoleArn=arn, RoleSessionName="notebook"
        )["Credentials"]
        yield NotebookRole(endpoint, {k: str(v) for k, v in credentials.items()})
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class RoleRun:
    """One scenario's commands as the notebook's role: its workdir and its bucket."""

    workdir: Path
    bucket: str

    def command(self, *args: str) -> Told:
        return run_command(["--backend", "live", "--workdir", str(self.workdir), *args])


@pytest.fixture
def role_run(workdir: Path, bucket_name: str) -> RoleRun:
    return RoleRun(workdir, bucket_name)


# --- Given ------------------------------------------------------------------------------------


@given(
    "the notebook runs under its own role",
    "ノートブックは自身のロールで動いている",
    target_fixture="backend",
)
def runs_under_its_role(
    notebook_role: NotebookRole, monkeypatch: pytest.MonkeyPatch, run_id: str
) -> Backend:
    """The live backend, configured as a reader pointing it at their own server would."""
    for name in ("AWS_PROFILE", "AWS_REGION", settings.ENV_MOCK_ENDPOINT):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", notebook_role.endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", notebook_role.credentials["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", notebook_role.credentials["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", notebook_role.credentials["SessionToken"])
    return live_backend(REGION, run_id)


@given(
    "the tutorial's bucket was created under that role",
    "チュートリアルのバケットがそのロールで作られている",
)
def bucket_created(backend: Backend, role_run: RoleRun) -> None:
    told = _create(backend, role_run.bucket)
    assert told.exit_code == 0, told.text


@given("the data is prepared under that role", "データがそのロールで準備されている")
def data_prepared(role_run: RoleRun) -> None:
    data = role_run.workdir / "bank_data.csv"
    data.write_bytes(synthetic_csv(rows=2000))
    _succeeded(role_run.command("prepare", "--bucket", role_run.bucket, "--data-file", str(data)))


@given(
    "the training data was uploaded under that role",
    "トレーニングデータがそのロールでアップロードされている",
)
def data_uploaded(role_run: RoleRun) -> None:
    data_prepared(role_run)
    _succeeded(role_run.command("upload"))


@given(
    "a model was trained and hosted under that role",
    "モデルがそのロールでトレーニングされ、ホストされている",
)
def model_hosted(role_run: RoleRun) -> None:
    data_uploaded(role_run)
    _train_and_host(role_run)


def _train_and_host(role_run: RoleRun) -> None:
    _succeeded(role_run.command("train", "--allow-cost"))
    _succeeded(role_run.command("deploy", "--allow-cost"))


# --- When -------------------------------------------------------------------------------------


@when(
    "I create the tutorial's bucket under that role",
    "そのロールでチュートリアルのバケットを作る",
    target_fixture="told",
)
def create_bucket(backend: Backend, role_run: RoleRun) -> BucketTold:
    return _create(backend, role_run.bucket)


@pytest.fixture
def warned_while() -> list[tuple[str, bool]]:
    """Each warning a When step gave, and whether the bucket existed when it was given."""
    return []


@when(
    parsers.parse("I create the bucket {name} under that role"),
    parsers.parse("そのロールでバケット {name} を作る"),
    target_fixture="told",
)
def create_named_bucket(
    backend: Backend,
    notebook_role: NotebookRole,
    warned_while: list[tuple[str, bool]],
    name: str,
    request: pytest.FixtureRequest,
) -> Told:
    s3 = notebook_role.client("s3")
    # The server lives for the session (both languages' scenarios use it): the bucket goes
    # when the scenario ends, so the next one finds it absent again.
    request.addfinalizer(lambda: notebook_role.delete_bucket_unchecked(name))

    class Watching(Reporter):
        """Notes, with each warning, whether the bucket existed when it was given."""

        def warn(self, line: str) -> None:
            names = [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
            warned_while.append((line, name in names))
            super().warn(line)

    out, err = io.StringIO(), io.StringIO()
    bucket_step(backend, BucketOptions(name), Watching(out, err))
    return Told(out.getvalue() + err.getvalue(), stderr=err.getvalue())


@when(
    "I upload the training data under that role",
    "そのロールでトレーニングデータをアップロードする",
    target_fixture="told",
)
def upload(role_run: RoleRun) -> Told:
    return role_run.command("upload")


@when(
    "I train the model, host it and ask it about the test rows under that role",
    "そのロールでモデルをトレーニングしてホストし、テストデータの各行について尋ねる",
    target_fixture="told",
)
def train_host_and_ask(role_run: RoleRun) -> Told:
    _train_and_host(role_run)
    return role_run.command("predict")


@when("I clean up under that role", "そのロールで後片付けする", target_fixture="told")
def clean_up(role_run: RoleRun) -> Told:
    return role_run.command("cleanup")


@when(
    "I clean up every run under that role",
    "そのロールですべての実行を後片付けする",
    target_fixture="told",
)
def clean_up_every_run(role_run: RoleRun) -> Told:
    return role_run.command("cleanup", "--all-runs", "--yes")


# --- Then -------------------------------------------------------------------------------------


def _recorded(role_run: RoleRun) -> RunState:
    state = load_state(role_run.workdir)
    assert state is not None, "the run recorded nothing"
    return state


def _succeeded(told: Told) -> Told:
    assert told.exit_code == 0, told.text
    return told


@then(
    "no setting is reported as different, and the tags it may not read as unknown",
    "どの設定も違うとは報告されず、読めないタグは不明と報告される",
)
def unknown_not_different(told: BucketTold, role_run: RoleRun) -> None:
    assert told.outcome is not None, told.text
    assert told.outcome.differences == []
    assert told.outcome.warnings == [
        f"bucket {role_run.bucket}: tags: unknown (AccessDenied), not checked"
    ]


@then(
    "before the bucket exists, I am warned that the role may not put, get or delete its objects",
    "バケットができる前に、ロールはそのオブジェクトを置くことも取得することも削除することもできないと警告される",
)
def warned_first(warned_while: list[tuple[str, bool]]) -> None:
    assert warned_while[0] == (
        "bucket name 'my-tutorial-bucket' does not contain \"sagemaker\": a notebook role with "
        "only AmazonSageMakerFullAccess may create it but not put, get or delete its objects "
        "(the policy allows them only in buckets named *sagemaker*)",
        False,
    )


@then(
    parsers.parse("the bucket holds the training data under {prefix}"),
    parsers.parse("バケットの {prefix} の下にトレーニングデータがある"),
)
def holds_training_data(
    told: Told, role_run: RoleRun, notebook_role: NotebookRole, prefix: str
) -> None:
    _succeeded(told)
    listing = notebook_role.client("s3").list_objects_v2(Bucket=role_run.bucket, Prefix=prefix)
    keys = [item["Key"] for item in listing.get("Contents", [])]
    assert keys and all(key.startswith(f"{prefix}/") for key in keys), keys


@then("the bucket holds no objects", "バケットにはオブジェクトが一つもない")
def holds_nothing(told: Told, role_run: RoleRun, notebook_role: NotebookRole) -> None:
    _succeeded(told)
    listing = notebook_role.client("s3").list_objects_v2(Bucket=role_run.bucket)
    assert listing.get("Contents", []) == []


@then(
    "I am told the bucket remains because the role may not read its tags or delete it",
    "ロールはバケットのタグを読むことも削除することもできないので、バケットは残ると表示される",
)
def told_bucket_remains(told: Told, role_run: RoleRun, notebook_role: NotebookRole) -> None:
    _succeeded(told)
    assert (
        f"the bucket {role_run.bucket} remains: this identity may not read its tags "
        "(s3:GetBucketTagging: AccessDenied), so it cannot tell that this tool made it, and "
        "does not empty or delete it (AmazonSageMakerFullAccess, the notebook's role, allows "
        "neither): delete it in the S3 console"
    ) in told.text.splitlines()
    names = [b["Name"] for b in notebook_role.client("s3").list_buckets()["Buckets"]]
    assert role_run.bucket in names


@then(
    "the training job ran as the notebook's role",
    "トレーニングジョブはノートブックのロールとして動いた",
)
def job_ran_as_role(told: Told, role_run: RoleRun, notebook_role: NotebookRole) -> None:
    _succeeded(told)
    name = _recorded(role_run).training_job
    assert name is not None
    job = notebook_role.client("sagemaker").describe_training_job(TrainingJobName=name)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["RoleArn"].endswith(f":role/{ROLE_NAME}"), job["RoleArn"]


@then("there is a prediction for every test row", "テストデータのどの行にも予測がある")
def prediction_per_test_row(told: Told, role_run: RoleRun) -> None:
    _succeeded(told)
    test_rows = (role_run.workdir / settings.TEST_FILE_NAME).read_text().splitlines()
    predictions = (role_run.workdir / settings.PREDICTIONS_FILE_NAME).read_text().splitlines()
    assert len(predictions) == len(test_rows) - 1 > 0  # the test part has a header line
    assert all(0.0 <= float(line) <= 1.0 for line in predictions)


@then(
    "the run's endpoint, endpoint configuration and model are gone",
    "その実行のエンドポイント、エンドポイント設定、モデルがなくなっている",
)
def hosting_gone(told: Told, role_run: RoleRun, notebook_role: NotebookRole) -> None:
    _succeeded(told)
    state = _recorded(role_run)
    assert state.endpoint is not None
    sagemaker = notebook_role.client("sagemaker")
    endpoints = [item["EndpointName"] for item in sagemaker.list_endpoints()["Endpoints"]]
    configs = [
        item["EndpointConfigName"] for item in sagemaker.list_endpoint_configs()["EndpointConfigs"]
    ]
    models = [item["ModelName"] for item in sagemaker.list_models()["Models"]]
    assert state.endpoint not in endpoints
    assert state.endpoint_config not in configs
    assert state.model not in models


@then(
    "I am told which buckets were not checked, its own among them, and why",
    "確かめられなかったバケットが、自身のバケットも含めて、その理由とともに表示される",
)
def told_unchecked_buckets(told: Told, role_run: RoleRun) -> None:
    line = next(line for line in told.text.splitlines() if line.startswith("Not checked:"))
    assert "(s3:GetBucketTagging: AccessDenied)" in line
    assert role_run.bucket in line
