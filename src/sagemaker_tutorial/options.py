"""What each step is asked to do, as typed values: one frozen dataclass per step, and one
for `prepare` and `run`.

The command line builds them from its arguments, `Tutorial` from its parameters, and
the step functions of pipeline.py take nothing else: whichever door a reader comes in
by, the same values reach the same function, and its checks (the exit-2 refusals,
``check_*`` in pipeline.py) run there once. The defaults are the tutorial's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import settings

# How a reader of the command line says yes to billed compute.
CLI_CONSENT = "pass --allow-cost"


@dataclass(frozen=True)
class Consent:
    """On the live backend, the reader's yes to billed compute, and how the door asks for it
    (the refusal names what to do in the door's own words: a flag, a parameter)."""

    given: bool = False
    how: str = CLI_CONSENT


@dataclass(frozen=True)
class NotebookInstanceOptions:
    """Step 2: the notebook instance (and step 2's execution role); ``delete``: its end."""

    name: str = settings.NOTEBOOK_INSTANCE_NAME
    instance_type: str = settings.NOTEBOOK_INSTANCE_TYPE
    delete: bool = False
    consent: Consent = field(default_factory=Consent)
    timeout: float = settings.WAIT_SECONDS


@dataclass(frozen=True)
class SetupOptions:
    """Step 3c: the role (else $SAGEMAKER_ROLE_ARN, else the notebook's) and image version."""

    role: str | None = None
    xgboost_version: str = settings.DEFAULT_XGBOOST_VERSION


@dataclass(frozen=True)
class BucketOptions:
    """Step 3d: the bucket's name (None: sagemaker-tutorial-<account>-<region>)."""

    bucket: str | None = None


@dataclass(frozen=True)
class DownloadOptions:
    """Step 3e: where the data comes from (a URL and its sha1, or a local file), where it
    goes (None: <workdir>/bank_clean.csv), and whether to fetch again or replace."""

    url: str | None = None
    sha1: str | None = None
    data_file: Path | None = None
    out: Path | None = None
    force: bool = False


@dataclass(frozen=True)
class SplitOptions:
    """Step 3f: the share of rows for training and the shuffle's seed; ``input``: the file
    to split (None: the one downloaded)."""

    train_fraction: float = settings.TRAIN_FRACTION
    seed: int = settings.SPLIT_SEED
    input: Path | None = None


@dataclass(frozen=True)
class PreprocessOptions:
    """bank_clean.csv rebuilt from the raw UCI file ``raw``, written to ``out`` (None:
    <workdir>/bank_clean.csv); ``force``: replace a file there that holds other data."""

    raw: Path
    out: Path | None = None
    force: bool = False


@dataclass(frozen=True)
class UploadOptions:
    """Step 4a: the bucket (None: the recorded one), the prefix, the training instances."""

    bucket: str | None = None
    prefix: str = settings.PREFIX
    instance_count: int = 1


@dataclass(frozen=True)
class TrainOptions:
    """Steps 4b-4c: the role and image version (None: setup's), the wait, the consent."""

    role: str | None = None
    xgboost_version: str | None = None
    timeout: float = settings.WAIT_SECONDS
    consent: Consent = field(default_factory=Consent)


@dataclass(frozen=True)
class DeployOptions:
    """Step 5a: how long to wait for the endpoint, and the consent to its bill."""

    timeout: float = settings.WAIT_SECONDS
    consent: Consent = field(default_factory=Consent)


@dataclass(frozen=True)
class PredictOptions:
    """Step 5b: the endpoint to ask (None: the one deploy recorded)."""

    endpoint: str | None = None


@dataclass(frozen=True)
class CleanupOptions:
    """Step 7: the recorded run; or, by tag, one run's (``run_id``) or every run's
    leftovers (``all_runs``, removed only with ``yes``), made longer ago than ``older_than``."""

    run_id: str | None = None
    all_runs: bool = False
    yes: bool = False
    keep_bucket: bool = False
    older_than: dt.timedelta | None = None


@dataclass(frozen=True)
class PrepareOptions:
    """Steps 3c-3f in one go."""

    setup: SetupOptions = field(default_factory=SetupOptions)
    bucket: BucketOptions = field(default_factory=BucketOptions)
    download: DownloadOptions = field(default_factory=DownloadOptions)
    split: SplitOptions = field(default_factory=SplitOptions)


@dataclass(frozen=True)
class RunOptions:
    """Steps 3c-7: prepare's, the upload's, one wait for training and hosting, the consent."""

    prepare: PrepareOptions = field(default_factory=PrepareOptions)
    upload: UploadOptions = field(default_factory=UploadOptions)
    timeout: float = settings.WAIT_SECONDS
    consent: Consent = field(default_factory=Consent)

    @property
    def train(self) -> TrainOptions:
        """Training as `run` does it: setup's role and image, the run's wait and consent."""
        return TrainOptions(timeout=self.timeout, consent=self.consent)

    @property
    def deploy(self) -> DeployOptions:
        return DeployOptions(timeout=self.timeout, consent=self.consent)
