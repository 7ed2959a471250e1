"""The book the page shows: the features in tutorial order, each joined with its results.

Chapters come from the feature files themselves (parsed by pytest-bdd's own parser,
so the page shows exactly what runs): one chapter per English feature with its
Japanese twin. They are ordered by their ``@step-N`` tag (1, 2, 3c … 7); a feature
tagged with several steps is about the tutorial as a whole and comes after them, and
a feature tagged ``@appendix`` (the raw UCI rebuild: not one of the tutorial's steps,
though it serves step 3f) comes last, as an appendix. Results
are matched by feature file, scenario line and Examples row, the keys ``collect``
records; a scenario with no result (not collected, or a results file missing) says
"not run", never "passed".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bdd import Feature, ScenarioTemplate, load_feature
from .verified import VERIFIED_FILE, Verification, attach, load_verified

_STEP_TAG = re.compile(r"^step-(\d+)([a-z]?)$")
_PART_TAG = re.compile(r"^part-(\d+)$")
LANGUAGES = ("en", "ja")
APPENDIX_TAG = "appendix"


@dataclass(frozen=True)
class Result:
    """One run of a scenario (one Examples row, for an outline)."""

    outcome: str
    reason: str = ""
    steps: tuple[tuple[str, str], ...] = ()  # (status, message) per step
    figures: tuple[dict[str, Any], ...] = ()
    output: str = ""

    @classmethod
    def not_run(cls) -> Result:
        return cls("not run", "no result was recorded for this scenario in this run")


@dataclass
class Scenario:
    """A scenario (or outline) and its result per run, in one language."""

    template: ScenarioTemplate
    results: list[Result]  # one per Examples row; one for a plain scenario
    verified: tuple[Verification, ...] = ()  # what live runs on AWS saw (verified.py)

    @property
    def outcome(self) -> str:
        outcomes = {result.outcome for result in self.results}
        for worst in ("failed", "not run", "skipped"):
            if worst in outcomes:
                return worst
        return "passed"


@dataclass
class Rule:
    name: str
    description: str
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass
class Chapter:
    """One feature, in one language, with its rules and scenarios in file order."""

    file_name: str
    language: str
    feature: Feature
    rules: list[Rule]
    relative: str = ""  # the file under features/: "4_train.feature", "ja/4_train.feature"

    @property
    def appendix(self) -> bool:
        return APPENDIX_TAG in self.feature.tags

    @property
    def steps(self) -> list[str]:
        """The tutorial steps it covers ("3d", "4"), from its tags."""
        found = [match for tag in self.feature.tags if (match := _STEP_TAG.match(tag))]
        ordered = sorted(found, key=lambda match: (int(match[1]), match[2]))
        return [match[1] + match[2] for match in ordered]

    @property
    def parts(self) -> list[int]:
        return sorted(int(m[1]) for tag in self.feature.tags if (m := _PART_TAG.match(tag)))

    @property
    def scenarios(self) -> list[Scenario]:
        return [scenario for rule in self.rules for scenario in rule.scenarios]

    def sort_key(self) -> tuple[int, int, str, str]:
        steps = self.steps
        if self.appendix:
            return (2, 0, "", self.file_name)
        if len(steps) != 1:
            return (1, 0, "", self.file_name)
        number = re.match(r"(\d+)([a-z]?)", steps[0])
        assert number is not None
        return (0, int(number[1]), number[2], self.file_name)


@dataclass
class Book:
    """Everything the page shows: chapters per language, and the run's facts."""

    chapters: dict[str, list[Chapter]]
    meta: dict[str, Any]

    def counts(self, language: str) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "skipped": 0, "not run": 0}
        for chapter in self.chapters[language]:
            for scenario in chapter.scenarios:
                for result in scenario.results:
                    counts[result.outcome] = counts.get(result.outcome, 0) + 1
        return counts


def load_results(folder: Path) -> tuple[dict[tuple[str, int, int | None], Result], dict[str, Any]]:
    """Every results file in ``folder`` (one per pytest process), merged; and meta.json."""
    results: dict[tuple[str, int, int | None], Result] = {}
    for path in sorted(folder.glob("results-*.json")):
        text = path.read_text(encoding="utf-8").strip()
        if not text:
            continue  # a process that died before writing: its scenarios say "not run"
        for record in json.loads(text):
            key = (record["feature"], int(record["line"]), record["example"])
            results[key] = Result(
                outcome=record["outcome"],
                reason=record.get("reason", ""),
                steps=tuple((step["status"], step["message"]) for step in record["steps"]),
                figures=tuple(record.get("figures", [])),
                output=record.get("output", ""),
            )
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    return results, meta


def _chapter(
    features_dir: Path,
    relative: str,
    language: str,
    results: dict[tuple[str, int, int | None], Result],
) -> Chapter:
    path = features_dir / relative
    feature = load_feature(str(path.parent), path.name)
    rules: list[Rule] = []
    by_name: dict[str, Rule] = {}
    for template in feature.scenarios.values():
        rule_name = template.rule.name if template.rule else ""
        if rule_name not in by_name:
            description = template.rule.description if template.rule else ""
            by_name[rule_name] = Rule(rule_name, description)
            rules.append(by_name[rule_name])
        rows = sum(len(block.examples) for block in template.examples)
        keys: list[int | None] = list(range(rows)) if rows else [None]
        runs = [
            results.get((relative, template.line_number, key), Result.not_run()) for key in keys
        ]
        by_name[rule_name].scenarios.append(Scenario(template, runs))
    return Chapter(path.name, language, feature, rules, relative)


def load_book(features_dir: Path, results_dir: Path, verified: Path = VERIFIED_FILE) -> Book:
    """The English features and their Japanese twins (``ja/``), with the run's results
    and what live runs on AWS saw (``verified``)."""
    results, meta = load_results(results_dir)
    english = sorted(path.name for path in features_dir.glob("*.feature"))
    chapters: dict[str, list[Chapter]] = {"en": [], "ja": []}
    for name in english:
        chapters["en"].append(_chapter(features_dir, name, "en", results))
        if (features_dir / "ja" / name).is_file():
            chapters["ja"].append(_chapter(features_dir, f"ja/{name}", "ja", results))
    for language in LANGUAGES:
        chapters[language].sort(key=Chapter.sort_key)
    attach(chapters, load_verified(verified))
    return Book(chapters, meta)
