"""The role CI's live run assumes: `permissions --cloudformation` and its committed copy.

The template's policy must be what `permissions` prints, the trust must name one
repository and one branch, and the committed file must be the command's output
(regenerate it with ``sagemaker-tutorial permissions --cloudformation >
.github/aws/live-role.json``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TEMPLATE_FILE = Path(__file__).parent.parent / ".github" / "aws" / "live-role.json"


@pytest.fixture
def template(run_cli: Callable[..., Any]) -> dict[str, Any]:
    result = run_cli("permissions", "--cloudformation")
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_the_committed_template_is_what_permissions_cloudformation_prints(
    run_cli: Callable[..., Any],
) -> None:
    printed = run_cli("permissions", "--cloudformation").stdout
    assert TEMPLATE_FILE.read_text(encoding="utf-8") == printed, (
        "regenerate it: sagemaker-tutorial permissions --cloudformation > "
        ".github/aws/live-role.json"
    )


def test_the_roles_policy_is_exactly_what_permissions_prints_for_every_command(
    template: dict[str, Any], run_cli: Callable[..., Any]
) -> None:
    policies = template["Resources"]["LiveRole"]["Properties"]["Policies"]
    by_name = {policy["PolicyName"]: policy["PolicyDocument"] for policy in policies}
    assert by_name["sagemaker-tutorial-commands"] == json.loads(run_cli("permissions").stdout)
    assert set(by_name) == {"sagemaker-tutorial-commands", "pass-execution-role"}


def test_the_only_addition_is_passing_the_execution_role_to_sagemaker(
    template: dict[str, Any],
) -> None:
    policies = template["Resources"]["LiveRole"]["Properties"]["Policies"]
    extra = next(p["PolicyDocument"] for p in policies if p["PolicyName"] == "pass-execution-role")
    [statement] = extra["Statement"]
    assert statement["Action"] == "iam:PassRole"
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ExecutionRoleName}"
    }
    assert statement["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }
    assert template["Parameters"]["ExecutionRoleName"]["Default"] == (
        "sagemaker-tutorial-execution-role"
    )


def test_only_one_repository_and_branch_may_assume_the_role_through_githubs_oidc(
    template: dict[str, Any],
) -> None:
    trust = template["Resources"]["LiveRole"]["Properties"]["AssumeRolePolicyDocument"]
    [statement] = trust["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    # Exact matches only: a StringLike with a wildcard would let any branch or fork in.
    assert set(statement["Condition"]) == {"StringEquals"}
    assert statement["Condition"]["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": {
            "Fn::Sub": "repo:${GitHubRepository}:ref:refs/heads/${Branch}"
        },
    }
    assert "Default" not in template["Parameters"]["GitHubRepository"]


def test_the_oidc_provider_is_made_only_when_asked_for_and_the_trust_names_either(
    template: dict[str, Any],
) -> None:
    provider = template["Resources"]["GitHubOidcProvider"]
    assert provider["Condition"] == "CreateProvider"
    assert template["Conditions"]["CreateProvider"] == {
        "Fn::Equals": [{"Ref": "CreateOidcProvider"}, "true"]
    }
    assert template["Parameters"]["CreateOidcProvider"]["AllowedValues"] == ["true", "false"]
    trust = template["Resources"]["LiveRole"]["Properties"]["AssumeRolePolicyDocument"]
    federated = trust["Statement"][0]["Principal"]["Federated"]["Fn::If"]
    assert federated[0] == "CreateProvider"
    assert federated[1] == {"Ref": "GitHubOidcProvider"}
    assert federated[2]["Fn::Sub"].endswith(":oidc-provider/token.actions.githubusercontent.com")


def test_cloudformation_with_a_command_is_refused(run_cli: Callable[..., Any]) -> None:
    result = run_cli("permissions", "train", "--cloudformation")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --cloudformation is the role for every command: give no COMMAND\n"
    )
