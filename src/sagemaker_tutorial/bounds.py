"""The bounds of the numbers a reader passes (a wait, an instance count), each written once.

Every door applies the same rule with the same words: the pipeline raises `OutOfBounds`
(exit 2, before any call) for the Python API and the step definitions; the CLI's
argparse types catch it and show its ``rule`` as their own usage error
(``argument --timeout: must be ...``). Only the standard library: `--help` stays fast.
"""

from __future__ import annotations

from .errors import InputError


class OutOfBounds(InputError):
    """A number outside its bounds: ``what`` names it, ``rule`` says what it must be."""

    def __init__(self, what: str, rule: str) -> None:
        self.what, self.rule = what, rule
        super().__init__(f"{what} {rule}")


def check_timeout(seconds: float, shown: str | None = None) -> float:
    """A wait: a number of seconds above 0 (a negative wait would train, then fail).

    ``shown``: the value as the reader wrote it (the CLI's text), else ``seconds``."""
    if not seconds > 0:  # also refuses NaN
        given = shown if shown is not None else f"{seconds:g}"
        raise OutOfBounds("the timeout", f"must be a number of seconds above 0, not {given}")
    return seconds


def check_instance_count(count: int) -> int:
    """Training instances: a whole number, 1 or more."""
    if count < 1:
        raise OutOfBounds("the instance count", f"must be 1 or more, not {count}")
    return count
