"""Every report says which data it is: the tutorial's, the synthetic stand-in, or other."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sagemaker_tutorial import settings
from sagemaker_tutorial.data.kind import OTHER, REAL, SYNTHETIC, data_kind
from sagemaker_tutorial.data.synthetic import synthetic_csv


def _file(tmp_path: Path, name: str, content: bytes) -> tuple[str, Path]:
    path = tmp_path / name
    path.write_bytes(content)
    return hashlib.sha1(content, usedforsecurity=False).hexdigest(), path


def test_the_synthetic_data_is_named_so_by_its_sha1_with_or_without_its_file(
    tmp_path: Path,
) -> None:
    sha1, path = _file(tmp_path, "synthetic.csv", synthetic_csv())
    assert data_kind(sha1) == SYNTHETIC
    assert data_kind(sha1, path) == SYNTHETIC


def test_a_file_with_the_tutorials_header_but_other_rows_is_other_data(tmp_path: Path) -> None:
    header = synthetic_csv().split(b"\n", 1)[0]
    sha1, path = _file(tmp_path, "other.csv", header + b"\n0," + b",".join([b"1"] * 61) + b"\n")
    assert data_kind(sha1, path) == OTHER
    assert data_kind(sha1) == OTHER


def test_a_file_without_the_tutorials_header_is_other_data(tmp_path: Path) -> None:
    sha1, path = _file(tmp_path, "rows.csv", b"41187,56,1,999,0\n" * 1000)
    assert data_kind(sha1, path) == OTHER


def test_the_tutorials_own_sha1_is_its_real_data_whatever_the_file_starts_with(
    tmp_path: Path,
) -> None:
    _, path = _file(tmp_path, "renamed.csv", b"not the header\n")
    assert data_kind(settings.TUTORIAL_DATA_SHA1, path) == REAL
