"""Which data a file holds, told by its sha1: the tutorial's real file, synthetic, or other.

On the mock backend the data may be the tutorial's real bank_clean.csv or the
project's synthetic stand-in, and both split into the same shapes, (28831, 61)
and (12357, 61). Every line that reports the data says which it is, so a split of
invented data is never taken for the tutorial's.
"""

from __future__ import annotations

from pathlib import Path

from .. import settings
from ..errors import TutorialError

REAL = "the tutorial's real data"
SYNTHETIC = "synthetic data with the tutorial's schema, not the real data"
OTHER = "data other than the tutorial's file"


def data_kind(sha1: str, path: Path | None = None) -> str:
    """REAL, SYNTHETIC or OTHER, in words, for the data with this sha1.

    ``path``: the file itself, when at hand. The synthetic data's sha1 is known only by
    generating it (a second of work); a file that does not start with the tutorial's
    header line, as the synthetic data does, is other data without that.
    """
    if sha1 == settings.TUTORIAL_DATA_SHA1:
        return REAL
    if path is not None and not _starts_with_bank_header(path):
        return OTHER
    from .synthetic import synthetic_sha1

    return SYNTHETIC if sha1 == synthetic_sha1() else OTHER


def _starts_with_bank_header(path: Path) -> bool:
    from .schema import BANK_COLUMNS

    header = ",".join(("", *BANK_COLUMNS)).encode("ascii") + b"\n"
    try:
        with path.open("rb") as handle:
            return handle.read(len(header)) == header
    except OSError:
        return True  # unreadable here: let the sha1 decide


def would_replace(out: Path, existing_sha1: str, new_sha1: str) -> TutorialError:
    """The error for a run that would replace ``out`` by different data without --force."""
    return TutorialError(
        f"{out} already holds other data than this run would write "
        f"(there: sha1 {existing_sha1}, {data_kind(existing_sha1)}; this run: sha1 {new_sha1}, "
        f"{data_kind(new_sha1)}); nothing was written: pass --force to replace it"
    )
