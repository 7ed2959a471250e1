"""The tutorial's notebook: its cells teach the tutorial's calls, and it runs.

- The committed notebook: no outputs; cells tagged by step (the living documentation
  shows them by these tags), each code cell below a markdown cell of its step; its
  percent-format .py twin in sync; every call the tutorial teaches still in its step's
  cells (a test per call, so the one that disappeared is named); the backend chosen in
  the first cell alone.
- The first cell's helper (sagemaker_tutorial.kernel): what it sets on mock, that it
  refuses live without consent to cost.
- The notebook executed top to bottom in a fresh kernel (nbclient + ipykernel, the
  ``notebook`` extra; ``tox -e notebook``) on the mock backend, written to
  build/notebook/ as .ipynb and self-contained .html; step 7 run after a failure; and,
  with the real data (``BANK_DATA_DIR``), the same confusion matrix as the command line.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import re
import sys
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

from sagemaker_tutorial import Tutorial, settings
from sagemaker_tutorial.errors import InputError, TutorialError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "xgboost_bank_marketing.ipynb"
TWIN = NOTEBOOK.with_suffix(".py")
BUILD_SCRIPT = ROOT / "notebooks" / "build.py"
BUILD_OUT = ROOT / "build" / "notebook"

# The notebook's parts, in order: the backend-choosing cell, then the tutorial's steps.
TAGS = ["setup", "step-3c", "step-3d", "step-3e", "step-3f"]
TAGS += ["step-4", "step-5", "step-6", "step-7"]

# The published run on SageMaker (SDK v2 era), and how far a local run may land from it.
PUBLISHED = {"tn": 10769, "fp": 167, "fn": 1133, "tp": 288}
PUBLISHED_RATE = 89.5
RATE_TOLERANCE = 0.3
CELL_TOLERANCE = 40
# Generous: a mock run takes about 30 s; a cold machine's kernel start-up a few more.
CELL_TIMEOUT = 600


def _notebook_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return data


def _source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _tag(cell: dict[str, Any]) -> str | None:
    tags = [tag for tag in cell.get("metadata", {}).get("tags", []) if tag in TAGS]
    assert len(tags) <= 1, f"a cell has more than one step tag: {tags}"
    return tags[0] if tags else None


def _code(tag: str) -> str:
    """The code a reader sees for one step: its code cells, in order."""
    cells = _notebook_json()["cells"]
    return "\n".join(_source(c) for c in cells if c["cell_type"] == "code" and _tag(c) == tag)


# --- the committed notebook --------------------------------------------------------------


def test_committed_notebook_has_no_outputs_and_no_execution_counts() -> None:
    cells = _notebook_json()["cells"]
    assert any(cell["cell_type"] == "code" for cell in cells), "the notebook has no code cells"
    dirty = [
        index
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"] is not None)
    ]
    assert not dirty, f"cells {dirty} carry outputs or execution counts: clear them"


def test_every_code_cell_is_tagged_with_its_step_in_the_tutorials_order() -> None:
    cells = _notebook_json()["cells"]
    order = [_tag(cell) for cell in cells if cell["cell_type"] == "code"]
    assert None not in order, f"a code cell has no step tag: {order}"
    assert list(dict.fromkeys(order)) == TAGS, f"steps out of order or missing: {order}"


def test_every_code_cell_follows_a_markdown_cell_of_its_step_naming_it() -> None:
    cells = _notebook_json()["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        before = cells[index - 1]
        assert before["cell_type"] == "markdown", f"code cell {index} has no markdown above it"
        assert _tag(before) == _tag(cell), f"the markdown above code cell {index} is untagged"
        heading = _source(before).splitlines()[0]
        step = (_tag(cell) or "").removeprefix("step-")
        if step != "setup":
            assert re.match(rf"## Steps? {step}[a-z]?\b", heading), (index, heading)


@pytest.mark.parametrize("tag", [tag for tag in TAGS if tag not in ("setup", "step-6")])
def test_each_changed_steps_markdown_quotes_the_tutorials_own_lines(tag: str) -> None:
    cells = _notebook_json()["cells"]
    markdown = [_source(c) for c in cells if c["cell_type"] == "markdown" and _tag(c) == tag]
    quoted = [text for text in markdown if "The tutorial (step" in text and "> ```python" in text]
    assert quoted, f"{tag}: no markdown cell quotes the tutorial's line(s) it changes"


def test_the_py_twin_is_the_notebook_in_percent_format() -> None:
    jupytext = pytest.importorskip("jupytext", reason="the twin check needs the notebook extra")
    notebook = jupytext.read(NOTEBOOK)
    expected = jupytext.writes(notebook, fmt="py:percent")
    assert TWIN.read_text(encoding="utf-8") == expected, (
        f"{TWIN.name} and {NOTEBOOK.name} differ: run `jupytext --sync {TWIN}` (or {NOTEBOOK})"
    )


def _calls(tag: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(_code(tag))) if isinstance(node, ast.Call)]


def _name(node: ast.expr) -> str:
    """``a.b.c`` for an attribute chain (calls in it shown as ``()``)."""
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return f"{_name(node.func)}()"
    return "?"


def _called(tag: str, name: str, **keywords: Any) -> bool:
    """Whether a call to ``name`` (or ``<anything>.name``) is in the step's code, with
    each of ``keywords`` passed as that literal value (``...``: passed at all)."""
    for call in _calls(tag):
        called = _name(call.func)
        if called != name and not called.endswith("." + name):
            continue
        given = {kw.arg: kw.value for kw in call.keywords}
        if all(
            key in given and (value is ... or _literal(given[key]) == value)
            for key, value in keywords.items()
        ):
            return True
    return False


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


# Each call the tutorial's step teaches, as the notebook writes it today.
TAUGHT_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("step-3c", "boto3.session.Session", {}),
    ("step-3c", "image_uris.retrieve", {}),
    ("step-3c", "get_execution_role", {}),
    ("step-3c", "get_caller_identity", {}),
    ("step-3d", "create_bucket", {"Bucket": ...}),
    ("step-3d", "create_bucket", {"CreateBucketConfiguration": ...}),
    ("step-3e", "urllib.request.urlretrieve", {}),
    ("step-3e", "hashlib.sha1", {}),
    ("step-3e", "os.replace", {}),
    ("step-3e", "pd.read_csv", {"index_col": 0}),
    ("step-3f", "sample", {"frac": 1, "random_state": 1729}),
    ("step-4", "to_csv", {"index": False, "header": False}),
    ("step-4", "upload_file", {}),
    ("step-4", "TrainingJob.create", {"hyper_parameters": ...}),
    ("step-4", "wait", {}),
    ("step-5", "Model.create", {}),
    ("step-5", "EndpointConfig.create", {}),
    ("step-5", "Endpoint.create", {}),
    ("step-5", "wait_for_status", {}),
    ("step-5", "CSVSerializer", {}),
    ("step-5", "invoke", {"content_type": "text/csv"}),
    ("step-5", "splitlines", {}),
    ("step-6", "pd.crosstab", {"rownames": ["Observed"], "colnames": ["Predicted"]}),
    ("step-7", "stop_training_job", {}),
    ("step-7", "delete_endpoint", {}),
    ("step-7", "delete_endpoint_config", {}),
    ("step-7", "delete_model", {}),
    ("step-7", "objects.filter", {"Prefix": ...}),
]


@pytest.mark.parametrize(
    ("tag", "name", "keywords"), TAUGHT_CALLS, ids=[f"{t}-{n}" for t, n, _ in TAUGHT_CALLS]
)
def test_the_steps_cells_make_the_call_the_tutorial_teaches(
    tag: str, name: str, keywords: dict[str, Any]
) -> None:
    assert _called(tag, name, **keywords), f"no {name}({', '.join(keywords)}) in {tag}'s cells"


def test_step_3d_writes_out_the_location_constraint_rule_and_raises_other_errors() -> None:
    code = _code("step-3d")
    assert re.search(
        r'if my_region == "us-east-1":\n\s+s3\.create_bucket\(Bucket=bucket_name\)', code
    )
    assert '{"LocationConstraint": my_region}' in code
    handlers = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.ExceptHandler)]
    assert [_name(h.type) for h in handlers if h.type is not None] == ["ClientError"]
    assert '!= "BucketAlreadyOwnedByYou"' in code
    assert any(isinstance(n, ast.Raise) and n.exc is None for n in ast.walk(handlers[0]))


def test_step_3f_cuts_the_shuffled_frame_with_iloc_not_np_split() -> None:
    code = _code("step-3f")
    assert "np.split" not in code
    assert "shuffled.iloc[:cut], shuffled.iloc[cut:]" in code
    assert "int(0.7 * len(model_data))" in code
    assert "print(train_data.shape, test_data.shape)" in code


def test_step_4_sends_the_tutorials_hyperparameters_as_a_visible_dict() -> None:
    tree = ast.parse(_code("step-4"))
    assigned = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert isinstance(assigned.get("hyperparameters"), ast.Dict), "no hyperparameters = {...}"
    tutorial = dict(settings.HYPERPARAMETERS)
    del tutorial["silent"]
    assert ast.literal_eval(assigned["hyperparameters"]) == {**tutorial, "verbosity": "1"}
    assert _called("step-4", "TrainingJob.create", hyper_parameters=...)
    create = next(c for c in _calls("step-4") if _name(c.func) == "TrainingJob.create")
    given = {kw.arg: kw.value for kw in create.keywords}
    assert _name(given["hyper_parameters"]) == "hyperparameters"


def test_step_6_prints_the_tutorials_block_once_and_not_the_raw_crosstab() -> None:
    code = _code("step-6")
    assert code.count("Overall Classification Rate") == 1
    assert "print(cm)" not in code


def test_only_the_first_cell_chooses_the_backend_or_calls_the_project() -> None:
    for tag in TAGS[1:]:
        code = _code(tag)
        tree = ast.parse(code)
        imported = [
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        ]
        assert not [m for m in imported if m.startswith("sagemaker_tutorial")], tag
        assert settings.ENV_BACKEND not in code, f"{tag} reads the backend"
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
        assert not strings & {"mock", "live"}, f"{tag} branches on the backend"
        uses = {_name(n) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not {u for u in uses if u.startswith("kernel.")} - {"kernel.data_url"}, tag
    assert "prepare_kernel()" in _code("setup")


# --- the first cell's helper -------------------------------------------------------------

_KERNEL_VARIABLES = [
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "SAGEMAKER_ADMIN_CONFIG_OVERRIDE",
    settings.ENV_ROLE_ARN,
    settings.ENV_ALLOW_COST,
    settings.ENV_BACKEND,
    settings.ENV_DATA_DIR,
]


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """The environment the helper changes, cleared, and restored after the test."""
    for name in _KERNEL_VARIABLES:
        monkeypatch.setenv(name, "")  # recorded, so that the helper's change is undone
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return monkeypatch


def test_live_without_consent_to_cost_stops_before_anything(
    kernel_env: pytest.MonkeyPatch,
) -> None:
    from sagemaker_tutorial.kernel import prepare_kernel

    with pytest.raises(InputError) as refused:
        prepare_kernel("live")
    assert str(refused.value) == (
        "this starts billed SageMaker compute in your AWS account: the notebook's training "
        "job and endpoint (its step 7 deletes them); set SAGEMAKER_TUTORIAL_ALLOW_COST=1 "
        "to accept the cost"
    )
    assert "AWS_ENDPOINT_URL" not in os.environ


def test_live_with_consent_leaves_where_calls_go_alone(kernel_env: pytest.MonkeyPatch) -> None:
    from sagemaker_tutorial.kernel import prepare_kernel

    kernel_env.setenv(settings.ENV_ALLOW_COST, "1")
    kernel_env.setenv("AWS_PROFILE", "readers-own")
    kernel = prepare_kernel("live")
    assert kernel.data_url == settings.TUTORIAL_DATA_URL
    assert os.environ["AWS_PROFILE"] == "readers-own"
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", settings.ENV_ROLE_ARN):
        assert name not in os.environ, name
    # The SDK's telemetry is off: its admin config is the project's defaults file.
    defaults = Path(os.environ["SAGEMAKER_ADMIN_CONFIG_OVERRIDE"]).read_text(encoding="utf-8")
    assert "TelemetryOptOut: true" in defaults


def test_mock_points_plain_boto3_at_the_local_sagemaker_and_serves_the_data(
    kernel_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import boto3

    from sagemaker_tutorial.kernel import prepare_kernel

    # The reader's own profile: its region is kept, its credentials are not used.
    config = tmp_path / "aws-config"
    config.write_text("[profile readers-own]\nregion = eu-west-1\n", encoding="utf-8")
    kernel_env.setenv("AWS_CONFIG_FILE", str(config))
    kernel_env.setenv("AWS_PROFILE", "readers-own")
    kernel = prepare_kernel("mock")
    try:
        assert os.environ["AWS_ENDPOINT_URL"] == kernel.endpoint_url
        assert urlsplit(kernel.endpoint_url).hostname == "127.0.0.1"
        assert "AWS_PROFILE" not in os.environ
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert boto3.session.Session().region_name == "eu-west-1"
        assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
        role = os.environ[settings.ENV_ROLE_ARN]
        name = role.rsplit("/", 1)[1]
        assert boto3.client("iam").get_role(RoleName=name)["Role"]["Arn"] == role
        with urllib.request.urlopen(kernel.data_url, timeout=10) as answer:
            served = answer.read()
        assert hashlib.sha1(served).hexdigest() == kernel.data_url.rsplit(".", 2)[-2]
        assert "synthetic data" in kernel.report()
    finally:
        kernel.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(kernel.data_url, timeout=5)


def test_mock_with_a_bank_data_dir_lacking_the_file_says_so(
    kernel_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sagemaker_tutorial.kernel import prepare_kernel

    kernel_env.setenv(settings.ENV_DATA_DIR, str(tmp_path))
    with pytest.raises(InputError, match=r"there is no .*bank_clean\.csv"):
        prepare_kernel("mock")
    assert "AWS_ENDPOINT_URL" not in os.environ


# --- the notebook, executed --------------------------------------------------------------


def _build_module() -> ModuleType:
    pytest.importorskip("nbclient", reason="needs the notebook extra")
    pytest.importorskip("nbconvert", reason="needs the notebook extra")
    pytest.importorskip("ipykernel", reason="needs the notebook extra")
    spec = importlib.util.spec_from_file_location("notebook_build", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kernel_base_env(scratch: Path) -> dict[str, str]:
    """This environment for the kernel: the mock backend with its own local server, and
    nothing of the user's AWS set-up."""
    env = dict(os.environ)
    env[settings.ENV_BACKEND] = "mock"
    env["AWS_CONFIG_FILE"] = str(scratch / "no-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(scratch / "no-aws-credentials")
    for name in (settings.ENV_MOCK_ENDPOINT, settings.ENV_ROLE_ARN, "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        env.pop(name, None)
    return env


def _bank_data_file() -> Path | None:
    folder = os.environ.get(settings.ENV_DATA_DIR)
    path = Path(folder) / settings.DATA_FILE_NAME if folder else None
    return path if path is not None and path.is_file() else None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, Path]:
    """The notebook run once top to bottom, written to build/notebook/ (the executed
    copy `tox -e notebook` leaves for readers and the living documentation)."""
    build = _build_module()
    scratch = tmp_path_factory.mktemp("notebook")
    notebook = build.execute(
        NOTEBOOK, workdir=scratch / "run", env=_kernel_base_env(scratch), timeout=CELL_TIMEOUT
    )
    ipynb, html = build.write(notebook, BUILD_OUT)
    return notebook, ipynb, html


def _outputs(notebook: Any, tag: str, kind: str = "stdout") -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code" and _tag(cell) == tag
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == kind
    )


def _block(text: str) -> list[str]:
    """The tutorial's evaluation block, from its first line on, without blank lines."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Overall Classification"))
    return lines[start : start + 5]


def _matrix(block: list[str]) -> dict[str, int]:
    first = re.findall(r"\((\d+)\)", block[3])
    second = re.findall(r"\((\d+)\)", block[4])
    return {"tn": int(first[0]), "fp": int(first[1]), "fn": int(second[0]), "tp": int(second[1])}


def test_the_notebook_runs_top_to_bottom_and_tells_each_steps_result(
    built: tuple[Any, Path, Path],
) -> None:
    notebook, _, _ = built
    out = {tag: _outputs(notebook, tag) for tag in TAGS}
    # What `tox -e notebook` shows (-rP): where it ran, the data, the split, the result.
    sys.stdout.write("".join(out[tag] for tag in ("setup", "step-3e", "step-3f", "step-6")))
    errors = {tag: _outputs(notebook, tag, "stderr") for tag in TAGS}
    assert not any(errors.values()), f"cells wrote to stderr (warnings?): {errors}"
    shown = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "display_data"
        and "".join(output.get("data", {}).get("text/plain", "")).strip()
    ]
    assert not shown, f"cells displayed more than their prints: {shown}"

    assert out["setup"].startswith("backend: mock - the project's local SageMaker at http://127.")
    assert "Success - the MySageMakerInstance is in the ap-northeast-1 region." in out["step-3c"]
    assert "sagemaker-xgboost:1.7-1 container" in out["step-3c"]
    assert (
        "S3 bucket created successfully: sagemaker-tutorial-123456789012-ap-northeast-1"
        in (out["step-3d"])
    )
    assert re.search(r"sha1 [0-9a-f]{40} verified", out["step-3e"])
    assert "(41188, 61)" in out["step-3e"]
    assert "(28831, 61) (12357, 61)" in out["step-3f"]
    assert " Completed - model: s3://" in out["step-4"]
    assert "is InService" in out["step-5"]
    assert "(12357,)" in out["step-5"]
    assert out["step-6"].count("Observed") == 1, out["step-6"]
    assert sum(_matrix(_block(out["step-6"])).values()) == 12357
    for what in ("endpoint", "endpoint config", "model"):
        assert f"Deleted {what} DEMO-xgboost-dm-" in out["step-7"]
    assert "S3 bucket deleted: sagemaker-tutorial-123456789012-ap-northeast-1" in out["step-7"]
    data = "the tutorial's real data" if _bank_data_file() else "synthetic data"
    assert f"data: {data}" in out["setup"]


def test_the_executed_copy_keeps_the_step_tags_and_the_outputs(
    built: tuple[Any, Path, Path],
) -> None:
    nbformat = pytest.importorskip("nbformat")
    _, ipynb, _ = built
    executed = nbformat.read(ipynb, as_version=4)
    committed = _notebook_json()["cells"]
    assert [c.metadata.get("tags") for c in executed.cells] == [
        c.get("metadata", {}).get("tags") for c in committed
    ]
    assert all(c.outputs for c in executed.cells if c.cell_type == "code")


class _Requests(HTMLParser):
    """Every address the page would fetch when opened: src of any element, href of any
    element but a link the reader clicks (<a>), url() and @import in styles."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("src", "srcset", "data", "poster") or (name == "href" and tag != "a"):
                self.addresses.append(value)
            if name == "style":
                self._styles(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._styles(data)

    def _styles(self, css: str) -> None:
        self.addresses += re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
        self.addresses += re.findall(r"@import\s+['\"]([^'\"]+)", css)


def _external(address: str) -> bool:
    parts = urlsplit(address.strip())
    return parts.scheme not in ("", "data") or address.strip().startswith("//")


def test_the_html_is_self_contained_and_shows_the_code_and_its_results(
    built: tuple[Any, Path, Path],
) -> None:
    _, _, html_path = built
    html = html_path.read_text(encoding="utf-8")
    parser = _Requests()
    parser.feed(html)
    external = sorted({address for address in parser.addresses if _external(address)})
    assert not external, f"opening the page would fetch: {external}"
    # Nor by script: no CDN the lab template would load require.js, MathJax or Mermaid from.
    for cdn in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "require.js"):
        assert cdn not in html, cdn
    assert "create_bucket" in html
    assert "Overall Classification Rate" in html


def test_the_parsers_external_check_can_fail() -> None:
    parser = _Requests()
    parser.feed(
        '<script src="https://cdn.example/x.js"></script><link href="//fonts.example/f.css">'
        '<style>@font-face{src:url("https://fonts.example/a.woff")}</style>'
        '<a href="https://aws.amazon.com/">the tutorial</a><img src="data:image/png;base64,AA">'
    )
    assert [a for a in parser.addresses if _external(a)] == [
        "https://cdn.example/x.js",
        "//fonts.example/f.css",
        "https://fonts.example/a.woff",
    ]


def test_step_7_cleans_up_after_a_run_that_failed_before_training(tmp_path: Path) -> None:
    """A reader whose run stopped after step 3d goes straight to step 7, twice."""
    build = _build_module()
    cells = _notebook_json()["cells"]
    index = {tag: [i for i, c in enumerate(cells) if _tag(c) == tag] for tag in TAGS}
    order = index["setup"] + index["step-3c"] + index["step-3d"] + index["step-7"] * 2
    notebook = build.execute(
        NOTEBOOK, workdir=tmp_path / "run", env=_kernel_base_env(tmp_path), cells=order
    )
    step_7 = [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and _tag(cell) == "step-7"
    ]
    first, second = step_7
    for what in ("endpoint", "endpoint config", "model"):
        assert f"Already gone: {what} DEMO-xgboost-dm-" in first
    assert "S3 bucket deleted: sagemaker-tutorial-123456789012-ap-northeast-1" in first
    assert "No S3 bucket sagemaker-tutorial-123456789012-ap-northeast-1" in second


@pytest.mark.real_data
def test_with_the_real_data_the_notebook_gets_the_command_lines_matrix(
    built: tuple[Any, Path, Path],
    run_cli: Callable[..., Any],
    bank_data_file: Path,
    workdir: Path,
    backend_kind: str,
    make_backend: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook, _, _ = built
    block = _block(_outputs(notebook, "step-6"))
    if backend_kind == "live":  # tox -e contract: the live path, which a reader not on a
        # notebook instance runs with a role named and the cost accepted
        from sagemaker_tutorial.aws.execution_role import ensure_execution_role

        monkeypatch.setenv(settings.ENV_ROLE_ARN, ensure_execution_role(make_backend()).arn)
    result = run_cli("run", "--allow-cost", "--data-file", str(bank_data_file))
    assert result.exit_code == 0, result.stderr
    evaluation = json.loads((workdir / settings.EVALUATION_FILE_NAME).read_text())
    cli = {cell: evaluation[cell] for cell in ("tn", "fp", "fn", "tp")}
    assert _matrix(block) == cli
    assert block == _block(result.stdout)
    # And both sit by the published run on SageMaker.
    rate = re.search(r"Overall Classification Rate: (\d+\.\d)%", block[0])
    assert rate is not None and abs(float(rate.group(1)) - PUBLISHED_RATE) <= RATE_TOLERANCE
    for cell, published in PUBLISHED.items():
        assert abs(cli[cell] - published) <= CELL_TOLERANCE, (cell, cli)


# --- the API (the quick, scripted way: README) -----------------------------------------


@pytest.fixture
def tutorial(
    tmp_path: Path,
    moto_endpoint: str | None,
    monkeypatch: pytest.MonkeyPatch,
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
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    with pytest.raises(InputError, match="is a file, not a folder"):
        Tutorial(not_a_folder, backend="mock")
    with pytest.raises(InputError, match="no data file at"):
        Tutorial(tmp_path, backend="mock", data_file=tmp_path / "missing.csv")


def test_a_missing_work_folder_is_made_as_the_command_line_makes_it(tmp_path: Path) -> None:
    with Tutorial(tmp_path / "new" / "run", backend="mock") as tutorial:
        assert tutorial.workdir.is_dir()


def test_bad_step_input_is_refused(tutorial: Tutorial) -> None:
    with pytest.raises(InputError, match="Not_A_Bucket"):
        tutorial.create_bucket("Not_A_Bucket")


@pytest.mark.parametrize(
    ("step", "given", "refusal"),
    [
        ("train", {"timeout": -5}, "the timeout must be a number of seconds above 0, not -5"),
        ("deploy", {"timeout": 0}, "the timeout must be a number of seconds above 0, not 0"),
    ],
)
def test_a_number_out_of_bounds_is_refused_with_the_command_lines_rule(
    tutorial: Tutorial, step: str, given: dict[str, float], refusal: str
) -> None:
    """The rule the CLI's usage error states, without the flag a Python caller never typed;
    judged before any call, in a fresh folder where no step has run."""
    with pytest.raises(InputError) as refused:
        getattr(tutorial, step)(**given)
    assert str(refused.value) == refusal


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
            with pytest.raises(InputError) as refused:
                step()
            # The CLI's message, but naming this API's way of consenting.
            assert str(refused.value).startswith(
                "this starts billed SageMaker compute in your AWS account: "
            )
            assert str(refused.value).endswith(
                "; create the Tutorial with allow_cost=True (or set "
                "SAGEMAKER_TUTORIAL_ALLOW_COST=1) to accept the cost"
            )
