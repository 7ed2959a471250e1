"""Steps shared by every tutorial step."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given, parsers

from sagemaker_tutorial.backends import Backend


@given(parsers.parse("the notebook runs in {region}"), target_fixture="backend")
def notebook_runs_in(make_backend: Callable[..., Backend], region: str) -> Backend:
    """The session's backend (mock, live or contract), in the named region."""
    return make_backend(region)
