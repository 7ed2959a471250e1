"""The offline stand-in for bank_clean.csv: the tutorial's schema, deterministic, learnable."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest

from sagemaker_tutorial.data.dataset import BANK_COLUMNS, BANK_ROWS, load_bank_data
from sagemaker_tutorial.data.synthetic import synthetic_csv

GROUPS = (
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
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(synthetic_csv()), index_col=0)


def test_the_header_is_the_tutorials_with_an_empty_index_field_and_lf_endings() -> None:
    text = synthetic_csv().decode("ascii")
    assert text.split("\n", 1)[0] == "," + ",".join(BANK_COLUMNS)
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_it_loads_as_the_tutorials_file_does(tmp_path: Path) -> None:
    path = tmp_path / "bank_clean.csv"
    path.write_bytes(synthetic_csv())
    loaded = load_bank_data(path)
    assert loaded.shape == (41_188, 61) == (BANK_ROWS, len(BANK_COLUMNS))
    assert list(loaded.index) == list(range(BANK_ROWS))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() -> None:
    first = hashlib.sha1(synthetic_csv()).hexdigest()
    synthetic_csv.cache_clear()
    assert hashlib.sha1(synthetic_csv()).hexdigest() == first
    assert synthetic_csv(rows=1_000, seed=1) != synthetic_csv(rows=1_000, seed=2)


def test_about_eleven_percent_say_yes_and_y_no_is_its_complement(frame: pd.DataFrame) -> None:
    assert 0.10 <= frame["y_yes"].mean() <= 0.125
    assert ((frame["y_no"] + frame["y_yes"]) == 1).all()


@pytest.mark.parametrize("group", GROUPS)
def test_each_one_hot_group_has_exactly_one_1_per_row(frame: pd.DataFrame, group: str) -> None:
    columns = [c for c in BANK_COLUMNS if c.startswith(group + "_")]
    assert len(columns) >= 2
    assert set(frame[columns].to_numpy().ravel()) == {0, 1}
    assert (frame[columns].sum(axis=1) == 1).all()


def test_values_lie_in_the_real_files_ranges(frame: pd.DataFrame) -> None:
    assert frame["age"].between(17, 98).all()
    assert frame["campaign"].between(1, 56).all()
    assert frame["previous"].between(0, 7).all()
    assert (frame["pdays"].between(0, 27) | (frame["pdays"] == 999)).all()
    assert 35 <= frame["age"].mean() <= 45


def test_related_fields_hang_together(frame: pd.DataFrame) -> None:
    assert (frame["no_previous_contact"] == (frame["pdays"] == 999)).all()
    never = frame["poutcome_nonexistent"] == 1
    assert (frame.loc[never, "previous"] == 0).all()
    assert (frame.loc[~never, "previous"] >= 1).all()
    assert (frame.loc[frame["poutcome_success"] == 1, "pdays"] < 999).all()
    not_working = frame[["job_student", "job_retired", "job_unemployed"]].sum(axis=1)
    assert (frame["not_working"] == not_working).all()
    assert (frame["housing_unknown"] == frame["loan_unknown"]).all()
    assert frame.loc[frame["job_retired"] == 1, "age"].mean() > 55
    assert frame.loc[frame["job_student"] == 1, "age"].mean() < 30


def test_the_label_can_be_learnt_from_the_features(frame: pd.DataFrame) -> None:
    overall = frame["y_yes"].mean()
    assert frame.loc[frame["poutcome_success"] == 1, "y_yes"].mean() > 4 * overall
    assert frame.loc[frame["month_mar"] == 1, "y_yes"].mean() > 2.5 * overall
    assert frame.loc[frame["contact_cellular"] == 1, "y_yes"].mean() > 1.5 * (
        frame.loc[frame["contact_telephone"] == 1, "y_yes"].mean()
    )
    assert frame.loc[frame["month_may"] == 1, "y_yes"].mean() < overall
