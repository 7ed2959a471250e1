"""Every input judged before any network call, and every refusal one line that helps.

The runs are in-process against a tripwire (a loopback server that records every
request it gets), so "nothing was sent" is seen, not assumed. Full and read-only
disks are real: small tmpfs mounts (they need root, as CI has; skipped otherwise).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.cli import main
from sagemaker_tutorial.data.synthetic import synthetic_csv
from steps.tripwire import tripwire


@contextlib.contextmanager
def _against_tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every AWS call goes to a server that records it (and answers none usefully)."""
    with tripwire() as (endpoint, requests):
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, endpoint)
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        yield requests


def _run(*argv: str) -> tuple[int, str, str]:
    """`sagemaker-tutorial ARGV` in-process: exit code, stdout, stderr (argparse's exit too)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def _one_error_line(err: str) -> str:
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err.removeprefix("error: ").rstrip("\n")


@contextlib.contextmanager
def _mounted_tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A real tmpfs at ``folder`` (``size=...``, ``ro``); skipped where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, f"tmpfs-{uuid.uuid4().hex[:6]}", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def bad_data(tmp_path: Path) -> dict[str, Path]:
    """Files a reader might pass as --data-file by mistake."""
    files = {
        "empty": b"",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "other columns": b",name,score\n0,ann,3\n1,bob,5\n",
    }
    paths = {}
    for kind, content in files.items():
        path = tmp_path / "mine" / f"{kind.replace(' ', '_')}.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        paths[kind] = path
    return paths


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("empty", "is empty (0 bytes)"),
        ("binary", "looks like binary data, not CSV"),
        ("other columns", "does not have the tutorial's 61 columns"),
    ],
)
def test_run_refuses_a_data_file_that_is_not_the_tutorials_before_any_call(
    kind: str,
    said: str,
    bad_data: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workdir = tmp_path / "work"
    with _against_tripwire(monkeypatch) as requests:
        code, out, err = _run("--workdir", str(workdir), "run", "--data-file", str(bad_data[kind]))
    assert code == 2, err
    message = _one_error_line(err)
    assert message.startswith(f"the data file {bad_data[kind]} {said}"), message
    assert out == ""
    assert requests == []
    assert list(workdir.iterdir()) == []  # judged before the folder is even taken


def test_run_refuses_a_missing_data_file_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.csv"
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run("--workdir", str(tmp_path), "run", "--data-file", str(missing))
    assert (code, _one_error_line(err), requests) == (2, f"no data file at {missing}", [])


def test_download_refuses_a_data_file_that_is_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run("--workdir", str(tmp_path), "download", "--data-file", str(tmp_path))
    assert (code, _one_error_line(err), requests) == (
        2,
        f"the data file {tmp_path} is not a file",
        [],
    )


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--timeout", "-5", "argument --timeout: must be a number of seconds above 0, not -5"),
        ("--timeout", "nan", "argument --timeout: must be a number of seconds above 0, not nan"),
        ("--instance-count", "0", "argument --instance-count: must be 1 or more, not 0"),
        (
            "--train-fraction",
            "1.5",
            "the train fraction must be between 0 and 1 (both excluded), not 1.5",
        ),
    ],
)
def test_run_refuses_an_option_out_of_range_before_any_call(
    option: str, value: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run("--workdir", str(tmp_path), "run", option, value)
    assert code == 2, err
    assert said in _one_error_line(err), err
    assert requests == []


def test_a_work_folder_that_is_a_file_is_refused_before_any_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "results"
    file.write_text("keep me")
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run("--workdir", str(file), "run")
    assert (code, requests) == (2, [])
    assert _one_error_line(err) == (
        f"the work folder {file} is a file, not a folder: pass another --workdir"
    )
    assert file.read_text() == "keep me"


def test_a_read_only_work_folder_is_refused_before_any_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        _mounted_tmpfs(tmp_path / "ro", "ro,size=1m") as folder,
        _against_tripwire(monkeypatch) as requests,
    ):
        code, _, err = _run("--workdir", str(folder), "run")
    assert (code, requests) == (2, [])
    assert _one_error_line(err) == (
        f"the work folder {folder} is not writable: pass another --workdir, or make it writable"
    )


def test_a_full_disk_names_the_file_and_the_step_and_leaves_nothing_partial(
    tmp_path: Path,
) -> None:
    data = tmp_path / settings.DATA_FILE_NAME
    data.write_bytes(synthetic_csv())
    with _mounted_tmpfs(tmp_path / "small", "size=256k") as folder:
        code, _, err = _run("--workdir", str(folder), "split", "--input", str(data))
        left = sorted(path.name for path in folder.iterdir())
    assert code == 1, err
    message = _one_error_line(err)
    assert message.startswith("step 3f (split): cannot write "), message
    assert message.endswith(": No space left on device (nothing partial was left)"), message
    assert settings.TRAIN_FILE_NAME in message or settings.TEST_FILE_NAME in message
    assert left == []


# --- state.json ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "said"),
    [
        (
            {"run_id": 5, "backend": "mock", "region": "ap-northeast-1"},
            "field 'run_id' must be a string, not 5: remove its run's leftovers with "
            "`cleanup --all-runs`, then delete the file",
        ),
        (
            {"run_id": "r1", "backend": "mock", "region": 123},
            "field 'region' must be a string, not 123: remove its run's leftovers with "
            "`cleanup --run-id r1`, then delete the file",
        ),
        (
            {"run_id": "r1", "backend": "mock", "region": "ap-northeast-1", "endpoint": 12},
            "field 'endpoint' must be a string or null, not 12",
        ),
        (
            {"run_id": "r1", "backend": "mock", "region": "ap-northeast-1", "instance_count": "2"},
            "field 'instance_count' must be a whole number, not \"2\"",
        ),
        (
            {"run_id": "r1", "backend": "mock"},
            "has no field 'region': remove its run's leftovers with `cleanup --run-id r1`",
        ),
        (
            {"run_id": "r1", "backend": "mock", "region": "ap-northeast-1", "version": 9},
            "has version 9, which this sagemaker-tutorial does not read (it writes version 1)",
        ),
        (
            {"run_id": "r1", "backend": "cloud", "region": "ap-northeast-1"},
            'field \'backend\' must be "mock" or "live", not "cloud"',
        ),
        (["not", "an", "object"], "is not the tutorial's state (not a JSON object)"),
    ],
    ids=["run_id", "region", "endpoint", "instance_count", "missing", "version", "backend", "list"],
)
@pytest.mark.parametrize(
    "command", [["cleanup"], ["deploy", "--allow-cost"], ["train", "--allow-cost"], ["upload"]]
)
def test_a_state_file_of_the_wrong_shape_is_one_line_naming_the_file_and_the_field(
    command: list[str],
    record: object,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = tmp_path / settings.STATE_FILE_NAME
    state.write_text(json.dumps(record))
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run("--workdir", str(tmp_path), *command)
    assert (code, requests) == (2, [])
    message = _one_error_line(err)
    assert message.startswith(f"{state}"), message
    assert said in message, message


def test_billed_compute_on_live_without_consent_is_refused_in_one_line_naming_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(settings.ENV_ALLOW_COST, raising=False)
    with _against_tripwire(monkeypatch) as requests:
        code, _, err = _run(
            "--backend", "live", "--region", "eu-west-1", "--workdir", str(tmp_path), "deploy"
        )
    assert (code, requests) == (2, [])
    assert _one_error_line(err) == (
        "this starts billed SageMaker compute in your AWS account: an endpoint on 1 x "
        "ml.m4.xlarge, billed by the hour until deleted; pass --allow-cost (or set "
        "SAGEMAKER_TUTORIAL_ALLOW_COST=1) to accept the cost"
    )


# --- the clone stays clean -------------------------------------------------------------


def test_the_lock_file_and_results_of_a_run_in_the_clone_are_ignored_by_git() -> None:
    """The README's main job, run in the clone, leaves nothing for `git status` to show."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    names = [
        settings.STATE_FILE_NAME,
        settings.PREDICTIONS_FILE_NAME,
        settings.EVALUATION_FILE_NAME,
        settings.TRAIN_CSV_NAME,
        settings.DATA_FILE_NAME,
        settings.TRAIN_FILE_NAME,
        settings.TEST_FILE_NAME,
        ".sagemaker-tutorial.lock",
    ]
    root = Path(__file__).resolve().parent.parent
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert sorted(checked.stdout.split()) == sorted(names), checked.stdout


# --- help that says what the command does ------------------------------------------------


def test_run_help_names_the_steps_it_runs_through_the_clean_up() -> None:
    code, out, _ = _run("run", "--help")
    assert code == 0
    assert "steps 3c-7 in one go" in " ".join(out.split())


def test_notebook_instance_help_speaks_of_the_notebook_instance_not_training() -> None:
    code, out, _ = _run("notebook-instance", "--help")
    text = " ".join(out.split())
    assert code == 0
    assert "accept that this starts a notebook instance (--instance-type)" in text
    assert "seconds to wait for the notebook instance" in text
    assert settings.INSTANCE_TYPE not in text and "job or endpoint" not in text
