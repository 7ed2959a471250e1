"""The two kinds of failure the CLI reports, and the exit code each one maps to.

Every error the project raises on purpose is one of these, carrying a message a
reader can act on; the CLI prints it as a single ``error:`` line. Anything else
that escapes is a bug or an unexpected service fault and exits 1 as well.
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
