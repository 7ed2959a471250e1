"""Every English feature has a Japanese twin that is the same specification.

``features/ja/<name>.feature`` (``# language: ja``) translates ``features/<name>.feature``
for readers; the living documentation runs both (``tox -e docs``). Translation must
not change what is checked, so the twin must have the same rules, scenarios, tags and
Examples rows in the same order, and each of its steps must be bound to the same step
definition as the English step in its place, with the same arguments (``steps/bilingual.py``
registers each definition under both phrasings). The main suite checks this without
running the Japanese scenarios.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.feature import get_feature
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

FEATURES = Path(__file__).resolve().parent.parent / "features"
JAPANESE = FEATURES / "ja"
ENGLISH_NAMES = sorted(path.name for path in FEATURES.glob("*.feature"))


def _parse(path: Path) -> Feature:
    return get_feature(str(path.parent), path.name)


def _definitions() -> list[StepFunctionContext]:
    # The step modules are registered by conftest.py (pytest_plugins), so every
    # definition is in pytest-bdd's registry by the time a test runs.
    return list(step_function_context_registry.values())


def _bound(step: Step, definitions: list[StepFunctionContext]) -> tuple[Any, dict[str, Any]]:
    """The definition a step runs and its arguments; (None, {}) when none matches.

    When several match, pytest-bdd runs the one registered last (a later fixture
    overrides an earlier one), so the search goes from the last."""
    for context in reversed(definitions):
        if context.type not in (None, step.type):
            continue
        if context.parser.is_matching(step.name):
            return context.step_func, dict(context.parser.parse_arguments(step.name) or {})
    return None, {}


def _rendered(template: ScenarioTemplate) -> Iterator[tuple[str, list[Step]]]:
    """Each run of a scenario: once, or once per Examples row, with its steps filled in."""
    rows = [row for examples in template.examples for row in examples.as_contexts()]
    if not rows:
        yield "", template.render({}).steps
    for row in rows:
        yield str(row), template.render(row).steps


def _outline(feature: Feature) -> list[tuple[str, list[str], int, int]]:
    """The shape of a feature: per scenario, its rule's position, its tags, steps, rows."""
    rules: list[str] = []
    shape = []
    for template in feature.scenarios.values():
        rule = template.rule.name if template.rule else ""
        if rule not in rules:
            rules.append(rule)
        rows = sum(len(examples.examples) for examples in template.examples)
        shape.append(
            (f"rule {rules.index(rule) + 1}", sorted(template.tags), len(template.steps), rows)
        )
    return shape


def test_the_english_features_are_found() -> None:
    assert len(ENGLISH_NAMES) >= 12, ENGLISH_NAMES


@pytest.mark.parametrize("name", ENGLISH_NAMES)
def test_every_english_feature_has_a_japanese_twin(name: str) -> None:
    twin = JAPANESE / name
    assert twin.is_file(), f"no Japanese twin of features/{name}: write features/ja/{name}"
    assert _parse(twin).language == "ja", f"features/ja/{name} does not start '# language: ja'"


@pytest.mark.parametrize("name", ENGLISH_NAMES)
def test_the_twin_has_the_same_rules_scenarios_tags_and_examples(name: str) -> None:
    english, japanese = _parse(FEATURES / name), _parse(JAPANESE / name)
    assert sorted(japanese.tags) == sorted(english.tags)
    assert _outline(japanese) == _outline(english)


@pytest.mark.parametrize("name", ENGLISH_NAMES)
def test_each_japanese_step_runs_the_english_steps_definition(name: str) -> None:
    definitions = _definitions()
    english, japanese = _parse(FEATURES / name), _parse(JAPANESE / name)
    pairs = zip(english.scenarios.values(), japanese.scenarios.values(), strict=True)
    for english_template, japanese_template in pairs:
        runs = zip(_rendered(english_template), _rendered(japanese_template), strict=True)
        for (row, english_steps), (_, japanese_steps) in runs:
            for english_step, japanese_step in zip(english_steps, japanese_steps, strict=True):
                where = f"{name}: {japanese_template.name!r} {row}: {japanese_step.name!r}"
                japanese_binding = _bound(japanese_step, definitions)
                assert japanese_binding[0] is not None, f"no step definition matches {where}"
                assert japanese_step.type == english_step.type, where
                assert japanese_binding == _bound(english_step, definitions), (
                    f"{where} runs another definition, or other arguments, than "
                    f"{english_step.name!r}"
                )


def test_every_japanese_feature_has_an_english_original() -> None:
    orphans = sorted(
        path.name for path in JAPANESE.glob("*.feature") if not (FEATURES / path.name).is_file()
    )
    assert orphans == []
