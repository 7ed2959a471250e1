"""Rebuild the tutorial's bank_clean.csv from the raw UCI bank-additional-full.csv.

The article warns that the raw UCI file needs preprocessing before the tutorial can use
it, but never says how; AWS only publishes the result. This is the recipe that gives
AWS's file byte for byte (sha1 27f01fbb...), so a reader can see every feature's origin
and rebuild the data if the AWS link ever dies.

The recipe (see ../shared/TUTORIAL.md and the data's SOURCE.md): read the ``;``-separated
file; ``no_previous_contact`` = ``pdays == 999``; ``not_working`` = job is student,
retired or unemployed; one-hot encode every categorical as 0/1 integers; drop
``duration`` (known only after the call, so it would leak the answer) and the five
economic indicators; write with the default RangeIndex and LF line endings.

The one-hot columns come from fixed category lists, not from the values that happen to
appear: a raw file missing, say, every ``illiterate`` row still yields the 61 columns in
the tutorial's order, and a value the tutorial never saw is refused by name instead of
silently adding a 62nd column.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import settings
from ..errors import TutorialError
from .atomic import atomic_writer
from .dataset import BANK_COLUMNS
from .download import sha1_of_file
from .kind import would_replace

if TYPE_CHECKING:
    import pandas as pd

# The raw UCI file's 21 columns, in its order.
RAW_COLUMNS: tuple[str, ...] = (
    "age",
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "day_of_week",
    "duration",
    "campaign",
    "pdays",
    "previous",
    "poutcome",
    "emp.var.rate",
    "cons.price.idx",
    "cons.conf.idx",
    "euribor3m",
    "nr.employed",
    "y",
)

# The raw columns the tutorial leaves out: the call's duration is only known once the
# call is over (it would leak the answer); the economic indicators are dropped as AWS did.
DROPPED_COLUMNS: tuple[str, ...] = (
    "duration",
    "emp.var.rate",
    "cons.price.idx",
    "cons.conf.idx",
    "euribor3m",
    "nr.employed",
)

# Raw integer columns kept as they are.
INTEGER_COLUMNS: tuple[str, ...] = ("age", "campaign", "pdays", "previous")

# Raw categorical columns, in the order their one-hot columns appear in bank_clean.csv.
CATEGORICAL_COLUMNS: tuple[str, ...] = (
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "day_of_week",
    "poutcome",
    "y",
)

# pdays holds 999 when the client was never contacted before.
NEVER_CONTACTED_PDAYS = 999
NOT_WORKING_JOBS: frozenset[str] = frozenset({"student", "retired", "unemployed"})


def categories(column: str) -> tuple[str, ...]:
    """The values a raw categorical column may take, read off bank_clean.csv's one-hot names.

    Deriving them from the shared schema keeps one source of truth: ``job`` may be
    exactly the 12 values that have a ``job_*`` column, in the file's order.
    """
    prefix = f"{column}_"
    return tuple(name[len(prefix) :] for name in BANK_COLUMNS if name.startswith(prefix))


@dataclass(frozen=True)
class PreprocessOutcome:
    """What `preprocess_raw` wrote, and whether it is the tutorial's own file."""

    path: Path
    rows: int
    columns: int
    sha1: str

    @property
    def is_tutorials_file(self) -> bool:
        return self.sha1 == settings.TUTORIAL_DATA_SHA1

    def report(self) -> str:
        verdict = (
            "the tutorial's bank_clean.csv, byte for byte"
            if self.is_tutorials_file
            else "not byte-identical to the tutorial's file"
        )
        return f"wrote {self.path}: ({self.rows}, {self.columns}), sha1 {self.sha1} ({verdict})"


def preprocess_raw(raw: Path, out: Path, *, force: bool = False) -> PreprocessOutcome:
    """Turn the raw UCI file at `raw` into bank_clean.csv at `out` (written atomically).

    A file already at `out` that holds other data is replaced only with `force` (a
    reader's real bank_clean.csv is never lost to a rebuild from a changed raw file);
    one that holds the same bytes is left as it is.
    """
    frame = _read_raw(raw)
    clean = preprocess_frame(frame, source=raw.name)
    text = clean.to_csv(lineterminator="\n").encode("utf-8")
    sha1 = hashlib.sha1(text).hexdigest()
    if out.is_file() and not force:
        existing = sha1_of_file(out)
        if existing != sha1:
            raise would_replace(out, existing, sha1)
    else:
        with atomic_writer(out) as handle:
            handle.write(text)
    return PreprocessOutcome(path=out, rows=len(clean), columns=clean.shape[1], sha1=sha1)


def preprocess_frame(raw: pd.DataFrame, source: str = "the raw data") -> pd.DataFrame:
    """The tutorial's features from the raw UCI columns, 61 integer columns in its order."""
    import numpy as np
    import pandas as pd

    _check_columns(raw, source)
    if raw.empty:
        raise TutorialError(f"{source} has a header but no rows")
    for column in INTEGER_COLUMNS:
        if not pd.api.types.is_integer_dtype(raw[column]):
            raise TutorialError(f"{source}: column '{column}' must hold whole numbers only")
    coded = {column: _categorical(raw[column], source) for column in CATEGORICAL_COLUMNS}

    features = raw.loc[:, list(INTEGER_COLUMNS)].copy()
    features["no_previous_contact"] = (raw["pdays"] == NEVER_CONTACTED_PDAYS).astype(np.int64)
    features["not_working"] = raw["job"].isin(NOT_WORKING_JOBS).astype(np.int64)
    one_hot = pd.get_dummies(pd.DataFrame(coded), dtype=np.uint8)
    clean = pd.concat([features, one_hot], axis=1)
    # The fixed categories make this a pure reordering; a mismatch would be a bug here.
    if tuple(clean.columns) != BANK_COLUMNS:
        raise AssertionError(f"recipe produced columns {list(clean.columns)}")
    return clean


def _read_raw(raw: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_csv(raw, sep=";")
    except FileNotFoundError:
        raise TutorialError(f"no raw data at {raw}") from None
    except pd.errors.EmptyDataError:
        raise TutorialError(
            f"{raw} is empty: expected the raw UCI bank-additional-full.csv"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TutorialError(f"cannot read {raw} as ';'-separated CSV: {detail}") from None


def _check_columns(raw: pd.DataFrame, source: str) -> None:
    present = [str(column) for column in raw.columns]
    missing = [column for column in RAW_COLUMNS if column not in present]
    unknown = [column for column in present if column not in RAW_COLUMNS]
    problems = []
    if missing:
        problems.append("missing column" + ("s " if len(missing) > 1 else " ") + _names(missing))
    if unknown:
        problems.append("unknown column" + ("s " if len(unknown) > 1 else " ") + _names(unknown))
    if problems:
        raise TutorialError(
            f"{source} is not the raw UCI bank-additional-full.csv: {'; '.join(problems)}"
        )
    duplicated = sorted({column for column in present if present.count(column) > 1})
    if duplicated:
        raise TutorialError(f"{source}: duplicated column {_names(duplicated)}")


def _categorical(values: pd.Series, source: str) -> pd.Categorical:
    import pandas as pd

    known = categories(str(values.name))
    unknown_mask = ~values.isin(known)  # empty cells (NaN) included
    if unknown_mask.any():
        seen = values[unknown_mask]
        shown = sorted({"(empty)" if pd.isna(value) else str(value) for value in seen})
        raise TutorialError(
            f"{source}: unknown value{'s' if len(shown) > 1 else ''} {_names(shown[:5])}"
            f"{' ...' if len(shown) > 5 else ''} in column '{values.name}' "
            f"(known: {', '.join(known)})"
        )
    # Fixed categories: one column per known value, whether or not it appears.
    coded = pd.Categorical(values, categories=known)
    return coded


def _names(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
