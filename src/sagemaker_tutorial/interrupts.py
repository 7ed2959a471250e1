"""SIGTERM and SIGHUP stop a command the way Ctrl-C does: cleanly.

Python turns Ctrl-C (SIGINT) into KeyboardInterrupt, so ``with`` and ``finally``
blocks run: local servers stop, child processes are ended, temporary files go.
SIGTERM (what ``timeout``, CI runners, systemd and Docker send) and SIGHUP (a closed
terminal) would instead end the process on the spot and leave all of that behind.
Inside ``stop_signals_interrupt()`` they raise ``Interrupted`` (a KeyboardInterrupt)
in the main thread instead, so the same cleanup runs.

The first such signal starts the clean stop; more of them while it runs are ignored,
so that cleanup is not itself cut short (SIGKILL still ends the process). A signal
the process was told to ignore (``nohup`` ignores SIGHUP) stays ignored. Standard
library only: the CLI installs this before anything heavy is imported.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# The signals that mean "stop now, please" and are handled like Ctrl-C.
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """A stop signal, raised where the main thread was, like Ctrl-C's KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal_name(signum))


def signal_name(signum: int) -> str:
    """``SIGTERM`` for 15, and so on."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's convention for death by a signal: 128 + its number (Ctrl-C: 130)."""
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    return 128 + int(signum)


def describe(exc: KeyboardInterrupt) -> str:
    """What stopped the run, in words: ``interrupted by SIGTERM``, ``interrupted (Ctrl-C)``."""
    if isinstance(exc, Interrupted):
        return f"interrupted by {signal_name(exc.signum)}"
    return "interrupted (Ctrl-C)"


@contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise Interrupted; the old handlers come back after.

    Only the main thread can set signal handlers: called from another thread, the
    block runs with the handlers as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return  # already stopping: let the cleanup finish
        stopping = True
        raise Interrupted(signum)

    previous: dict[signal.Signals, Any] = {}
    for signum in STOP_SIGNALS:
        current = signal.getsignal(signum)
        if current == signal.SIG_IGN:
            continue
        previous[signum] = signal.SIG_DFL if current is None else current
        signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
