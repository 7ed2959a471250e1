"""Step definitions for tutorial step 6: evaluate, and the whole tutorial in one run.

Predictions with a known confusion matrix are written as predict writes them, next
to a test part whose labels match, so the printed block can be compared with the
tutorial's published one. "I run the whole tutorial" is the CLI's `run`, in-process,
on the scenario's backend.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import pipeline, settings
from sagemaker_tutorial.data.dataset import load_bank_data
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.model.prediction import write_predictions

from .bilingual import given, then, when
from .common import Told, run_command
from .step_4 import TutorialRun


def _labelled_test_part(tutorial_run: TutorialRun, negatives: int, positives: int) -> None:
    """The synthetic test part, relabelled: ``negatives`` "no" rows, then ``positives`` "yes"."""
    tutorial_run.split()
    path = tutorial_run.workdir / settings.TEST_FILE_NAME
    frame = load_bank_data(path, rows=None)
    assert len(frame) == negatives + positives, len(frame)
    labels = np.array([0] * negatives + [1] * positives)
    frame["y_yes"], frame["y_no"] = labels, 1 - labels
    frame.to_csv(path, lineterminator="\n")


@given(
    parsers.parse(
        "predictions for the test part that make {tn:d} true no, {fp:d} false yes, "
        "{fn:d} false no and {tp:d} true yes"
    ),
    parsers.parse(
        "テストデータに対する予測が、真陰性 {tn:d} 件、偽陽性 {fp:d} 件、"
        "偽陰性 {fn:d} 件、真陽性 {tp:d} 件となっている"
    ),
)
def predictions_making(tutorial_run: TutorialRun, tn: int, fp: int, fn: int, tp: int) -> None:
    _labelled_test_part(tutorial_run, tn + fp, fn + tp)
    probabilities = np.array([0.1] * tn + [0.9] * fp + [0.2] * fn + [0.8] * tp)
    write_predictions(tutorial_run.workdir / settings.PREDICTIONS_FILE_NAME, probabilities)


@given(
    "predictions for all but the last call of the test part",
    "テストデータの、最後の 1 件だけを除いた予測がある",
)
def predictions_short(tutorial_run: TutorialRun) -> None:
    tutorial_run.split()
    rows = len(load_bank_data(tutorial_run.workdir / settings.TEST_FILE_NAME, rows=None))
    write_predictions(
        tutorial_run.workdir / settings.PREDICTIONS_FILE_NAME, np.full(rows - 1, 0.25)
    )


@given("the real data", "実データを使う", target_fixture="data_file")
def the_real_data(bank_data_file: Path) -> Path:
    return bank_data_file


@pytest.fixture
def data_file() -> Path | None:
    """The data a whole run uses: None for the synthetic data, else a file."""
    return None


@when("I evaluate the predictions", "予測を評価する", target_fixture="told")
def evaluate(tutorial_run: TutorialRun, record_figure: Any) -> Told:
    told = tutorial_run.attempt(
        lambda reporter: pipeline.evaluate_step(tutorial_run.workdir, reporter)
    )
    _record_evaluation(told, tutorial_run.workdir, record_figure, "fixed")
    return told


def _record_evaluation(told: Told, workdir: Path, record_figure: Any, source: str) -> None:
    """The evaluation this run saved, for the living docs (``living_docs.figures``).

    ``source``: "fixed" for predictions a scenario wrote (a check of the printed
    format: no model behind them), "run" for the model's own."""
    if told.exit_code == 0 and (workdir / settings.EVALUATION_FILE_NAME).is_file():
        record_figure("evaluation", workdir=workdir, source=source)


@when("I run the whole tutorial", "チュートリアル全体を実行する", target_fixture="told")
def run_whole(
    backend_kind: str,
    api_endpoint: str | None,
    workdir: Path,
    data_file: Path | None,
    monkeypatch: pytest.MonkeyPatch,
    role_for_training: None,
    tmp_path: Path,
    record_figure: Any,
) -> Told:
    if api_endpoint is not None:
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, api_endpoint)
        if backend_kind == "live":
            monkeypatch.setenv("AWS_ENDPOINT_URL", api_endpoint)
    argv = ["--backend", backend_kind, "--workdir", str(workdir), "run", "--allow-cost"]
    argv += data_file_options(backend_kind, data_file, tmp_path)
    told = run_command(argv)
    _record_evaluation(told, workdir, record_figure, "run")
    return told


def data_file_options(backend_kind: str, data_file: Path | None, folder: Path) -> list[str]:
    """The run's data: the scenario's file; else, on the live path, the synthetic data as a
    file (the live backend would fetch the tutorial's URL from the internet); else none
    (the mock backend serves its synthetic data itself)."""
    if data_file is None and backend_kind == "live":
        data_file = folder / "synthetic" / settings.DATA_FILE_NAME
        data_file.parent.mkdir(exist_ok=True)
        data_file.write_bytes(synthetic_csv())
    return [] if data_file is None else ["--data-file", str(data_file)]


@then("I am shown", "次のように表示される")
def shown_block(told: Told, docstring: str) -> None:
    assert told.exit_code == 0, told.text
    assert told.text.startswith(docstring + "\n"), told.text


@then("I am shown the evaluation block", "評価結果のブロックが表示される")
def shown_evaluation(told: Told) -> None:
    assert told.exit_code == 0, told.text
    lines = told.text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Overall Classification"))
    assert lines[start + 1 : start + 3] == [
        "Predicted      No Purchase    Purchase",
        "Observed",
    ]
    assert lines[start + 3].startswith("No Purchase    ")
    assert lines[start + 4].startswith("Purchase        ")


def _evaluation(workdir: Path) -> dict[str, float]:
    saved: dict[str, float] = json.loads((workdir / settings.EVALUATION_FILE_NAME).read_text())
    return saved


@then(
    parsers.parse(
        "evaluation.json holds the rate {rate:f}, precision {precision:f} and recall {recall:f}"
    ),
    parsers.parse(
        "evaluation.json に分類率 {rate:f}、適合率 {precision:f}、"
        "再現率 {recall:f} が保存されている"
    ),
)
def saved_figures(
    tutorial_run: TutorialRun, told: Told, rate: float, precision: float, recall: float
) -> None:
    assert told.exit_code == 0, told.text
    saved = _evaluation(tutorial_run.workdir)
    assert round(saved["overall_classification_rate"], 1) == rate
    assert round(saved["precision"], 3) == precision
    assert round(saved["recall"], 3) == recall
    assert 0.0 <= saved["auc"] <= 1.0


@then(
    parsers.parse("the overall classification rate is within {points:f} points of {rate:f}%"),
    parsers.parse("全体の分類率と {rate:f}% との差は {points:f} ポイント以内である"),
)
def rate_within(told: Told, workdir: Path, points: float, rate: float) -> None:
    assert told.exit_code == 0, told.text
    saved = _evaluation(workdir)
    assert abs(saved["overall_classification_rate"] - rate) <= points, saved


@then(
    parsers.parse(
        "each cell of the table is within {calls:d} calls of {tn:d}, {fp:d}, {fn:d} and {tp:d}"
    ),
    parsers.parse(
        "表の各セルと {tn:d}、{fp:d}、{fn:d}、{tp:d} との差は、どれも {calls:d} 件以内である"
    ),
)
def cells_within(workdir: Path, calls: int, tn: int, fp: int, fn: int, tp: int) -> None:
    saved = _evaluation(workdir)
    got = (saved["tn"], saved["fp"], saved["fn"], saved["tp"])
    assert all(abs(a - b) <= calls for a, b in zip(got, (tn, fp, fn, tp), strict=True)), got
