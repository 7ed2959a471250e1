"""The code of each chapter: the notebook's own cells, read from the notebook.

The page never keeps a second copy of the tutorial's code. Each chapter shows the
code cells of ``notebooks/xgboost_bank_marketing.ipynb`` tagged with its step (cell
metadata ``tags``: ``step-3c``, ``step-3d``, ``step-3e``, ``step-3f``, ``step-4``,
``step-5``, ``step-6``, ``step-7``), in notebook order. The committed notebook holds
no outputs; ``tox -e notebook`` writes an executed copy to
``build/notebook/xgboost_bank_marketing.ipynb``, and when it is there each cell's
outputs are taken from it (matched by cell id, else by position among the cells of
the same tag, and only while the source is the same: an executed copy of an older
notebook shows nothing rather than the wrong output). A chapter whose step no cell
carries says that its code is not available; nothing here raises on a notebook of
another shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMMITTED = Path("notebooks/xgboost_bank_marketing.ipynb")
EXECUTED = Path("build/notebook/xgboost_bank_marketing.ipynb")
STEPS = ("3c", "3d", "3e", "3f", "4", "5", "6", "7")
# Program output is shown, not archived: a long log keeps its last lines.
OUTPUT_LIMIT = 6000


@dataclass(frozen=True)
class Output:
    """One output of a cell: text as the program printed it, or an image (a data URI)."""

    kind: str  # "text", "error", "svg" or "png"
    content: str


@dataclass(frozen=True)
class Cell:
    source: str
    outputs: tuple[Output, ...] = ()


@dataclass
class Code:
    """The notebook's cells of every step, and whether outputs came with them."""

    cells: dict[str, list[Cell]] = field(default_factory=dict)
    executed: bool = False  # an executed copy was found and matched
    found: bool = False  # the notebook was found at all

    def of(self, step: str) -> list[Cell]:
        return self.cells.get(step, [])


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _read(path: Path) -> list[dict[str, Any]]:
    """A notebook's cells; [] for a file that is missing or not a notebook."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    return [cell for cell in cells or [] if isinstance(cell, dict)]


def _step_of(cell: dict[str, Any]) -> str | None:
    tags = (cell.get("metadata") or {}).get("tags") or []
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, str) and tag.startswith("step-") and tag[5:] in STEPS:
            return tag[5:]
    return None


def _tagged(cells: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (step, cell)
        for cell in cells
        if cell.get("cell_type") == "code" and (step := _step_of(cell)) is not None
    ]


def _outputs(cell: dict[str, Any]) -> tuple[Output, ...]:
    found: list[Output] = []
    for output in cell.get("outputs") or []:
        kind = output.get("output_type")
        data = output.get("data") or {}
        if kind == "stream":
            found.append(Output("text", _text(output.get("text"))[-OUTPUT_LIMIT:]))
        elif kind == "error":
            found.append(Output("error", f"{output.get('ename')}: {output.get('evalue')}"))
        elif "image/svg+xml" in data:
            found.append(Output("svg", _text(data["image/svg+xml"])))
        elif "image/png" in data:
            found.append(Output("png", "data:image/png;base64," + _text(data["image/png"])))
        elif "text/plain" in data:
            found.append(Output("text", _text(data["text/plain"])[-OUTPUT_LIMIT:]))
    merged: list[Output] = []
    for item in found:  # consecutive stream writes are one block of text
        if merged and item.kind == "text" == merged[-1].kind:
            merged[-1] = Output("text", merged[-1].content + item.content)
        else:
            merged.append(item)
    return tuple(item for item in merged if item.content.strip())


def load_code(committed: Path = COMMITTED, executed: Path | None = EXECUTED) -> Code:
    """Each step's cells from ``committed``, with outputs from ``executed`` if it matches."""
    cells = _read(committed)
    code = Code(found=bool(cells))
    ran = _tagged(_read(executed)) if executed is not None else []
    by_id = {cell.get("id"): (step, cell) for step, cell in ran if cell.get("id")}
    by_position: dict[str, list[dict[str, Any]]] = {}
    for step, cell in ran:
        by_position.setdefault(step, []).append(cell)
    seen: dict[str, int] = {}
    for step, cell in _tagged(cells):
        source = _text(cell.get("source")).strip("\n")
        position = seen.get(step, 0)
        seen[step] = position + 1
        twin = by_id.get(cell.get("id"), (None, None))[1] if cell.get("id") else None
        if twin is None and position < len(by_position.get(step, [])):
            twin = by_position[step][position]
        outputs: tuple[Output, ...] = ()
        if twin is not None and _text(twin.get("source")).strip("\n") == source:
            outputs = _outputs(twin)
            code.executed = True
        code.cells.setdefault(step, []).append(Cell(source, outputs))
    return code
