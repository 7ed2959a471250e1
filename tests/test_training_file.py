"""Step 4a's train.csv: label first, no header, no index, as the tutorial's pandas code writes it.

The file is made by moving each line's fields when the split's part is canonical, so
every test here holds that result against the tutorial's own pandas code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sagemaker_tutorial.data.split import split_file
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.model.upload import training_lines, write_training_file


def tutorials_train_csv(train_data: Path) -> bytes:
    """The tutorial's cell, verbatim but for the line ending and the in-memory result."""
    frame = pd.read_csv(train_data, index_col=0)
    table = pd.concat([frame["y_yes"], frame.drop(["y_no", "y_yes"], axis=1)], axis=1)
    return table.to_csv(index=False, header=False, lineterminator="\n").encode()


def split_part(source: Path, workdir: Path) -> Path:
    split_file(source, workdir)
    return workdir / "train_data.csv"


def test_train_csv_from_the_real_split_is_the_tutorials(
    bank_data_file: Path, tmp_path: Path
) -> None:
    train_data = split_part(bank_data_file, tmp_path)

    written = write_training_file(train_data, tmp_path / "train.csv")

    assert (tmp_path / "train.csv").read_bytes() == tutorials_train_csv(train_data)
    assert (written.rows, written.columns) == (28_831, 60)


def test_train_csv_from_the_synthetic_split_is_the_tutorials(tmp_path: Path) -> None:
    source = tmp_path / "bank_clean.csv"
    source.write_bytes(synthetic_csv(rows=2_000))
    train_data = split_part(source, tmp_path)

    moved = training_lines(train_data.read_bytes())

    assert moved is not None
    assert moved == (tutorials_train_csv(train_data), 1_400)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text.replace(",1\n", ",01\n", 1), id="a-leading-zero"),
        pytest.param(lambda text: text.replace(",age,", ',"age",', 1), id="a-quoted-header"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf-line-endings"),
    ],
)
def test_a_part_pandas_would_rewrite_is_written_by_the_tutorials_code(
    tmp_path: Path, edit: Callable[[str], str]
) -> None:
    source = tmp_path / "bank_clean.csv"
    source.write_bytes(synthetic_csv(rows=200))
    train_data = split_part(source, tmp_path)
    train_data.write_text(edit(train_data.read_text()), newline="")

    write_training_file(train_data, tmp_path / "train.csv")

    assert training_lines(train_data.read_bytes()) is None
    assert (tmp_path / "train.csv").read_bytes() == tutorials_train_csv(train_data)
