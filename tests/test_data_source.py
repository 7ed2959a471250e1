"""Step 3e's sources: a URL, the tutorial's URL, the offline server, a local file; and the CLI."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import CliResult
from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend, live_backend, mock_backend
from sagemaker_tutorial.cli import main
from sagemaker_tutorial.data.data_source import fetch_data
from sagemaker_tutorial.data.download import RetryPolicy
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.errors import InputError, TutorialError
from steps.fault_server import FaultServer, data, status

FAST = RetryPolicy(attempts=2, backoff=0.01)
DATA = b",age,y_yes\n0,41,1\n1,35,0\n"
DATA_SHA1 = hashlib.sha1(DATA).hexdigest()
SYNTHETIC_SHA1 = hashlib.sha1(synthetic_csv()).hexdigest()


@pytest.fixture
def offline() -> Backend:
    """The mock backend as fetch_data sees it (no AWS call is made for the data)."""
    return mock_backend("http://127.0.0.1:9", "ap-northeast-1", "test")


@pytest.fixture
def online() -> Backend:
    return live_backend("us-east-1", "test")


@pytest.fixture
def no_bank_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.ENV_DATA_DIR, raising=False)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def own_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine" / "my_bank.csv"
    path.parent.mkdir()
    path.write_bytes(DATA)
    return path


def _fetch(backend: Backend, out: Path, **choices: object) -> object:
    options: dict[str, object] = {"url": None, "sha1": None, "data_file": None, "force": False}
    options.update(choices)
    return fetch_data(backend, out, policy=FAST, progress=False, **options)  # type: ignore[arg-type]


# --- offline -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_bank_data_dir")
def test_offline_without_a_url_the_synthetic_data_is_downloaded_and_verified(
    offline: Backend, tmp_path: Path
) -> None:
    out = tmp_path / "bank_clean.csv"
    outcome = fetch_data(offline, out, url=None, sha1=None, data_file=None, force=False)
    assert out.read_bytes() == synthetic_csv()
    assert outcome.report() == (
        f"Success: downloaded bank_clean.csv (sha1 {SYNTHETIC_SHA1} verified) "
        "from the offline data server: synthetic data with the tutorial's schema, "
        "not the real data."
    )


@pytest.mark.usefixtures("no_bank_data_dir")
def test_offline_a_second_run_reuses_the_verified_file(offline: Backend, tmp_path: Path) -> None:
    out = tmp_path / "bank_clean.csv"
    _fetch(offline, out)
    outcome = fetch_data(offline, out, url=None, sha1=None, data_file=None, force=False)
    assert outcome.reused
    assert outcome.report() == (
        f"Success: reused the verified bank_clean.csv (sha1 {SYNTHETIC_SHA1} verified): "
        "synthetic data with the tutorial's schema, not the real data; nothing was downloaded."
    )


def test_offline_the_file_in_bank_data_dir_is_served(
    offline: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "bank_clean.csv").write_bytes(DATA)
    monkeypatch.setenv(settings.ENV_DATA_DIR, str(folder))
    outcome = fetch_data(
        offline, tmp_path / "bank_clean.csv", url=None, sha1=None, data_file=None, force=False
    )
    assert (tmp_path / "bank_clean.csv").read_bytes() == DATA
    assert outcome.report() == (
        f"Success: downloaded bank_clean.csv (sha1 {DATA_SHA1} verified) "
        f"from the offline data server ({folder / 'bank_clean.csv'}): "
        "data other than the tutorial's file."
    )


def test_offline_a_bank_data_dir_without_the_file_falls_back_to_synthetic_data(
    offline: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_DATA_DIR, str(tmp_path / "empty"))
    _fetch(offline, tmp_path / "bank_clean.csv")
    assert (tmp_path / "bank_clean.csv").read_bytes() == synthetic_csv()


def test_offline_a_data_file_wins_over_bank_data_dir(
    offline: Backend, tmp_path: Path, own_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_DATA_DIR, str(tmp_path))
    (tmp_path / "bank_clean.csv").write_bytes(b"not this one\n")
    out = tmp_path / "work" / "bank_clean.csv"
    _fetch(offline, out, data_file=own_file)
    assert out.read_bytes() == DATA


@pytest.mark.usefixtures("no_bank_data_dir")
def test_offline_a_given_sha1_is_checked_too(offline: Backend, tmp_path: Path) -> None:
    out = tmp_path / "bank_clean.csv"
    with pytest.raises(TutorialError, match=f"expected {settings.TUTORIAL_DATA_SHA1}"):
        _fetch(offline, out, sha1=settings.TUTORIAL_DATA_SHA1)
    assert not out.exists()


@pytest.mark.real_data
def test_offline_the_real_data_is_the_tutorials_file(
    offline: Backend, tmp_path: Path, bank_data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_DATA_DIR, str(bank_data_file.parent))
    outcome = fetch_data(
        offline,
        tmp_path / "bank_clean.csv",
        url=None,
        sha1=settings.TUTORIAL_DATA_SHA1,
        data_file=None,
        force=False,
    )
    assert outcome.verified and outcome.is_tutorial_file
    assert outcome.report().startswith(
        f"Success: downloaded bank_clean.csv (sha1 {settings.TUTORIAL_DATA_SHA1} verified)"
    )


# --- a URL, on either backend --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mock", "live"])
def test_a_url_given_is_used_on_either_backend(
    kind: str, offline: Backend, online: Backend, server: FaultServer, tmp_path: Path
) -> None:
    url = server.route(f"/d/bank_clean.{DATA_SHA1}.csv", data(DATA))
    out = tmp_path / "bank_clean.csv"
    outcome = fetch_data(
        offline if kind == "mock" else online,
        out,
        url=url,
        sha1=None,
        data_file=None,
        force=False,
        policy=FAST,
    )
    assert out.read_bytes() == DATA
    assert outcome.report() == (
        f"Success: downloaded bank_clean.csv (sha1 {DATA_SHA1} verified): "
        "data other than the tutorial's file."
    )


def test_a_url_without_a_sha1_is_downloaded_but_reported_unverified(
    online: Backend, server: FaultServer, tmp_path: Path
) -> None:
    url = server.route("/d/bank_clean.csv", data(DATA))
    outcome = fetch_data(
        online, tmp_path / "b.csv", url=url, sha1=None, data_file=None, force=False, policy=FAST
    )
    assert outcome.report() == (
        f"Success: downloaded b.csv (sha1 {DATA_SHA1}, not verified: "
        "no sha1 was given or found in the URL): data other than the tutorial's file."
    )


def test_a_url_and_a_data_file_together_are_refused(
    offline: Backend, own_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=r"^give either a URL or a data file"):
        _fetch(offline, tmp_path / "b.csv", url="https://example.com/b.csv", data_file=own_file)


@pytest.mark.parametrize("kind", ["mock", "live"])
def test_a_data_file_that_does_not_exist_is_refused(
    kind: str, offline: Backend, online: Backend, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(InputError, match=f"^no data file at {re.escape(str(missing))}$"):
        _fetch(offline if kind == "mock" else online, tmp_path / "b.csv", data_file=missing)


# --- online with a local file: no network --------------------------------------------------------


def test_online_a_data_file_is_copied_in_without_the_network(
    online: Backend, own_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "work" / "bank_clean.csv"
    outcome = fetch_data(online, out, url=None, sha1=DATA_SHA1, data_file=own_file, force=False)
    assert out.read_bytes() == DATA
    assert outcome.report() == (
        f"Success: copied bank_clean.csv from {own_file} (sha1 {DATA_SHA1} verified): "
        "data other than the tutorial's file."
    )
    assert sorted(p.name for p in out.parent.iterdir()) == ["bank_clean.csv"]


def test_online_a_data_file_with_another_sha1_is_refused_and_nothing_written(
    online: Backend, own_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "work" / "bank_clean.csv"
    with pytest.raises(TutorialError) as error:
        _fetch(online, out, data_file=own_file, sha1=settings.TUTORIAL_DATA_SHA1)
    assert str(error.value) == (
        f"bank_clean.csv failed verification: its sha1 is {DATA_SHA1}, expected "
        f"{settings.TUTORIAL_DATA_SHA1} (the file holds {len(DATA)} bytes of text); "
        "nothing was written"
    )
    assert list(out.parent.iterdir()) == []


def test_online_a_data_file_without_a_sha1_is_copied_and_its_sha1_reported(
    online: Backend, own_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bank_clean.csv"
    outcome = fetch_data(online, out, url=None, sha1=None, data_file=own_file, force=False)
    assert outcome.report() == (
        f"Success: copied bank_clean.csv from {own_file} "
        f"(sha1 {DATA_SHA1}, not verified: no sha1 was given): data other than the tutorial's file."
    )


@pytest.mark.real_data
def test_online_the_real_data_file_is_recognised_as_the_tutorials(
    online: Backend, bank_data_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bank_clean.csv"
    outcome = fetch_data(online, out, url=None, sha1=None, data_file=bank_data_file, force=False)
    assert outcome.report() == (
        f"Success: copied bank_clean.csv from {bank_data_file} "
        f"(sha1 {settings.TUTORIAL_DATA_SHA1}, the tutorial's own): the tutorial's real data."
    )


def test_online_a_data_file_that_is_the_target_itself_is_checked_in_place(
    online: Backend, own_file: Path
) -> None:
    outcome = fetch_data(
        online, own_file, url=None, sha1=DATA_SHA1, data_file=own_file, force=False
    )
    assert outcome.reused and outcome.verified
    assert own_file.read_bytes() == DATA
    unchecked = fetch_data(online, own_file, url=None, sha1=None, data_file=own_file, force=False)
    assert unchecked.report() == (
        f"Success: using my_bank.csv where it is "
        f"(sha1 {DATA_SHA1}, not verified: no sha1 was given): data other than the tutorial's file."
    )


# --- the command line ----------------------------------------------------------------------------


def test_download_prints_the_tutorials_success_line(
    run_cli: Callable[..., CliResult], server: FaultServer, workdir: Path
) -> None:
    url = server.route(f"/d/bank_clean.{DATA_SHA1}.csv", data(DATA))
    result = run_cli("download", "--url", url)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"Success: downloaded bank_clean.csv (sha1 {DATA_SHA1} verified): "
        "data other than the tutorial's file.\n"
    )
    assert (workdir / "bank_clean.csv").read_bytes() == DATA


def test_download_writes_where_out_says(
    run_cli: Callable[..., CliResult], server: FaultServer, tmp_path: Path
) -> None:
    url = server.route("/d/data.csv", data(DATA))
    out = tmp_path / "elsewhere" / "data.csv"
    result = run_cli("download", "--url", url, "--sha1", DATA_SHA1.upper(), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == DATA


def test_download_of_a_refused_url_exits_2_with_one_line(
    run_cli: Callable[..., CliResult], workdir: Path
) -> None:
    result = run_cli("download", "--url", "http://d1.awsstatic.com/bank_clean.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: refusing plain http to d1.awsstatic.com: only https URLs are allowed "
        "(plain http only to this machine: localhost, 127.0.0.1, ::1)\n"
    )
    assert list(workdir.iterdir()) == []


def test_download_of_a_missing_file_exits_1_with_one_line(
    run_cli: Callable[..., CliResult], server: FaultServer
) -> None:
    url = server.route(f"/d/bank_clean.{DATA_SHA1}.csv", status(404))
    result = run_cli("download", "--url", url)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: could not download {url}: the server answered 404 Not Found\n"
    )


def test_download_with_a_malformed_sha1_exits_2(run_cli: Callable[..., CliResult]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli("download", "--sha1", "27f01fbb")
    assert exit_info.value.code == 2


def test_download_offline_needs_no_url(
    moto_endpoint: str | None,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_bank_data_dir: None,
) -> None:
    """The mock backend, whatever this session's backend: it serves the data itself."""
    if moto_endpoint is not None:  # else the CLI starts its own moto server
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--backend", "mock", "--workdir", str(workdir), "download"])
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue().startswith(
        f"Success: downloaded bank_clean.csv (sha1 {SYNTHETIC_SHA1} verified)"
    )


def test_download_replaces_a_different_file_only_with_force(
    moto_endpoint: str | None,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_bank_data_dir: None,
) -> None:
    """The mock backend, whatever this session's backend: its data is the synthetic set."""
    if moto_endpoint is not None:  # else the CLI starts its own local server
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    mine = workdir / "bank_clean.csv"
    mine.write_bytes(DATA)

    def download(*options: str) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["--backend", "mock", "--workdir", str(workdir), "download", *options])
        return code, err.getvalue()

    code, err = download()
    assert (code, err.count("\n"), mine.read_bytes()) == (1, 1, DATA)
    assert err.startswith(f"error: {mine} already holds other data than this run would write ")
    assert f"there: sha1 {DATA_SHA1}, data other than the tutorial's file;" in err
    assert f"this run: sha1 {SYNTHETIC_SHA1}, synthetic data" in err
    assert err.endswith("nothing was written: pass --force to replace it\n")
    assert download("--force") == (0, "")
    assert mine.read_bytes() == synthetic_csv()
