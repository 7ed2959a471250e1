"""The command-line contract people script against: exit codes, one-line errors, fast help.

Most runs are in-process on the session's server (``run_cli``); a few are real
processes, where that is the point: a fresh start on a bare machine, a real signal,
and what really reaches stderr (library logging is configured per process).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from sagemaker_tutorial import __version__, settings
from sagemaker_tutorial.aws.backends import mock_backend
from sagemaker_tutorial.aws.execution_role import ROLE_NAME
from sagemaker_tutorial.cli import build_parser, main
from sagemaker_tutorial.data.kind import SYNTHETIC
from steps.fault_server import FaultServer, stalled
from steps.tripwire import serving

GLOBAL_OPTIONS = ("--backend", "--region", "--workdir", "--debug")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    env.update(extra)
    return env


def test_help_imports_neither_pandas_nor_boto3_nor_the_sdk() -> None:
    code = (
        "import sys\n"
        "from sagemaker_tutorial.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = ('pandas', 'boto3', 'botocore', 'sagemaker', 'numpy')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_unknown_command_is_one_error_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["make-coffee"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: argument COMMAND: invalid choice: 'make-coffee'")
    assert err.count("\n") == 1


@pytest.fixture
def in_a_folder_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run without --workdir works in the current folder: the test's own, never
    the checkout (which another test, or another worker, may be using)."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("in_a_folder_of_its_own")
def test_unknown_backend_in_the_environment_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(settings.ENV_BACKEND, "staging")
    assert main(["setup"]) == 2
    assert capsys.readouterr().err == "error: unknown backend 'staging': choose mock or live\n"


@pytest.mark.usefixtures("in_a_folder_of_its_own")
def test_live_backend_without_a_region_exits_2_before_any_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--backend", "live", "setup"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no AWS region configured: pass --region")
    assert err.count("\n") == 1


@pytest.mark.usefixtures("in_a_folder_of_its_own")
def test_debug_shows_the_traceback_instead_of_one_line() -> None:
    with pytest.raises(Exception, match="unknown region 'xx-nowhere-9'"):
        main(["--debug", "--region", "xx-nowhere-9", "setup"])


@pytest.mark.usefixtures("in_a_folder_of_its_own")
def test_mock_run_uses_the_moto_server_it_is_given(
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The suite shares one moto server: what `setup` creates there, the test can see."""
    monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    monkeypatch.delenv(settings.ENV_ROLE_ARN, raising=False)
    assert main(["--backend", "mock", "setup"]) == 0
    iam = mock_backend(moto_endpoint).client("iam")
    role = iam.get_role(RoleName=ROLE_NAME)["Role"]
    assert f"Execution role: {role['Arn']}\n" in capsys.readouterr().out


def test_prepare_refuses_a_bad_fraction_before_starting_anything(
    run_cli: Callable[..., Any],
) -> None:
    result = run_cli("prepare", "--train-fraction", "1.5")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the train fraction must be between 0 and 1")
    assert result.stdout == ""


# --- version and options, before or after the command -------------------------------------------


def test_version_prints_the_name_and_version_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr() == (f"sagemaker-tutorial {__version__}\n", "")


def _commands() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(commands.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_commands_help_shows_the_global_options(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert [option for option in GLOBAL_OPTIONS if option not in shown] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--backend", "live", "--region", "eu-west-1", "--workdir", "w", "--debug", "prepare"],
        ["prepare", "--backend", "live", "--region", "eu-west-1", "--workdir", "w", "--debug"],
        ["--backend", "live", "--workdir", "w", "prepare", "--region", "eu-west-1", "--debug"],
        ["--region", "eu-west-1", "--debug", "prepare", "--workdir", "w", "--backend", "live"],
    ],
    ids=["all-before", "all-after", "some-after", "the-others-after"],
)
def test_global_options_are_taken_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.backend, args.region, args.workdir, args.debug) == (
        "live",
        "eu-west-1",
        Path("w"),
        True,
    )


def test_global_options_given_nowhere_keep_their_defaults() -> None:
    args = build_parser().parse_args(["prepare"])
    assert (args.backend, args.region, args.workdir, args.debug) == (None, None, Path("."), False)


@pytest.mark.parametrize(
    ("argv", "region"),
    [
        (["--region", "us-east-1", "prepare", "--region", "eu-west-1"], "eu-west-1"),
        (["--region", "eu-west-1", "prepare", "--region", "us-east-1"], "us-east-1"),
    ],
)
def test_a_global_option_after_the_command_wins_over_the_same_before_it(
    argv: list[str], region: str
) -> None:
    assert build_parser().parse_args(argv).region == region


@pytest.mark.moto_only
def test_a_region_given_after_the_command_is_the_one_the_run_uses(
    run_cli: Callable[..., Any],
) -> None:
    """run_cli puts --backend and --workdir first; --region comes after the command."""
    result = run_cli("create-bucket", "--region", "us-east-1")
    assert (result.exit_code, result.stderr) == (0, "")
    bucket = next(line for line in result.stdout.splitlines() if line.startswith("bucket: "))
    assert bucket.endswith("-us-east-1 (us-east-1)"), bucket


# --- stopping: Ctrl-C, SIGTERM, SIGHUP -----------------------------------------------------------


class _CtrlCDuringTheDownload(BaseHTTPRequestHandler):
    """Sends a download's headers, then Ctrl-C to the main thread, then waits for the hang-up."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self.wfile.flush()
        time.sleep(0.1)  # the transfer is under way: the client waits for the body
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        with contextlib.suppress(OSError):
            self.rfile.read(1)  # returns (or raises) when the client hangs up

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def test_ctrl_c_exits_130_with_one_line_and_leaves_no_partial_file(
    run_cli: Callable[..., Any], workdir: Path
) -> None:
    handlers = [signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)]
    with serving(_CtrlCDuringTheDownload) as (endpoint, _):
        result = run_cli("download", "--url", f"{endpoint}/data/bank_clean.csv")
    assert (result.exit_code, result.stderr) == (130, "error: interrupted (Ctrl-C)\n")
    assert list(workdir.iterdir()) == []
    # main() runs in-process here: the handlers it set for its run are gone again.
    assert [signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)] == handlers


def _descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (read from /proc)."""
    found: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                child = int(stat.parent.name)
                found += [child, *_descendants(child)]
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# --- real processes: a bare machine, a real signal, what really reaches stderr -------------------
#
# These runs are real processes because that is the point of them. They are started
# together, by the first test that needs them, so that their start-ups (and a
# download's retries) overlap instead of adding up; each test then checks its own.

_LIVE = ("--backend", "live", "--region", "us-east-1")
_NOBODY = "http://127.0.0.1:{port}/data/bank-additional-full.csv"
# Each command's ways to fail, on both backends: (argv, exit code, what the line says).
# {port} is a loopback port nobody listens on, {missing} a file that does not exist.
# Live setup without credentials is the SDK's config search (it logged two lines);
# the download nobody answers is urllib3's retries (it logged one line per retry).
FAILURES: dict[str, tuple[tuple[str, ...], int, str]] = {
    "setup-live-no-credentials": ((*_LIVE, "setup"), 1, "no AWS credentials found"),
    "setup-unknown-region": (("setup", "--region", "xx-nowhere-9"), 2, "unknown region"),
    "create-bucket-live-no-credentials": ((*_LIVE, "create-bucket"), 1, "no AWS credentials"),
    "create-bucket-bad-name": (("create-bucket", "--bucket", "My-Bucket"), 2, "upper-case"),
    "delete-bucket-live-no-credentials": ((*_LIVE, "delete-bucket"), 1, "no AWS credentials"),
    "download-nobody-listening": (
        ("download", "--url", _NOBODY),
        1,
        f"could not download {_NOBODY}: could not connect (Connection refused) (tried 5 times)",
    ),
    "download-live-missing-data-file": (
        (*_LIVE, "download", "--data-file", "{missing}"),
        2,
        "no data file at {missing}",
    ),
    "split-missing-input": (("split", "--input", "{missing}"), 1, "no missing.csv at {missing}"),
    "preprocess-missing-raw-file": (("preprocess", "--raw", "{missing}"), 1, "no raw data at"),
    "prepare-live-bad-bucket-name": ((*_LIVE, "prepare", "--bucket", "My-Bucket"), 2, "upper-case"),
    "prepare-bad-fraction": (("prepare", "--train-fraction", "1.5"), 2, "between 0 and 1"),
    "prepare-unknown-option": (("prepare", "--colour"), 2, "unrecognized arguments: --colour"),
}
STOP_SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}


@dataclass
class _Run:
    """A real `python -m sagemaker_tutorial.cli` process and its work folder."""

    process: subprocess.Popen[str]
    workdir: Path
    says: str = ""  # a failure: what its error line says
    output: tuple[str, str] | None = field(default=None, init=False)

    def finish(self, timeout: float = 120) -> tuple[str, str]:
        """Wait for the end; (stdout, stderr)."""
        if self.output is None:
            self.output = self.process.communicate(timeout=timeout)
        return self.output


@dataclass
class _RealRuns:
    bare_prepare: _Run
    stopped: dict[str, _Run]  # by signal name: a prepare whose download stalls
    data_server: FaultServer  # where those downloads stall
    failures: dict[str, _Run]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def real_runs(
    moto_endpoint: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[_RealRuns]:
    """Every real-process run of this module, started at once; all ended at teardown.

    No AWS configuration anywhere (HOME is empty). The bare-machine prepare and the
    signalled ones start their own local server; the FAILURES runs on mock share the
    session's.
    """

    def start(name: str, argv: list[str], env: dict[str, str], says: str = "") -> _Run:
        workdir = tmp_path_factory.mktemp(name)
        process = subprocess.Popen(
            [sys.executable, "-m", "sagemaker_tutorial.cli", "--workdir", str(workdir), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=workdir,
        )
        return _Run(process, workdir, says)

    home = tmp_path_factory.mktemp("home")
    bare = {k: v for k, v in _clean_env(HOME=str(home)).items() if k != settings.ENV_DATA_DIR}
    shared = _clean_env(HOME=str(home), AWS_EC2_METADATA_DISABLED="true")
    if moto_endpoint is not None:
        shared[settings.ENV_MOCK_ENDPOINT] = moto_endpoint
    values = {"port": str(_free_port()), "missing": str(home / "missing.csv")}
    runs: list[_Run] = []
    with FaultServer() as data_server:
        try:
            runs.append(bare_prepare := start("bare", ["prepare"], bare))
            stopped: dict[str, _Run] = {}
            for name in STOP_SIGNALS:
                url = data_server.route(f"/{name}/bank_clean.csv", stalled(b"0,1\n", 120.0))
                runs.append(
                    stopped.setdefault(name, start(name, ["prepare", "--data-url", url], bare))
                )
            failures: dict[str, _Run] = {}
            for name, (argv, _, says) in FAILURES.items():
                args = [arg.format(**values) for arg in argv]
                runs.append(
                    failures.setdefault(name, start(name, args, shared, says.format(**values)))
                )
            yield _RealRuns(bare_prepare, stopped, data_server, failures)
        finally:
            for run in runs:
                if run.process.poll() is None:
                    run.process.kill()
                run.finish()


def test_prepare_offline_with_no_aws_and_no_data_ends_with_the_notebook_shapes(
    real_runs: _RealRuns,
) -> None:
    """The README's main job on a bare machine: no AWS config, no BANK_DATA_DIR, no internet.

    The suite's one run of a command that starts its own local server and succeeds, as
    `pip install .` then `sagemaker-tutorial prepare` does; the other CLI tests share
    the session's server.
    """
    run = real_runs.bare_prepare
    out, err = run.finish()
    assert run.process.returncode == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "Success - the MySageMakerInstance is in the ap-northeast-1 region. You will use the "
        "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-xgboost:1.7-1 container "
        "for your SageMaker endpoint."
    )
    assert "S3 bucket created successfully" in lines
    assert "Success: Data loaded into dataframe." in lines
    assert lines[-1] == "(28831, 61) (12357, 61)"
    # The same shapes come from the real file: the download's line says which data it is.
    assert any(line.endswith(f": {SYNTHETIC}.") for line in lines), out
    assert sorted(p.name for p in run.workdir.glob("*.csv")) == [
        "bank_clean.csv",
        "test_data.csv",
        "train_data.csv",
    ]


@pytest.mark.parametrize("name", STOP_SIGNALS)
def test_a_stop_signal_during_prepare_stops_it_cleanly_like_ctrl_c(
    name: str, real_runs: _RealRuns
) -> None:
    """SIGTERM is what timeout, CI runners, systemd and Docker send; SIGHUP, a closed terminal.

    A real process and a real signal, sent while its download is under way (the data
    server stalls it): the run's servers and children stop, its temporary file goes,
    and it exits 128 + the signal's number with one line.
    """
    run, signum = real_runs.stopped[name], STOP_SIGNALS[name]
    deadline = time.monotonic() + 120
    while not real_runs.data_server.asked(f"/{name}/bank_clean.csv"):
        assert run.process.poll() is None, run.finish()
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.02)
    assert list(run.workdir.glob(".bank_clean.csv.*.part")), "no download under way"
    started = _descendants(run.process.pid)
    run.process.send_signal(signum)
    _, err = run.finish(timeout=60)
    assert run.process.returncode == 128 + signum
    assert err == f"error: interrupted by {name}\n"
    assert [pid for pid in started if _running(pid)] == []
    left = [p.name for p in run.workdir.iterdir() if p.suffix == ".part" or "bank_clean" in p.name]
    assert left == []


@pytest.mark.parametrize("case", FAILURES)
def test_a_failure_is_exactly_one_error_line_on_stderr(case: str, real_runs: _RealRuns) -> None:
    """No SDK config search, urllib3 retry or botocore line before it (they need --debug)."""
    run = real_runs.failures[case]
    _, err = run.finish()
    assert run.process.returncode == FAILURES[case][1], err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert run.says in err


def test_a_download_error_names_the_urls_file_not_bank_clean_csv(real_runs: _RealRuns) -> None:
    _, err = real_runs.failures["download-nobody-listening"].finish()
    assert "bank-additional-full.csv" in err
    assert "bank_clean.csv" not in err
