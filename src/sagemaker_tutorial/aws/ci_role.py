"""The role CI's live run assumes, as a CloudFormation template: `permissions --cloudformation`.

The scheduled live run (.github/workflows/live.yml) signs in to AWS with GitHub's
OpenID Connect token, never with a stored key. This template makes what that needs:

- GitHub's OIDC provider, only when asked (``CreateOidcProvider=true``): an account
  has at most one per URL, and it may already be there for another repository;
- a role that only this repository's workflow, on one branch, may assume: the token's
  ``sub`` claim is ``repo:<owner>/<name>:ref:refs/heads/<branch>`` and its audience
  STS's (what aws-actions/configure-aws-credentials asks for);
- the role's policy: exactly the document `sagemaker-tutorial permissions` prints
  (every command's needs and what they only try, from permissions.py, the one
  source), plus passing the tutorial's execution role to SageMaker by its name.

The committed copy (.github/aws/live-role.json) is this output; a test keeps them
equal, and `tox -e lint` runs cfn-lint on it.
"""

from __future__ import annotations

import json
from typing import Any

from .. import settings
from .execution_role import ROLE_NAME
from .permissions import policy_document

__all__ = ["GITHUB_OIDC_URL", "role_template", "role_template_json"]

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_URL = f"https://{GITHUB_OIDC_HOST}"
STS_AUDIENCE = "sts.amazonaws.com"
# The live job's time limit (live.yml's timeout-minutes) fits in one session.
SESSION_SECONDS = 3 * 3600


def _parameters() -> dict[str, Any]:
    return {
        "GitHubRepository": {
            "Type": "String",
            "Description": "The repository whose workflows may assume the role: owner/name",
            "AllowedPattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
        },
        "Branch": {
            "Type": "String",
            "Default": "main",
            "Description": "The branch whose workflow runs may assume the role (scheduled "
            "runs run on the default branch)",
            "AllowedPattern": "^[A-Za-z0-9_./-]+$",
        },
        "CreateOidcProvider": {
            "Type": "String",
            "AllowedValues": ["true", "false"],
            "Default": "true",
            "Description": f"false when the account already has the {GITHUB_OIDC_URL} "
            "provider (an account holds one per URL)",
        },
        "RoleName": {
            "Type": "String",
            "Default": "sagemaker-tutorial-live-ci",
            "Description": "The name of the role CI assumes",
        },
        "ExecutionRoleName": {
            "Type": "String",
            "Default": ROLE_NAME,
            "Description": "The execution role training and hosting run as (step 2's, "
            "made by the first run when absent)",
        },
    }


def _trust() -> dict[str, Any]:
    provider = {
        "Fn::If": [
            "CreateProvider",
            {"Ref": "GitHubOidcProvider"},
            {
                "Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/"
                f"{GITHUB_OIDC_HOST}"
            },
        ]
    }
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GitHubActionsOfOneRepositoryAndBranch",
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{GITHUB_OIDC_HOST}:aud": STS_AUDIENCE,
                        f"{GITHUB_OIDC_HOST}:sub": {
                            "Fn::Sub": "repo:${GitHubRepository}:ref:refs/heads/${Branch}"
                        },
                    }
                },
            }
        ],
    }


def _pass_execution_role() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PassTheExecutionRoleToSageMaker",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": {
                    "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/"
                    "${ExecutionRoleName}"
                },
                "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            }
        ],
    }


def role_template() -> dict[str, Any]:
    """The template (see the module docstring), as CloudFormation's JSON."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "sagemaker-tutorial: the role GitHub Actions assumes (OIDC) for the live "
        "suite and the sweeper; its policy is `sagemaker-tutorial permissions`",
        "Parameters": _parameters(),
        "Conditions": {"CreateProvider": {"Fn::Equals": [{"Ref": "CreateOidcProvider"}, "true"]}},
        "Resources": {
            "GitHubOidcProvider": {
                "Type": "AWS::IAM::OIDCProvider",
                "Condition": "CreateProvider",
                "Properties": {"Url": GITHUB_OIDC_URL, "ClientIdList": [STS_AUDIENCE]},
            },
            "LiveRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "Description": "sagemaker-tutorial's live suite and sweeper, from GitHub",
                    "MaxSessionDuration": SESSION_SECONDS,
                    "AssumeRolePolicyDocument": _trust(),
                    "Policies": [
                        {
                            "PolicyName": "sagemaker-tutorial-commands",
                            "PolicyDocument": policy_document(),
                        },
                        {
                            "PolicyName": "pass-execution-role",
                            "PolicyDocument": _pass_execution_role(),
                        },
                    ],
                    "Tags": [
                        {"Key": settings.TAG_PROJECT_KEY, "Value": settings.TAG_PROJECT_VALUE}
                    ],
                },
            },
        },
        "Outputs": {
            "RoleArn": {
                "Description": "Set it as the repository variable AWS_LIVE_ROLE_ARN",
                "Value": {"Fn::GetAtt": ["LiveRole", "Arn"]},
            }
        },
    }


def role_template_json() -> str:
    return json.dumps(role_template(), indent=2) + "\n"
