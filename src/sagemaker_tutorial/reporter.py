"""How every step tells the reader what it did: one `Reporter`, passed from the door
(the command line, `Tutorial`) to each step function and on to the calls that wait.

One reporter rather than outcome objects printed at the end: a training job or an
endpoint takes minutes, and its status lines must reach the reader while it waits (and
before a signal stops the run), which only a line printed as it happens can do. The
outcome objects' ``report()`` still word their lines; the reporter alone prints them.
The streams are looked up at each line, so output redirected after the reporter was
made (tests, ``contextlib.redirect_stdout``) goes where it now points.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO


class Reporter:
    """Lines for the reader on ``out`` (default: stdout) and warnings on ``err`` (default:
    stderr, each starting ``warning:``), flushed as they come."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self._out = out
        self._err = err

    def say(self, line: str) -> None:
        print(line, file=self._out or sys.stdout, flush=True)

    def say_all(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.say(line)

    def note(self, line: str) -> None:
        """A line for the reader on ``err`` that is not a warning: what stdout carries is
        a document (a policy's JSON) that must stay only that."""
        print(line, file=self._err or sys.stderr, flush=True)

    def warn(self, line: str) -> None:
        print(f"warning: {line}", file=self._err or sys.stderr, flush=True)
