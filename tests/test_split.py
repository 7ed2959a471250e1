"""Step 3f: the split is the tutorial's, row for row, and bad input is refused cleanly.

The reference is the tutorial's own expression, ``np.split(frame.sample(frac=1,
random_state=seed), [int(fraction * n)])``, evaluated the old way: np.split on the
shuffled values (what np.split did under the hood on pandas 2), with the index kept as
a column so that the rows' identities are compared too.
"""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.dataset import BANK_COLUMNS, BANK_ROWS
from sagemaker_tutorial.data.split import (
    SplitOutcome,
    canonical_rows,
    shuffled_positions,
    split_and_write,
    split_file,
    split_frame,
)
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.errors import InputError, TutorialError


def _frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), index_col=0)


@pytest.fixture(scope="module")
def tutorial_frame() -> pd.DataFrame:
    """41,188 rows with the tutorial's schema (the synthetic stand-in)."""
    return _frame(synthetic_csv())


def _small_csv(rows: int) -> bytes:
    return synthetic_csv(rows=rows)


def _old_way(frame: pd.DataFrame, fraction: float, seed: int) -> list[np.ndarray]:
    """The tutorial's line as pandas 2 evaluated it, index and values together."""
    shuffled = frame.sample(frac=1, random_state=seed).reset_index()
    return np.split(shuffled.to_numpy(), [int(fraction * len(frame))])


def _tutorials_files(data: bytes, fraction: float = 0.7, seed: int = 1729) -> tuple[bytes, bytes]:
    """What the notebook's code writes: read_csv, sample, the cut, to_csv."""
    frame = pd.read_csv(io.BytesIO(data), index_col=0)
    shuffled = frame.sample(frac=1, random_state=seed)
    cut = int(fraction * len(frame))
    return (
        shuffled.iloc[:cut].to_csv(lineterminator="\n").encode(),
        shuffled.iloc[cut:].to_csv(lineterminator="\n").encode(),
    )


def _written(workdir: Path) -> tuple[bytes, bytes]:
    return (
        (workdir / settings.TRAIN_FILE_NAME).read_bytes(),
        (workdir / settings.TEST_FILE_NAME).read_bytes(),
    )


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- the rows are the tutorial's ---------------------------------------------------------


@pytest.mark.parametrize(("fraction", "seed"), [(0.7, 1729), (0.7, 42), (0.25, 1729), (0.9, 0)])
def test_split_frame_gives_the_rows_of_the_tutorials_np_split_in_its_order(
    tutorial_frame: pd.DataFrame, fraction: float, seed: int
) -> None:
    train, test = split_frame(tutorial_frame, fraction, seed)
    old_train, old_test = _old_way(tutorial_frame, fraction, seed)
    np.testing.assert_array_equal(train.reset_index().to_numpy(), old_train)
    np.testing.assert_array_equal(test.reset_index().to_numpy(), old_test)
    assert list(train.columns) == list(BANK_COLUMNS) == list(test.columns)


def test_the_tutorials_split_of_41188_rows_is_28831_and_12357(
    tutorial_frame: pd.DataFrame,
) -> None:
    train, test = split_frame(tutorial_frame)
    assert (train.shape, test.shape) == ((28831, 61), (12357, 61))


def test_the_shuffle_is_numpys_legacy_permutation_for_the_seed() -> None:
    """Pins pandas' sample() to RandomState(seed).permutation: if it ever changed, the
    published results would no longer be reproducible, and this says so."""
    expected = np.random.RandomState(1729).permutation(BANK_ROWS)
    np.testing.assert_array_equal(shuffled_positions(BANK_ROWS, 1729), expected)


def test_the_shuffle_does_not_depend_on_the_values(tutorial_frame: pd.DataFrame) -> None:
    shuffled = tutorial_frame.sample(frac=1, random_state=1729)
    np.testing.assert_array_equal(
        shuffled.index.to_numpy(), shuffled_positions(len(tutorial_frame), 1729)
    )


def test_split_file_writes_the_bytes_the_tutorials_code_writes(workdir: Path) -> None:
    data = synthetic_csv()
    source = _write(workdir / "in" / settings.DATA_FILE_NAME, data)
    outcome = split_file(source, workdir, 0.7, 1729)
    assert _written(workdir) == _tutorials_files(data)
    assert outcome == SplitOutcome(
        workdir / settings.TRAIN_FILE_NAME,
        workdir / settings.TEST_FILE_NAME,
        (28831, 61),
        (12357, 61),
    )
    assert outcome.shapes_line() == "(28831, 61) (12357, 61)"


def test_split_file_handles_any_number_of_rows(workdir: Path) -> None:
    data = _small_csv(10)
    outcome = split_file(_write(workdir / "in" / "small.csv", data), workdir, 0.7, 1729)
    assert outcome.shapes_line() == "(7, 61) (3, 61)"
    assert _written(workdir) == _tutorials_files(data)


def test_split_and_write_writes_what_split_file_writes(
    tutorial_frame: pd.DataFrame, workdir: Path
) -> None:
    outcome = split_and_write(tutorial_frame, workdir / "frame", 0.7, 1729)
    split_file(_write(workdir / "in.csv", synthetic_csv()), workdir / "file", 0.7, 1729)
    assert _written(workdir / "frame") == _written(workdir / "file")
    assert outcome.shapes_line() == "(28831, 61) (12357, 61)"


def test_the_tutorials_file_splits_with_10936_no_and_1421_yes_in_the_test_part(
    bank_data_file: Path, workdir: Path
) -> None:
    outcome = split_file(bank_data_file, workdir, 0.7, 1729)
    assert outcome.shapes_line() == "(28831, 61) (12357, 61)"
    test = pd.read_csv(outcome.test_path, index_col=0)
    assert (int(test["y_no"].sum()), int(test["y_yes"].sum())) == (10936, 1421)
    assert _written(workdir) == _tutorials_files(bank_data_file.read_bytes())


# --- the fast path is only taken where it gives the same bytes ---------------------------


def _variant(data: bytes, kind: str) -> bytes:
    """The same data, written in a way pandas reads the same but to_csv would not repeat."""
    header, body = data.split(b"\n", 1)
    rows = body.splitlines()
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "leading zeros":
        return header + b"\n" + b"\n".join([b"0" + rows[0], *rows[1:]]) + b"\n"
    if kind == "plus sign":
        index, rest = rows[1].split(b",", 1)
        return header + b"\n" + b"\n".join([rows[0], b"+" + index + b"," + rest, *rows[2:]]) + b"\n"
    if kind == "spaces":
        return header + b"\n" + b"\n".join([rows[0].replace(b",", b", ", 1), *rows[1:]]) + b"\n"
    if kind == "quoted header":
        quoted = b",".join(b'"' + name + b'"' for name in header.split(b",")[1:])
        return b"," + quoted + b"\n" + body
    if kind == "no final newline":
        return data.rstrip(b"\n")
    if kind == "blank lines":
        return header + b"\n\n" + body + b"\n"
    if kind == "byte order mark":
        return b"\xef\xbb\xbf" + data
    if kind == "named index":
        return b"id" + data
    if kind == "negative zero":
        index, rest = rows[2].split(b",", 1)
        return header + b"\n" + b"\n".join([*rows[:2], b"-0," + rest, *rows[3:]]) + b"\n"
    if kind == "negative values":
        negative = [row if row.startswith(b"0,") else b"-" + row for row in rows]
        return header + b"\n" + b"\n".join(negative) + b"\n"
    raise AssertionError(kind)


CANONICAL = ["byte order mark", "named index", "negative values"]
NOT_CANONICAL = [
    "crlf",
    "leading zeros",
    "plus sign",
    "spaces",
    "quoted header",
    "no final newline",
    "blank lines",
    "negative zero",
]


@pytest.mark.parametrize("kind", CANONICAL + NOT_CANONICAL)
def test_split_file_writes_what_the_tutorials_code_writes_for_any_spelling_of_the_data(
    workdir: Path, kind: str
) -> None:
    data = _variant(_small_csv(40), kind)
    split_file(_write(workdir / "in" / "data.csv", data), workdir, 0.7, 1729)
    assert _written(workdir) == _tutorials_files(data)


@pytest.mark.parametrize("kind", CANONICAL)
def test_text_as_to_csv_writes_it_is_split_line_by_line_in_any_spelling(kind: str) -> None:
    assert canonical_rows(_variant(_small_csv(40), kind)) is not None


@pytest.mark.parametrize("kind", NOT_CANONICAL)
def test_text_to_csv_would_not_repeat_is_left_to_pandas(kind: str) -> None:
    assert canonical_rows(_variant(_small_csv(40), kind)) is None


def test_text_as_to_csv_writes_it_is_split_line_by_line() -> None:
    data = synthetic_csv()
    rows = canonical_rows(data)
    assert rows is not None
    assert len(rows) == BANK_ROWS
    assert data[rows.starts[0] : rows.ends[0]].startswith(b"0,")
    assert rows.ends[-1] == len(data)


@pytest.mark.parametrize(
    "field",
    [b"1234567890123456789", b"1.0", b"1e3", b"", b"-", b"NaN", b"0x1"],
    ids=["19 digits", "decimal", "exponent", "empty", "lone minus", "NaN", "hex"],
)
def test_a_field_that_is_not_a_plain_integer_is_left_to_pandas(field: bytes) -> None:
    header, first, rest = synthetic_csv(rows=5).split(b"\n", 2)
    index, _age, others = first.split(b",", 2)
    data = b"\n".join([header, b",".join([index, field, others]), rest])
    assert canonical_rows(data) is None


def test_a_row_with_a_field_too_many_is_left_to_pandas() -> None:
    header, first, rest = synthetic_csv(rows=5).split(b"\n", 2)
    assert canonical_rows(b"\n".join([header, first + b",0", rest])) is None


def test_rows_longer_than_a_scan_piece_are_read_in_pieces_all_the_same(workdir: Path) -> None:
    """4 MB pieces: 100,000 rows (13 MB) span several, and split as the tutorial does."""
    data = synthetic_csv(rows=100_000)
    split_file(_write(workdir / "in.csv", data), workdir, 0.7, 1729)
    assert (
        hashlib.sha1(b"".join(_written(workdir))).digest()
        == hashlib.sha1(b"".join(_tutorials_files(data))).digest()
    )


# --- the fraction and the seed -------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.3, 1.5, math.nan, math.inf])
def test_a_fraction_outside_0_to_1_is_refused_before_reading(
    workdir: Path, fraction: float
) -> None:
    with pytest.raises(InputError) as error:
        split_file(workdir / "does-not-exist.csv", workdir, fraction, 1729)
    assert str(error.value).startswith(
        "the train fraction must be between 0 and 1 (both excluded), not "
    )


def test_a_fraction_is_shown_as_typed_not_in_exponent_form(tutorial_frame: pd.DataFrame) -> None:
    with pytest.raises(InputError) as error:
        split_frame(tutorial_frame, 0.00002)
    assert str(error.value) == (
        "a train fraction of 0.00002 leaves the training part empty: int(0.00002 * 41188) = 0"
    )


@pytest.mark.parametrize("fraction", [0.05, 0.09])
def test_a_fraction_that_leaves_the_training_part_empty_writes_nothing(
    workdir: Path, fraction: float
) -> None:
    source = _write(workdir / "in" / "small.csv", _small_csv(10))
    with pytest.raises(InputError) as error:
        split_file(source, workdir, fraction, 1729)
    assert "leaves the training part empty: int(" in str(error.value)
    assert str(error.value).endswith(" * 10) = 0")
    assert not (workdir / settings.TRAIN_FILE_NAME).exists()
    assert not (workdir / settings.TEST_FILE_NAME).exists()


def test_the_largest_fraction_below_1_still_leaves_a_row_for_testing(
    tutorial_frame: pd.DataFrame,
) -> None:
    train, test = split_frame(tutorial_frame.iloc[:3], float(np.nextafter(1.0, 0.0)))
    assert (len(train), len(test)) == (2, 1)


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_a_seed_numpy_cannot_take_is_refused(tutorial_frame: pd.DataFrame, seed: int) -> None:
    with pytest.raises(InputError) as error:
        split_frame(tutorial_frame, 0.7, seed)
    assert str(error.value) == f"the seed must be a whole number from 0 to 4294967295, not {seed}"


# --- bad data ----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [["y_yes"], ["y_no"], ["y_no", "y_yes"]])
def test_a_frame_without_its_labels_is_refused(
    tutorial_frame: pd.DataFrame, missing: list[str]
) -> None:
    with pytest.raises(TutorialError) as error:
        split_frame(tutorial_frame.drop(columns=missing))
    assert not isinstance(error.value, InputError)
    assert str(error.value) == (
        "cannot split data without its label columns y_no and y_yes "
        f"(missing: {', '.join(missing)})"
    )


def test_an_empty_frame_is_refused(tutorial_frame: pd.DataFrame) -> None:
    with pytest.raises(TutorialError) as error:
        split_frame(tutorial_frame.iloc[:0])
    assert str(error.value) == "nothing to split: the data has no rows"


def test_a_file_without_y_yes_is_refused_naming_the_column(workdir: Path) -> None:
    frame = _frame(_small_csv(10)).drop(columns="y_yes")
    source = workdir / "in" / settings.DATA_FILE_NAME
    source.parent.mkdir()
    frame.to_csv(source, lineterminator="\n")
    with pytest.raises(TutorialError) as error:
        split_file(source, workdir, 0.7, 1729)
    assert "missing y_yes" in str(error.value)
    assert not (workdir / settings.TRAIN_FILE_NAME).exists()


@pytest.mark.parametrize("content", [b"", b"\n", b" \r\n"], ids=["0 bytes", "LF", "blank"])
def test_an_empty_file_is_refused(workdir: Path, content: bytes) -> None:
    source = _write(workdir / "in" / settings.DATA_FILE_NAME, content)
    with pytest.raises(TutorialError) as error:
        split_file(source, workdir, 0.7, 1729)
    assert str(error.value) == "bank_clean.csv is empty: nothing to split"


def test_a_file_with_only_the_header_is_refused(workdir: Path) -> None:
    header = synthetic_csv(rows=1).split(b"\n")[0] + b"\n"
    source = _write(workdir / "in" / settings.DATA_FILE_NAME, header)
    with pytest.raises(TutorialError) as error:
        split_file(source, workdir, 0.7, 1729)
    assert str(error.value) == "bank_clean.csv has a header but no rows: nothing to split"


def test_a_missing_file_is_refused_with_what_to_do(workdir: Path) -> None:
    with pytest.raises(TutorialError) as error:
        split_file(workdir / settings.DATA_FILE_NAME, workdir, 0.7, 1729)
    assert str(error.value).startswith("no bank_clean.csv at ")
    assert "download it first" in str(error.value)


def test_a_file_with_a_ragged_row_is_refused(workdir: Path) -> None:
    header, first, rest = _small_csv(5).split(b"\n", 2)
    source = _write(workdir / "in" / "data.csv", b"\n".join([header, first + b",1,2", rest]))
    with pytest.raises(TutorialError) as error:
        split_file(source, workdir, 0.7, 1729)
    assert "not a CSV file pandas can read" in str(error.value)


# --- the files ---------------------------------------------------------------------------


def test_a_refused_split_leaves_the_previous_parts_as_they_were(workdir: Path) -> None:
    split_file(_write(workdir / "in" / "data.csv", _small_csv(10)), workdir, 0.7, 1729)
    before = _written(workdir)
    broken = _write(workdir / "in" / "broken.csv", _small_csv(10)[:-40])
    with pytest.raises(TutorialError):
        split_file(broken, workdir, 0.7, 1729)
    assert _written(workdir) == before
    assert sorted(path.name for path in workdir.iterdir()) == [
        "in",
        settings.TEST_FILE_NAME,
        settings.TRAIN_FILE_NAME,
    ]


def test_the_parts_read_back_like_the_input(workdir: Path) -> None:
    data = _small_csv(20)
    outcome = split_file(_write(workdir / "in.csv", data), workdir, 0.7, 1729)
    train = pd.read_csv(outcome.train_path, index_col=0)
    test = pd.read_csv(outcome.test_path, index_col=0)
    whole = pd.concat([train, test]).sort_index()
    pd.testing.assert_frame_equal(whole, _frame(data))
    assert b"\r" not in outcome.train_path.read_bytes()
