"""Step 3e's downloader against a real loopback server that misbehaves on cue.

Retries use a tiny backoff (RetryPolicy) so that a server failing a few times
costs milliseconds; the shape of the backoff is urllib3's.
"""

from __future__ import annotations

import hashlib
import itertools
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.download import (
    RetryPolicy,
    check_url,
    download,
    expected_sha1,
    is_loopback_host,
    sha1_in_url,
    sha1_of_file,
)
from sagemaker_tutorial.errors import InputError, TutorialError
from steps.fault_server import (
    FaultServer,
    Reply,
    cut_short,
    data,
    html_page,
    redirect,
    stalled,
    status,
)

FAST = RetryPolicy(attempts=3, backoff=0.01, backoff_max=0.05, read_timeout=2.0)
BODY = b",age,y_yes\n" + b"".join(f"{i},{20 + i % 60},{i % 2}\n".encode() for i in range(20_000))
SHA1 = hashlib.sha1(BODY).hexdigest()
OTHER = b",age,y_yes\n0,41,1\n"
OTHER_SHA1 = hashlib.sha1(OTHER).hexdigest()


def _path(sha1: str = SHA1) -> str:
    return f"/data/bank_clean.{sha1}.csv"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bank_clean.csv"


def _leftovers(out: Path) -> list[str]:
    """Everything in the target's folder but the target itself (temporary files, say)."""
    if not out.parent.exists():
        return []
    return sorted(p.name for p in out.parent.iterdir() if p != out)


# --- URL rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        settings.TUTORIAL_DATA_URL,
        "https://example.com/bank_clean.csv",
        "HTTPS://EXAMPLE.COM/bank_clean.csv",
        "https://example.com:8443/bank_clean.csv",
    ],
)
def test_https_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/bank_clean.csv",
        "http://127.3.4.5/bank_clean.csv",
        "http://localhost:8000/bank_clean.csv",
        "http://LOCALHOST/bank_clean.csv",
        "http://[::1]:8000/bank_clean.csv",
    ],
)
def test_plain_http_to_this_machine_is_accepted(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (settings.TUTORIAL_DATA_URL.replace("https://", "http://"), "d1.awsstatic.com"),
        ("http://192.168.1.10/bank_clean.csv", "192.168.1.10"),
        ("http://[2001:db8::1]/bank_clean.csv", "2001:db8::1"),
        ("http://localhost.example.com/bank_clean.csv", "localhost.example.com"),
        ("http://127.0.0.1.nip.io/bank_clean.csv", "127.0.0.1.nip.io"),
        ("http://0.0.0.0:8000/bank_clean.csv", "0.0.0.0"),
    ],
)
def test_plain_http_to_another_host_is_refused(url: str, host: str) -> None:
    with pytest.raises(InputError, match=f"^refusing plain http to {host}: only https URLs"):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://d1.awsstatic.com/bank_clean.csv",
        "file:///etc/passwd",
        "d1.awsstatic.com/bank_clean.csv",
        "https:///bank_clean.csv",
    ],
)
def test_a_url_that_is_not_http_or_https_is_refused(url: str) -> None:
    with pytest.raises(InputError, match="is not an https URL: only https downloads are allowed"):
        check_url(url)


def test_a_url_with_an_impossible_port_is_refused() -> None:
    with pytest.raises(InputError, match="is not a valid URL"):
        check_url("https://example.com:99999/bank_clean.csv")


def test_loopback_hosts_are_exactly_localhost_127_slash_8_and_ipv6_one() -> None:
    assert all(
        is_loopback_host(h) for h in ("127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost")
    )
    assert not any(is_loopback_host(h) for h in ("128.0.0.1", "::2", "localhost.com", "10.0.0.1"))


def test_a_refused_url_is_refused_before_any_connection(server: FaultServer, out: Path) -> None:
    # The loopback server sits behind a name that is not loopback: nothing may reach it.
    url = server.url(_path()).replace("127.0.0.1", "127.0.0.1.nip.io")
    with pytest.raises(InputError):
        download(url, out, policy=FAST, progress=False)
    assert server.asked() == []
    assert not out.parent.exists()


# --- sha1 ----------------------------------------------------------------------------------------


def test_the_tutorials_url_names_the_tutorials_sha1() -> None:
    assert sha1_in_url(settings.TUTORIAL_DATA_URL) == settings.TUTORIAL_DATA_SHA1


@pytest.mark.parametrize(
    ("url", "sha1"),
    [
        (f"https://x.test/bank_clean.{SHA1.upper()}.csv", SHA1),
        (f"https://x.test/{SHA1}.csv?download=1", SHA1),
        (f"https://x.test/bank_clean-{SHA1}_v2.csv", SHA1),
        (f"https://x.test/{SHA1}/bank_clean.csv", None),  # a folder, not the file name
        (f"https://x.test/bank_clean.{SHA1}0.csv", None),  # 41 hex digits: not a sha1
        ("https://x.test/bank_clean.csv", None),
    ],
)
def test_the_sha1_is_a_40_hex_digit_part_of_the_file_name(url: str, sha1: str | None) -> None:
    assert sha1_in_url(url) == sha1


def test_a_file_name_with_two_different_sha1s_is_ambiguous() -> None:
    with pytest.raises(InputError, match="holds more than one sha1: pass the expected one"):
        sha1_in_url(f"https://x.test/{SHA1}.{OTHER_SHA1}.csv")


def test_a_given_sha1_wins_over_the_urls() -> None:
    assert expected_sha1(settings.TUTORIAL_DATA_URL, OTHER_SHA1.upper()) == OTHER_SHA1


def test_a_malformed_sha1_is_refused() -> None:
    with pytest.raises(InputError, match=r"^'abc123' is not a sha1 \(40 hex digits\)$"):
        expected_sha1(settings.TUTORIAL_DATA_URL, "abc123")


# --- a good download -----------------------------------------------------------------------------


def test_a_download_is_verified_against_the_sha1_in_its_url(server: FaultServer, out: Path) -> None:
    result = download(server.route(_path(), data(BODY)), out, policy=FAST, progress=False)
    assert out.read_bytes() == BODY
    assert (result.sha1, result.verified, result.reused, result.attempts) == (SHA1, True, False, 1)
    assert _leftovers(out) == []


def test_a_download_without_a_known_sha1_is_kept_but_not_called_verified(
    server: FaultServer, out: Path
) -> None:
    result = download(server.route("/bank_clean.csv", data(BODY)), out, policy=FAST, progress=False)
    assert (result.sha1, result.expected_sha1, result.verified) == (SHA1, None, False)
    assert out.read_bytes() == BODY


def test_a_verified_file_already_there_is_reused_without_asking_the_server(
    server: FaultServer, out: Path
) -> None:
    out.parent.mkdir()
    out.write_bytes(BODY)
    result = download(server.route(_path(), data(BODY)), out, policy=FAST, progress=False)
    assert result.reused and result.verified
    assert server.asked() == []


def test_force_downloads_even_when_a_verified_file_is_there(server: FaultServer, out: Path) -> None:
    out.parent.mkdir()
    out.write_bytes(BODY)
    result = download(
        server.route(_path(), data(BODY)), out, force=True, policy=FAST, progress=False
    )
    assert not result.reused
    assert len(server.asked()) == 1


def test_a_file_there_with_another_sha1_is_refused_before_any_connection(
    server: FaultServer, out: Path
) -> None:
    out.parent.mkdir()
    out.write_bytes(OTHER)
    with pytest.raises(TutorialError) as error:
        download(server.route(_path(), data(BODY)), out, policy=FAST, progress=False)
    assert str(error.value) == (
        f"{out} already holds other data than this run would write "
        f"(there: sha1 {OTHER_SHA1}, data other than the tutorial's file; this run: sha1 {SHA1}, "
        "data other than the tutorial's file); nothing was written: pass --force to replace it"
    )
    assert server.asked() == []
    assert out.read_bytes() == OTHER
    assert _leftovers(out) == []


def test_a_file_there_that_differs_from_a_download_without_a_sha1_is_kept(
    server: FaultServer, out: Path
) -> None:
    out.parent.mkdir()
    out.write_bytes(OTHER)
    url = server.route("/data/bank_clean.csv", data(BODY))
    with pytest.raises(TutorialError, match=f"there: sha1 {OTHER_SHA1}, .* this run: sha1 {SHA1}"):
        download(url, out, policy=FAST, progress=False)
    assert out.read_bytes() == OTHER
    assert _leftovers(out) == []


def test_the_same_data_without_a_sha1_may_be_downloaded_over_itself(
    server: FaultServer, out: Path
) -> None:
    out.parent.mkdir()
    out.write_bytes(BODY)
    result = download(server.route("/data/bank_clean.csv", data(BODY)), out, progress=False)
    assert (result.sha1, result.verified) == (SHA1, False)
    assert out.read_bytes() == BODY


def test_force_replaces_a_file_there_with_another_sha1(server: FaultServer, out: Path) -> None:
    out.parent.mkdir()
    out.write_bytes(OTHER)
    download(server.route(_path(), data(BODY)), out, force=True, policy=FAST, progress=False)
    assert out.read_bytes() == BODY


def test_a_redirect_to_this_machine_is_followed(server: FaultServer, out: Path) -> None:
    server.route(_path(), data(BODY))
    url = server.route("/old/bank_clean.csv", redirect(_path(), 301))
    result = download(url, out, sha1=SHA1, policy=FAST, progress=False)
    assert result.verified
    assert [r.path for r in server.asked()] == ["/old/bank_clean.csv", _path()]


def test_a_redirect_to_plain_http_elsewhere_is_refused(server: FaultServer, out: Path) -> None:
    url = server.route(_path(), redirect("http://d1.awsstatic.com/bank_clean.csv"))
    with pytest.raises(
        TutorialError, match=r"refusing the redirect from .* to http://d1\.awsstatic"
    ):
        download(url, out, policy=FAST, progress=False)
    assert not out.exists()


# --- verification and atomicity ------------------------------------------------------------------


def test_a_checksum_mismatch_keeps_nothing(server: FaultServer, out: Path) -> None:
    url = server.route(_path(), data(OTHER))
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == (
        f"bank_clean.csv failed verification: its sha1 is {OTHER_SHA1}, expected {SHA1} "
        f"(the server sent {len(OTHER)} bytes of text); nothing was kept"
    )
    assert not out.exists()
    assert _leftovers(out) == []


def test_an_html_page_is_named_in_the_mismatch(server: FaultServer, out: Path) -> None:
    with pytest.raises(TutorialError, match=r"\(the server sent an HTML page\); nothing was kept$"):
        download(server.route(_path(), html_page()), out, policy=FAST, progress=False)


@pytest.mark.parametrize(
    "fault",
    [status(404), status(503), cut_short(BODY, 5_000), data(OTHER), html_page()],
    ids=["404", "503", "cut-short", "other-bytes", "html"],
)
def test_a_failed_download_leaves_a_good_file_already_there_as_it_was(
    server: FaultServer, out: Path, fault: Reply
) -> None:
    out.parent.mkdir()
    out.write_bytes(BODY)
    with pytest.raises(TutorialError):
        download(server.route(_path(), fault), out, force=True, policy=FAST, progress=False)
    assert out.read_bytes() == BODY
    assert _leftovers(out) == []


def test_an_interrupted_download_leaves_no_partial_file_and_the_old_file_intact(
    server: FaultServer, out: Path
) -> None:
    out.parent.mkdir()
    out.write_bytes(OTHER)
    url = server.route(_path(), Reply(200, BODY, stall=30.0))
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path;"
            "from sagemaker_tutorial.data.download import download;"
            "download(sys.argv[1], Path(sys.argv[2]), force=True, progress=False)",
            url,
            str(out),
        ],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while not server.asked() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.asked(), "the child never reached the server"
        time.sleep(0.2)  # the headers are in; the body has not come
        assert [n for n in _leftovers(out) if n.endswith(".part")], "no temporary file was used"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0
    assert b"KeyboardInterrupt" in err
    assert out.read_bytes() == OTHER
    assert _leftovers(out) == []


# --- resilience ----------------------------------------------------------------------------------


def test_a_404_fails_at_once_naming_the_status(server: FaultServer, out: Path) -> None:
    url = server.route(_path(), status(404), data(BODY))
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == f"could not download {url}: the server answered 404 Not Found"
    assert len(server.asked()) == 1


def test_a_failed_download_names_the_urls_file_not_the_file_it_was_meant_for(
    server: FaultServer, out: Path
) -> None:
    url = server.route("/data/bank-additional-full.csv", status(404))
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == f"could not download {url}: the server answered 404 Not Found"
    assert "bank_clean.csv" not in str(error.value)


@pytest.mark.parametrize("code", [400, 401, 403, 410])
def test_other_4xx_are_not_retried(server: FaultServer, out: Path, code: int) -> None:
    with pytest.raises(TutorialError, match=f"the server answered {code} "):
        download(server.route(_path(), status(code), data(BODY)), out, policy=FAST, progress=False)
    assert len(server.asked()) == 1


@pytest.mark.parametrize("code", [429, 500, 502, 503, 504])
def test_429_and_5xx_are_retried(server: FaultServer, out: Path, code: int) -> None:
    url = server.route(_path(), status(code), status(code), data(BODY))
    result = download(url, out, policy=FAST, progress=False)
    assert (result.verified, result.attempts) == (True, 3)
    assert len(server.asked()) == 3


def test_a_server_that_keeps_failing_is_given_up_after_the_bounded_attempts(
    server: FaultServer, out: Path
) -> None:
    url = server.route(_path(), status(503))
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == (
        f"could not download {url}: the server answered 503 Service Unavailable (tried 3 times)"
    )
    assert len(server.asked()) == FAST.attempts
    assert not out.exists()


def test_retries_back_off_exponentially(server: FaultServer, out: Path) -> None:
    policy = RetryPolicy(attempts=4, backoff=0.1, backoff_max=10)
    url = server.route(_path(), status(503), status(503), status(503), data(BODY))
    download(url, out, policy=policy, progress=False)
    times = [r.at for r in server.asked()]
    waits = [later - earlier for earlier, later in itertools.pairwise(times)]
    # urllib3: the first retry is immediate, then backoff * 2, backoff * 4.
    assert waits[1] >= 0.2 and waits[2] >= 0.4
    assert waits[2] > waits[1] > waits[0]


# Retry-After counts whole seconds; a cap of 0.2 s keeps these tests from sleeping a full
# one. The first retry's backoff is 0 s (urllib3), so any wait seen is Retry-After's.
RETRY_AFTER_CAP = RetryPolicy(attempts=3, backoff=0.01, backoff_max=0.05, retry_after_max=0.2)


@pytest.mark.parametrize("code", [503, 429])
def test_retry_after_is_honoured(server: FaultServer, out: Path, code: int) -> None:
    url = server.route(_path(), status(code, retry_after="1"), data(BODY))
    download(url, out, policy=RETRY_AFTER_CAP, progress=False)
    first, second = (r.at for r in server.asked())
    assert second - first >= 0.19  # Retry-After's 1 s, capped at 0.2 s; the backoff alone: 0 s


def test_a_huge_retry_after_is_capped(server: FaultServer, out: Path) -> None:
    url = server.route(_path(), status(503, retry_after="3600"), data(BODY))
    download(url, out, policy=RETRY_AFTER_CAP, progress=False)
    first, second = (r.at for r in server.asked())
    assert 0.19 <= second - first < 30


def test_a_body_shorter_than_its_content_length_is_a_failure_not_a_file(
    server: FaultServer, out: Path
) -> None:
    url = server.route(_path(), cut_short(BODY, 1_000))
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == (
        f"could not download {url}: the transfer was cut short: "
        f"1,000 of {len(BODY):,} bytes arrived (tried 3 times)"
    )
    assert len(server.asked()) == FAST.attempts
    assert not out.exists()
    assert _leftovers(out) == []


def test_no_hashing_thread_outlives_a_failed_download(server: FaultServer, out: Path) -> None:
    before = set(threading.enumerate())  # another test's leftovers are not this download's
    with pytest.raises(TutorialError):
        download(server.route(_path(), cut_short(BODY, 1_000)), out, policy=FAST, progress=False)
    assert [t for t in set(threading.enumerate()) - before if t.name == "sha1"] == []


def test_a_transfer_cut_short_once_is_tried_again(server: FaultServer, out: Path) -> None:
    url = server.route(_path(), cut_short(BODY, 1_000), data(BODY))
    result = download(url, out, policy=FAST, progress=False)
    assert (result.verified, result.attempts) == (True, 2)
    assert out.read_bytes() == BODY


def test_a_server_that_stops_sending_times_out_and_is_retried(
    server: FaultServer, out: Path
) -> None:
    policy = RetryPolicy(attempts=2, backoff=0.01, read_timeout=0.3)
    url = server.route(_path(), stalled(BODY, 3.0), data(BODY))
    result = download(url, out, policy=policy, progress=False)
    assert (result.verified, result.attempts) == (True, 2)


def test_a_server_that_never_sends_is_reported_as_timing_out(
    server: FaultServer, out: Path
) -> None:
    policy = RetryPolicy(attempts=2, backoff=0.01, read_timeout=0.3)
    url = server.route(_path(), stalled(BODY, 3.0))
    with pytest.raises(
        TutorialError, match=r"the server stopped sending \(read timed out\) \(tried 2 times\)$"
    ):
        download(url, out, policy=policy, progress=False)


def test_a_refused_connection_is_retried_then_reported(out: Path) -> None:
    with FaultServer() as gone:
        url = gone.url(_path())
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=FAST, progress=False)
    assert str(error.value) == (
        f"could not download {url}: could not connect (Connection refused) (tried 3 times)"
    )


def test_a_tls_failure_is_reported_at_once_not_retried(server: FaultServer, out: Path) -> None:
    # https to a server that speaks plain HTTP: the handshake fails, and would fail again.
    url = server.route(_path(), data(BODY)).replace("http://", "https://")
    started = time.monotonic()
    with pytest.raises(TutorialError) as error:
        download(url, out, policy=RetryPolicy(attempts=3, backoff=2.0), progress=False)
    assert str(error.value).startswith(f"could not download {url}: TLS failed")
    assert "tried" not in str(error.value)
    assert time.monotonic() - started < 3.5  # no 4 s backoff was slept


# --- progress ------------------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    server: FaultServer, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    download(server.route(_path(), data(BODY)), out, policy=FAST)
    assert capsys.readouterr() == ("", "")


def test_a_progress_bar_when_asked_for(
    server: FaultServer, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    download(server.route(_path(), data(BODY)), out, policy=FAST, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bank_clean.csv" in captured.err


def test_sha1_of_file_is_the_plain_sha1(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(BODY)
    assert sha1_of_file(path) == SHA1
