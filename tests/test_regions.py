"""Region names are checked locally, so a typo never becomes a hang against a missing host."""

from __future__ import annotations

import pytest

from sagemaker_tutorial.aws.regions import check_region, resolve_region
from sagemaker_tutorial.errors import InputError


@pytest.mark.parametrize(
    "region", ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-northeast-1", "cn-north-1"]
)
def test_real_regions_are_accepted(region: str) -> None:
    assert check_region(region) == region


def test_a_region_of_the_right_shape_that_does_not_exist_is_unknown() -> None:
    with pytest.raises(InputError, match=r"^unknown region 'ap-tokyo-1': it is not an AWS region"):
        check_region("ap-tokyo-1")


@pytest.mark.parametrize("name", ["Tokyo", "us_east_1", "US-EAST-1", "us-east-1 ", ""])
def test_a_name_that_is_not_shaped_like_a_region_is_refused(name: str) -> None:
    with pytest.raises(InputError, match="is not a region name"):
        check_region(name)


def test_the_flag_wins_over_the_configuration_and_the_default() -> None:
    assert resolve_region("us-west-2", "eu-west-1", "ap-northeast-1") == "us-west-2"


def test_the_configuration_wins_over_the_default() -> None:
    assert resolve_region(None, "eu-west-1", "ap-northeast-1") == "eu-west-1"


def test_no_region_and_no_default_is_an_error_that_says_how_to_name_one() -> None:
    with pytest.raises(
        InputError, match=r"^no AWS region configured: pass --region, set AWS_REGION"
    ):
        resolve_region(None, None, None)
