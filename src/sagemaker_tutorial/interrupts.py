"""Ctrl-C, SIGTERM and SIGHUP stop a command cleanly, and never cut a clean-up short.

Python turns Ctrl-C (SIGINT) into KeyboardInterrupt, so ``with`` and ``finally``
blocks run: local servers stop, child processes are ended, temporary files go.
SIGTERM (what ``timeout``, CI runners, systemd and Docker send) and SIGHUP (a closed
terminal) would instead end the process on the spot and leave all of that behind.
Inside ``stop_signals_interrupt()`` all three raise ``Interrupted`` (a
KeyboardInterrupt) in the main thread instead, so the same clean-up runs.

Three rules make that clean-up safe, whenever the signal comes:

- The first signal starts the clean stop; every later one, of any kind, is ignored
  while it runs (SIGKILL still ends the process).
- ``taking_down()`` marks the code that deletes billed resources (an endpoint bills
  by the hour): a signal that arrives inside it waits until it has finished, so an
  endpoint is never left half deleted. The stop it asked for has then happened (the
  work had ended; only the clean-up was left): the command ends as its work ended,
  and ``unheeded()`` names the signal, for one warning line. ``interruptible()``
  within it is the work a signal may stop at once; its clean-up follows it with no
  moment between them where a signal could skip it.
- ``finished()`` says the command's work and clean-up are done: from then until the
  block ends, signals change nothing (a finished run exits 0).

A signal the process was told to ignore (``nohup`` ignores SIGHUP; a shell's
background job ignores SIGINT) stays ignored. Standard library only: the CLI
installs this before anything heavy is imported.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

# The signals that mean "stop now, please".
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
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
    if isinstance(exc, Interrupted) and exc.signum != signal.SIGINT:
        return f"interrupted by {signal_name(exc.signum)}"
    return "interrupted (Ctrl-C)"


@dataclass
class _Guard:
    """What the handler needs to know about the moment a signal arrives."""

    stopping: bool = False  # a stop is under way: further signals are ignored
    modes: list[bool] = field(default_factory=list)  # nested blocks: True holds signals
    held: int | None = None  # the first signal that arrived while held
    unheeded: int | None = None  # a signal that waited for a clean-up that then finished
    done: bool = False  # finished(): signals change nothing any more

    @property
    def holding(self) -> bool:
        return bool(self.modes) and self.modes[-1]

    def release(self) -> None:
        """Raise the signal held until now, if any (once: it starts the stop)."""
        if self.held is None or self.stopping or self.done:
            return
        signum, self.held = self.held, None
        self.stopping = True
        raise Interrupted(signum)


_guard: _Guard | None = None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    guard = _guard
    if guard is None or guard.stopping or guard.done:
        return
    if guard.holding:
        if guard.held is None:
            guard.held = signum
        return
    guard.stopping = True
    raise Interrupted(signum)


@contextmanager
def stop_signals_interrupt(*, ignore_after: bool = False) -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise Interrupted (see the module).

    The handlers in place before come back after the block; with ``ignore_after``
    (the CLI's own process, which exits right after) the signals are ignored instead,
    so nothing can turn a finished command into a traceback on its way out. Only the
    main thread can set signal handlers: called from another thread, the block runs
    with the handlers as they are. Nested, the outer block's handlers serve.
    """
    global _guard
    if threading.current_thread() is not threading.main_thread() or _guard is not None:
        yield
        return
    previous: dict[signal.Signals, Any] = {}
    for signum in STOP_SIGNALS:
        current = signal.getsignal(signum)
        if current == signal.SIG_IGN:
            continue
        previous[signum] = signal.SIG_DFL if current is None else current
    _guard = _Guard()
    for signum in previous:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_IGN if ignore_after else handler)
        _guard = None


@contextmanager
def _mode(holding: bool) -> Iterator[None]:
    with stop_signals_interrupt():
        guard = _guard
        if guard is None:  # not the main thread: no handler to hold anything
            yield
            return
        guard.modes.append(holding)
        try:
            if not holding:
                guard.release()  # held until now: stop before the work starts
            yield
        finally:
            guard.modes.pop()
            if holding and not guard.holding and guard.held is not None:
                # The clean-up it waited for is done, and with it the command's work.
                guard.unheeded, guard.held = guard.held, None


def taking_down() -> AbstractContextManager[None]:
    """Hold stop signals while the block deletes billed resources (see the module).

    Outside ``stop_signals_interrupt()`` (a notebook's kernel, a script) the block
    installs the handlers for its own duration, so Ctrl-C in the middle of
    ``Tutorial.clean_up()`` waits for it too.
    """
    return _mode(True)


def interruptible() -> AbstractContextManager[None]:
    """Inside ``taking_down()``, the part that a signal may stop at once: the work whose
    clean-up follows. The moment it ends, by success or error, signals are held again,
    so nothing can come between the work and its clean-up::

        with taking_down():
            try:
                with interruptible():
                    work()
            finally:
                clean_up()
    """
    return _mode(False)


@contextmanager
def last_taking_down() -> Iterator[None]:
    """``taking_down()`` for the last thing a command does: once it has finished, so has
    the command, and no signal can change that (see ``finished``)."""
    with taking_down():
        yield
        finished()


def finished() -> None:
    """The command's work and its clean-up are done: later signals change nothing."""
    if _guard is not None:
        _guard.done = True


def unheeded() -> int | None:
    """The signal that arrived during a clean-up and waited for it to finish, if any."""
    return _guard.unheeded if _guard is not None else None
