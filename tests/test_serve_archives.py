"""`serve` checks a model archive when the endpoint is created, and no archive can sink it.

A bad artifact fails the endpoint at creation (``Failed``, SageMaker's FailureReason),
as SageMaker does, instead of an ``InService`` endpoint that fails at every call; a
good one keeps serving after its model and config are deleted.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator

import pytest
from serve_support import (
    Clients,
    Served,
    clients,
    deploy,
    good_archive,
    serve,
    tar_gz,
    zeros_bomb,
)

pytestmark = pytest.mark.moto_only

EXTRACT_FAILURE = (
    'Failed to extract model data archive for container "container_1" from URL "s3://{}". '
    "Please ensure that the object located at the URL is a valid tar.gz archive"
)


@pytest.fixture
def aws(moto_endpoint: str | None) -> Clients:
    assert moto_endpoint is not None
    return clients(moto_endpoint)


def _endpoint(aws: Clients, name: str) -> dict[str, str]:
    described: dict[str, str] = aws.sagemaker.describe_endpoint(EndpointName=name)
    return described


def _model_url(aws: Clients, endpoint: str) -> str:
    config = aws.sagemaker.describe_endpoint_config(
        EndpointConfigName=_endpoint(aws, endpoint)["EndpointConfigName"]
    )
    model = aws.sagemaker.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    return str(model["PrimaryContainer"]["ModelDataUrl"])


def _symlink() -> bytes:
    link = tarfile.TarInfo("xgboost-model")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    return tar_gz([(link, None)])


def _fifo() -> bytes:
    fifo = tarfile.TarInfo("xgboost-model")
    fifo.type = tarfile.FIFOTYPE
    return tar_gz([(fifo, None)])


@pytest.mark.parametrize(
    ("artifact", "reason"),
    [
        (b"this is not an archive\n", "it is not a tar.gz archive"),
        (_symlink(), "its member 'xgboost-model' is not a regular file"),
        (_fifo(), "its member 'xgboost-model' is not a regular file"),
        (tar_gz([]), "it holds no model file"),
    ],
    ids=["not-tar-gz", "symlink", "fifo", "empty"],
)
def test_a_bad_artifact_fails_the_endpoint_at_creation(
    aws: Clients, artifact: bytes, reason: str
) -> None:
    name = deploy(aws, artifact)
    endpoint = _endpoint(aws, name)
    assert endpoint["EndpointStatus"] == "Failed"
    url = _model_url(aws, name).removeprefix("s3://")
    assert endpoint["FailureReason"].startswith(EXTRACT_FAILURE.format(url))
    assert reason in endpoint["FailureReason"]


def test_a_failed_endpoint_is_not_invoked(aws: Clients) -> None:
    name = deploy(aws, b"not an archive")
    with pytest.raises(aws.runtime.exceptions.ValidationError) as raised:
        aws.runtime.invoke_endpoint(EndpointName=name, Body=b"1,2,3,4", ContentType="text/csv")
    assert raised.value.response["Error"]["Message"] == (
        f"Endpoint {name} of account 123456789012 not found."
    )


def test_a_good_endpoint_keeps_serving_after_its_model_and_config_are_deleted(
    aws: Clients,
) -> None:
    name = deploy(aws, good_archive())
    config = _endpoint(aws, name)["EndpointConfigName"]
    model = aws.sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][
        0
    ]["ModelName"]
    aws.sagemaker.delete_model(ModelName=model)
    aws.sagemaker.delete_endpoint_config(EndpointConfigName=config)
    answer = aws.runtime.invoke_endpoint(
        EndpointName=name, Body=b"0.9,0.1,0.1,0.1", ContentType="text/csv"
    )
    assert 0.5 < float(answer["Body"].read()) < 1


@pytest.fixture(scope="module")
def own_server() -> Iterator[tuple[Served, Clients]]:
    """A `serve` process of this module's own, whose memory the test reads."""
    with serve() as served:
        yield served, clients(served.endpoint)


def test_a_2_gib_member_of_zeros_is_refused_from_its_header(
    own_server: tuple[Served, Clients],
) -> None:
    """2 MB of gzip declaring 2 GiB: refused from the tar header, never unpacked."""
    served, aws = own_server
    bomb = zeros_bomb()
    assert len(bomb) < 3 * 1024 * 1024
    name = deploy(aws, good_archive())  # the server has loaded XGBoost and a model once
    rss_before = served.rss_mb()
    name = deploy(aws, bomb)
    endpoint = _endpoint(aws, name)
    assert endpoint["EndpointStatus"] == "Failed"
    assert f"its member 'xgboost-model' declares {2 * 1024**3} bytes" in endpoint["FailureReason"]
    assert served.rss_mb() - rss_before < 50
