"""`sagemaker-tutorial permissions`: the IAM policy each command needs, kept honest.

Every AWS operation a mock run of each command makes is recorded with botocore's own
event hook (``before-call``, on the backend's session: the project's clients and the
SDK's alike) and must be in that command's policy document.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from sagemaker_tutorial.aws import backends
from sagemaker_tutorial.aws.permissions import (
    COMMANDS,
    NO_AWS,
    iam_action,
    policy_actions,
    policy_document,
)

# The tutorial, command by command, in an order where each finds what it needs; then
# what is left to remove; then step 2's notebook instance.
CHAIN: list[tuple[str, ...]] = [
    ("whoami",),
    ("setup",),
    ("create-bucket",),
    ("download",),
    ("split",),
    ("prepare",),
    ("upload",),
    ("train",),
    ("deploy",),
    ("cleanup", "--all-runs"),
    ("predict",),
    ("evaluate",),
    ("delete-endpoint",),
    ("cleanup",),
    ("run",),
    ("cleanup", "--all-runs", "--yes"),
    ("create-bucket",),
    ("delete-bucket",),
    ("notebook-instance",),
    ("notebook-instance", "--delete"),
]


class Recorder:
    """The IAM actions of the operations each command's backend sent, by command."""

    def __init__(self) -> None:
        self.command = "?"
        self.calls: dict[str, set[str]] = defaultdict(set)

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls[self.command].add(iam_action(model.service_model.service_name, model.name))


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Every botocore session a backend makes from now on reports its calls to the recorder."""
    recorder = Recorder()
    make_session = backends._botocore_session

    def recording_session() -> Any:
        session = make_session()
        session.register("before-call", recorder)
        return session

    monkeypatch.setattr(backends, "_botocore_session", recording_session)
    return recorder


@pytest.mark.moto_only
def test_every_operation_a_mock_run_makes_is_in_its_commands_policy(
    run_cli: Callable[..., Any], recorder: Recorder, backend_kind: str
) -> None:
    if backend_kind != "mock":
        pytest.skip("records a run of each command on the mock backend")
    failed = {}
    for argv in CHAIN:
        recorder.command = argv[0]
        result = run_cli(*argv)
        if result.exit_code != 0:
            failed[" ".join(argv)] = result.stderr
    assert failed == {}
    missing = {
        command: sorted(actions - policy_actions(command))
        for command, actions in recorder.calls.items()
        if actions - policy_actions(command)
    }
    assert missing == {}
    assert {argv[0] for argv in CHAIN} == set(COMMANDS) | {"download", "split", "evaluate"}
    assert not set(recorder.calls) & set(NO_AWS)


def test_the_policy_is_a_valid_iam_document_split_into_needs_and_tries() -> None:
    document = policy_document()
    assert document["Version"] == "2012-10-17"
    sids = [statement["Sid"] for statement in document["Statement"]]
    assert len(sids) == len(set(sids))
    for statement in document["Statement"]:
        assert re.fullmatch(r"(Needs|TriesOnly)[A-Za-z0-9]+", statement["Sid"])
        assert statement["Effect"] == "Allow"
        assert statement["Action"] and statement["Resource"]
    # Deleting a bucket is what delete-bucket needs, so the document for all needs it.
    assert "s3:DeleteBucket" in policy_actions(tried=False)


def test_create_bucket_needs_create_bucket_and_only_tries_to_lock_it_down() -> None:
    assert policy_actions("create-bucket", tried=False) == {
        "sts:GetCallerIdentity",
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:CreateBucket",
    }
    assert policy_actions("create-bucket", tried=True) == {
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketTagging",
        "s3:GetBucketOwnershipControls",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketTagging",
    }


def test_cleanup_only_tries_to_delete_the_bucket_the_notebook_role_may_not_delete() -> None:
    assert "s3:DeleteBucket" in policy_actions("cleanup", tried=True)
    assert "s3:DeleteBucket" in policy_actions("delete-bucket", tried=False)


def test_permissions_prints_the_policy_for_one_command(run_cli: Callable[..., Any]) -> None:
    result = run_cli("permissions", "upload")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == policy_document("upload")
    resources = {r for s in json.loads(result.stdout)["Statement"] for r in s["Resource"]}
    assert "arn:aws:s3:::*sagemaker*/*" in resources


@pytest.mark.parametrize("command", NO_AWS)
def test_permissions_of_a_command_that_calls_no_aws_is_an_empty_policy_and_says_so(
    run_cli: Callable[..., Any], command: str
) -> None:
    """`permissions COMMAND > policy.json` is always a policy document IAM takes."""
    result = run_cli("permissions", command)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"Version": "2012-10-17", "Statement": []}
    assert result.stderr == f"{command} calls no AWS service: it needs no IAM permissions\n"


def test_permissions_of_an_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from sagemaker_tutorial.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["permissions", "fly"])
    assert exit_info.value.code == 2
    assert "error: argument COMMAND: invalid choice: 'fly'" in capsys.readouterr().err
