"""Step 3d: create the S3 bucket that holds the training data, and (step 7) delete it.

The tutorial's cell branches on ``us-east-1`` by hand and, on any error, prints it
and carries on. Here the bucket is made in the backend's region with S3's rules
applied exactly: the region is named in the request everywhere except us-east-1
(where naming it is an error), a name is checked before anything is sent, a
bucket the reader already owns counts as success (us-east-1 answers 200, every
other region BucketAlreadyOwnedByYou), and a name another account holds is an
error that says so. A new bucket is locked down (public access blocked, SSE-S3
default encryption, ACLs disabled, tagged with the run); an existing one is
compared with that and the differences are reported, never silently changed.

Whether the reader already owns the bucket is decided with ListBuckets, before
CreateBucket is sent: in us-east-1 CreateBucket on your own bucket answers 200
(so "created" and "already there" look alike) and resets its ACLs, and
HeadBucket cannot tell your bucket from someone else's readable one.

On a notebook instance the calls run as the notebook's role, whose
AmazonSageMakerFullAccess lets it create buckets and use the objects of buckets
named ``*sagemaker*``, and nothing else on S3. A lock-down setting the role may
not make is one warning naming the permission and what stands in for it (AWS's
defaults for every new bucket since 2023); a setting it may not read is unknown,
not a difference; a bucket it may not delete remains, and clean-up says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from .. import settings
from ..aws.backends import Backend
from ..aws.regions import check_region
from ..errors import TutorialError
from .bucket_names import default_bucket_name, validate_bucket_name

__all__ = [
    "BucketKept",
    "BucketOutcome",
    "create_tutorial_bucket",
    "default_bucket_name",
    "delete_objects_under",
    "delete_tutorial_bucket",
    "name_warning",
    "owned_bucket_region",
    "validate_bucket_name",
]

Warn = Callable[[str], None]

# The region where S3 wants no LocationConstraint (and answers 200 to a re-create).
US_EAST_1 = "us-east-1"

# The locked-down settings every bucket of the tutorial gets.
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
SSE_S3 = "AES256"
OBJECT_OWNERSHIP = "BucketOwnerEnforced"

# The managed policy AmazonSageMakerFullAccess grants object access only in buckets whose
# name contains this (arn:aws:s3:::*sagemaker*; bucket names are lower case).
POLICY_NAME_MARK = "sagemaker"

# Each lock-down setting: what it is, the permission that applies it, and what stands in
# for it when that permission is missing (AWS's defaults for every new bucket: SSE-S3
# since January 2023, Block Public Access and disabled ACLs since April 2023).
_SETTINGS: dict[str, tuple[str, str, str]] = {
    "public-access": (
        "public access blocked",
        "s3:PutBucketPublicAccessBlock",
        "AWS's default for new buckets stands in: all public access blocked",
    ),
    "encryption": (
        "SSE-S3 default encryption",
        "s3:PutEncryptionConfiguration",
        "AWS's default for new buckets stands in: SSE-S3 encryption",
    ),
    "ownership": (
        f"ACLs disabled ({OBJECT_OWNERSHIP})",
        "s3:PutBucketOwnershipControls",
        f"AWS's default for new buckets stands in: ACLs disabled ({OBJECT_OWNERSHIP})",
    ),
    "tags": (
        "tagged",
        "s3:PutBucketTagging",
        "the bucket stays untagged; clean-up finds it by its name, recorded in state.json",
    ),
}

# One ListObjectVersions / DeleteObjects round handles at most this many entries (S3's cap).
DELETE_BATCH = 1000


class BucketKept(TutorialError):
    """The bucket stays: this identity may not delete it, or may not tell that this tool made it
    (the notebook's role, with AmazonSageMakerFullAccess alone, may do neither)."""


@dataclass
class BucketOutcome:
    """What create-bucket did: the bucket, its region, and whether this run made it."""

    name: str
    region: str
    created: bool
    # One line per setting in which an existing bucket differs from the locked-down ones.
    differences: list[str] = field(default_factory=list)
    run_id: str | None = None
    # Warning lines: the name, settings refused (and what stands in), settings unreadable.
    warnings: list[str] = field(default_factory=list)
    # The lock-down settings S3 refused to apply (keys of _SETTINGS); AWS's defaults stand in.
    left_to_defaults: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        """The lines to print on stdout (differences are printed apart, as warnings)."""
        where = f"bucket: {self.name} ({self.region})"
        if self.created:
            tagged = f"tagged with run id {self.run_id}" if self.run_id else "tagged"
            applied = [
                tagged if key == "tags" else what
                for key, (what, _, _) in _SETTINGS.items()
                if key not in self.left_to_defaults
            ]
            lock = f"locked down: {', '.join(applied)}" if applied else "not locked down"
            if self.left_to_defaults:
                lock += (
                    f"; left to AWS's defaults (see the warnings): "
                    f"{', '.join(_SETTINGS[key][0] for key in self.left_to_defaults)}"
                )
            return ["S3 bucket created successfully", where, lock]
        lines = ["S3 bucket already exists and is yours: nothing changed", where]
        if self.differences:
            count = len(self.differences)
            lines.append(
                f"its settings differ from the tutorial's locked-down ones in {count} "
                f"way{'s' if count != 1 else ''} (see the warnings); it was left as it is"
            )
        return lines


def name_warning(name: str) -> str | None:
    """Why a notebook's role could not use a bucket of this name; None when it could."""
    if POLICY_NAME_MARK in name.lower():
        return None
    return (
        f"bucket name '{name}' does not contain \"{POLICY_NAME_MARK}\": a notebook role with "
        "only AmazonSageMakerFullAccess may create it but not put, get or delete its objects "
        f"(the policy allows them only in buckets named *{POLICY_NAME_MARK}*)"
    )


def create_tutorial_bucket(
    backend: Backend, name: str | None, *, warn: Warn | None = None
) -> BucketOutcome:
    """Create the tutorial's bucket in ``backend.region``, or accept the one the reader owns.

    Raises InputError (before any call) for a bad name, TutorialError when the
    name belongs to another account or the reader's bucket stands in another
    region, or when a setting S3 did apply reads back otherwise. Each warning
    line (in ``BucketOutcome.warnings``) also goes to ``warn`` as it happens: a
    name the notebook's role could not use is told before anything is created.
    """
    notes: list[str] = []

    def note(line: str) -> None:
        notes.append(line)
        if warn is not None:
            warn(line)

    if name is not None:
        validate_bucket_name(name)
        unusable = name_warning(name)
        if unusable:
            note(unusable)
    region = check_region(backend.region)
    if name is None:
        name = default_bucket_name(backend.account_id(), region)
    s3 = backend.client("s3")

    existing_region = _owned_region(s3, name)
    if existing_region is None:
        try:
            refused = _send_create(s3, name, region)
        except ClientError as exc:
            code = _code(exc)
            if code != "BucketAlreadyOwnedByYou":  # a race with our own earlier request
                raise _create_error(name, region, exc) from None
            existing_region = _location(s3, name)
        else:
            outcome = _lock_down(s3, name, region, backend, refused, note)
            outcome.warnings = notes
            return outcome

    if existing_region != region:
        raise TutorialError(
            f"you already own a bucket named '{name}', but it stands in {existing_region}, "
            f"not {region}: run in {existing_region} (--region {existing_region}) "
            "or choose another name with --bucket"
        )
    differences, unknown = _differences(s3, name, _project_tag(backend))
    if unknown:
        note(_unknown_line(name, unknown))
    return BucketOutcome(name, region, created=False, differences=differences, warnings=notes)


def delete_tutorial_bucket(
    backend: Backend,
    name: str | None,
    *,
    require_project_tag: bool = True,
    batch_size: int = DELETE_BATCH,
) -> str:
    """Empty the bucket (every object version, delete marker and unfinished upload), then delete it.

    A bucket the reader does not own is not an error: there is nothing to delete,
    and teardown may run twice. A bucket that does not carry the project's tag
    was not made by this tool and is refused unless ``require_project_tag`` is
    False, since emptying it cannot be undone. Returns the line to print. Raises
    BucketKept, saying why, when this identity may not read the bucket's tags or may
    not delete it (the notebook's role may do neither).
    """
    if name is not None:
        validate_bucket_name(name)
    if name is None:
        name = default_bucket_name(backend.account_id(), check_region(backend.region))
    region = _owned_region(backend.client("s3"), name)
    if region is None:
        return f"no S3 bucket named '{name}' in this account: nothing to delete"
    s3 = backend.client("s3", region=region)
    if require_project_tag:
        _require_project_tag(s3, name)
    aborted = _abort_uploads(s3, name, batch_size)
    removed = _remove_versions(s3, name, batch_size)
    try:
        s3.delete_bucket(Bucket=name)
    except ClientError as exc:
        if _code(exc) != "AccessDenied":
            raise
        raise BucketKept(
            f"the bucket {name} remains, empty ({removed} objects deleted): this identity may "
            "not delete buckets (s3:DeleteBucket: AccessDenied; AmazonSageMakerFullAccess, the "
            "notebook's role, does not allow it): delete it in the S3 console"
        ) from None
    emptied = f"{removed} object versions and delete markers"
    if aborted:
        emptied += f" and {aborted} unfinished uploads"
    return f"S3 bucket deleted: {name} ({region}); {emptied} removed first"


def delete_objects_under(
    backend: Backend, name: str, prefix: str, *, batch_size: int = DELETE_BATCH
) -> int | None:
    """Delete every object version, delete marker and unfinished upload under ``prefix``
    (step 7's ``bucket.objects.all().delete()``, done fully); how many, or None when the
    reader owns no bucket of that name (nothing to delete)."""
    region = _owned_region(backend.client("s3"), validate_bucket_name(name))
    if region is None:
        return None
    s3 = backend.client("s3", region=region)
    aborted = _abort_uploads(s3, name, batch_size, prefix)
    return aborted + _remove_versions(s3, name, batch_size, prefix)


def owned_bucket_region(backend: Backend, name: str) -> str | None:
    """The region of the reader's own bucket ``name``, or None when they own no such bucket."""
    return _owned_region(backend.client("s3"), validate_bucket_name(name))


# --- creating --------------------------------------------------------------------------------


def _send_create(s3: Any, name: str, region: str) -> list[str]:
    """CreateBucket with ACLs disabled; the settings it could not apply (see _SETTINGS).

    Naming ObjectOwnership needs s3:PutBucketOwnershipControls as well as s3:CreateBucket;
    refused, the bucket is created without it, and AWS's default (ACLs disabled) stands in.
    """
    try:
        s3.create_bucket(**create_bucket_request(name, region))
    except ClientError as exc:
        if _code(exc) != "AccessDenied":
            raise
        s3.create_bucket(**create_bucket_request(name, region, ownership=False))
        return ["ownership"]
    return []


def create_bucket_request(name: str, region: str, *, ownership: bool = True) -> dict[str, Any]:
    """CreateBucket's arguments: S3 wants the region named everywhere but in us-east-1."""
    request: dict[str, Any] = {"Bucket": name}
    if ownership:
        request["ObjectOwnership"] = OBJECT_OWNERSHIP
    if region != US_EAST_1:
        request["CreateBucketConfiguration"] = {"LocationConstraint": region}
    return request


def _create_error(name: str, region: str, exc: ClientError) -> Exception:
    code = _code(exc)
    if code == "BucketAlreadyExists":
        return TutorialError(
            f"the bucket name '{name}' is taken by another AWS account (bucket names are "
            "global across all accounts): pick another name with --bucket"
        )
    if code == "OperationAborted":
        return TutorialError(
            f"S3 is still busy with an earlier operation on the name '{name}' (a bucket of that "
            "name was deleted recently?): try again in a few minutes or pick another name"
        )
    if code == "AccessDenied":
        return TutorialError(
            f"S3 refused to create bucket '{name}' in {region} (AccessDenied): your identity "
            "needs s3:CreateBucket"
        )
    return exc


def _lock_down(
    s3: Any, name: str, region: str, backend: Backend, refused: list[str], note: Warn
) -> BucketOutcome:
    """Apply the locked-down settings to a bucket this run created, then read back those
    S3 applied. A setting refused (AccessDenied) is a warning naming the permission and
    what stands in for it; ``refused`` holds those CreateBucket already could not apply."""
    tags = backend.tags()
    puts: list[tuple[str, Callable[[], Any]]] = [
        (
            "public-access",
            lambda: s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=dict(PUBLIC_ACCESS_BLOCK)
            ),
        ),
        (
            "encryption",
            lambda: s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": SSE_S3}}]
                },
            ),
        ),
        (
            "tags",
            lambda: s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags}),
        ),
    ]
    refused = list(refused)
    for key, put in puts:
        try:
            put()
        except ClientError as exc:
            if _code(exc) != "AccessDenied":
                raise
            refused.append(key)
    refused.sort(key=list(_SETTINGS).index)
    for key in refused:
        _, permission, stand_in = _SETTINGS[key]
        note(f"bucket {name}: S3 refused {permission} (AccessDenied): {stand_in}")
    differences, unknown = _differences(s3, name, tags, skip=refused)
    if unknown:
        note(_unknown_line(name, unknown))
    if differences:
        raise TutorialError(
            f"bucket '{name}' was created in {region}, but its settings could not be "
            f"confirmed: {'; '.join(differences)}"
        )
    return BucketOutcome(
        name, region, created=True, run_id=backend.run_id, left_to_defaults=refused
    )


# --- reading what a bucket is ------------------------------------------------------------------


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _owned_region(s3: Any, name: str) -> str | None:
    """The region of the bucket ``name`` if this account owns it, else None.

    ListBuckets lists only the caller's own buckets; the Prefix keeps the answer small.
    """
    for bucket in s3.list_buckets(Prefix=name).get("Buckets", []):
        if bucket.get("Name") == name:
            return str(bucket.get("BucketRegion") or _location(s3, name))
    return None


def _location(s3: Any, name: str) -> str:
    """GetBucketLocation, translated: None means us-east-1, and "EU" is eu-west-1's old name."""
    constraint = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
    if not constraint:
        return US_EAST_1
    return "eu-west-1" if constraint == "EU" else str(constraint)


def _project_tag(backend: Backend) -> list[dict[str, str]]:
    """The tag an existing bucket is expected to carry (its run id is the run that made it)."""
    return [tag for tag in backend.tags() if tag["Key"] == settings.TAG_PROJECT_KEY]


def _read(s3: Any, name: str, operation: str, missing: str, what: str) -> dict[str, Any] | str:
    """Call a Get* operation; a "not configured" answer is {}, a refusal names the setting."""
    try:
        return dict(getattr(s3, operation)(Bucket=name))
    except ClientError as exc:
        code = _code(exc)
        if code == missing:
            return {}
        if code == "AccessDenied":
            return what
        raise


def _unknown_line(name: str, unknown: Iterable[str]) -> str:
    return f"bucket {name}: {', '.join(unknown)}: unknown (AccessDenied), not checked"


def _public_access_differences(
    answer: dict[str, Any], name: str, _: list[dict[str, str]]
) -> list[str]:
    config = answer.get("PublicAccessBlockConfiguration", {})
    return [
        f"bucket {name}: Block Public Access setting {setting} is off (expected on)"
        for setting in PUBLIC_ACCESS_BLOCK
        if not config.get(setting, False)
    ]


def _encryption_differences(
    answer: dict[str, Any], name: str, _: list[dict[str, str]]
) -> list[str]:
    rules = answer.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    algorithms = [
        rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for rule in rules
    ]
    if not algorithms:
        return [f"bucket {name}: no default encryption (expected SSE-S3, {SSE_S3})"]
    if algorithms != [SSE_S3]:
        found = ", ".join(str(a) for a in algorithms)
        return [f"bucket {name}: default encryption is {found} (expected SSE-S3, {SSE_S3})"]
    return []


def _ownership_differences(answer: dict[str, Any], name: str, _: list[dict[str, str]]) -> list[str]:
    owners = [
        rule.get("ObjectOwnership") for rule in answer.get("OwnershipControls", {}).get("Rules", [])
    ]
    if owners == [OBJECT_OWNERSHIP]:
        return []
    found = ", ".join(str(o) for o in owners) or "not set, so ACLs are enabled"
    return [
        f"bucket {name}: object ownership is {found} (expected {OBJECT_OWNERSHIP}, ACLs disabled)"
    ]


def _tag_differences(
    answer: dict[str, Any], name: str, required: list[dict[str, str]]
) -> list[str]:
    have = {tag["Key"]: tag["Value"] for tag in answer.get("TagSet", [])}
    lines = []
    for tag in required:
        key, value = tag["Key"], tag["Value"]
        if key not in have:
            lines.append(f"bucket {name}: tag {key}={value} is missing")
        elif have[key] != value:
            lines.append(f"bucket {name}: tag {key} is {have[key]} (expected {value})")
    return lines


@dataclass(frozen=True)
class _Check:
    """How one lock-down setting is read back and compared with what it should be."""

    key: str  # in _SETTINGS
    operation: str  # the S3 Get* call
    missing: str  # its error code for "never configured" (read as {})
    what: str  # the setting, as an "unknown (AccessDenied)" line names it
    compare: Callable[[dict[str, Any], str, list[dict[str, str]]], list[str]]


_CHECKS = (
    _Check(
        "public-access",
        "get_public_access_block",
        "NoSuchPublicAccessBlockConfiguration",
        "Block Public Access settings",
        _public_access_differences,
    ),
    _Check(
        "encryption",
        "get_bucket_encryption",
        "ServerSideEncryptionConfigurationNotFoundError",
        "default encryption",
        _encryption_differences,
    ),
    _Check(
        "ownership",
        "get_bucket_ownership_controls",
        "OwnershipControlsNotFoundError",
        "object ownership setting",
        _ownership_differences,
    ),
    _Check("tags", "get_bucket_tagging", "NoSuchTagSet", "tags", _tag_differences),
)


def _differences(
    s3: Any, name: str, required_tags: list[dict[str, str]], skip: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """How the bucket differs from the locked-down settings, one line per difference; and
    the settings this identity may not read (unknown, not a difference). Settings in
    ``skip`` (keys of _SETTINGS) are not read."""
    lines: list[str] = []
    unknown: list[str] = []
    skipped = set(skip)
    for check in _CHECKS:
        if check.key in skipped:
            continue
        answer = _read(s3, name, check.operation, check.missing, check.what)
        if isinstance(answer, str):
            unknown.append(answer)
        else:
            lines += check.compare(answer, name, required_tags)
    return lines, unknown


# --- deleting ----------------------------------------------------------------------------------


def _require_project_tag(s3: Any, name: str) -> None:
    tagging = _read(s3, name, "get_bucket_tagging", "NoSuchTagSet", "tags")
    if isinstance(tagging, str):
        raise BucketKept(
            f"the bucket {name} remains: this identity may not read its tags "
            "(s3:GetBucketTagging: AccessDenied), so it cannot tell that this tool made it, "
            "and does not empty or delete it (AmazonSageMakerFullAccess, the notebook's role, "
            "allows neither): delete it in the S3 console"
        )
    tags = {tag["Key"]: tag["Value"] for tag in tagging.get("TagSet", [])}
    if tags.get(settings.TAG_PROJECT_KEY) != settings.TAG_PROJECT_VALUE:
        raise TutorialError(
            f"bucket '{name}' is not tagged {settings.TAG_PROJECT_KEY}="
            f"{settings.TAG_PROJECT_VALUE}, so this tool did not make it: not emptying or "
            "deleting it (delete it in the S3 console if you mean to)"
        )


def _abort_uploads(s3: Any, name: str, batch_size: int, prefix: str = "") -> int:
    """Abort unfinished multipart uploads (their parts are stored, and billed, until then).

    An identity that may not list them (s3:ListBucketMultipartUploads, which the notebook's
    role lacks) cannot find any: there is nothing it could abort.
    """
    aborted = 0
    while True:
        try:
            listing = s3.list_multipart_uploads(Bucket=name, MaxUploads=batch_size, Prefix=prefix)
        except ClientError as exc:
            if _code(exc) != "AccessDenied":
                raise
            return aborted
        uploads = listing.get("Uploads", [])
        if not uploads:
            return aborted
        for upload in uploads:
            s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
        aborted += len(uploads)


def _remove_versions(s3: Any, name: str, batch_size: int, prefix: str = "") -> int:
    """Delete every object version and delete marker, one batch at a time; return how many.

    Each round lists from the start again rather than following the listing's
    markers: the marker names an entry this loop has just deleted, which S3 copes
    with but some stand-ins (moto) answer with an empty, final page.

    An identity that may not list versions (s3:ListBucketVersions, which the notebook's role
    lacks) deletes the current objects instead: in the tutorial's bucket, never versioned,
    that is every object.
    """
    removed = 0
    versions = True
    while True:
        entries: list[dict[str, str]] = []
        if versions:
            try:
                page = s3.list_object_versions(Bucket=name, MaxKeys=batch_size, Prefix=prefix)
            except ClientError as exc:
                if _code(exc) != "AccessDenied":
                    raise
                versions = False
            else:
                entries = [
                    {"Key": entry["Key"], "VersionId": entry["VersionId"]}
                    for entry in page.get("Versions", []) + page.get("DeleteMarkers", [])
                ][:batch_size]
        if not versions:
            page = s3.list_objects_v2(Bucket=name, MaxKeys=batch_size, Prefix=prefix)
            entries = [{"Key": entry["Key"]} for entry in page.get("Contents", [])][:batch_size]
        if not entries:
            return removed
        result = s3.delete_objects(Bucket=name, Delete={"Objects": entries, "Quiet": True})
        errors = result.get("Errors", [])
        if errors:
            first = errors[0]
            raise TutorialError(
                f"could not empty bucket '{name}': S3 refused to delete {len(errors)} object "
                f"versions, e.g. {first.get('Key')} ({first.get('Code')}: {first.get('Message')})"
            )
        removed += len(entries)
