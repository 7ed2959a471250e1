"""The work folder: judged before anything starts, and held by one command at a time.

Real processes hold the lock here (a second process is what the lock is for), and a
real SIGKILL leaves one behind to be taken over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sagemaker_tutorial.errors import InputError
from sagemaker_tutorial.workdir import LOCK_FILE_NAME, check_workdir, one_command_at_a_time

_HOLD_THE_FOLDER = """
import sys, time
from pathlib import Path
from sagemaker_tutorial.workdir import one_command_at_a_time
with one_command_at_a_time(Path(sys.argv[1]), "run", print):
    print("holding", flush=True)
    time.sleep(120)
"""


def _holder(folder: Path) -> subprocess.Popen[str]:
    """Another process holding ``folder``, once it has said so."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_FOLDER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "holding\n"
    return process


def test_a_folder_held_by_another_process_is_refused_naming_that_process(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    try:
        with pytest.raises(InputError) as refused, one_command_at_a_time(tmp_path, "run", print):
            pass
        assert f"is in use by process {holder.pid} (sagemaker-tutorial run, since " in str(
            refused.value
        )
        assert str(refused.value).endswith("wait for it to end, or pass another --workdir")
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_left_by_a_killed_process_is_taken_over_with_a_warning(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    warnings: list[str] = []
    with one_command_at_a_time(tmp_path, "split", warnings.append):
        record = (tmp_path / LOCK_FILE_NAME).read_text()
        assert record.startswith(f"process {os.getpid()} (sagemaker-tutorial split, since ")
    assert len(warnings) == 1
    lock = tmp_path / LOCK_FILE_NAME
    assert warnings[0].startswith(f"took over {lock} from process {holder.pid} ")
    assert warnings[0].endswith("which ended without releasing it")


def test_a_lock_released_in_order_is_taken_without_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    with one_command_at_a_time(tmp_path, "split", warnings.append):
        pass
    with one_command_at_a_time(tmp_path, "split", warnings.append):
        pass
    assert warnings == []
    assert not (tmp_path / LOCK_FILE_NAME).exists()  # nothing of it is left in the folder


def test_a_missing_work_folder_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "folder"
    assert check_workdir(folder) == folder
    assert folder.is_dir()


def test_a_file_named_as_the_work_folder_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    with pytest.raises(InputError) as refused:
        check_workdir(file)
    assert str(refused.value) == (
        f"the work folder {file} is a file, not a folder: pass another --workdir"
    )
    assert file.read_text() == "mine"


def test_a_work_folder_under_a_file_cannot_be_made(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    with pytest.raises(InputError) as refused:
        check_workdir(file / "run")
    assert str(refused.value).startswith(f"cannot create the work folder {file / 'run'}: ")
