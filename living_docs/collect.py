"""A pytest plugin that records each scenario's result for the living documentation.

pytest-bdd's own cucumber JSON comes out empty under pytest-xdist, so the page does
not rely on it: this plugin keeps, per scenario test, its feature file, the line of
its scenario (outline), which Examples row it ran, its outcome, the step that failed
and the error, a skip's reason, the figures the steps recorded (``record_figure``)
and the output the reader was shown (a ``Told`` passed to a Then step). Every pytest
process (the only one, or each xdist worker) writes its own
``<dir>/results-<worker>.json`` when its session ends, so nothing is lost or
overwritten; the page merges them. The controlling process empties the folder at the
start and writes ``meta.json`` (backend, date, versions).

Enabled by ``--living-docs-results DIR`` (``-p living_docs.collect``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections.abc import Generator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from .bdd import EXAMPLE_PARAM, example_index, template_of

RESULTS_OPTION = "--living-docs-results"
PAGE_OPTION = "--living-docs-page"
FIGURE = "living-docs-figure"
# The libraries whose versions a reader of the results needs, in the page's order.
KEY_LIBRARIES = (
    "sagemaker-tutorial",
    "sagemaker-core",
    "boto3",
    "moto",
    "xgboost-cpu",
    "pandas",
    "numpy",
    "pytest-bdd",
)
_MESSAGE_LIMIT = 4000


@dataclass
class StepRecord:
    """One step as it ran: passed, failed (with its error) or never reached."""

    status: str = "not run"
    message: str = ""


@dataclass
class ScenarioRecord:
    """One scenario test: which scenario and Examples row, and what happened."""

    feature: str  # relative to the features folder: "4_train.feature", "ja/4_train.feature"
    line: int  # the line of the Scenario (Outline) in that file
    example: int | None  # the Examples row (0-based, over all Examples blocks), if any
    outcome: str = "not run"  # passed, failed, skipped
    reason: str = ""  # a skip's reason, or a failure outside the steps
    steps: list[StepRecord] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0


_RECORD = pytest.StashKey[ScenarioRecord]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("living docs")
    group.addoption(
        RESULTS_OPTION,
        metavar="DIR",
        default=None,
        help="write each scenario's result there, for python -m living_docs",
    )
    group.addoption(
        PAGE_OPTION,
        metavar="PATH",
        default=None,
        help="check the built page in headless Chromium (tests/browser/)",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The browser tests need a built page: collected only when one is named."""
    if collection_path.name == "browser" and collection_path.parent.name == "tests":
        return None if config.getoption(PAGE_OPTION) else True
    return None


def _results_dir(config: pytest.Config) -> Path | None:
    value = config.getoption(RESULTS_OPTION, default=None)
    return Path(value) if value else None


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    folder = _results_dir(config)
    if folder is None or _is_worker(config):
        return
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json"):
        stale.unlink()
    meta = {
        "backend": _backend(config),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in KEY_LIBRARIES},
        "real_data": bool(os.environ.get("BANK_DATA_DIR")),
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _backend(config: pytest.Config) -> str:
    if config.getoption("--contract", default=False):
        return "contract (live backend, local moto server)"
    return str(config.getoption("--backend", default="mock"))


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _features_root(config: pytest.Config) -> Path:
    base = config.getini("bdd_features_base_dir") or "features"
    return (config.rootpath / str(base)).resolve()


def _record_of(item: pytest.Item) -> ScenarioRecord | None:
    """The item's record, made on first use; None for a test that is not a scenario."""
    if _RECORD in item.stash:
        return item.stash[_RECORD]
    template = template_of(getattr(item, "obj", None))
    if template is None:
        return None
    path = Path(template.feature.filename).resolve()
    try:
        relative = path.relative_to(_features_root(item.config)).as_posix()
    except ValueError:
        relative = path.name
    callspec = getattr(item, "callspec", None)
    example = example_index(template, callspec.params.get(EXAMPLE_PARAM) if callspec else None)
    steps = [StepRecord() for _ in template.steps]
    record = ScenarioRecord(relative, template.line_number, example, steps=steps)
    item.stash[_RECORD] = record
    return record


def _mark(
    request: pytest.FixtureRequest,
    scenario: Any,
    step: Any,
    step_record: StepRecord,
    arguments: dict[str, Any],
) -> None:
    """Record how a step of the scenario ended, and the output its Then step was given."""
    record = _record_of(request.node) if _results_dir(request.config) else None
    index = next((i for i, candidate in enumerate(scenario.steps) if candidate is step), -1)
    if record is None or index < 0:
        return
    record.steps[index] = step_record
    told = arguments.get("told")
    text = getattr(told, "text", None)
    if isinstance(text, str) and text.strip():
        record.output = text[-_MESSAGE_LIMIT:]


def pytest_bdd_after_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Any,
    step_func_args: dict[str, Any],
) -> None:
    _mark(request, scenario, step, StepRecord("passed"), step_func_args)


def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Any,
    step_func_args: dict[str, Any],
    exception: BaseException,
) -> None:
    _mark(request, scenario, step, StepRecord("failed", _describe(exception)), step_func_args)


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception
) -> None:
    message = f"no step definition matches: {step.name}"
    _mark(request, scenario, step, StepRecord("failed", message), {})


def _describe(exception: BaseException) -> str:
    text = f"{type(exception).__name__}: {exception}".strip()
    return text[:_MESSAGE_LIMIT]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if _results_dir(item.config) is None:
        return report
    record = _record_of(item)
    if record is None:
        return report
    record.seconds += report.duration
    if report.skipped:
        record.outcome = "skipped"
        longrepr = report.longrepr
        record.reason = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)
        record.reason = record.reason.removeprefix("Skipped: ")
    elif report.failed:
        record.outcome = "failed"
        if not any(step.status == "failed" for step in record.steps):
            record.reason = _last_line(report.longreprtext)
    elif report.when == "call" and record.outcome != "failed":
        record.outcome = "passed"
    if report.when == "teardown":
        record.figures = [
            dict(value)
            for name, value in item.user_properties
            if name == FIGURE and isinstance(value, dict)
        ]
        _pending(item.config).append(record)
    return report


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "failed")[:_MESSAGE_LIMIT]


_PENDING = pytest.StashKey[list[ScenarioRecord]]()


def _pending(config: pytest.Config) -> list[ScenarioRecord]:
    if _PENDING not in config.stash:
        config.stash[_PENDING] = []
    return config.stash[_PENDING]


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = _results_dir(session.config)
    if folder is None:
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    records = [asdict(record) for record in _pending(session.config)]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"results-{worker}.json"
    target.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


Row = tuple[str, str, object]


@pytest.fixture
def record_figure(request: pytest.FixtureRequest) -> Any:
    """Record what the run produced, for the page to show beside the scenario.

    ``record_figure("evaluation", workdir=workdir, source="run")``: a kind of
    ``living_docs.figures`` and the objects its builder reads the facts from (a work
    folder, a client and a name). The builder runs only when results are recorded
    (``--living-docs-results``), so a run that builds no page reads nothing back;
    the step definition itself formats nothing.

    The older form, a title in both languages and rows of (English label, Japanese
    label, value) or a function giving them, is still a plain table:
    ``record_figure("The split", "分割", [("training part", "トレーニングデータ", ...)])``.
    """

    def record(kind: str, *titled: Any, **objects: Any) -> None:
        if _results_dir(request.config) is None:
            return
        if titled:
            title_ja, rows = titled
            values: list[Row] = rows() if callable(rows) else rows
            figure: dict[str, Any] = {
                "title": {"en": kind, "ja": title_ja},
                "rows": [[label, label_ja, str(value)] for label, label_ja, value in values],
            }
        else:
            from .figures import build

            figure = {"kind": kind, "facts": build(kind, **objects)}
        request.node.user_properties.append((FIGURE, figure))

    return record
