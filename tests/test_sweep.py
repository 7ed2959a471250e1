"""`cleanup --all-runs --older-than AGE`: the sweeper removes only old, tagged resources.

Against the session's local SageMaker server: a bucket and a model the project made
(tagged), and a bucket someone else made (untagged), all created a moment ago.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest

from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.cli import build_parser
from sagemaker_tutorial.data.bucket import delete_tutorial_bucket

_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


@pytest.fixture
def made(backend: Backend, run_cli: Callable[..., Any], cleanup: Any) -> dict[str, str]:
    """A tagged bucket (made by the CLI), a tagged model and an untagged bucket."""
    tagged = f"sagemaker-sweep-{secrets.token_hex(4)}"
    assert run_cli("create-bucket", "--bucket", tagged).exit_code == 0
    theirs = f"sagemaker-theirs-{secrets.token_hex(4)}"
    s3 = backend.client("s3")
    s3.create_bucket(
        Bucket=theirs, CreateBucketConfiguration={"LocationConstraint": backend.region}
    )
    cleanup.add(lambda: delete_tutorial_bucket(backend, theirs, require_project_tag=False))
    model = f"sagemaker-tutorial-sweep-{secrets.token_hex(4)}"
    backend.client("sagemaker").create_model(
        ModelName=model,
        PrimaryContainer={"Image": _IMAGE},
        ExecutionRoleArn="arn:aws:iam::123456789012:role/sweep",
        Tags=backend.tags(),
    )
    return {"tagged": tagged, "theirs": theirs, "model": model}


def _buckets(backend: Backend) -> set[str]:
    return {bucket["Name"] for bucket in backend.client("s3").list_buckets()["Buckets"]}


def _models(backend: Backend) -> set[str]:
    return {m["ModelName"] for m in backend.client("sagemaker").list_models()["Models"]}


def test_the_sweeper_keeps_tagged_resources_younger_than_the_age_and_says_why(
    made: dict[str, str], backend: Backend, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("cleanup", "--all-runs", "--older-than", "12h", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Kept bucket {made['tagged']}" in result.stdout
    assert "younger than 12 hours" in result.stdout
    assert f"Kept model {made['model']}" in result.stdout
    assert "Nothing of any run is left" in result.stdout
    assert {made["tagged"], made["theirs"]} <= _buckets(backend)
    assert made["model"] in _models(backend)


def test_the_sweeper_removes_tagged_resources_older_than_the_age_and_never_untagged_ones(
    made: dict[str, str], backend: Backend, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("cleanup", "--all-runs", "--older-than", "0s", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Deleted model {made['model']}" in result.stdout
    assert made["tagged"] not in _buckets(backend)
    assert made["model"] not in _models(backend)
    assert made["theirs"] in _buckets(backend)
    assert made["theirs"] not in result.stdout


def test_without_yes_the_sweeper_only_lists_what_it_would_remove(
    made: dict[str, str], backend: Backend, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("cleanup", "--all-runs", "--older-than", "0s")
    assert result.exit_code == 0, result.stderr
    assert f"Found bucket {made['tagged']}" in result.stdout
    assert "Nothing was removed: pass --yes" in result.stdout
    assert made["tagged"] in _buckets(backend)


@pytest.mark.parametrize(
    ("age", "says"),
    [
        ("12", "'12' is not an age: a whole number and a unit, s, m, h or d (12h, 2d)"),
        ("1w", "'1w' is not an age"),
        ("2 days", "'2 days' is not an age"),
    ],
)
def test_an_age_without_a_known_unit_is_refused_as_a_usage_error(
    capsys: pytest.CaptureFixture[str], age: str, says: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["cleanup", "--all-runs", "--older-than", age])
    assert stopped.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith(f"error: argument --older-than: {says}")
    assert stderr.count("\n") == 1


def test_older_than_without_a_search_by_tag_is_refused(run_cli: Callable[..., Any]) -> None:
    result = run_cli("cleanup", "--older-than", "1d")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --older-than goes with --all-runs or --run-id (a search by tag)\n"
    )
