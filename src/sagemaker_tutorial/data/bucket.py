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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from .. import settings
from ..aws.backends import Backend
from ..aws.regions import check_region
from ..errors import TutorialError
from .bucket_names import default_bucket_name, validate_bucket_name

__all__ = [
    "BucketOutcome",
    "create_tutorial_bucket",
    "default_bucket_name",
    "delete_objects_under",
    "delete_tutorial_bucket",
    "owned_bucket_region",
    "validate_bucket_name",
]

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

# One ListObjectVersions / DeleteObjects round handles at most this many entries (S3's cap).
DELETE_BATCH = 1000


@dataclass
class BucketOutcome:
    """What create-bucket did: the bucket, its region, and whether this run made it."""

    name: str
    region: str
    created: bool
    # One line per setting in which an existing bucket differs from the locked-down ones.
    differences: list[str] = field(default_factory=list)
    run_id: str | None = None

    def report(self) -> list[str]:
        """The lines to print on stdout (differences are printed apart, as warnings)."""
        where = f"bucket: {self.name} ({self.region})"
        if self.created:
            tagged = f"tagged with run id {self.run_id}" if self.run_id else "tagged"
            return [
                "S3 bucket created successfully",
                where,
                "locked down: public access blocked, SSE-S3 default encryption, "
                f"ACLs disabled ({OBJECT_OWNERSHIP}), {tagged}",
            ]
        lines = ["S3 bucket already exists and is yours: nothing changed", where]
        if self.differences:
            count = len(self.differences)
            lines.append(
                f"its settings differ from the tutorial's locked-down ones in {count} "
                f"way{'s' if count != 1 else ''} (see the warnings); it was left as it is"
            )
        return lines


def create_tutorial_bucket(backend: Backend, name: str | None) -> BucketOutcome:
    """Create the tutorial's bucket in ``backend.region``, or accept the one the reader owns.

    Raises InputError (before any call) for a bad name, TutorialError when the
    name belongs to another account or the reader's bucket stands in another
    region, or when a new bucket could not be locked down.
    """
    if name is not None:
        validate_bucket_name(name)
    region = check_region(backend.region)
    if name is None:
        name = default_bucket_name(backend.account_id(), region)
    s3 = backend.client("s3")

    existing_region = _owned_region(s3, name)
    if existing_region is None:
        try:
            s3.create_bucket(**_create_request(name, region))
        except ClientError as exc:
            code = _code(exc)
            if code != "BucketAlreadyOwnedByYou":  # a race with our own earlier request
                raise _create_error(name, region, exc) from None
            existing_region = _location(s3, name)
        else:
            return _lock_down(s3, name, region, backend)

    if existing_region != region:
        raise TutorialError(
            f"you already own a bucket named '{name}', but it stands in {existing_region}, "
            f"not {region}: run in {existing_region} (--region {existing_region}) "
            "or choose another name with --bucket"
        )
    differences = _differences(s3, name, _project_tag(backend))
    return BucketOutcome(name, region, created=False, differences=differences)


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
    False, since emptying it cannot be undone. Returns the line to print.
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
    s3.delete_bucket(Bucket=name)
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


def _create_request(name: str, region: str) -> dict[str, Any]:
    """CreateBucket's arguments: S3 wants the region named everywhere but in us-east-1."""
    request: dict[str, Any] = {"Bucket": name, "ObjectOwnership": OBJECT_OWNERSHIP}
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
            "needs s3:CreateBucket and s3:PutBucketOwnershipControls"
        )
    return exc


def _lock_down(s3: Any, name: str, region: str, backend: Backend) -> BucketOutcome:
    """Apply the locked-down settings to a bucket this run created, then read them back."""
    tags = backend.tags()
    puts: list[tuple[str, Callable[[], Any]]] = [
        (
            "s3:PutBucketPublicAccessBlock",
            lambda: s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=dict(PUBLIC_ACCESS_BLOCK)
            ),
        ),
        (
            "s3:PutEncryptionConfiguration",
            lambda: s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": SSE_S3}}]
                },
            ),
        ),
        (
            "s3:PutBucketTagging",
            lambda: s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags}),
        ),
    ]
    for permission, put in puts:
        try:
            put()
        except ClientError as exc:
            if _code(exc) != "AccessDenied":
                raise
            raise TutorialError(
                f"bucket '{name}' was created in {region}, but S3 refused to lock it down "
                f"(AccessDenied): your identity needs {permission}"
            ) from None
    differences = _differences(s3, name, tags)
    if differences:
        raise TutorialError(
            f"bucket '{name}' was created in {region}, but its settings could not be "
            f"confirmed: {'; '.join(differences)}"
        )
    return BucketOutcome(name, region, created=True, run_id=backend.run_id)


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
    """Call a Get* operation; a "not configured" answer is {}, a refusal is a difference line."""
    try:
        return dict(getattr(s3, operation)(Bucket=name))
    except ClientError as exc:
        code = _code(exc)
        if code == missing:
            return {}
        if code == "AccessDenied":
            return f"bucket {name}: could not read its {what} (AccessDenied)"
        raise


def _differences(s3: Any, name: str, required_tags: list[dict[str, str]]) -> list[str]:
    """How the bucket differs from the locked-down settings, one line per difference."""
    lines: list[str] = []

    access = _read(
        s3,
        name,
        "get_public_access_block",
        "NoSuchPublicAccessBlockConfiguration",
        "Block Public Access settings",
    )
    if isinstance(access, str):
        lines.append(access)
    else:
        config = access.get("PublicAccessBlockConfiguration", {})
        for setting in PUBLIC_ACCESS_BLOCK:
            if not config.get(setting, False):
                lines.append(
                    f"bucket {name}: Block Public Access setting {setting} is off (expected on)"
                )

    encryption = _read(
        s3,
        name,
        "get_bucket_encryption",
        "ServerSideEncryptionConfigurationNotFoundError",
        "default encryption",
    )
    if isinstance(encryption, str):
        lines.append(encryption)
    else:
        rules = encryption.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        algorithms = [
            rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for rule in rules
        ]
        if not algorithms:
            lines.append(f"bucket {name}: no default encryption (expected SSE-S3, {SSE_S3})")
        elif algorithms != [SSE_S3]:
            found = ", ".join(str(a) for a in algorithms)
            lines.append(
                f"bucket {name}: default encryption is {found} (expected SSE-S3, {SSE_S3})"
            )

    ownership = _read(
        s3,
        name,
        "get_bucket_ownership_controls",
        "OwnershipControlsNotFoundError",
        "object ownership setting",
    )
    if isinstance(ownership, str):
        lines.append(ownership)
    else:
        rules = ownership.get("OwnershipControls", {}).get("Rules", [])
        owners = [rule.get("ObjectOwnership") for rule in rules]
        if owners != [OBJECT_OWNERSHIP]:
            found = ", ".join(str(o) for o in owners) or "not set, so ACLs are enabled"
            lines.append(
                f"bucket {name}: object ownership is {found} "
                f"(expected {OBJECT_OWNERSHIP}, ACLs disabled)"
            )

    tagging = _read(s3, name, "get_bucket_tagging", "NoSuchTagSet", "tags")
    if isinstance(tagging, str):
        lines.append(tagging)
    else:
        have = {tag["Key"]: tag["Value"] for tag in tagging.get("TagSet", [])}
        for tag in required_tags:
            key, value = tag["Key"], tag["Value"]
            if key not in have:
                lines.append(f"bucket {name}: tag {key}={value} is missing")
            elif have[key] != value:
                lines.append(f"bucket {name}: tag {key} is {have[key]} (expected {value})")
    return lines


# --- deleting ----------------------------------------------------------------------------------


def _require_project_tag(s3: Any, name: str) -> None:
    tagging = _read(s3, name, "get_bucket_tagging", "NoSuchTagSet", "tags")
    if isinstance(tagging, str):
        raise TutorialError(f"{tagging}: not deleting a bucket this tool may not have made")
    tags = {tag["Key"]: tag["Value"] for tag in tagging.get("TagSet", [])}
    if tags.get(settings.TAG_PROJECT_KEY) != settings.TAG_PROJECT_VALUE:
        raise TutorialError(
            f"bucket '{name}' is not tagged {settings.TAG_PROJECT_KEY}="
            f"{settings.TAG_PROJECT_VALUE}, so this tool did not make it: not emptying or "
            "deleting it (delete it in the S3 console if you mean to)"
        )


def _abort_uploads(s3: Any, name: str, batch_size: int, prefix: str = "") -> int:
    """Abort unfinished multipart uploads (their parts are stored, and billed, until then)."""
    aborted = 0
    while True:
        listing = s3.list_multipart_uploads(Bucket=name, MaxUploads=batch_size, Prefix=prefix)
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
    """
    removed = 0
    while True:
        page = s3.list_object_versions(Bucket=name, MaxKeys=batch_size, Prefix=prefix)
        entries = [
            {"Key": entry["Key"], "VersionId": entry["VersionId"]}
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ][:batch_size]
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
