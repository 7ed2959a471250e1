"""Step 3c's image lookup reads the SDK's registry file itself: it must answer what the
SDK's own ``image_uris.retrieve`` answers, for every region and version the file names."""

from __future__ import annotations

import functools
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sagemaker_tutorial.aws import sdk
from sagemaker_tutorial.aws.image_uri import (
    supported_versions,
    training_registry,
    xgboost_image_uri,
)
from sagemaker_tutorial.errors import InputError
from sagemaker_tutorial.local_server.container_versions import SUPPORTED_VERSIONS, container_version

# Not in the registry: a version never published, and a region (real) with no XGBoost
# images beside one that exists nowhere.
UNPUBLISHED_VERSIONS = ["0.72", "2.0-1"]
EXTRA_REGIONS = ["mx-central-1", "xx-nowhere-1"]


@pytest.fixture(scope="module")
def sdk_retrieve() -> Iterator[Callable[..., str]]:
    """The SDK's retrieve, the reference; it parses botocore's endpoint data (a megabyte)
    again at every call, which is kept once here so that 500 look-ups take seconds."""
    sdk.opt_out_of_telemetry()
    from sagemaker.core import common_utils, image_uris

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            common_utils, "_botocore_resolver", functools.cache(common_utils._botocore_resolver)
        )
        retrieve: Callable[..., str] = image_uris.retrieve
        yield retrieve


def _registry_regions() -> list[str]:
    regions: set[str] = set()
    for entry in training_registry()["versions"].values():
        regions.update(entry["registries"])
    return sorted(regions)


def _answer(lookup: Callable[..., str], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("image", uri), or ("region", None) / ("version", None) for the two refusals."""
    try:
        return ("image", lookup(*args, **kwargs))
    except InputError as exc:
        text = str(exc)
        if "is not a published version" in text:
            return ("version", None)
        if "are not published in" in text:
            return ("region", None)
        raise
    except ValueError as exc:
        text = str(exc)
        if text.startswith("Unsupported xgboost version"):
            return ("version", None)
        if text.startswith("Unsupported region"):
            return ("region", None)
        raise


def test_the_registry_names_dozens_of_regions_and_versions() -> None:
    # The comparison below is only worth what it covers.
    assert len(_registry_regions()) >= 30
    assert len(supported_versions()) >= 10


def test_every_region_and_version_gets_the_sdks_own_answer(
    sdk_retrieve: Callable[..., str],
) -> None:
    versions = [*supported_versions(), *UNPUBLISHED_VERSIONS]
    differences = []
    for region in [*_registry_regions(), *EXTRA_REGIONS]:
        for version in versions:
            ours = _answer(xgboost_image_uri, region, version)
            theirs = _answer(sdk_retrieve, "xgboost", region, version, image_scope="training")
            if ours != theirs:
                differences.append((region, version, ours, theirs))
    assert differences == []


def test_the_versions_offered_are_the_sdks_list_in_its_order() -> None:
    sdk.opt_out_of_telemetry()
    from sagemaker.core import image_uris

    assert supported_versions() == image_uris.list_versions("xgboost", image_scope="training")


def test_every_image_offered_is_one_the_local_server_runs_and_it_runs_no_other() -> None:
    """The server's own list (it may import nothing of the client side) is the SDK's."""
    served = {container_version(xgboost_image_uri("eu-west-1", v)) for v in supported_versions()}
    assert served == set(SUPPORTED_VERSIONS)


def test_an_unpublished_version_is_refused_with_every_published_one() -> None:
    with pytest.raises(InputError) as refused:
        xgboost_image_uri("ap-northeast-1", "0.72")
    assert str(refused.value) == (
        "XGBoost 0.72 is not a published version; choose one of: " + ", ".join(supported_versions())
    )
    assert "1.7-1" in supported_versions()


def test_a_region_without_xgboost_images_is_refused_by_name() -> None:
    with pytest.raises(InputError) as refused:
        xgboost_image_uri("mx-central-1", "1.7-1")
    assert str(refused.value) == "SageMaker's XGBoost images are not published in mx-central-1"


def test_the_lookup_imports_no_part_of_the_sdk() -> None:
    """What makes it cheap: the SDK's import (seconds) is never paid for one JSON entry."""
    probe = (
        "import sys\n"
        "from sagemaker_tutorial.aws.image_uri import xgboost_image_uri\n"
        "print(xgboost_image_uri('ap-northeast-1', '1.7-1'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sagemaker', 'moto')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    image, modules = done.stdout.splitlines()
    assert image == "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert modules == "[]"
