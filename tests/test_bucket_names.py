"""S3's general-purpose bucket naming rules, one test per rule, message included."""

from __future__ import annotations

import pytest

from sagemaker_tutorial.aws.regions import known_regions
from sagemaker_tutorial.data.bucket_names import default_bucket_name, validate_bucket_name
from sagemaker_tutorial.errors import InputError


def _refusal(name: str) -> str:
    with pytest.raises(InputError) as error:
        validate_bucket_name(name)
    assert error.value.exit_code == 2
    return str(error.value)


@pytest.mark.parametrize(
    "name",
    [
        "abc",
        "a" * 63,
        "sagemaker-tutorial-123456789012-ap-northeast-1",
        "my.tutorial.bucket",
        "1-bucket-2",
        "192.168.5.4.bucket",
        "my-xn--bucket",
        "bucket-s3alias-not-at-the-end",
    ],
)
def test_a_name_that_keeps_every_rule_is_accepted_as_it_is(name: str) -> None:
    assert validate_bucket_name(name) == name


def test_a_name_shorter_than_three_characters_is_rejected() -> None:
    assert _refusal("ab") == "bucket name 'ab' must be 3 to 63 characters long (it has 2)"


def test_an_empty_name_is_rejected_for_its_length() -> None:
    assert _refusal("") == "bucket name '' must be 3 to 63 characters long (it has 0)"


def test_a_name_longer_than_63_characters_is_rejected() -> None:
    name = "a" * 64
    assert _refusal(name) == f"bucket name '{name}' must be 3 to 63 characters long (it has 64)"


def test_a_bucket_name_with_upper_case_letters_is_rejected() -> None:
    assert _refusal("My-Bucket") == (
        "bucket name 'My-Bucket' may not contain upper-case letters (found 'M', 'B')"
    )


def test_a_bucket_name_with_an_underscore_is_rejected() -> None:
    assert _refusal("my_bucket") == (
        "bucket name 'my_bucket' may contain only lower-case letters, digits, dots and "
        "hyphens (found '_')"
    )


def test_a_bucket_name_with_spaces_or_non_ascii_letters_is_rejected() -> None:
    assert _refusal("mÿ bucket").endswith("(found 'ÿ', ' ')")


def test_a_bucket_name_beginning_with_a_hyphen_is_rejected() -> None:
    assert _refusal("-bucket") == "bucket name '-bucket' must begin with a letter or digit"


def test_a_bucket_name_beginning_with_a_dot_is_rejected() -> None:
    assert _refusal(".bucket") == "bucket name '.bucket' must begin with a letter or digit"


def test_a_bucket_name_ending_with_a_hyphen_is_rejected() -> None:
    assert _refusal("bucket-") == "bucket name 'bucket-' must end with a letter or digit"


def test_a_bucket_name_ending_with_a_dot_is_rejected() -> None:
    assert _refusal("bucket.") == "bucket name 'bucket.' must end with a letter or digit"


def test_a_bucket_name_with_two_adjacent_dots_is_rejected() -> None:
    assert _refusal("my..bucket") == "bucket name 'my..bucket' may not contain two adjacent dots"


@pytest.mark.parametrize("name", ["192.168.5.4", "10.0.0.1", "999.999.999.999"])
def test_a_bucket_name_formatted_as_an_ip_address_is_rejected(name: str) -> None:
    assert _refusal(name) == f"bucket name '{name}' may not be formatted as an IP address"


@pytest.mark.parametrize("prefix", ["xn--", "sthree-", "amzn-s3-demo-"])
def test_a_bucket_name_with_a_reserved_prefix_is_rejected(prefix: str) -> None:
    name = f"{prefix}bucket"
    expected = f"bucket name '{name}' may not begin with the reserved prefix '{prefix}'"
    assert _refusal(name) == expected


def test_the_sthree_configurator_prefix_is_covered_by_sthree() -> None:
    assert "reserved prefix 'sthree-'" in _refusal("sthree-configurator-bucket")


@pytest.mark.parametrize("suffix", ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"])
def test_a_bucket_name_with_a_reserved_suffix_is_rejected(suffix: str) -> None:
    name = f"bucket{suffix}"
    assert _refusal(name) == f"bucket name '{name}' may not end with the reserved suffix '{suffix}'"


def test_the_default_name_is_made_of_the_tutorial_the_account_and_the_region() -> None:
    assert default_bucket_name("123456789012", "ap-northeast-1") == (
        "sagemaker-tutorial-123456789012-ap-northeast-1"
    )


def test_the_default_name_is_a_valid_bucket_name_in_every_known_region() -> None:
    for region in sorted(known_regions()):
        name = default_bucket_name("123456789012", region)
        assert len(name) <= 63, name


def test_a_default_name_that_would_break_a_rule_asks_for_a_name() -> None:
    with pytest.raises(InputError) as error:
        default_bucket_name("123456789012", "xx-" + "very-" * 10 + "long-1")
    message = str(error.value)
    assert message.startswith("the default bucket name 'sagemaker-tutorial-123456789012-xx-")
    assert message.endswith("(it has 91): name the bucket with --bucket")
