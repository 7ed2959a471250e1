"""Step 5b's request batching and reply parsing, without an endpoint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sagemaker_tutorial.errors import TutorialError
from sagemaker_tutorial.model.prediction import (
    csv_batches,
    parse_predictions,
    read_predictions,
    write_predictions,
)


@pytest.mark.parametrize("reply", ["0.1,0.25,0.9", "0.1\n0.25\n0.9\n", "0.1, 0.25,\n0.9"])
def test_a_reply_separated_by_commas_or_new_lines_gives_one_number_per_row(reply: str) -> None:
    assert parse_predictions(reply, 3).tolist() == [0.1, 0.25, 0.9]


def test_the_first_prediction_is_kept_whole_unlike_the_tutorials_slice() -> None:
    assert parse_predictions("0.731,0.2", 2)[0] == 0.731


def test_a_reply_that_is_not_numbers_is_an_error_that_shows_it() -> None:
    with pytest.raises(TutorialError, match=r"^the endpoint's reply is not numbers: '<html>'"):
        parse_predictions("<html>\n<body>busy</body>", 2)


def test_a_reply_with_fewer_numbers_than_rows_is_an_error_not_a_shorter_array() -> None:
    with pytest.raises(TutorialError, match=r"has 2 numbers for 3 rows: expected one prediction"):
        parse_predictions("0.1,0.2", 3)


def test_batches_hold_whole_rows_and_stay_under_the_limit() -> None:
    rows = np.arange(3000, dtype=np.int64).reshape(1000, 3)
    batches = csv_batches(rows, limit=2000)
    assert len(batches) > 1
    assert all(len(batch.encode()) <= 2000 for batch in batches)
    lines = "\n".join(batches).split("\n")
    assert lines == [f"{a},{b},{c}" for a, b, c in rows.tolist()]


def test_a_single_row_over_the_limit_is_refused() -> None:
    with pytest.raises(TutorialError, match="one row alone is"):
        csv_batches(np.ones((1, 50)), limit=20)


def test_saved_predictions_read_back_exactly(tmp_path: Path) -> None:
    values = np.array([0.1, 1 / 3, 0.987654321012345])
    write_predictions(tmp_path / "predictions.csv", values)
    assert read_predictions(tmp_path / "predictions.csv").tolist() == values.tolist()


def test_missing_predictions_say_which_step_makes_them(tmp_path: Path) -> None:
    with pytest.raises(TutorialError, match=r"run `sagemaker-tutorial predict` first"):
        read_predictions(tmp_path / "predictions.csv")
