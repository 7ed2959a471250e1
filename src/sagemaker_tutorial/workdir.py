"""The work folder: checked before anything is sent, and used by one command at a time.

Everything a run writes lands in ``--workdir`` (the data, the split, state.json), so
it is judged first: a folder, or one that can be made, and writable. A file there, or
a read-only folder, would otherwise fail late, after a bucket and a download.

Two runs in one folder would share state.json and clean up each other's endpoints
(and leave their own billing). So a command that writes there holds a lock on
``<workdir>/.sagemaker-tutorial.lock`` for as long as it runs: ``flock``, which the
kernel releases when the process ends however it ends (even SIGKILL). The file
names its holder, so a second command says who has the folder; it is removed when
the holder ends in order, and a file left by a process that could not (SIGKILL) is
taken over, with a warning that names that process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

LOCK_FILE_NAME = ".sagemaker-tutorial.lock"


def check_workdir(path: Path) -> Path:
    """``path`` as a writable folder (made if missing), or an InputError saying why not."""
    if path.exists() and not path.is_dir():
        raise InputError(f"the work folder {path} is a file, not a folder: pass another --workdir")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the work folder {path}: {exc.strerror or exc}: pass another --workdir"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError(
            f"the work folder {path} is not writable: pass another --workdir, or make it writable"
        )
    return path


@contextmanager
def one_command_at_a_time(
    workdir: Path, command: str, warn: Callable[[str], None]
) -> Iterator[None]:
    """Hold the work folder's lock for the block; refuse at once when another holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no flock; the folder is not guarded
        yield
        return
    path = workdir / LOCK_FILE_NAME
    descriptor = _locked(path, fcntl.flock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        left = _holder(descriptor)
        if left:
            warn(f"took over {path} from {left}, which ended without releasing it")
        os.ftruncate(descriptor, 0)
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        record = f"process {os.getpid()} (sagemaker-tutorial {command}, since {started})"
        os.pwrite(descriptor, record.encode(), 0)
        try:
            yield
        finally:
            # Released in order: the file goes while still locked, so no one can take over
            # a record of this process (a killed process leaves its record, to be named).
            path.unlink(missing_ok=True)
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _locked(path: Path, flock: Callable[[int, int], None], how: int) -> int:
    """A descriptor of ``path`` holding its lock, or an InputError naming the holder.

    The file may be removed by the holder between our open and our lock: then the lock
    is on a file no one else sees, and the open is tried again.
    """
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
        try:
            flock(descriptor, how)
        except BlockingIOError:
            holder = _holder(descriptor) or "another process"
            os.close(descriptor)
            raise InputError(
                f"{path.parent} is in use by {holder}: wait for it to end, or pass another "
                "--workdir"
            ) from None
        try:
            same = os.fstat(descriptor).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return descriptor
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    """What the lock file says of its holder (empty when released in order)."""
    return os.pread(descriptor, 512, 0).decode("utf-8", errors="replace").strip()
