"""Step 4b's request: the container version, the hyperparameters it accepts, the table."""

from __future__ import annotations

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.errors import InputError
from sagemaker_tutorial.model.training import (
    container_version,
    hyperparameters_for,
    training_request,
)

TOKYO = "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com"


@pytest.mark.parametrize(
    ("image", "version"),
    [
        (f"{TOKYO}/sagemaker-xgboost:1.7-1", "1.7-1"),
        (f"{TOKYO}/sagemaker-xgboost:3.0-5", "3.0-5"),
        (f"{TOKYO}/sagemaker-xgboost:0.90-1-cpu-py3", "0.90-1"),
        ("501404015308.dkr.ecr.ap-northeast-1.amazonaws.com/xgboost:latest", "0.72"),
        ("501404015308.dkr.ecr.ap-northeast-1.amazonaws.com/xgboost:1", "0.72"),
    ],
)
def test_the_container_version_comes_from_the_image_tag(image: str, version: str) -> None:
    assert container_version(image) == version


@pytest.mark.parametrize(
    "image",
    [f"{TOKYO}/sagemaker-xgboost", f"{TOKYO}/sagemaker-xgboost:nightly", f"{TOKYO}/pytorch:2.1"],
)
def test_an_image_that_is_no_xgboost_container_is_refused(image: str) -> None:
    with pytest.raises(InputError) as refused:
        container_version(image)
    assert str(refused.value) == (
        f"'{image}' names no XGBoost image "
        "(expected <registry>/sagemaker-xgboost:<version> or <registry>/xgboost:latest)"
    )


def test_silent_one_becomes_verbosity_zero_in_its_place() -> None:
    params = hyperparameters_for("1.7-1", {"max_depth": "5", "silent": "1", "eta": "0.2"})
    assert list(params.items()) == [("max_depth", "5"), ("verbosity", "0"), ("eta", "0.2")]


def test_the_090_container_keeps_silent() -> None:
    assert hyperparameters_for("0.90-2")["silent"] == "0"


def test_several_instances_shard_the_channel_by_key() -> None:
    request = training_request(
        "job",
        f"{TOKYO}/sagemaker-xgboost:1.7-1",
        "arn:aws:iam::123456789012:role/r",
        "bucket-1",
        settings.PREFIX,
        3,
        [],
    )
    assert request.distribution == "ShardedByS3Key"
    assert dict(request.table())["train channel"].endswith("(text/csv, ShardedByS3Key)")
