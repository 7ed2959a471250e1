"""Steps and vocabulary shared by every tutorial step.

- ``Given the notebook runs in <region>``: the session's backend in that region.
- ``Then I am told "<message>"``: a failure, shown to the reader as that message
  (through the CLI: one ``error:`` line).
- ``Then nothing was sent to AWS``: the same command, run again against a server
  that records every request, sends none.

A When step feeds the Then steps by returning a ``Told`` as ``target_fixture="told"``:
``run_command`` for a scenario about the command line itself, ``attempt`` for one that
calls a step's own function (sagemaker_tutorial.pipeline, what the command line and
`Tutorial` call), in-process, with a reporter of its own.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.cli import main
from sagemaker_tutorial.errors import TutorialError
from sagemaker_tutorial.reporter import Reporter

from .bilingual import given, then
from .tripwire import tripwire


@dataclass
class Told:
    """What the reader saw: the output of a command (and its argv), or the error of a call."""

    text: str
    exit_code: int = 0
    argv: list[str] = field(default_factory=list)
    stderr: str = ""  # a command's: what it printed on stderr alone


def run_command(argv: list[str]) -> Told:
    """Run `sagemaker-tutorial ARGV` in-process and keep what it printed, both streams."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return Told(out.getvalue() + err.getvalue(), code, argv, err.getvalue())


T = TypeVar("T")


def attempt(step: Callable[[Reporter], T]) -> tuple[Told, T | None]:
    """Run one step function with a reporter of its own: what it printed (stdout, then the
    warnings, as ``run_command`` keeps them) and what it returned; or the error it
    raised, as the reader is told it, and None."""
    out, err = io.StringIO(), io.StringIO()
    try:
        result = step(Reporter(out, err))
    except TutorialError as exc:
        return Told(str(exc), exc.exit_code), None
    return Told(out.getvalue() + err.getvalue(), 0, stderr=err.getvalue()), result


@given(
    parsers.parse("the notebook runs in {region}"),
    parsers.parse("ノートブックは {region} で動いている"),
    target_fixture="backend",
)
def notebook_runs_in(make_backend: Callable[..., Backend], region: str) -> Backend:
    """The session's backend (mock, live or contract), in the named region."""
    return make_backend(region)


@then(parsers.parse('I am told "{message}"'), parsers.parse("「{message}」と表示される"))
def told_message(told: Told, message: str) -> None:
    assert told.exit_code != 0, f"expected a failure, got: {told.text}"
    assert message in told.text, told.text
    if told.argv:  # a command's failure is one error line on stderr, whatever came before
        assert told.stderr.startswith("error: ") and told.stderr.count("\n") == 1, told.text


@then("nothing was sent to AWS", "AWS には何も送られない")
def nothing_sent(told: Told, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the same command against a server that records every request it gets."""
    assert told.exit_code == 2, told.text
    assert told.argv, "only a command can be run again"
    with tripwire() as (endpoint, requests):
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, endpoint)
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        again = run_command(told.argv)
    assert again.exit_code == 2, again.text
    assert requests == []
