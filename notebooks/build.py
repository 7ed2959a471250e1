"""Run the tutorial's notebook top to bottom in a fresh kernel, and keep the executed copy.

    python notebooks/build.py [--out build/notebook]

writes ``xgboost_bank_marketing.ipynb`` (with its outputs) and
``xgboost_bank_marketing.html`` (the same, for readers) into ``--out``, and exits
non-zero on the first cell that fails. The kernel is this interpreter (a kernelspec
written to a temporary folder: no user's or system's ``python3`` kernel is used), with
no user IPython or Jupyter configuration; the backend is the notebook's own choice
(mock unless ``SAGEMAKER_TUTORIAL_BACKEND=live``). ``tox -e notebook`` runs this through
tests/test_notebook.py, which checks what it wrote.

The HTML is self-contained: nbconvert's ``lab`` template with the blocks that load
require.js, MathJax, Mermaid and the widget manager from a CDN left out (the notebook
uses none of them), so opening it requests nothing from any host.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "xgboost_bank_marketing.ipynb"
DEFAULT_OUT = HERE.parent / "build" / "notebook"
# Generous: a mock run takes about 20 s; a live one waits minutes for training and hosting.
CELL_TIMEOUT = 3600

# nbconvert's lab template, minus every script it would fetch from a CDN.
SELF_CONTAINED_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


def kernel_environment(base: dict[str, str], scratch: Path) -> dict[str, str]:
    """The kernel's environment: ``base`` without the user's IPython and Jupyter set-up."""
    env = dict(base)
    env["IPYTHONDIR"] = str(scratch / "ipython")
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "jupyter-config")
    # The SDK's wait() draws a live panel (rich), which asks for ipywidgets in a kernel
    # without them; the executed copy has no live widgets to show anyway.
    env["PYTHONWARNINGS"] = 'ignore:install "ipywidgets" for Jupyter support:UserWarning'
    return env


def execute(
    notebook_path: Path = NOTEBOOK,
    workdir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: int = CELL_TIMEOUT,
    cells: list[int] | None = None,
) -> Any:
    """The notebook, executed in a fresh kernel in ``workdir`` (its files land there).

    ``cells`` runs only those cells (by index), in that order: how a test plays a reader
    who skips to step 7 after a failure. Raises nbclient's CellExecutionError on the
    first cell that fails.
    """
    import nbclient
    import nbformat
    from ipykernel import kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    notebook = nbformat.read(notebook_path, as_version=4)
    if cells is not None:
        # Copies: a cell run twice keeps each run's outputs.
        notebook.cells = [copy.deepcopy(notebook.cells[index]) for index in cells]
    with tempfile.TemporaryDirectory(prefix="notebook-kernel-") as scratch_dir:
        scratch = Path(scratch_dir)
        kernels = scratch / "kernels"
        kernelspec.write_kernel_spec(kernels / "python3")
        manager = KernelManager(
            kernel_name="python3",
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]),
        )
        run_in = workdir if workdir is not None else Path(scratch_dir) / "run"
        run_in.mkdir(parents=True, exist_ok=True)
        client = nbclient.NotebookClient(
            notebook,
            km=manager,
            timeout=timeout,
            resources={"metadata": {"path": str(run_in)}},
        )
        client.execute(env=kernel_environment(env or dict(os.environ), scratch))
    return notebook


def to_html(notebook: Any) -> str:
    """The executed notebook as one HTML page that requests nothing from any host."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"self_contained.html.j2": SELF_CONTAINED_TEMPLATE})],
        template_file="self_contained.html.j2",
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        notebook, resources={"metadata": {"name": "xgboost_bank_marketing"}}
    )
    return str(body)


def write(notebook: Any, out: Path) -> tuple[Path, Path]:
    """Write the executed notebook and its HTML into ``out``; their paths."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    ipynb, html = out / NOTEBOOK.name, out / NOTEBOOK.with_suffix(".html").name
    nbformat.write(notebook, ipynb)
    html.write_text(to_html(notebook), encoding="utf-8")
    return ipynb, html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: build/notebook")
    parser.add_argument(
        "--workdir", type=Path, help="where the notebook's files land (default: a temporary one)"
    )
    args = parser.parse_args(argv)
    from nbclient.exceptions import CellExecutionError

    try:
        notebook = execute(workdir=args.workdir)
    except CellExecutionError as exc:
        print(f"error: a cell of {NOTEBOOK.name} failed:\n{exc}", file=sys.stderr)
        return 1
    for path in write(notebook, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
