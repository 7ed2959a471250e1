"""SIGTERM and SIGHUP stop a command like Ctrl-C: an exception in the main thread, cleanly.

Real signals, raised in this process while the handlers are in place (the CLI's own
tests send them to a real `sagemaker-tutorial prepare` from outside).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from sagemaker_tutorial.interrupts import (
    Interrupted,
    describe,
    exit_code,
    stop_signals_interrupt,
)


@pytest.fixture
def sighup_ignored() -> Iterator[None]:
    """SIGHUP ignored, as `nohup` leaves it, for the test only."""
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["SIGTERM", "SIGHUP"]
)
def test_a_stop_signal_raises_interrupted_where_the_main_thread_is(
    signum: signal.Signals, code: int
) -> None:
    cleaned_up = False
    with pytest.raises(Interrupted) as stopped, stop_signals_interrupt():
        try:
            signal.raise_signal(signum)
        finally:
            cleaned_up = True
    assert cleaned_up
    assert (stopped.value.signum, exit_code(stopped.value)) == (signum, code)
    assert describe(stopped.value) == f"interrupted by {signum.name}"


def test_ctrl_c_is_130_and_says_so() -> None:
    assert (exit_code(KeyboardInterrupt()), describe(KeyboardInterrupt())) == (
        130,
        "interrupted (Ctrl-C)",
    )


def test_a_second_stop_signal_does_not_cut_the_clean_up_short() -> None:
    finished = False
    with pytest.raises(Interrupted), stop_signals_interrupt():
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            signal.raise_signal(signal.SIGTERM)  # e.g. a second `kill` while servers stop
            finished = True
    assert finished


@pytest.mark.usefixtures("sighup_ignored")
def test_a_signal_the_process_was_told_to_ignore_stays_ignored() -> None:
    with stop_signals_interrupt():
        signal.raise_signal(signal.SIGHUP)  # nohup's SIGHUP: nothing happens
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN


def test_the_handlers_in_place_before_are_back_after() -> None:
    before = [signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)]
    with stop_signals_interrupt():
        assert [signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)] != before
    assert [signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)] == before
