"""The raw UCI file becomes the tutorial's bank_clean.csv, and other raw files are refused.

Small raw inputs are built by hand in the UCI file's own format (';'-separated,
quoted values, CRLF); the byte-for-byte check needs the real file (BANK_DATA_DIR).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.dataset import BANK_COLUMNS
from sagemaker_tutorial.data.preprocess import (
    CATEGORICAL_COLUMNS,
    DROPPED_COLUMNS,
    INTEGER_COLUMNS,
    RAW_COLUMNS,
    categories,
    preprocess_raw,
)
from sagemaker_tutorial.errors import TutorialError

# The raw file's first row, and what the tutorial's file makes of it (its first line).
FIRST_RAW_ROW: dict[str, Any] = {
    "age": 56,
    "job": "housemaid",
    "marital": "married",
    "education": "basic.4y",
    "default": "no",
    "housing": "no",
    "loan": "no",
    "contact": "telephone",
    "month": "may",
    "day_of_week": "mon",
    "duration": 261,
    "campaign": 1,
    "pdays": 999,
    "previous": 0,
    "poutcome": "nonexistent",
    "emp.var.rate": 1.1,
    "cons.price.idx": 93.994,
    "cons.conf.idx": -36.4,
    "euribor3m": 4.857,
    "nr.employed": 5191.0,
    "y": "no",
}
FIRST_CLEAN_LINE = (
    "0,56,1,999,0,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,0,0,0,0,0,1,0,0,1,0,0,1,0,0,0,"
    "1,0,0,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1,0,1,0"
)


def _raw(workdir: Path, rows: list[dict[str, Any]], name: str = "raw.csv") -> Path:
    """Rows written as UCI wrote them: ';', quoted text, CRLF."""
    path = workdir / name
    pd.DataFrame(rows).to_csv(
        path, sep=";", index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n"
    )
    return path


def _row(**changes: Any) -> dict[str, Any]:
    return {**FIRST_RAW_ROW, **changes}


def _clean(workdir: Path, rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = workdir / "out" / settings.DATA_FILE_NAME
    preprocess_raw(_raw(workdir, rows), out)
    return pd.read_csv(out, index_col=0)


def _refusal(workdir: Path, rows: list[dict[str, Any]]) -> str:
    out = workdir / "out" / settings.DATA_FILE_NAME
    with pytest.raises(TutorialError) as error:
        preprocess_raw(_raw(workdir, rows), out)
    assert not out.exists()
    return str(error.value)


# --- the recipe --------------------------------------------------------------------------


def test_the_raw_files_first_row_becomes_the_tutorials_first_line(workdir: Path) -> None:
    out = workdir / settings.DATA_FILE_NAME
    preprocess_raw(_raw(workdir, [FIRST_RAW_ROW]), out)
    header, first = out.read_text().split("\n")[:2]
    assert header == "," + ",".join(BANK_COLUMNS)
    assert first == FIRST_CLEAN_LINE


def test_the_output_has_lf_endings_and_a_range_index(workdir: Path) -> None:
    out = workdir / settings.DATA_FILE_NAME
    preprocess_raw(_raw(workdir, [_row(), _row(age=30), _row(age=31)]), out)
    text = out.read_bytes()
    assert b"\r" not in text
    assert [line.split(b",")[0] for line in text.splitlines()] == [b"", b"0", b"1", b"2"]


@pytest.mark.parametrize(("pdays", "never"), [(999, 1), (6, 0), (0, 0)])
def test_pdays_999_means_the_client_was_never_contacted(
    workdir: Path, pdays: int, never: int
) -> None:
    clean = _clean(workdir, [_row(pdays=pdays)])
    assert (clean.loc[0, "pdays"], clean.loc[0, "no_previous_contact"]) == (pdays, never)


@pytest.mark.parametrize(
    ("job", "not_working"),
    [("student", 1), ("retired", 1), ("unemployed", 1), ("housemaid", 0), ("unknown", 0)],
)
def test_students_retirees_and_the_unemployed_are_not_working(
    workdir: Path, job: str, not_working: int
) -> None:
    assert _clean(workdir, [_row(job=job)]).loc[0, "not_working"] == not_working


def test_every_category_has_its_column_even_when_no_row_has_it(workdir: Path) -> None:
    clean = _clean(workdir, [_row()])
    assert tuple(clean.columns) == BANK_COLUMNS
    for column in CATEGORICAL_COLUMNS:
        group = [f"{column}_{value}" for value in categories(column)]
        assert clean.loc[0, group].sum() == 1, column


def test_duration_and_the_economic_indicators_are_left_out(workdir: Path) -> None:
    clean = _clean(workdir, [_row()])
    for dropped in (
        "duration",
        "emp.var.rate",
        "cons.price.idx",
        "cons.conf.idx",
        "euribor3m",
        "nr.employed",
    ):
        assert not [column for column in clean.columns if column.startswith(dropped)]


def test_the_categories_are_the_one_hot_columns_of_the_tutorials_file() -> None:
    assert categories("month") == (
        "apr",
        "aug",
        "dec",
        "jul",
        "jun",
        "mar",
        "may",
        "nov",
        "oct",
        "sep",
    )
    assert categories("y") == ("no", "yes")
    assert sum(len(categories(column)) for column in CATEGORICAL_COLUMNS) == 55


# --- refusals ----------------------------------------------------------------------------


def test_a_raw_file_without_a_column_is_refused_naming_it(workdir: Path) -> None:
    row = _row()
    del row["poutcome"]
    assert _refusal(workdir, [row]) == (
        "raw.csv is not the raw UCI bank-additional-full.csv: missing column 'poutcome'"
    )


def test_a_raw_file_with_an_unknown_column_is_refused_naming_it(workdir: Path) -> None:
    assert _refusal(workdir, [_row(email="a@example.com")]) == (
        "raw.csv is not the raw UCI bank-additional-full.csv: unknown column 'email'"
    )


def test_missing_and_unknown_columns_are_named_together(workdir: Path) -> None:
    row = _row(Age=56)
    del row["age"], row["y"]
    assert _refusal(workdir, [row]) == (
        "raw.csv is not the raw UCI bank-additional-full.csv: "
        "missing columns 'age', 'y'; unknown column 'Age'"
    )


def test_an_unknown_category_is_refused_naming_the_value_and_the_known_ones(
    workdir: Path,
) -> None:
    assert _refusal(workdir, [_row(), _row(month="jan")]) == (
        "raw.csv: unknown value 'jan' in column 'month' "
        "(known: apr, aug, dec, jul, jun, mar, may, nov, oct, sep)"
    )


def test_an_empty_category_cell_is_refused(workdir: Path) -> None:
    message = _refusal(workdir, [_row(), _row(marital=None)])
    assert message.startswith("raw.csv: unknown value '(empty)' in column 'marital'")


def test_a_label_other_than_yes_or_no_is_refused(workdir: Path) -> None:
    message = _refusal(workdir, [_row(y="maybe"), _row(y="YES")])
    assert message.startswith("raw.csv: unknown values 'YES', 'maybe' in column 'y'")


def test_an_age_that_is_not_a_whole_number_is_refused(workdir: Path) -> None:
    message = _refusal(workdir, [_row(age=56.5)])
    assert message == "raw.csv: column 'age' must hold whole numbers only"


def test_an_empty_raw_file_is_refused(workdir: Path) -> None:
    raw = workdir / "raw.csv"
    raw.write_bytes(b"")
    with pytest.raises(TutorialError) as error:
        preprocess_raw(raw, workdir / "out.csv")
    assert str(error.value) == f"{raw} is empty: expected the raw UCI bank-additional-full.csv"


def test_a_raw_file_with_only_its_header_is_refused(workdir: Path) -> None:
    raw = workdir / "raw.csv"
    raw.write_text(";".join(f'"{column}"' for column in RAW_COLUMNS) + "\r\n")
    with pytest.raises(TutorialError) as error:
        preprocess_raw(raw, workdir / "out.csv")
    assert str(error.value) == "raw.csv has a header but no rows"


def test_a_missing_raw_file_is_refused(workdir: Path) -> None:
    with pytest.raises(TutorialError) as error:
        preprocess_raw(workdir / "nowhere.csv", workdir / "out.csv")
    assert str(error.value) == f"no raw data at {workdir / 'nowhere.csv'}"


def test_a_refused_raw_file_leaves_the_existing_output_as_it_was(workdir: Path) -> None:
    out = workdir / settings.DATA_FILE_NAME
    preprocess_raw(_raw(workdir, [_row()]), out)
    before = out.read_bytes()
    with pytest.raises(TutorialError):
        preprocess_raw(_raw(workdir, [_row(job="astronaut")], name="bad.csv"), out)
    assert out.read_bytes() == before
    assert sorted(path.name for path in workdir.iterdir()) == [
        "bad.csv",
        settings.DATA_FILE_NAME,
        "raw.csv",
    ]


# --- the real file -----------------------------------------------------------------------


@pytest.fixture
def raw_file(bank_data_file: Path) -> Path:
    raw = bank_data_file.parent / "bank-additional-full.csv"
    if not raw.is_file():
        pytest.skip(f"needs the raw UCI file next to {bank_data_file}")
    return raw


def test_the_raw_uci_file_becomes_the_tutorials_file_byte_for_byte(
    raw_file: Path, bank_data_file: Path, workdir: Path
) -> None:
    out = workdir / settings.DATA_FILE_NAME
    outcome = preprocess_raw(raw_file, out)
    assert hashlib.sha1(out.read_bytes()).hexdigest() == settings.TUTORIAL_DATA_SHA1
    assert out.read_bytes() == bank_data_file.read_bytes()
    assert outcome.report() == (
        f"wrote {out}: (41188, 61), sha1 {settings.TUTORIAL_DATA_SHA1} "
        "(the tutorial's bank_clean.csv, byte for byte)"
    )


def test_the_real_raw_file_holds_exactly_the_known_categories(raw_file: Path) -> None:
    raw = pd.read_csv(raw_file, sep=";")
    assert tuple(raw.columns) == RAW_COLUMNS
    for column in CATEGORICAL_COLUMNS:
        assert tuple(sorted(raw[column].unique())) == categories(column), column


def test_every_raw_column_is_kept_one_hot_encoded_or_dropped_on_purpose() -> None:
    kept = INTEGER_COLUMNS + CATEGORICAL_COLUMNS + DROPPED_COLUMNS
    assert sorted(kept) == sorted(RAW_COLUMNS)
    assert len(set(kept)) == len(kept)
