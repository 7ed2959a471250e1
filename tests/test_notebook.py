"""The tutorial's notebook and the `Tutorial` API it calls.

- The committed notebook: no outputs, no execution counts; a markdown cell naming the
  tutorial's step before every code cell; its percent-format .py twin in sync
  (needs jupytext: skipped, and reported, without it).
- The notebook executed top to bottom in a fresh kernel (nbclient + ipykernel, the
  ``notebook`` extra; ``tox -e notebook``), on the mock backend: the split's shapes,
  the evaluation block, and with the real data (``BANK_DATA_DIR``) the published result.
- The API: a step run too early names the step to run first; a failing middle step
  leaves `clean_up` able to run, and it removes what the run made.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from sagemaker_tutorial import Tutorial, settings
from sagemaker_tutorial.errors import InputError, TutorialError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "xgboost_bank_marketing.ipynb"
TWIN = NOTEBOOK.with_suffix(".py")

# The steps the notebook's cells are, in the tutorial's order.
STEPS = ["3c", "3d", "3e", "3f", "4a", "4b-4c", "5a", "5b", "6", "7"]

# The published run on SageMaker (SDK v2 era), and how far a local run may land from it.
PUBLISHED = {"tn": 10769, "fp": 167, "fn": 1133, "tp": 288}
PUBLISHED_RATE = 89.5
RATE_TOLERANCE = 0.3
CELL_TOLERANCE = 40

# Generous: a run takes about 10 s; kernel start-up on a cold machine can take a few.
CELL_TIMEOUT = 600


def _notebook_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return data


def _source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


# --- the committed notebook --------------------------------------------------------------


def test_committed_notebook_has_no_outputs_and_no_execution_counts() -> None:
    cells = _notebook_json()["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert code, "the notebook has no code cells"
    dirty = [
        index
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"] is not None)
    ]
    assert not dirty, f"cells {dirty} carry outputs or execution counts: clear them"


def test_every_code_cell_follows_a_markdown_cell_naming_its_step() -> None:
    cells = _notebook_json()["cells"]
    named = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        before = cells[index - 1] if index else None
        assert before is not None and before["cell_type"] == "markdown", (
            f"code cell {index} is not preceded by a markdown cell"
        )
        heading = _source(before).splitlines()[0]
        match = re.match(r"## Steps? (\d[a-z]?(?:-\d?[a-z])?):", heading)
        assert match, f"the markdown before code cell {index} names no step: {heading!r}"
        named.append(match.group(1))
    assert named == STEPS


def test_the_py_twin_is_the_notebook_in_percent_format() -> None:
    jupytext = pytest.importorskip("jupytext", reason="the twin check needs the notebook extra")
    notebook = jupytext.read(NOTEBOOK)
    expected = jupytext.writes(notebook, fmt="py:percent")
    assert TWIN.read_text(encoding="utf-8") == expected, (
        f"{TWIN.name} and {NOTEBOOK.name} differ: run `jupytext --sync {TWIN}` (or {NOTEBOOK})"
    )


# --- the notebook, executed --------------------------------------------------------------


def _bank_data_dir() -> Path | None:
    folder = os.environ.get(settings.ENV_DATA_DIR)
    if folder and (Path(folder) / settings.DATA_FILE_NAME).is_file():
        return Path(folder)
    return None


def _stream_text(cell: Any, name: str) -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == name
    )


def test_the_notebook_runs_top_to_bottom_in_a_fresh_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat", reason="needs the notebook extra")
    nbclient = pytest.importorskip("nbclient", reason="needs the notebook extra")
    kernelspec = pytest.importorskip("ipykernel.kernelspec", reason="needs the notebook extra")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    # The kernel is this interpreter (the environment with the project installed), from
    # a kernelspec written here: no user's or system's kernel named python3 is used.
    kernels = tmp_path / "kernels"
    kernelspec.write_kernel_spec(kernels / "python3")
    manager = KernelManager(
        kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    # The kernel inherits this environment: the mock backend, its own local server
    # (not the test session's), and nothing of the user's IPython or Jupyter setup.
    monkeypatch.setenv(settings.ENV_BACKEND, "mock")
    monkeypatch.delenv(settings.ENV_MOCK_ENDPOINT, raising=False)
    monkeypatch.delenv(settings.ENV_ROLE_ARN, raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "run"
    workdir.mkdir()

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    out = [_stream_text(cell, "stdout") for cell in code]
    step = dict(zip(STEPS, out, strict=True))
    # What `tox -e notebook` shows (-rP): the data, the split and the evaluation.
    sys.stdout.write("".join(step[name] for name in ("3e", "3f", "6")))
    errors = {name: _stream_text(cell, "stderr") for name, cell in zip(STEPS, code, strict=True)}
    assert not any(errors.values()), f"cells wrote to stderr (warnings?): {errors}"

    assert "backend: mock" in step["3c"]
    assert "Success - the MySageMakerInstance is in the ap-northeast-1 region." in step["3c"]
    assert "(28831, 61) (12357, 61)" in step["3f"]
    assert "(12357,)" in step["5b"]
    assert "Overall Classification Rate:" in step["6"]
    assert "S3 bucket deleted" in step["7"]
    evaluation = json.loads((workdir / settings.EVALUATION_FILE_NAME).read_text())
    assert evaluation["rows"] == 12357
    # The tutorial's own crosstab, printed in the same cell, agrees with the block.
    crosstab = {
        int(row): (int(no), int(yes))
        for row, no, yes in re.findall(r"^([01])\s+(\d+)\s+(\d+)$", step["6"], re.MULTILINE)
    }
    assert crosstab == {
        0: (evaluation["tn"], evaluation["fp"]),
        1: (evaluation["fn"], evaluation["tp"]),
    }, step["6"]

    if _bank_data_dir() is None:
        assert "synthetic data" in step["3e"]
        return
    assert "the tutorial's real data" in step["3e"]
    rate = re.search(r"Overall Classification Rate: (\d+\.\d)%", step["6"])
    assert rate is not None
    assert abs(float(rate.group(1)) - PUBLISHED_RATE) <= RATE_TOLERANCE, step["6"]
    for cell, published in PUBLISHED.items():
        assert abs(evaluation[cell] - published) <= CELL_TOLERANCE, (cell, evaluation)


# --- the API -----------------------------------------------------------------------------


@pytest.fixture
def tutorial(
    tmp_path: Path,
    moto_endpoint: str | None,
    monkeypatch: pytest.MonkeyPatch,
    aws_managed_policies: None,
) -> Any:
    """A mock-backend Tutorial on the session's local server (reset before each test);
    its setup creates step 2's role, which needs the AWS-managed policy."""
    if moto_endpoint is not None:
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    with Tutorial(tmp_path, backend="mock") as tutorial:
        yield tutorial


@pytest.mark.parametrize(
    ("step", "first"),
    [
        ("upload", "run setup, create_bucket, download and split first"),
        ("train", "upload the training data first"),
        ("deploy", "train a model first"),
        ("predict", "deploy the model first"),
        ("split", "download the data first"),
    ],
)
def test_a_step_run_too_early_names_the_step_to_run_first(
    tutorial: Tutorial, step: str, first: str
) -> None:
    with pytest.raises(InputError, match=first):
        getattr(tutorial, step)()


def test_bad_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown backend 'cloud'"):
        Tutorial(tmp_path, backend="cloud")
    with pytest.raises(InputError, match="no folder at"):
        Tutorial(tmp_path / "missing", backend="mock")
    with pytest.raises(InputError, match="no data file at"):
        Tutorial(tmp_path, backend="mock", data_file=tmp_path / "missing.csv")


def test_bad_step_input_is_refused(tutorial: Tutorial) -> None:
    with pytest.raises(InputError, match="Not_A_Bucket"):
        tutorial.create_bucket("Not_A_Bucket")


def test_a_failed_middle_step_leaves_clean_up_able_to_run(
    tutorial: Tutorial, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = tutorial.backend  # the session's server: it outlives the Tutorial
    tutorial.setup()
    bucket = tutorial.create_bucket()
    with pytest.raises(TutorialError, match="train a model first"):
        tutorial.deploy()  # the cell fails; the object stays usable
    tutorial.clean_up()  # nothing recorded a run yet: the bucket is found by the run's tag
    assert f"S3 bucket deleted: {bucket}" in capsys.readouterr().out
    names = [b["Name"] for b in backend.client("s3").list_buckets().get("Buckets", [])]
    assert bucket not in names
    with pytest.raises(TutorialError, match="closed"):
        tutorial.setup()
    tutorial.clean_up()  # twice is fine
    assert "already closed" in capsys.readouterr().out


def test_billed_steps_on_live_need_consent(
    tmp_path: Path, moto_endpoint: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live backend's code path, pointed at the local server: no consent, no job."""
    if moto_endpoint is None:
        pytest.skip("needs the local server")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv(settings.ENV_ALLOW_COST, raising=False)
    with Tutorial(tmp_path, backend="live", region="ap-northeast-1") as live:
        for step in (live.train, live.deploy):
            with pytest.raises(InputError, match="allow_cost=True"):
                step()
