"""The tutorial's data set, bank_clean.csv: loading it as the notebook does, checked.

The notebook reads whatever arrived with ``pd.read_csv(..., index_col=0)`` and trusts it;
an HTML error page or someone else's CSV then fails much later, far from its cause.
Loading here checks the schema at once and says what arrived instead. The schema
itself is schema.py's (re-exported here, where every step that reads the data looks).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, TutorialError
from .download import describe_content
from .schema import BANK_COLUMNS as BANK_COLUMNS  # re-exported: the data's schema
from .schema import BANK_ROWS as BANK_ROWS

if TYPE_CHECKING:
    import pandas as pd


def check_data_file(path: Path) -> None:
    """A data file the user named (``--data-file``), judged before anything is sent or
    written: there, readable, and the tutorial's data. The errors name the user's path,
    and a file refused here is never copied into the work folder (exit 2)."""
    if not path.exists():
        raise InputError(f"no data file at {path}")
    if not path.is_file():
        raise InputError(f"the data file {path} is not a file")
    if not os.access(path, os.R_OK):
        raise InputError(f"the data file {path} is not readable")
    stat = path.stat()
    # `run` judges its input at each door it passes (the CLI, then each step): a file
    # already judged good, unchanged since, is not read again.
    seen = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if seen in _JUDGED_GOOD:
        return
    try:
        load_bank_data(path, rows=None, label=str(path))
    except TutorialError as exc:
        raise InputError(f"the data file {exc}") from None
    _JUDGED_GOOD.add(seen)


# The data files this process has judged to be the tutorial's data, as they were then.
_JUDGED_GOOD: set[tuple[str, int, int, int]] = set()


def load_bank_data(
    path: Path, *, rows: int | None = BANK_ROWS, label: str | None = None
) -> pd.DataFrame:
    """Read bank_clean.csv as the notebook does (``pd.read_csv(path, index_col=0)``), checked.

    The frame must have the tutorial's 61 columns in the file's order, integers
    only, and (unless ``rows`` is None) the tutorial's 41,188 rows. Anything else
    is a TutorialError that says what arrived instead: an HTML page, an empty
    file, a CSV with other columns...
    """
    import pandas as pd

    name = label or path.name
    if not path.is_file():
        raise TutorialError(f"no {name} at {path}: download it first (sagemaker-tutorial download)")
    what = describe_content(path)
    if what == "an empty file":
        raise TutorialError(f"{name} is empty (0 bytes)")
    if what in ("an HTML page", "an XML document", "JSON", "binary data"):
        raise TutorialError(f"{name} looks like {what}, not CSV")
    header = _header(path)
    if header.count(";") > header.count(","):
        raw = header.startswith(('"age";"job"', "age;job"))
        raise TutorialError(
            f"{name} is ';'-separated"
            + (
                ": it is the raw UCI bank-additional-full.csv, which needs preprocessing "
                "first (sagemaker-tutorial preprocess --raw PATH)"
                if raw
                else ", not the tutorial's comma-separated file"
            )
        )
    first = header.split(",", 1)[0].strip().strip('"')
    if first == BANK_COLUMNS[0]:
        raise TutorialError(
            f"{name} has no index column: its header starts with '{first}', "
            "the tutorial's file starts with an empty field"
        )
    try:
        frame = pd.read_csv(path, index_col=0)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TutorialError(f"{name} is not a CSV file pandas can read: {detail}") from None
    _check_columns(name, [str(column) for column in frame.columns])
    not_integer = [
        str(column)
        for column, dtype in frame.dtypes.items()
        if not pd.api.types.is_integer_dtype(dtype)
    ]
    if not_integer:
        shown = ", ".join(not_integer[:5]) + (" ..." if len(not_integer) > 5 else "")
        raise TutorialError(
            f"{name} has values that are not integers in {len(not_integer)} column(s): {shown}"
        )
    if rows is not None and len(frame) != rows:
        raise TutorialError(f"{name} has {len(frame):,} rows; the tutorial's file has {rows:,}")
    return frame


def _header(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
        return handle.readline(65536).lstrip("\ufeff").rstrip("\r\n")


def _check_columns(name: str, columns: list[str]) -> None:
    if columns == list(BANK_COLUMNS):
        return
    expected = set(BANK_COLUMNS)
    missing = [column for column in BANK_COLUMNS if column not in columns]
    unexpected = [column for column in columns if column not in expected]
    if not missing and not unexpected:
        raise TutorialError(f"{name} has the tutorial's columns, but not in the file's order")
    parts = []
    if missing:
        parts.append(f"missing {_some(missing)}")
    if unexpected:
        parts.append(f"unexpected {_some(unexpected)}")
    raise TutorialError(
        f"{name} does not have the tutorial's {len(BANK_COLUMNS)} columns "
        f"({len(columns)} columns; {'; '.join(parts)})"
    )


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
