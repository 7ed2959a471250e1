"""Loading bank_clean.csv as the notebook does, with a schema check that says what arrived."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagemaker_tutorial.data.dataset import BANK_COLUMNS, BANK_ROWS, check_data_file, load_bank_data
from sagemaker_tutorial.errors import InputError, TutorialError

HEADER = "," + ",".join(BANK_COLUMNS) + "\n"


def _csv(tmp_path: Path, header: str = HEADER, rows: int = 3, row: str | None = None) -> Path:
    values = row or ",".join(["40", "1", "999"] + ["0"] * (len(BANK_COLUMNS) - 3))
    path = tmp_path / "bank_clean.csv"
    path.write_text(header + "".join(f"{i},{values}\n" for i in range(rows)))
    return path


def _fails(path: Path, message: str, **kwargs: int | None) -> None:
    with pytest.raises(TutorialError) as error:
        load_bank_data(path, **kwargs)  # type: ignore[arg-type]
    assert str(error.value) == message


def test_the_columns_are_the_tutorials_61_in_the_files_order() -> None:
    assert len(BANK_COLUMNS) == 61
    assert BANK_COLUMNS[:6] == (
        "age",
        "campaign",
        "pdays",
        "previous",
        "no_previous_contact",
        "not_working",
    )
    assert BANK_COLUMNS[-2:] == ("y_no", "y_yes")
    assert len(set(BANK_COLUMNS)) == 61


@pytest.mark.real_data
def test_the_real_file_loads_as_41188_rows_of_61_integer_columns(bank_data_file: Path) -> None:
    frame = load_bank_data(bank_data_file)
    assert frame.shape == (41_188, 61)
    assert tuple(frame.columns) == BANK_COLUMNS
    assert all(str(dtype) == "int64" for dtype in frame.dtypes)
    assert frame["y_yes"].sum() == 4640


def test_a_small_file_with_the_tutorials_schema_loads_when_the_row_count_is_not_enforced(
    tmp_path: Path,
) -> None:
    assert load_bank_data(_csv(tmp_path), rows=None).shape == (3, 61)


def test_a_file_with_other_than_41188_rows_is_not_the_tutorials(tmp_path: Path) -> None:
    _fails(_csv(tmp_path), f"bank_clean.csv has 3 rows; the tutorial's file has {BANK_ROWS:,}")


def test_an_html_page_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_text("\n  <!DOCTYPE html>\n<html><body>Access Denied</body></html>\n")
    _fails(path, "bank_clean.csv looks like an HTML page, not CSV")


def test_an_xml_error_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_text('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')
    _fails(path, "bank_clean.csv looks like an XML document, not CSV")


def test_an_empty_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_bytes(b"")
    _fails(path, "bank_clean.csv is empty (0 bytes)")


def test_binary_data_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00bank_clean.csv")
    _fails(path, "bank_clean.csv looks like binary data, not CSV")


def test_a_missing_file_says_to_download_it_first(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    _fails(path, f"no bank_clean.csv at {path}: download it first (sagemaker-tutorial download)")


def test_the_raw_uci_file_is_recognised_and_preprocessing_suggested(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_text('"age";"job";"marital";"y"\r\n56;"housemaid";"married";"no"\r\n')
    _fails(
        path,
        "bank_clean.csv is ';'-separated: it is the raw UCI bank-additional-full.csv, which "
        "needs preprocessing first (sagemaker-tutorial preprocess --raw PATH)",
    )


def test_a_copy_without_the_index_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_text(",".join(BANK_COLUMNS) + "\n" + ",".join(["1"] * 61) + "\n")
    _fails(
        path,
        "bank_clean.csv has no index column: its header starts with 'age', "
        "the tutorial's file starts with an empty field",
    )


def test_missing_and_unexpected_columns_are_named(tmp_path: Path) -> None:
    header = HEADER.replace(",y_yes\n", ",subscribed\n").replace(",age,", ",Age,")
    _fails(
        _csv(tmp_path, header),
        "bank_clean.csv does not have the tutorial's 61 columns "
        "(61 columns; missing age, y_yes; unexpected Age, subscribed)",
        rows=None,
    )


def test_columns_out_of_order_are_refused(tmp_path: Path) -> None:
    columns = list(BANK_COLUMNS)
    columns[-2:] = ["y_yes", "y_no"]
    _fails(
        _csv(tmp_path, "," + ",".join(columns) + "\n"),
        "bank_clean.csv has the tutorial's columns, but not in the file's order",
        rows=None,
    )


def test_values_that_are_not_integers_are_named(tmp_path: Path) -> None:
    row = ",".join(["40.5", "1", "999"] + ["0"] * (len(BANK_COLUMNS) - 4) + ["yes"])
    _fails(
        _csv(tmp_path, row=row),
        "bank_clean.csv has values that are not integers in 2 column(s): age, y_yes",
        rows=None,
    )


def test_a_data_file_changed_after_it_was_judged_good_is_judged_again(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    check_data_file(path)
    check_data_file(path)  # judged once; the same file, unchanged, is taken as it was
    good = path.read_text()
    path.write_text(good.replace(",".join(BANK_COLUMNS), ",".join(["x", *BANK_COLUMNS[1:]])))
    with pytest.raises(InputError) as error:
        check_data_file(path)
    assert str(error.value).startswith(f"the data file {path}")
