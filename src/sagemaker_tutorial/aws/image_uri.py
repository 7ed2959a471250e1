"""Step 3c: which XGBoost container image the notebook uses in its region.

The tutorial's dict names four regions; the SageMaker SDK's image registry names
every region SageMaker runs in, for every published XGBoost version, so a reader
in Tokyo (or anywhere) gets the right image without editing code.

The registry is a JSON file the SDK ships (``sagemaker/core/image_uri_config/
xgboost.json``, read by ``image_uris.retrieve``). Importing the SDK to look one
entry up costs seconds (``sagemaker.core`` imports its whole JumpStart and
processing stack first), so the file is read here directly, following the same
rules as ``retrieve`` does for a training image; ``tests/test_image_uri.py``
compares the two for every region and version the file names, so a new SDK
release that changes a rule fails there rather than here.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from .regions import botocore_session

LEGACY_VERSION = "latest"
# Where sagemaker-core installs the registry, below a folder of sys.path (as the SDK's
# namespace package `sagemaker` is found: every sys.path entry may hold a part of it).
_REGISTRY_FILE = ("sagemaker", "core", "image_uri_config", "xgboost.json")
_ECR_URI = "{registry}.dkr.{hostname}/{repository}"


@functools.cache
def training_registry() -> dict[str, Any]:
    """The ``training`` part of the SDK's xgboost.json: versions, aliases, registries."""
    for folder in sys.path:
        path = Path(folder or ".", *_REGISTRY_FILE)
        if path.is_file():
            registry: dict[str, Any] = json.loads(path.read_bytes())["training"]
            return registry
    raise InputError(
        "the SageMaker SDK's image registry (sagemaker/core/image_uri_config/xgboost.json) "
        "is not installed: pip install sagemaker-core"
    )


def xgboost_image_uri(region: str, version: str) -> str:
    """The training image of SageMaker's built-in XGBoost ``version`` in ``region``.

    ``latest`` is the tutorial's legacy XGBoost 0.72 image (``xgboost:latest``).
    The lookup is local (the SDK ships its registry), so a bad version or a
    region without XGBoost is rejected before any network call.
    """
    registry = training_registry()
    aliases: dict[str, str] = registry.get("version_aliases", {})
    versions: dict[str, Any] = registry["versions"]
    if version not in versions and version not in aliases:
        known = ", ".join(supported_versions())
        raise InputError(f"XGBoost {version} is not a published version; choose one of: {known}")
    entry: dict[str, Any] = versions[aliases.get(version, version)]
    py_version = _only(entry.get("py_versions"), "Python version", version, region)
    account = entry["registries"].get(region)
    if account is None:
        raise InputError(f"SageMaker's XGBoost images are not published in {region}")
    processor = _only(
        registry.get("processors") or entry.get("processors"), "processor", version, region
    )
    container_version = (entry.get("container_version") or {}).get(processor)
    if not entry.get("processor_in_tag", True):
        processor = None
    tag_parts = (entry.get("tag_prefix", version), processor, py_version, container_version)
    tag = "-".join(part for part in tag_parts if part)
    repository = entry["repository"] + (f":{tag}" if tag else "")
    return _ECR_URI.format(registry=account, hostname=_ecr_hostname(region), repository=repository)


def _only(choices: list[str] | None, what: str, version: str, region: str) -> str | None:
    """The one choice the registry offers (None when it offers none); the SDK's retrieve
    needs an instance type or a Python version to pick among several, which a training
    image of the built-in algorithm never has."""
    if not choices:
        return None
    if len(choices) > 1:
        raise InputError(
            f"no XGBoost {version} image for {region}: the registry names more than one "
            f"{what} ({', '.join(choices)})"
        )
    return choices[0]


@functools.cache
def _endpoint_resolver() -> Any:
    """botocore's resolver over its endpoint data, as the SDK builds it (the data is the
    one the region check already parsed: the session's loader keeps it)."""
    import botocore.regions

    loader = botocore_session().get_component("data_loader")
    return botocore.regions.EndpointResolver(loader.load_data("endpoints"))


def _ecr_hostname(region: str) -> str:
    """ECR's host in ``region``, from botocore's endpoint data, as the SDK finds it."""
    endpoint = _endpoint_resolver().construct_endpoint("ecr", region)
    if not endpoint:
        # The SDK's own exception to the rule: ECR's endpoint data may lag a new region.
        return f"ecr.{region}.amazonaws.com"
    return str(endpoint["hostname"])


def supported_versions() -> list[str]:
    """The XGBoost versions the SDK can name an image for, ``latest`` included, in the
    SDK's order (numbered versions by number, then names)."""
    registry = training_registry()
    versions = {*registry["versions"], *registry.get("version_aliases", {})}
    return sorted({*versions, LEGACY_VERSION}, key=_version_order)


def _version_order(version: str) -> tuple[int, tuple[int, ...], str]:
    numbers = re.split(r"[.-]", version)
    if all(part.isdigit() for part in numbers):
        return (0, tuple(int(part) for part in numbers), "")
    return (1, (), version)
