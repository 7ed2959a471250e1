"""The tutorial's one sequence (sagemaker_tutorial.pipeline), in-process.

Within one `run`, and one `Tutorial`, the state, the test part and the predictions
live in memory: the files are written for the next process and not read back by this
one. What the run
opens is seen through Python's own audit events (``sys.addaudithook``): every
``open`` of a file names its path and mode, whoever opens it (pandas included).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagemaker_tutorial import Tutorial, pipeline, settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.aws.execution_role import ensure_execution_role
from sagemaker_tutorial.data.dataset import load_bank_data
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.model.prediction import read_predictions
from sagemaker_tutorial.options import Consent, DownloadOptions, PrepareOptions, RunOptions
from sagemaker_tutorial.reporter import Reporter
from sagemaker_tutorial.state import load_state

# (path, mode) of every file opened while a test records; None: not recording. An audit
# hook cannot be removed, so it is added once and reads this.
_opened: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, Path)):
        mode = args[1] if isinstance(args[1], str) else "os.open"
        _opened.append((str(args[0]), mode))


sys.addaudithook(_audit)


@pytest.fixture
def opened() -> Iterator[list[tuple[str, str]]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def _reads(opened: list[tuple[str, str]], path: Path) -> int:
    return sum(1 for name, mode in opened if Path(name) == path and "r" in mode and "+" not in mode)


def test_a_run_reads_back_none_of_the_files_it_writes_for_the_next_process(
    backend: Backend,
    workdir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    opened: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(settings.ENV_DATA_DIR, raising=False)  # the mock's synthetic data
    download = DownloadOptions()
    if backend.kind == "live":
        # Contract: off a notebook instance a role must be named, and the live backend
        # would fetch the tutorial's URL from the internet: the synthetic data, as a file.
        monkeypatch.setenv(settings.ENV_ROLE_ARN, ensure_execution_role(backend).arn)
        data_file = tmp_path_factory.mktemp("synthetic") / settings.DATA_FILE_NAME
        data_file.write_bytes(synthetic_csv())
        download = DownloadOptions(data_file=data_file)
    out = io.StringIO()
    options = RunOptions(prepare=PrepareOptions(download=download), consent=Consent(True))
    evaluation = pipeline.run(backend, workdir, options, Reporter(out, io.StringIO()))

    test_part = workdir / settings.TEST_FILE_NAME
    during_run = _reads(opened, test_part)
    load_bank_data(test_part, rows=None)  # what reading it once opens (it sniffs, then reads)
    once = _reads(opened, test_part) - during_run

    assert _reads(opened, workdir / settings.STATE_FILE_NAME) == 0
    assert _reads(opened, workdir / settings.PREDICTIONS_FILE_NAME) == 0
    assert once > 0 and during_run == once  # step 5b's read; step 6 takes its part from 5b
    # ...and every file is there for the next process: the record, the predictions, the block.
    state = load_state(workdir)
    assert state is not None and state.run_id == backend.run_id
    assert state.training_job is not None and state.train_channel is not None
    predictions = (workdir / settings.PREDICTIONS_FILE_NAME).read_text().split()
    assert len(predictions) == evaluation.tn + evaluation.fp + evaluation.fn + evaluation.tp
    assert "Overall Classification Rate" in out.getvalue()


def test_tutorial_runs_each_cell_with_the_pipelines_steps_holding_the_run_in_memory(
    tmp_path: Path,
    moto_endpoint: str | None,
    opened: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The notebook's Python API, cell by cell: what each cell returns is what the files
    for the next process hold, and step 6 takes step 5b's predictions, not the file's."""
    if moto_endpoint is None:
        pytest.skip("needs the local server")
    monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    monkeypatch.delenv(settings.ENV_DATA_DIR, raising=False)
    with Tutorial(tmp_path, backend="mock") as tutorial:
        tutorial.setup()
        bucket = tutorial.create_bucket()
        tutorial.download()
        _, test_data = tutorial.split()
        channel = tutorial.upload()
        tutorial.train()
        endpoint = tutorial.deploy()
        predictions = tutorial.predict()
        evaluation = tutorial.evaluate()
        state = load_state(tmp_path)
        tutorial.clean_up()

    assert state is not None and (state.bucket, state.endpoint) == (bucket, endpoint)
    assert state.train_channel == channel
    assert (
        predictions.tolist() == read_predictions(tmp_path / settings.PREDICTIONS_FILE_NAME).tolist()
    )
    assert len(predictions) == len(test_data)
    saved = json.loads((tmp_path / settings.EVALUATION_FILE_NAME).read_text())
    assert (saved["tn"], saved["fp"], saved["fn"], saved["tp"]) == (
        evaluation.tn,
        evaluation.fp,
        evaluation.fn,
        evaluation.tp,
    )
    assert _reads(opened, tmp_path / settings.PREDICTIONS_FILE_NAME) == 1  # this test's own
    assert _reads(opened, tmp_path / settings.STATE_FILE_NAME) == 1  # this test's own, too
    printed = capsys.readouterr().out
    assert "Success: Data loaded into dataframe." in printed
    assert evaluation.tutorial_block()[0] in printed
    assert f"S3 bucket deleted: {bucket}" in printed
