"""Step definitions for tutorial step 3f: split the data, and rebuild it from the raw UCI file.

Every split runs as ``sagemaker-tutorial split`` runs it (its one function,
``pipeline.split_command``), in-process, in the scenario's workdir. "The tutorial's
data" is the real bank_clean.csv when BANK_DATA_DIR is set, else the project's
synthetic stand-in with the same schema and row count; either way the split has
41,188 rows to cut. The ``told`` fixture feeds the shared ``I am told "..."`` step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.download import sha1_of_file
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.options import PreprocessOptions, SplitOptions
from sagemaker_tutorial.pipeline import preprocess_step, split_command

from .bilingual import given, then, when
from .common import Told, attempt

RAW_FILE_NAME = "bank-additional-full.csv"


@dataclass
class Split:
    """The two parts one run of the split wrote, as bytes (a later run may overwrite them)."""

    train: bytes
    test: bytes

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        import io

        return (
            pd.read_csv(io.BytesIO(self.train), index_col=0),
            pd.read_csv(io.BytesIO(self.test), index_col=0),
        )


def _real_data_dir() -> Path | None:
    data_dir = os.environ.get(settings.ENV_DATA_DIR)
    return Path(data_dir) if data_dir else None


def _tutorial_data(workdir: Path) -> Path:
    """The real file where the run has it (never copied), else the synthetic stand-in."""
    data_dir = _real_data_dir()
    if data_dir is not None and (data_dir / settings.DATA_FILE_NAME).is_file():
        return data_dir / settings.DATA_FILE_NAME
    path = workdir / "data" / settings.DATA_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(synthetic_csv())
    return path


def _split(workdir: Path, data_file: Path, **options: Any) -> Told:
    """`split` as the command runs it: its one function, in the scenario's workdir."""
    split = SplitOptions(input=data_file, **options)
    told, _ = attempt(lambda reporter: split_command(workdir, split, reporter))
    return told


def _parts(workdir: Path) -> Split:
    return Split(
        (workdir / settings.TRAIN_FILE_NAME).read_bytes(),
        (workdir / settings.TEST_FILE_NAME).read_bytes(),
    )


# --- Given ---------------------------------------------------------------------------------------


@given("the tutorial's data", "チュートリアルのデータがある", target_fixture="data_file")
def tutorial_data(workdir: Path) -> Path:
    return _tutorial_data(workdir)


@given(
    "the tutorial's data without its y_yes column",
    "y_yes 列のないチュートリアルのデータがある",
    target_fixture="data_file",
)
def data_without_y_yes(workdir: Path) -> Path:
    frame = pd.read_csv(_tutorial_data(workdir), index_col=0).drop(columns="y_yes")
    path = workdir / "other" / settings.DATA_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, lineterminator="\n")
    return path


@given("an empty bank_clean.csv", "空の bank_clean.csv がある", target_fixture="data_file")
def empty_data(workdir: Path) -> Path:
    path = workdir / "data" / settings.DATA_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


@given(
    "a bank_clean.csv with the tutorial's header and no rows",
    "チュートリアルのヘッダーだけがあって行のない bank_clean.csv がある",
    target_fixture="data_file",
)
def header_only_data(workdir: Path) -> Path:
    header = synthetic_csv().split(b"\n", 1)[0] + b"\n"
    path = workdir / "data" / settings.DATA_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header)
    return path


# --- When ----------------------------------------------------------------------------------------


@when("I split the data", "データを分割する", target_fixture="told")
def split_data(data_file: Path, workdir: Path, record_figure: Any) -> Told:
    told = _split(workdir, data_file)
    if told.exit_code == 0:
        record_figure("split", workdir=workdir)
    return told


@when(
    parsers.parse("I split the data with a train fraction of {fraction}"),
    parsers.parse("トレーニングデータの割合を {fraction} としてデータを分割する"),
    target_fixture="told",
)
def split_with_fraction(workdir: Path, data_file: Path, fraction: str) -> Told:
    return _split(workdir, data_file, train_fraction=float(fraction))


@when(
    parsers.parse("I split the data twice with seed {seed:d}"),
    parsers.parse("シード {seed:d} でデータを 2 回分割する"),
    target_fixture="splits",
)
def split_twice(data_file: Path, workdir: Path, seed: int) -> list[Split]:
    splits = []
    for _ in range(2):
        told = _split(workdir, data_file, seed=seed)
        assert told.exit_code == 0, told.text
        splits.append(_parts(workdir))
    return splits


@when(
    parsers.parse("I split the data with seed {first:d} and again with seed {second:d}"),
    parsers.parse("シード {first:d} でデータを分割し、シード {second:d} でもう一度分割する"),
    target_fixture="splits",
)
def split_with_two_seeds(data_file: Path, workdir: Path, first: int, second: int) -> list[Split]:
    splits = []
    for seed in (first, second):
        told = _split(workdir, data_file, seed=seed)
        assert told.exit_code == 0, told.text
        splits.append(_parts(workdir))
    return splits


# --- Then ----------------------------------------------------------------------------------------


@pytest.fixture
def split_parts(told: Told, workdir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    assert told.exit_code == 0, told.text
    return _parts(workdir).frames()


@then(parsers.parse('I am shown "{line}"'), parsers.parse("「{line}」が表示される"))
def shown(told: Told, line: str) -> None:
    assert told.exit_code == 0, told.text
    assert told.text == line + "\n"


@then(
    "both parts have the columns y_no and y_yes",
    "トレーニングデータにもテストデータにも y_no 列と y_yes 列がある",
)
def parts_have_labels(split_parts: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    for part in split_parts:
        assert {"y_no", "y_yes"} <= set(part.columns)
        assert part["y_yes"].isin([0, 1]).all()


@then("no row is in both parts", "両方に入っている行は一つもない")
def disjoint(split_parts: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = split_parts
    assert train.index.intersection(test.index).empty


@then(
    "together the parts hold every row of the data",
    "二つを合わせると、元のデータの行がすべてそろう",
)
def whole(split_parts: tuple[pd.DataFrame, pd.DataFrame], data_file: Path) -> None:
    original = pd.read_csv(data_file, index_col=0)
    together = pd.concat(split_parts).sort_index()
    pd.testing.assert_frame_equal(together, original)


@then("both splits are the same, row for row", "二回の分割は一行残らず同じである")
def same_splits(splits: list[Split]) -> None:
    first, second = splits
    assert first == second


@then("the two test parts hold different rows", "二つのテストデータは異なる行からなる")
def different_splits(splits: list[Split]) -> None:
    (_, first), (_, second) = (split.frames() for split in splits)
    assert len(first) == len(second)
    assert set(first.index) != set(second.index)


@then(
    parsers.parse('the test part holds {no:d} "no" and {yes:d} "yes"'),
    parsers.parse("テストデータには「no」が {no:d} 件、「yes」が {yes:d} 件ある"),
)
def test_part_labels(split_parts: tuple[pd.DataFrame, pd.DataFrame], no: int, yes: int) -> None:
    _, test = split_parts
    assert (int((test["y_no"] == 1).sum()), int((test["y_yes"] == 1).sum())) == (no, yes)


@then("no part was written", "トレーニングデータもテストデータも書き出されない")
def nothing_written(workdir: Path) -> None:
    assert not (workdir / settings.TRAIN_FILE_NAME).exists()
    assert not (workdir / settings.TEST_FILE_NAME).exists()
    assert not [path.name for path in workdir.glob(".*.part")]


# --- the raw UCI file ----------------------------------------------------------------------------


def _raw_file() -> Path:
    data_dir = _real_data_dir()
    raw = data_dir / RAW_FILE_NAME if data_dir is not None else None
    if raw is None or not raw.is_file():
        pytest.skip(f"needs the raw UCI file: {settings.ENV_DATA_DIR}/{RAW_FILE_NAME}")
    return raw


def _changed_raw(workdir: Path, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
    frame = change(pd.read_csv(_raw_file(), sep=";"))
    path = workdir / "raw" / RAW_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=";", index=False)
    return path


@given(
    "the raw UCI file bank-additional-full.csv",
    "UCI の生データファイル bank-additional-full.csv がある",
    target_fixture="raw_file",
)
def raw_file() -> Path:
    return _raw_file()


@given(
    parsers.parse("the raw UCI file with one client's job changed to {job}"),
    parsers.parse("顧客一人の職業を {job} に書き換えた UCI の生データファイルがある"),
    target_fixture="raw_file",
)
def raw_with_job(workdir: Path, job: str) -> Path:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[len(frame) // 2, "job"] = job
        return frame

    return _changed_raw(workdir, change)


@given(
    parsers.parse("the raw UCI file without its {column} column"),
    parsers.parse("{column} 列を取り除いた UCI の生データファイルがある"),
    target_fixture="raw_file",
)
def raw_without(workdir: Path, column: str) -> Path:
    return _changed_raw(workdir, lambda frame: frame.drop(columns=column))


@given(
    parsers.parse("the raw UCI file with an extra column {column}"),
    parsers.parse("余分な列 {column} を加えた UCI の生データファイルがある"),
    target_fixture="raw_file",
)
def raw_with_extra(workdir: Path, column: str) -> Path:
    return _changed_raw(workdir, lambda frame: frame.assign(**{column: "someone@example.com"}))


@given(
    "a bank_clean.csv that holds other data",
    "別のデータを持つ bank_clean.csv がある",
    target_fixture="other_data",
)
def other_data_there(workdir: Path) -> bytes:
    """The reader's own file where the rebuild would write: synthetic data, say."""
    data = synthetic_csv(rows=50)
    (workdir / settings.DATA_FILE_NAME).write_bytes(data)
    return data


@when(
    "I rebuild bank_clean.csv from it",
    "そこから bank_clean.csv を作り直す",
    target_fixture="told",
)
def rebuild(workdir: Path, raw_file: Path) -> Told:
    options = PreprocessOptions(raw=raw_file)
    told, _ = attempt(lambda reporter: preprocess_step(workdir, options, reporter))
    return told


@then(
    parsers.parse("the rebuilt bank_clean.csv has sha1 {sha1}"),
    parsers.parse("作り直した bank_clean.csv の sha1 は {sha1} である"),
)
def rebuilt_sha1(told: Told, workdir: Path, sha1: str) -> None:
    assert told.exit_code == 0, told.text
    assert sha1_of_file(workdir / settings.DATA_FILE_NAME) == sha1
    assert f"sha1 {sha1}" in told.text


@then(
    parsers.parse("I am told it holds {shape}"),
    parsers.parse("行数と列数は {shape} だと表示される"),
)
def told_shape(told: Told, shape: str) -> None:
    assert told.exit_code == 0, told.text
    assert shape in told.text


@then(
    "bank_clean.csv still holds the other data",
    "bank_clean.csv は元の別のデータのままだ",
)
def other_data_kept(other_data: bytes, workdir: Path) -> None:
    assert (workdir / settings.DATA_FILE_NAME).read_bytes() == other_data
    assert not [path.name for path in workdir.glob(".*.part")]


@then("no bank_clean.csv was written", "bank_clean.csv は書き出されない")
def no_rebuild(workdir: Path) -> None:
    assert not (workdir / settings.DATA_FILE_NAME).exists()
    assert not [path.name for path in workdir.glob(".*.part")]
