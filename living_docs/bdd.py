"""Everything the living documentation takes from pytest-bdd, in one place.

pytest-bdd's parser, its feature loader and its registry of scenario wrappers are
not all public API (``pytest_bdd.scenario.scenario_wrapper_template_registry``, the
``gherkin_parser`` data classes): they move between releases. The page and the
collector import them from here only, so a pytest-bdd upgrade touches this one file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_bdd.feature import get_feature
from pytest_bdd.gherkin_parser import DataTable
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

# The parameter pytest-bdd gives an outline's test for its Examples row.
EXAMPLE_PARAM = "_pytest_bdd_example"

__all__ = [
    "EXAMPLE_PARAM",
    "DataTable",
    "Feature",
    "ScenarioTemplate",
    "Step",
    "example_index",
    "example_rows",
    "load_feature",
    "template_of",
]


def load_feature(path: str, name: str) -> Feature:
    """A feature file parsed as pytest-bdd parses it to run it (so the page shows what runs)."""
    return get_feature(path, name)


def template_of(function: Callable[..., Any] | None) -> ScenarioTemplate | None:
    """The scenario (outline) a collected test function runs; None for any other test."""
    if function is None or not callable(function):
        return None
    return scenario_wrapper_template_registry.get(function)


def example_index(template: ScenarioTemplate, row: Any) -> int | None:
    """Which Examples row (0-based, over all Examples blocks) a parametrised run is."""
    if not row:
        return None
    contexts = [context for block in template.examples for context in block.as_contexts()]
    return contexts.index(row) if row in contexts else None


def example_rows(template: ScenarioTemplate) -> tuple[list[str], list[list[str]]]:
    """An outline's Examples: the column names and every row, over all blocks."""
    header = list(template.examples[0].example_params) if template.examples else []
    rows = [[*row] for block in template.examples for row in block.examples]
    return header, rows
