"""`sagemaker-tutorial prepare`: steps 3c-3f in one go, in the notebook's order and words.

Everything that can be judged locally (bucket name, URL, split fraction and seed)
is judged first, so a typo costs neither a bucket nor a download. Later steps
(4-6) continue from the Notebook, the bucket and the split this returns.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from . import settings
from .aws.backends import Backend
from .aws.notebook import Notebook, prepare_notebook
from .data.bucket import BucketOutcome, create_tutorial_bucket
from .data.bucket_names import validate_bucket_name
from .data.data_source import fetch_data
from .data.dataset import BANK_ROWS, load_bank_data
from .data.download import check_url, expected_sha1
from .data.split import SplitOutcome, check_fraction, check_seed, split_and_write

Say = Callable[[str], None]


@dataclass(frozen=True)
class Prepared:
    """What steps 3c-3f leave for step 4: the notebook, its bucket and the two parts."""

    notebook: Notebook
    bucket: BucketOutcome
    split: SplitOutcome


def check_prepare_input(args: argparse.Namespace) -> None:
    """Refuse bad input before any network call (exit 2)."""
    if args.bucket is not None:
        validate_bucket_name(args.bucket)
    if args.data_url is not None:
        check_url(args.data_url)
        expected_sha1(args.data_url, args.data_sha1)
    check_fraction(args.train_fraction)
    check_seed(args.seed)


def prepare(backend: Backend, args: argparse.Namespace, say: Say, warn: Say) -> Prepared:
    """Run 3c (setup), 3d (bucket), 3e (download, load), 3f (split), printing as the notebook."""
    check_prepare_input(args)

    notebook = prepare_notebook(backend, args.role, args.xgboost_version)
    for line in notebook.report():
        say(line)

    bucket = create_tutorial_bucket(backend, args.bucket)
    for line in bucket.report():
        say(line)
    for difference in bucket.differences:
        warn(difference)

    data_path = args.workdir / settings.DATA_FILE_NAME
    download = fetch_data(
        backend,
        data_path,
        url=args.data_url,
        sha1=args.data_sha1,
        data_file=args.data_file,
        force=args.force,
    )
    say(download.report())
    # The tutorial's own file must have its 41,188 rows; a file of the reader's
    # choosing (--data-file, --data-url) only the tutorial's columns.
    frame = load_bank_data(data_path, rows=BANK_ROWS if download.is_tutorial_file else None)
    say("Success: Data loaded into dataframe.")

    split = split_and_write(frame, args.workdir, args.train_fraction, args.seed)
    say(split.shapes_line())
    return Prepared(notebook, bucket, split)
