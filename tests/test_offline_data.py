"""The mock backend's loopback stand-in for the tutorial's download server."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.offline_data import DATA_FOLDER, OfflineDataServer
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.errors import InputError


def _get(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_synthetic_data_is_served_at_the_tutorials_folder_under_its_own_sha1() -> None:
    with OfflineDataServer() as server:
        status, body = _get(server.url)
        parts = urlsplit(server.url)
        served_sha1 = server.sha1
    sha1 = hashlib.sha1(body).hexdigest()
    assert status == 200
    assert body == synthetic_csv()
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
    assert parts.path == f"{DATA_FOLDER}/bank_clean.{sha1}.csv"
    assert DATA_FOLDER == "/tmt/build-train-deploy-machine-learning-model-sagemaker"
    assert served_sha1 == sha1


def test_a_given_file_is_served_under_its_own_sha1(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_bytes(b",age\n0,41\n")
    with OfflineDataServer(data) as server:
        url = server.url
        status, body = _get(url)
    assert (status, body) == (200, b",age\n0,41\n")
    assert urlsplit(url).path == f"{DATA_FOLDER}/bank_clean.{hashlib.sha1(body).hexdigest()}.csv"


@pytest.mark.real_data
def test_the_real_file_is_served_at_exactly_the_tutorials_path(bank_data_file: Path) -> None:
    with OfflineDataServer(bank_data_file) as server:
        assert urlsplit(server.url).path == settings.TUTORIAL_DATA_PATH
        status, body = _get(server.url, "HEAD")
    assert (status, body) == (200, b"")


def test_any_other_path_is_not_found() -> None:
    with OfflineDataServer() as server:
        other = server.url.replace("bank_clean.", "bank_dirty.")
        assert _get(other)[0] == 404
        assert _get(server.url.rsplit("/", 1)[0] + "/")[0] == 404


def test_a_data_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(InputError, match=r"^no data file at .*nothing\.csv$"),
        OfflineDataServer(tmp_path / "nothing.csv"),
    ):
        pass


def test_the_server_is_gone_after_the_block() -> None:
    with OfflineDataServer() as server:
        url = server.url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)
