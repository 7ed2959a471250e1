"""S3's naming rules for general-purpose buckets, checked before anything is sent.

S3 refuses a bad name only after the request has travelled, with a terse
``InvalidBucketName``; moto (the offline backend) checks nothing but the length
and happily creates ``My_Bucket``. Checking here gives the same answer on both
backends, before any call, with a message that names the rule that was broken.

The rules are AWS's "General purpose bucket naming rules" (S3 User Guide).
"""

from __future__ import annotations

import re
import string

from ..errors import InputError

MIN_LENGTH = 3
MAX_LENGTH = 63

# The prefix the tutorial's own default name starts with.
DEFAULT_NAME_PREFIX = "sagemaker-tutorial"

_ALLOWED = frozenset(string.ascii_lowercase + string.digits + ".-")
_LETTERS_AND_DIGITS = frozenset(string.ascii_lowercase + string.digits)
_IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")

# Reserved by S3 for its own features: IDNs (xn--), S3 itself (sthree-), its
# documentation examples (amzn-s3-demo-), access point aliases (-s3alias),
# Object Lambda aliases (--ol-s3), Multi-Region Access Points (.mrap),
# directory buckets (--x-s3) and table buckets (--table-s3).
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def _quoted(chars: list[str]) -> str:
    return ", ".join(f"'{c}'" for c in dict.fromkeys(chars))


def validate_bucket_name(name: str) -> str:
    """Return ``name`` if S3 would accept it for a general-purpose bucket, else raise InputError.

    The message starts with the name and then states the one rule it breaks, so
    the reader can fix it without looking the rules up.
    """
    problem = _broken_rule(name)
    if problem:
        raise InputError(f"bucket name '{name}' {problem}")
    return name


def _broken_rule(name: str) -> str | None:
    """The first rule ``name`` breaks, worded to follow "bucket name '...'", or None."""
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH} to {MAX_LENGTH} characters long (it has {len(name)})"
    upper = [c for c in name if c in string.ascii_uppercase]
    if upper:
        return f"may not contain upper-case letters (found {_quoted(upper)})"
    other = [c for c in name if c not in _ALLOWED]
    if other:
        return (
            "may contain only lower-case letters, digits, dots and hyphens "
            f"(found {_quoted(other)})"
        )
    if name[0] not in _LETTERS_AND_DIGITS:
        return "must begin with a letter or digit"
    if name[-1] not in _LETTERS_AND_DIGITS:
        return "must end with a letter or digit"
    if ".." in name:
        return "may not contain two adjacent dots"
    if _IP_ADDRESS.match(name):
        return "may not be formatted as an IP address"
    for prefix in RESERVED_PREFIXES:
        if name.startswith(prefix):
            return f"may not begin with the reserved prefix '{prefix}'"
    for suffix in RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return f"may not end with the reserved suffix '{suffix}'"
    return None


def default_bucket_name(account_id: str, region: str) -> str:
    """``sagemaker-tutorial-<account>-<region>``: unique per account and region.

    Bucket names are global, so the tutorial's placeholder ``your-s3-bucket-name``
    collides for everyone; the account id makes the name this reader's (as the
    tutorial advises: unique and meaningful), the region keeps one bucket per
    region apart. The longest real region keeps it near 50
    characters, well inside the 63 allowed.
    """
    name = f"{DEFAULT_NAME_PREFIX}-{account_id}-{region}"
    try:
        return validate_bucket_name(name)
    except InputError as exc:
        raise InputError(f"the default {exc}: name the bucket with --bucket") from None
