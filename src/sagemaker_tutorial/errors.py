"""The two kinds of failure the CLI reports, and the exit code each one maps to.

Every error the project raises on purpose is one of these, carrying a message a
reader can act on; the CLI prints it as a single ``error:`` line. Anything else
that escapes is a bug or an unexpected service fault and exits 1 as well.

The refusals every door makes alike are worded here, once: billed compute without
consent, and a number out of its bounds (a wait, an instance count). The CLI's
argparse types catch `OutOfBounds` and show its ``rule`` as their own usage error
(``argument --timeout: must be ...``); the Python API raises it as it is.
"""

from __future__ import annotations

import os

from . import settings


class TutorialError(Exception):
    """A step failed after it started talking to a service or the file system (exit 1)."""

    exit_code = 1


class InputError(TutorialError):
    """Input was rejected before any network call was made (exit 2).

    Raised for bad names, unknown regions, refused URLs and other values that can
    be judged locally, so that nothing reaches AWS when the answer is known.
    """

    exit_code = 2


def cost_accepted_by_environment() -> bool:
    """The yes that holds at every door: SAGEMAKER_TUTORIAL_ALLOW_COST=1."""
    return os.environ.get(settings.ENV_ALLOW_COST) == "1"


class CostNotAccepted(InputError):
    """Billed compute refused for want of the user's consent (exit 2, before any call).

    The message is decided here once; only ``consent``, how this front door takes
    consent (the CLI's flag, the Python API's parameter), differs between them. A door
    with no way of its own (the notebook's kernel, ``consent=None``) names the variable.
    """

    def __init__(self, starts: str, consent: str | None) -> None:
        self.starts, self.consent = starts, consent
        super().__init__(str(self))

    def __str__(self) -> str:
        variable = f"set {settings.ENV_ALLOW_COST}=1"
        how = f"{self.consent} (or {variable})" if self.consent else variable
        return (
            f"this starts billed SageMaker compute in your AWS account: {self.starts}; "
            f"{how} to accept the cost"
        )


class WriteError(TutorialError):
    """A file could not be written (a full disk, a quota, a read-only file system).

    Python's own message names neither the file nor the step; this one names both.
    The step is added by whoever knows it (the pipeline, the CLI) with ``in_step``.
    """

    def __init__(self, path: object, reason: str, step: str | None = None) -> None:
        self.path, self.reason, self.step = path, reason, step
        super().__init__(str(self))

    def in_step(self, step: str) -> WriteError:
        if self.step is None:
            self.step = step
            self.args = (str(self),)
        return self

    def __str__(self) -> str:
        where = f"{self.step}: " if self.step else ""
        return f"{where}cannot write {self.path}: {self.reason} (nothing partial was left)"


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
