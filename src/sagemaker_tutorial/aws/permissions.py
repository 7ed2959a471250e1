"""The IAM policy each command needs: `sagemaker-tutorial permissions [COMMAND]`.

On a notebook instance the tutorial runs as the notebook's role, which step 2 gives
AmazonSageMakerFullAccess and nothing else. That policy lets the role create buckets
and use the objects of buckets named ``*sagemaker*``, and do anything SageMaker does;
it does not let it configure, tag or delete buckets, or list object versions. So each
command's calls are split in two: what it *needs* (refused, the command fails) and
what it only *tries* (refused, it warns, says what stands in, and goes on).

The document is IAM's own JSON, valid for ``aws iam create-policy``: the statements
whose Sid starts with ``Needs`` hold what the command needs, those starting with
``TriesOnly`` what it only tries. A test records every AWS operation a mock run of
each command makes and fails when one is missing here (tests/test_permissions.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .execution_role import ROLE_NAME

__all__ = [
    "COMMANDS",
    "NO_AWS",
    "Grant",
    "iam_action",
    "policy_actions",
    "policy_document",
    "policy_json",
]

# The tutorial's buckets and objects: the names AmazonSageMakerFullAccess covers.
BUCKETS = "arn:aws:s3:::*sagemaker*"
OBJECTS = "arn:aws:s3:::*sagemaker*/*"
ANY_BUCKET = "arn:aws:s3:::*"
# What the project names its SageMaker resources: sagemaker-tutorial-<run>-<hex>.
_NAMED = "sagemaker-tutorial-*"


def _sagemaker(kind: str, name: str = _NAMED) -> str:
    return f"arn:aws:sagemaker:*:*:{kind}/{name}"


@dataclass(frozen=True)
class Grant:
    """Actions on resources, needed (or only tried) by a command; ``name`` ends the Sid."""

    name: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    tried: bool = False
    condition: dict[str, Any] | None = None

    @property
    def sid(self) -> str:
        return ("TriesOnly" if self.tried else "Needs") + self.name


IDENTITY = Grant("Identity", ("sts:GetCallerIdentity",), ("*",))
FIND_BUCKET = Grant("FindBucket", ("s3:ListAllMyBuckets",), ("*",))
BUCKET_LOCATION = Grant("BucketLocation", ("s3:GetBucketLocation",), (ANY_BUCKET,))
CREATE_BUCKET = Grant("CreateBucket", ("s3:CreateBucket",), (BUCKETS,))
LOCK_DOWN = Grant(
    "LockDownBucket",
    (
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketTagging",
        "s3:GetBucketOwnershipControls",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketTagging",
    ),
    (BUCKETS,),
    tried=True,
)
LIST_OBJECTS = Grant("ListObjects", ("s3:ListBucket",), (BUCKETS,))
OBJECTS_RW = Grant(
    "ReadWriteObjects", ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), (OBJECTS,)
)
DELETE_OBJECTS = Grant("DeleteObjects", ("s3:DeleteObject",), (OBJECTS,))
VERSIONS = Grant(
    "ListVersionsAndUploads",
    ("s3:ListBucketVersions", "s3:ListBucketMultipartUploads"),
    (BUCKETS,),
    tried=True,
)
DELETE_VERSIONS = Grant(
    "DeleteVersionsAndUploads",
    ("s3:DeleteObjectVersion", "s3:AbortMultipartUpload"),
    (OBJECTS,),
    tried=True,
)
# Clean-up by tag reads every bucket's tags; one it may not read is passed over.
TAGS_BEFORE_DELETE = Grant("ReadBucketTags", ("s3:GetBucketTagging",), (ANY_BUCKET,), tried=True)
DELETE_BUCKET_TRIED = Grant("DeleteBucket", ("s3:DeleteBucket",), (BUCKETS,), tried=True)
DELETE_BUCKET = Grant(
    "DeleteBucket",
    ("s3:DeleteBucket", "s3:GetBucketTagging", "s3:ListBucket"),
    (BUCKETS,),
)
NOTEBOOK_ROLE = Grant(
    "NotebookRoleLookup",
    ("sagemaker:DescribeNotebookInstance", "iam:GetRole"),
    ("arn:aws:sagemaker:*:*:notebook-instance/*", "arn:aws:iam::*:role/*"),
)
STEP_2_ROLE = Grant(
    "Step2RoleWhenNoneIsGiven",
    (
        "iam:GetRole",
        "iam:CreateRole",
        "iam:TagRole",
        "iam:AttachRolePolicy",
        "iam:ListAttachedRolePolicies",
    ),
    (f"arn:aws:iam::*:role/{ROLE_NAME}",),
)
PASS_ROLE = Grant(
    "PassRoleToSageMaker",
    ("iam:PassRole",),
    ("arn:aws:iam::*:role/*",),
    condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
)
TRAINING = Grant(
    "TrainingJob",
    (
        "sagemaker:CreateTrainingJob",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopTrainingJob",
        "sagemaker:AddTags",
    ),
    (_sagemaker("training-job"),),
)
HOSTING = Grant(
    "Hosting",
    (
        "sagemaker:CreateModel",
        "sagemaker:DescribeModel",
        "sagemaker:CreateEndpointConfig",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:CreateEndpoint",
        "sagemaker:DescribeEndpoint",
        "sagemaker:AddTags",
    ),
    (_sagemaker("model"), _sagemaker("endpoint-config"), _sagemaker("endpoint")),
)
INVOKE = Grant("InvokeEndpoint", ("sagemaker:InvokeEndpoint",), (_sagemaker("endpoint"),))
TAKE_DOWN = Grant(
    "TakeDownHosting",
    (
        "sagemaker:DescribeEndpoint",
        "sagemaker:DeleteEndpoint",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:DeleteEndpointConfig",
        "sagemaker:DescribeModel",
        "sagemaker:DeleteModel",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopTrainingJob",
    ),
    (
        _sagemaker("endpoint"),
        _sagemaker("endpoint-config"),
        _sagemaker("model"),
        _sagemaker("training-job"),
    ),
)
FIND_TAGGED = Grant(
    "FindTaggedResources",
    (
        "sagemaker:ListEndpoints",
        "sagemaker:ListEndpointConfigs",
        "sagemaker:ListModels",
        "sagemaker:ListTrainingJobs",
        "sagemaker:ListNotebookInstances",
        "sagemaker:ListTags",
    ),
    ("*",),
)
NOTEBOOK_INSTANCE = Grant(
    "NotebookInstance",
    (
        "sagemaker:CreateNotebookInstance",
        "sagemaker:DescribeNotebookInstance",
        "sagemaker:StopNotebookInstance",
        "sagemaker:DeleteNotebookInstance",
        "sagemaker:AddTags",
    ),
    ("arn:aws:sagemaker:*:*:notebook-instance/*",),
)

_BUCKET = (IDENTITY, FIND_BUCKET, BUCKET_LOCATION, CREATE_BUCKET, LOCK_DOWN)
_SETUP = (IDENTITY, NOTEBOOK_ROLE, STEP_2_ROLE)
_EMPTY_PREFIX = (
    FIND_BUCKET,
    BUCKET_LOCATION,
    LIST_OBJECTS,
    DELETE_OBJECTS,
    VERSIONS,
    DELETE_VERSIONS,
)
_TRAIN = (IDENTITY, PASS_ROLE, TRAINING, LIST_OBJECTS, OBJECTS_RW, STEP_2_ROLE, NOTEBOOK_ROLE)
_HOST = (IDENTITY, PASS_ROLE, HOSTING, TAKE_DOWN)

# Every command that calls AWS, and its grants. Commands missing here call none
# (split, evaluate, preprocess; download fetches the data over HTTPS, not from AWS).
COMMANDS: dict[str, tuple[Grant, ...]] = {
    "whoami": (IDENTITY,),
    "notebook-instance": (IDENTITY, STEP_2_ROLE, PASS_ROLE, NOTEBOOK_INSTANCE),
    "setup": _SETUP,
    "create-bucket": _BUCKET,
    "delete-bucket": (IDENTITY, *_EMPTY_PREFIX, DELETE_BUCKET),
    "prepare": (*_SETUP, *_BUCKET),
    "upload": (IDENTITY, FIND_BUCKET, BUCKET_LOCATION, LIST_OBJECTS, OBJECTS_RW),
    "train": _TRAIN,
    "deploy": _HOST,
    "predict": (IDENTITY, INVOKE, TAKE_DOWN),
    "delete-endpoint": (IDENTITY, TAKE_DOWN),
    "cleanup": (
        IDENTITY,
        TAKE_DOWN,
        FIND_TAGGED,
        *_EMPTY_PREFIX,
        TAGS_BEFORE_DELETE,
        DELETE_BUCKET_TRIED,
        NOTEBOOK_INSTANCE,
    ),
    "run": (*_SETUP, *_BUCKET, *_TRAIN, *_HOST, INVOKE, *_EMPTY_PREFIX),
}

# The commands that call no AWS service.
NO_AWS = ("download", "split", "preprocess", "evaluate", "serve")

# Operations whose IAM action is not "<service>:<operation>" (S3's are named after the
# resource they act on; SageMaker's runtime shares SageMaker's prefix).
_S3_ACTIONS = {
    "ListBuckets": "s3:ListAllMyBuckets",
    "ListObjects": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "HeadBucket": "s3:ListBucket",
    "HeadObject": "s3:GetObject",
    "ListObjectVersions": "s3:ListBucketVersions",
    "ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "DeleteObjects": "s3:DeleteObject",
    "CreateMultipartUpload": "s3:PutObject",
    "UploadPart": "s3:PutObject",
    "CompleteMultipartUpload": "s3:PutObject",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
}
_PREFIXES = {"sagemaker-runtime": "sagemaker"}


def iam_action(service: str, operation: str) -> str:
    """The IAM action a botocore operation is authorised as (``s3``, ``ListBuckets``:
    ``s3:ListAllMyBuckets``)."""
    if service == "s3" and operation in _S3_ACTIONS:
        return _S3_ACTIONS[operation]
    return f"{_PREFIXES.get(service, service)}:{operation}"


def _grants(command: str | None) -> list[Grant]:
    if command is None:
        chosen = [grant for grants in COMMANDS.values() for grant in grants]
    else:
        chosen = list(COMMANDS.get(command, ()) if command in NO_AWS else COMMANDS[command])
    needed = {(a, r) for g in chosen if not g.tried for a in g.actions for r in g.resources}
    merged: dict[str, Grant] = {}
    for grant in chosen:
        actions = tuple(
            action
            for action in grant.actions
            # An action on a resource some grant of the same selection needs is not "tried".
            if not (grant.tried and all((action, r) in needed for r in grant.resources))
        )
        if not actions:
            continue
        before = merged.get(grant.sid)
        if before is not None:
            actions = tuple(dict.fromkeys(before.actions + actions))
        merged[grant.sid] = Grant(
            grant.name, actions, grant.resources, grant.tried, grant.condition
        )
    needs = [g for g in merged.values() if not g.tried]
    tries = [g for g in merged.values() if g.tried]
    return needs + tries


def policy_document(command: str | None = None) -> dict[str, Any]:
    """The IAM policy for ``command`` (None: every command): no statement for one that calls
    no AWS service (NO_AWS), KeyError for a name that is no command."""
    statements = []
    for grant in _grants(command):
        statement: dict[str, Any] = {
            "Sid": grant.sid,
            "Effect": "Allow",
            "Action": sorted(grant.actions),
            "Resource": list(grant.resources),
        }
        if grant.condition is not None:
            statement["Condition"] = grant.condition
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def policy_json(command: str | None = None) -> str:
    return json.dumps(policy_document(command), indent=2)


def policy_actions(command: str | None = None, *, tried: bool | None = None) -> set[str]:
    """The actions of the document (``tried``: only those it tries, or only those it needs)."""
    return {
        action
        for grant in _grants(command)
        if tried is None or grant.tried == tried
        for action in grant.actions
    }
