"""Step decorators that register one implementation under two phrasings: English and Japanese.

Every feature exists twice, in ``features/`` (English) and ``features/ja/`` (Japanese,
``# language: ja``), for the readers of the blog series the tutorial comes from. The
two must stay the same specification, so a step is never implemented twice: each
definition names its English and its Japanese phrasing side by side, and pytest-bdd
registers the same function under both. A reviewer sees the translation next to the
sentence it translates; ``tests/test_japanese_twins.py`` fails when a Japanese step
matches no definition.

Both phrasings are of one kind: two plain strings, or two parsers (``parsers.parse``
for both, say), with the same named fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest_bdd
from pytest_bdd.parsers import StepParser

F = TypeVar("F", bound=Callable[..., Any])
Phrasing = str | StepParser

# pytest-bdd puts the step's fixture into the module that calls its decorator; the
# decorator here is one frame further from that module.
_STACKLEVEL = 2


def _register(
    kind: Callable[..., Callable[[F], F]],
    en: Phrasing,
    ja: Phrasing,
    target_fixture: str | None,
    converters: dict[str, Callable[[str], object]] | None,
) -> Callable[[F], F]:
    if isinstance(en, str) != isinstance(ja, str):
        raise TypeError(f"both phrasings must be strings, or both parsers: {en!r}, {ja!r}")

    def decorate(func: F) -> F:
        for phrasing in (en, ja):
            kind(
                phrasing,
                converters=converters,
                target_fixture=target_fixture,
                stacklevel=_STACKLEVEL,
            )(func)
        return func

    return decorate


def given(
    en: Phrasing,
    ja: Phrasing,
    *,
    target_fixture: str | None = None,
    converters: dict[str, Callable[[str], object]] | None = None,
) -> Callable[[F], F]:
    """A Given step, as ``pytest_bdd.given``, in English and in Japanese."""
    return _register(pytest_bdd.given, en, ja, target_fixture, converters)


def when(
    en: Phrasing,
    ja: Phrasing,
    *,
    target_fixture: str | None = None,
    converters: dict[str, Callable[[str], object]] | None = None,
) -> Callable[[F], F]:
    """A When step, as ``pytest_bdd.when``, in English and in Japanese."""
    return _register(pytest_bdd.when, en, ja, target_fixture, converters)


def then(
    en: Phrasing,
    ja: Phrasing,
    *,
    target_fixture: str | None = None,
    converters: dict[str, Callable[[str], object]] | None = None,
) -> Callable[[F], F]:
    """A Then step, as ``pytest_bdd.then``, in English and in Japanese."""
    return _register(pytest_bdd.then, en, ja, target_fixture, converters)
