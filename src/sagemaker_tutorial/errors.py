"""The two kinds of failure the CLI reports, and the exit code each one maps to.

Every error the project raises on purpose is one of these, carrying a message a
reader can act on; the CLI prints it as a single ``error:`` line. Anything else
that escapes is a bug or an unexpected service fault and exits 1 as well.
"""

from __future__ import annotations


class TutorialError(Exception):
    """A step failed after it started talking to a service or the file system (exit 1)."""

    exit_code = 1


class InputError(TutorialError):
    """Input was rejected before any network call was made (exit 2).

    Raised for bad names, unknown regions, refused URLs and other values that can
    be judged locally, so that nothing reaches AWS when the answer is known.
    """

    exit_code = 2
