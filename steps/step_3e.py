"""Step definitions for tutorial step 3e: download the data.

Scenarios call ``download_step`` (what ``download``, ``prepare`` and `Tutorial` run)
with a short backoff, so a server that fails a few times costs milliseconds; the
CLI's own wiring is covered in tests/test_data_source.py. Faults come from a real
loopback server (steps/fault_server.py). The ``told`` fixture feeds the shared
``I am told "..."`` step.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.data.dataset import load_bank_data
from sagemaker_tutorial.data.download import RetryPolicy, sha1_of_file
from sagemaker_tutorial.data.kind import REAL, SYNTHETIC
from sagemaker_tutorial.data.offline_data import OfflineDataServer, served_path
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.errors import TutorialError
from sagemaker_tutorial.options import DownloadOptions
from sagemaker_tutorial.pipeline import download_step

from .bilingual import given, then, when
from .common import Told, attempt
from .fault_server import FaultServer, cut_short, data, html_page, status

# Real backoff shapes, scaled down: a scenario with retries takes milliseconds.
FAST_RETRIES = RetryPolicy(attempts=4, backoff=0.01, backoff_max=0.05, read_timeout=5.0)


class Download:
    """One scenario's download: where from, where to, and how each attempt went."""

    def __init__(self, backend: Backend, workdir: Path) -> None:
        self.backend = backend
        self.out = workdir / settings.DATA_FILE_NAME
        self.url: str | None = None
        self.kept_sha1: str | None = None

    def run(self, *, url: str | None = None, force: bool = False) -> Told:
        options = DownloadOptions(url=url or self.url, out=self.out, force=force)
        told, _ = attempt(
            lambda reporter: download_step(
                self.backend,
                self.out.parent,
                options,
                reporter,
                policy=FAST_RETRIES,
                progress=False,
            )
        )
        return told


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def data_download(backend: Backend, workdir: Path) -> Download:
    return Download(backend, workdir)


def _synthetic() -> tuple[bytes, str]:
    body = synthetic_csv()
    return body, hashlib.sha1(body).hexdigest()


# --- Given ---------------------------------------------------------------------------------------


def _stand_in(data_download: Download, source: Path | None) -> Iterator[None]:
    """Offline the run starts its own data server; online a loopback stand-in plays the CDN."""
    if data_download.backend.offline:
        yield
        return
    with OfflineDataServer(source) as server:
        data_download.url = server.url
        yield


@pytest.fixture
def tutorial_data_server(data_download: Download) -> Iterator[None]:
    folder = os.environ.get(settings.ENV_DATA_DIR)
    real = Path(folder) / settings.DATA_FILE_NAME if folder else None
    yield from _stand_in(data_download, real if real is not None and real.is_file() else None)


@given("the tutorial's data server", "チュートリアルのデータサーバーがある")
def the_tutorial_data_server(tutorial_data_server: None) -> None:
    """The mock backend's own server (offline) or a loopback stand-in for the tutorial's (live)."""


@pytest.fixture
def real_data_server(
    data_download: Download, bank_data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv(settings.ENV_DATA_DIR, str(bank_data_file.parent))
    yield from _stand_in(data_download, bank_data_file)


@given(
    "the tutorial's data server with the real data",
    "本物のデータを配るチュートリアルのデータサーバーがある",
)
def the_tutorial_data_server_with_real_data(real_data_server: None) -> None:
    """As above, serving $BANK_DATA_DIR/bank_clean.csv (the scenario is skipped without it)."""


@pytest.fixture
def synthetic_data_server(
    data_download: Download, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.delenv(settings.ENV_DATA_DIR, raising=False)
    yield from _stand_in(data_download, None)


@given(
    "the offline data server with synthetic data",
    "合成データを配るオフラインのデータサーバーがある",
)
def the_offline_data_server_with_synthetic_data(synthetic_data_server: None) -> None:
    """The mock backend's own server without $BANK_DATA_DIR (live: a loopback stand-in)."""


@given(
    "a data server whose file is not the one its URL names",
    "URL が名指すのとは別のファイルを配るデータサーバーがある",
)
def server_with_other_file(data_download: Download, fault_server: FaultServer) -> None:
    body, _ = _synthetic()
    data_download.url = fault_server.route(settings.TUTORIAL_DATA_PATH, data(body + b"0,\n"))


@given(
    parsers.re(r"a data server that answers (?P<code>\d{3}) (?P<reason>[A-Za-z ]+)"),
    parsers.re(r"(?P<code>\d{3}) (?P<reason>[A-Za-z ]+) を返すデータサーバーがある"),
)
def server_answering(data_download: Download, fault_server: FaultServer, code: str) -> None:
    _, sha1 = _synthetic()
    data_download.url = fault_server.route(served_path(sha1), status(int(code)))


@given(
    parsers.parse(
        "a data server that answers {code:d} Service Unavailable twice, then sends the data"
    ),
    parsers.parse(
        "{code:d} Service Unavailable を 2 回返してから、データを送るデータサーバーがある"
    ),
)
def server_busy_twice(data_download: Download, fault_server: FaultServer, code: int) -> None:
    body, sha1 = _synthetic()
    replies = (status(code), status(code), data(body))
    data_download.url = fault_server.route(served_path(sha1), *replies)


@given("a data server that cuts every transfer short", "転送を毎回途中で切るデータサーバーがある")
def server_cutting_short(data_download: Download, fault_server: FaultServer) -> None:
    body, sha1 = _synthetic()
    data_download.url = fault_server.route(served_path(sha1), cut_short(body, len(body) // 3))


@given(
    "a data server that sends an HTML page instead of the data",
    "データの代わりに HTML ページを送るデータサーバーがある",
)
def server_sending_html(data_download: Download, fault_server: FaultServer) -> None:
    data_download.url = fault_server.route(settings.TUTORIAL_DATA_PATH, html_page())


@given(
    "bank_clean.csv was downloaded and verified",
    "bank_clean.csv はダウンロード済みで、検証も済んでいる",
)
def downloaded_and_verified(data_download: Download, fault_server: FaultServer) -> None:
    body, sha1 = _synthetic()
    data_download.url = fault_server.route(served_path(sha1), data(body))
    told = data_download.run()
    assert told.exit_code == 0, told.text
    data_download.kept_sha1 = sha1_of_file(data_download.out)
    assert data_download.kept_sha1 == sha1


@given(
    "the data server now cuts every transfer short",
    "データサーバーが今度は転送を毎回途中で切る",
)
def server_now_cuts_short(data_download: Download, fault_server: FaultServer) -> None:
    body, sha1 = _synthetic()
    fault_server.route(served_path(sha1), cut_short(body, 1_000_000))


@given(
    "the tutorial's real bank_clean.csv is in the work folder",
    "作業フォルダーにチュートリアルの本物の bank_clean.csv がある",
)
def real_file_in_the_work_folder(
    data_download: Download, bank_data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline, this run's own source would be synthetic data: no $BANK_DATA_DIR."""
    shutil.copyfile(bank_data_file, data_download.out)
    monkeypatch.delenv(settings.ENV_DATA_DIR, raising=False)
    data_download.kept_sha1 = settings.TUTORIAL_DATA_SHA1


@given(
    "a bank_clean.csv of my own is in the work folder",
    "作業フォルダーに自分で用意した bank_clean.csv がある",
)
def own_file_in_the_work_folder(data_download: Download) -> None:
    body, _ = _synthetic()
    data_download.out.write_bytes(body.replace(b"\n0,", b"\n7,", 1))  # one cell changed
    data_download.kept_sha1 = sha1_of_file(data_download.out)


@given("a bank_clean.csv that is an HTML page", "中身が HTML ページの bank_clean.csv がある")
def html_saved_as_csv(data_download: Download) -> None:
    data_download.out.write_text(
        "<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body></body></html>\n"
    )


# --- When ----------------------------------------------------------------------------------------


@when("I download the data", "データをダウンロードする", target_fixture="told")
def i_download(data_download: Download) -> Told:
    return data_download.run()


@when("I download the data again", "もう一度データをダウンロードする", target_fixture="told")
def i_download_again(data_download: Download) -> Told:
    return data_download.run()


@when(
    "I download the data again, even though a verified copy is there",
    "検証済みのコピーがあるのに、もう一度データをダウンロードする",
    target_fixture="told",
)
def i_download_again_forced(data_download: Download) -> Told:
    return data_download.run(force=True)


@when(
    "I download the data with --force",
    "--force を付けてデータをダウンロードする",
    target_fixture="told",
)
def i_download_forced(data_download: Download) -> Told:
    return data_download.run(force=True)


@when(
    parsers.parse("I download the data from {url}"),
    parsers.parse("{url} からデータをダウンロードする"),
    target_fixture="told",
)
def i_download_from(data_download: Download, url: str) -> Told:
    return data_download.run(url=url)


@when("I load the data", "データを読み込む", target_fixture="told")
def i_load(data_download: Download) -> Told:
    try:
        frame = load_bank_data(data_download.out)
    except TutorialError as exc:
        return Told(str(exc), exc.exit_code)
    return Told(f"{frame.shape}")


# --- Then ----------------------------------------------------------------------------------------


def _count(text: str) -> int:
    return int(text.replace(",", ""))


@then(
    parsers.parse("bank_clean.csv holds {rows} rows and {columns:d} columns"),
    parsers.parse("bank_clean.csv は {rows} 行、{columns:d} 列である"),
)
def holds_rows_and_columns(data_download: Download, told: Told, rows: str, columns: int) -> None:
    assert told.exit_code == 0, told.text
    assert load_bank_data(data_download.out).shape == (_count(rows), columns)


@then(
    "I am told the download's sha1 was verified",
    "ダウンロードしたデータの sha1 を検証したと表示される",
)
def told_verified(data_download: Download, told: Told) -> None:
    assert told.exit_code == 0, told.text
    sha1 = sha1_of_file(data_download.out)
    assert told.text.startswith(f"Success: downloaded bank_clean.csv (sha1 {sha1} verified)")


@then(
    parsers.parse("the sha1 of bank_clean.csv is {sha1}"),
    parsers.parse("bank_clean.csv の sha1 は {sha1} である"),
)
def sha1_is(data_download: Download, told: Told, sha1: str) -> None:
    assert told.exit_code == 0, told.text
    assert sha1_of_file(data_download.out) == sha1
    assert f"sha1 {sha1} verified" in told.text


@then(
    "I am told the verified bank_clean.csv was reused",
    "検証済みの bank_clean.csv を再利用したと表示される",
)
def told_reused(told: Told, data_download: Download) -> None:
    assert told.exit_code == 0, told.text
    assert told.text.startswith(
        f"Success: reused the verified bank_clean.csv (sha1 {data_download.kept_sha1} verified)"
    ), told.text


@then(
    "I am told the sha1 of my file and of the data that would replace it",
    "自分のファイルの sha1 と、それを置き換えるはずだったデータの sha1 が表示される",
)
def told_both_sha1s(data_download: Download, told: Told) -> None:
    found = re.search(r"there: sha1 ([0-9a-f]{40}), .*; this run: sha1 ([0-9a-f]{40}), ", told.text)
    assert found, told.text
    mine, theirs = found.groups()
    assert mine == data_download.kept_sha1
    assert theirs != mine


@then("bank_clean.csv is still my own file", "bank_clean.csv は自分のファイルのままである")
def still_my_own(data_download: Download) -> None:
    assert sha1_of_file(data_download.out) == data_download.kept_sha1
    assert sorted(p.name for p in data_download.out.parent.iterdir()) == ["bank_clean.csv"]


@then(
    "I am told the data is synthetic data with the tutorial's schema, not the real data",
    "データは本物ではなく、チュートリアルと同じスキーマの合成データだと表示される",
)
def told_synthetic(told: Told) -> None:
    assert told.exit_code == 0, told.text
    assert told.text.endswith(f": {SYNTHETIC}.\n"), told.text


@then(
    "I am told the data is the tutorial's real data",
    "データはチュートリアルの本物のデータだと表示される",
)
def told_real(told: Told) -> None:
    assert told.exit_code == 0, told.text
    assert told.text.endswith(f": {REAL}.\n"), told.text


@then("no bank_clean.csv is left behind", "bank_clean.csv は何も残らない")
def nothing_left(data_download: Download) -> None:
    left = sorted(p.name for p in data_download.out.parent.iterdir() if "bank_clean" in p.name)
    assert left == []


@then(
    "bank_clean.csv is still the verified file",
    "bank_clean.csv は検証済みのファイルのままである",
)
def still_verified(data_download: Download) -> None:
    assert sha1_of_file(data_download.out) == data_download.kept_sha1
    left = sorted(p.name for p in data_download.out.parent.iterdir() if "bank_clean" in p.name)
    assert left == ["bank_clean.csv"]


@then("the server was asked once", "サーバーへの問い合わせは 1 回だけだった")
def server_asked_once(fault_server: FaultServer) -> None:
    assert len(fault_server.asked()) == 1


@then(
    parsers.parse("the server was asked {count:d} times"),
    parsers.parse("サーバーへの問い合わせは {count:d} 回だった"),
)
def server_asked(fault_server: FaultServer, count: int) -> None:
    assert len(fault_server.asked()) == count


@then(
    "the download was refused before any connection",
    "ダウンロードは接続する前に拒否された",
)
def refused_before_connection(data_download: Download, told: Told) -> None:
    # Exit 2 (InputError) is the project's "rejected before any network call".
    assert told.exit_code == 2, told.text
    assert not data_download.out.exists()
