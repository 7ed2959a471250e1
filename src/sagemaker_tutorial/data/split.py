"""Step 3f: split the data 70/30 exactly as the tutorial does, on today's pandas.

The tutorial's line is::

    train_data, test_data = np.split(model_data.sample(frac=1, random_state=1729),
                                     [int(0.7 * len(model_data))])

On pandas 3 ``np.split`` returns two bare numpy arrays (no index, no column names)
without a word, and the next step's ``train_data['y_yes']`` dies with an IndexError;
pandas 2.1-2.3 only warn. The rows the tutorial meant are the shuffled frame cut at
``int(fraction * n)``, which ``.iloc`` gives on every pandas: the same rows in the same
order, so the published results stay reproducible.

Splitting a file (`split_file`) has a fast path. bank_clean.csv is what
``DataFrame.to_csv`` writes for an all-integer frame, so each of its lines is already
exactly what the tutorial's ``to_csv`` would write for that row. When the input is
provably in that form (every field a canonical integer, every row the header's width,
LF endings), the split moves whole lines instead of parsing and re-printing 2.5
million integers per copy of the data: the same bytes, in a fraction of the time and
memory. Anything else takes the tutorial's own pandas path, so the output never depends
on which path ran.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .. import settings
from ..errors import InputError, TutorialError
from .atomic import atomic_writer
from .dataset import BANK_COLUMNS, load_bank_data

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

LABEL_COLUMNS: tuple[str, ...] = ("y_no", "y_yes")

# numpy's RandomState, which pandas' sample() uses, takes seeds in [0, 2**32).
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class SplitOutcome:
    """The two files written, and their shapes as the notebook prints them.

    ``parts``: the two frames, when the split was made from a frame (the kernel's cells
    go on with them); None when the file's lines were moved as they are.
    """

    train_path: Path
    test_path: Path
    train_shape: tuple[int, int]
    test_shape: tuple[int, int]
    parts: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, repr=False, compare=False)

    def shapes_line(self) -> str:
        """The notebook's ``print(train_data.shape, test_data.shape)``."""
        return f"{self.train_shape} {self.test_shape}"


# --- the rules ------------------------------------------------------------------------------


def check_fraction(train_fraction: float) -> None:
    """A share of rows for training must lie strictly between 0 and 1."""
    if not 0.0 < train_fraction < 1.0:  # also refuses NaN
        raise InputError(
            f"the train fraction must be between 0 and 1 (both excluded), "
            f"not {_show(train_fraction)}"
        )


def check_seed(seed: int) -> None:
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"the seed must be a whole number from 0 to {MAX_SEED}, not {seed}")


def train_rows(rows: int, train_fraction: float) -> int:
    """Where the tutorial cuts: ``int(fraction * n)``, refused if the training part is empty.

    The test part cannot be: for a fraction below 1, ``fraction * n`` rounds below n.
    """
    check_fraction(train_fraction)
    cut = int(train_fraction * rows)
    if cut == 0:
        raise InputError(
            f"a train fraction of {_show(train_fraction)} leaves the training part empty: "
            f"int({_show(train_fraction)} * {rows}) = 0"
        )
    return cut


def shuffled_positions(rows: int, seed: int) -> npt.NDArray[np.intp]:
    """The row order of ``frame.sample(frac=1, random_state=seed)`` for a frame of `rows` rows.

    Computed by pandas' own ``sample`` (the order depends only on the row count and the
    seed, not on the values), so it is the tutorial's order on any pandas version.
    """
    import numpy as np
    import pandas as pd

    order = pd.Series(np.arange(rows, dtype=np.intp)).sample(frac=1, random_state=seed)
    positions: npt.NDArray[np.intp] = order.to_numpy(dtype=np.intp)
    return positions


def split_frame(
    frame: pd.DataFrame,
    train_fraction: float = settings.TRAIN_FRACTION,
    seed: int = settings.SPLIT_SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tutorial's ``np.split(frame.sample(frac=1, random_state=seed), [int(f * n)])``.

    Both parts keep their index and columns, on pandas 2 and 3 alike.
    """
    check_fraction(train_fraction)
    check_seed(seed)
    if len(frame) == 0:
        raise TutorialError("nothing to split: the data has no rows")
    missing = [column for column in LABEL_COLUMNS if column not in frame.columns]
    if missing:
        raise TutorialError(
            f"cannot split data without its label columns y_no and y_yes "
            f"(missing: {', '.join(missing)})"
        )
    cut = train_rows(len(frame), train_fraction)
    shuffled = frame.sample(frac=1, random_state=seed)
    return shuffled.iloc[:cut], shuffled.iloc[cut:]


# --- frames and files -----------------------------------------------------------------------


def split_and_write(
    frame: pd.DataFrame,
    workdir: Path,
    train_fraction: float = settings.TRAIN_FRACTION,
    seed: int = settings.SPLIT_SEED,
) -> SplitOutcome:
    """Split `frame` and write both parts as the tutorial's data is written.

    Index column and header, LF endings: the input's own format, so either part reads
    back with ``pd.read_csv(path, index_col=0)`` like bank_clean.csv itself.
    """
    train, test = split_frame(frame, train_fraction, seed)
    train_path, test_path = _part_paths(workdir)
    with atomic_writer(train_path) as train_out, atomic_writer(test_path) as test_out:
        train.to_csv(train_out, lineterminator="\n")
        test.to_csv(test_out, lineterminator="\n")
    return SplitOutcome(train_path, test_path, train.shape, test.shape, (train, test))


def split_file(
    input_path: Path,
    workdir: Path,
    train_fraction: float = settings.TRAIN_FRACTION,
    seed: int = settings.SPLIT_SEED,
    *,
    frame: pd.DataFrame | None = None,
) -> SplitOutcome:
    """Split the data file at `input_path` into <workdir>/train_data.csv and test_data.csv.

    Any number of rows (a test file, a hundredfold copy), but the tutorial's columns.
    ``frame``: the file as this process already read it, split when the fast path
    cannot be taken (so the file is not read by pandas twice).
    """
    check_fraction(train_fraction)
    check_seed(seed)
    data = _read_if_possible(input_path)
    if data is not None:
        fast = _canonical_split_input(data)
        if fast is not None:
            header, rows = fast
            return _split_lines(data, header, rows, workdir, train_fraction, seed)
        if frame is None and not data.strip():
            raise TutorialError(f"{input_path.name} is empty: nothing to split")
        if frame is None and _header_only(data):
            raise TutorialError(f"{input_path.name} has a header but no rows: nothing to split")
    del data  # pandas reads the file itself
    if frame is None:
        # Everything else, errors included, goes the way the notebook reads the data.
        frame = load_bank_data(input_path, rows=None)
    return split_and_write(frame, workdir, train_fraction, seed)


# --- the fast path: moving lines ------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """Where the header ends and each data row starts and ends (end exclusive, with its LF)."""

    header_end: int
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.ends)


# Scanned in pieces of about this size, to keep the scan's scratch arrays small.
_SCAN_BYTES = 4 << 20
# Rows gathered per write.
_WRITE_ROWS = 65_536
# int64 holds every 18-digit number: longer fields are left to pandas.
_MAX_FIELD_WIDTH = 18


def canonical_rows(data: bytes) -> Rows | None:
    """The data rows of `data` if it is exactly what ``to_csv`` writes for an integer frame.

    That is: a header line without quotes, then one or more rows, each ending in LF,
    each with the header's number of fields, each field a canonical integer (no sign
    but a leading ``-``, no leading zeros, no ``-0``, at most 18 characters). For such
    text, reading with ``read_csv(index_col=0)`` and writing with ``to_csv`` gives each
    line back unchanged. None otherwise: the caller then takes pandas' path.
    """
    import numpy as np

    header_end = data.find(b"\n") + 1
    if header_end == 0 or header_end == len(data) or not data.endswith(b"\n"):
        return None
    header = data[:header_end]
    if b'"' in header or b"\r" in header:
        return None
    fields = header.count(b",") + 1
    buffer = np.frombuffer(data, dtype=np.uint8)

    ends = []
    start = header_end
    while start < len(data):
        stop = data.rfind(b"\n", start, start + _SCAN_BYTES) + 1
        if stop <= start:  # one row longer than a whole piece: not this kind of data
            return None
        piece_ends = _canonical_piece(buffer[start:stop], fields)
        if piece_ends is None:
            return None
        ends.append(piece_ends + start + 1)
        start = stop
    row_ends = np.concatenate(ends)
    row_starts = np.empty_like(row_ends)
    row_starts[0] = header_end
    row_starts[1:] = row_ends[:-1]
    return Rows(header_end, row_starts, row_ends)


def _canonical_piece(piece: npt.NDArray[np.uint8], fields: int) -> npt.NDArray[np.int64] | None:
    """Check whole rows of bytes; the offsets of their LFs, or None if one is not canonical."""
    import numpy as np

    # Only digits, ',', '-' and LF. Digits are the bytes from '0' to '9'; below '0', the
    # separators (',' and LF, and any other byte below '-': the grid check refuses those)
    # and '-' must account for every byte.
    if piece.max() > ord("9"):
        return None
    separators = np.flatnonzero(piece < ord("-"))
    minus_signs = np.count_nonzero(piece == ord("-"))
    if np.count_nonzero(piece < ord("0")) != separators.size + minus_signs:  # '.' or '/'
        return None
    if separators.size % fields:
        return None
    # Row by row: (fields - 1) commas, then the LF.
    grid = piece[separators].reshape(-1, fields)
    if not ((grid[:, :-1] == ord(",")).all() and (grid[:, -1] == ord("\n")).all()):
        return None
    field_starts = np.empty_like(separators)
    field_starts[0] = 0
    field_starts[1:] = separators[:-1] + 1
    widths = separators - field_starts
    if widths.min() < 1 or widths.max() > _MAX_FIELD_WIDTH:
        return None
    first = piece[field_starts]
    if ((first == ord("0")) & (widths > 1)).any():  # a leading zero
        return None
    negative = first == ord("-")
    if np.count_nonzero(negative) != minus_signs:  # a '-' inside a field
        return None
    after_minus = piece[field_starts[negative] + 1]
    if not ((after_minus >= ord("1")) & (after_minus <= ord("9"))).all():  # "-", "-0", "-07"
        return None
    row_ends: npt.NDArray[np.int64] = separators[fields - 1 :: fields].astype(np.int64)
    return row_ends


def _canonical_split_input(data: bytes) -> tuple[pd.DataFrame, Rows] | None:
    """The header (as pandas reads it) and rows, if the fast path may split `data`."""
    rows = canonical_rows(data)
    if rows is None:
        return None
    header = _read_header(data[: rows.header_end])
    if header is None or tuple(str(column) for column in header.columns) != BANK_COLUMNS:
        return None  # the full read names what is wrong
    return header, rows


def _read_header(header: bytes) -> pd.DataFrame | None:
    """The header line as pandas reads it: an empty frame with the file's columns."""
    import pandas as pd

    try:
        return pd.read_csv(io.BytesIO(header), index_col=0)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None


def _split_lines(
    data: bytes,
    header: pd.DataFrame,
    rows: Rows,
    workdir: Path,
    train_fraction: float,
    seed: int,
) -> SplitOutcome:
    """The split of canonical text: pandas' own header line, then the shuffled lines."""
    cut = train_rows(len(rows), train_fraction)
    positions = shuffled_positions(len(rows), seed)
    header_line = header.to_csv(lineterminator="\n").encode("utf-8")
    train_path, test_path = _part_paths(workdir)
    with atomic_writer(train_path) as train_out, atomic_writer(test_path) as test_out:
        for out, part in ((train_out, positions[:cut]), (test_out, positions[cut:])):
            out.write(header_line)
            _write_rows(out, data, rows, part)
    columns = len(header.columns)
    return SplitOutcome(train_path, test_path, (cut, columns), (len(rows) - cut, columns))


def _write_rows(out: BinaryIO, data: bytes, rows: Rows, positions: npt.NDArray[np.intp]) -> None:
    """Write the rows at `positions`, in that order, a block of them at a time."""
    for first in range(0, positions.size, _WRITE_ROWS):
        block = positions[first : first + _WRITE_ROWS]
        spans = zip(rows.starts[block].tolist(), rows.ends[block].tolist(), strict=True)
        out.write(b"".join([data[start:end] for start, end in spans]))


# --- helpers --------------------------------------------------------------------------------


def _read_if_possible(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read (the full read then says why)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _header_only(data: bytes) -> bool:
    """A CSV header line and nothing after it."""
    first_line, _, rest = data.partition(b"\n")
    return b"," in first_line and not rest.strip()


def _part_paths(workdir: Path) -> tuple[Path, Path]:
    return workdir / settings.TRAIN_FILE_NAME, workdir / settings.TEST_FILE_NAME


def _show(value: float) -> str:
    """A fraction as the user typed it: 0.00002, not 2e-05."""
    import numpy as np

    return str(np.format_float_positional(value, trim="-"))
