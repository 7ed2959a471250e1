"""Which region the tutorial runs in, and whether that region exists at all.

A typo in a region name otherwise surfaces as a DNS failure or a hang against a
host that does not exist; checking it against botocore's own partition data
turns it into an immediate, readable error.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..errors import InputError

_REGION_SHAPE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@cache
def botocore_session() -> Any:
    """One botocore session per process, for botocore's own data only (partitions,
    endpoints: a megabyte of JSON, parsed once), never for the user's configuration,
    which may change between two calls."""
    import botocore.session

    return botocore.session.get_session()


@cache
def known_regions() -> frozenset[str]:
    """Every region botocore knows, in every partition (its small partitions.json).

    Asking botocore which regions S3 and SageMaker are offered in parses both
    services' models (megabytes, a tenth of a second) to learn their endpoint names;
    the partitions list the same regions and more, and cost nothing to read.
    """
    loader = botocore_session().get_component("data_loader")
    regions: set[str] = set()
    for partition in loader.load_data("partitions")["partitions"]:
        regions.update(partition["regions"])
    return frozenset(regions)


def check_region(region: str) -> str:
    """Return ``region`` if it is a real AWS region, else raise InputError."""
    if not _REGION_SHAPE.match(region):
        raise InputError(
            f"'{region}' is not a region name (expected something like ap-northeast-1)"
        )
    if region not in known_regions():
        raise InputError(f"unknown region '{region}': it is not an AWS region this SDK knows")
    return region


def resolve_region(flag: str | None, configured: str | None, default: str | None) -> str:
    """The region to run in: the flag, then the AWS configuration, then the backend's default.

    ``default`` is None on the live backend, where guessing a region could create
    resources somewhere the user did not intend; the user is told how to name one.
    """
    region = flag or configured or default
    if not region:
        raise InputError(
            "no AWS region configured: pass --region, set AWS_REGION, "
            "or set a region in your AWS profile"
        )
    return check_region(region)
