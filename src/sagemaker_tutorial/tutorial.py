"""The tutorial as a Python object: one method per notebook cell, for notebooks and scripts.

The tutorial is a notebook whose cells keep their results in the kernel's memory
(``bucket_name``, ``xgb``, ``xgb_predictor``). The CLI has no kernel, so its steps
record names in ``<workdir>/state.json``; `Tutorial` calls the very same step
functions (pipeline.py), with the same typed options (options.py) built from its
parameters and the same kind of reporter, and holds what a kernel needs to hold
between cells: the backend (on mock, the local SageMaker server, which has to outlive
each cell), the run's record once 3c-3f are done, and step 5b's predictions for step
6. state.json is written for other processes and read only to guard against them
(an earlier kernel's run there, an endpoint still recorded). No step's logic or
wording lives here; only which step each cell is, and the notebook's guarantees:

- Every method prints what the tutorial's cell prints, and returns what the cell
  assigns (``bucket_name``, ``model_data``, ``train_data, test_data``...).
- A step run too early is an `InputError` that names the step to run first.
- A failing cell leaves the object usable: `clean_up` (the last cell) always runs,
  and removes what this run made, whichever step failed.
- Billed steps on the live backend need consent, as on the command line.

Example::

    from sagemaker_tutorial import Tutorial

    with Tutorial() as tutorial:          # mock unless SAGEMAKER_TUTORIAL_BACKEND=live
        tutorial.setup()
        tutorial.create_bucket()
        tutorial.download()
        train_data, test_data = tutorial.split()
        tutorial.upload()
        tutorial.train()
        tutorial.deploy()
        tutorial.predict()
        tutorial.evaluate()
        tutorial.clean_up()
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from . import interrupts, settings
from .errors import InputError, TutorialError
from .reporter import Reporter

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from .aws.backends import Backend
    from .aws.notebook import Notebook
    from .data.bucket import BucketOutcome
    from .data.split import SplitOutcome
    from .model.evaluation import Evaluation
    from .options import Consent
    from .pipeline import Predicted
    from .state import RunState

__all__ = ["Tutorial"]


# Every line a cell prints goes through this one reporter (see reporter.py).
_reporter = Reporter()


class Tutorial:
    """One run of the tutorial, steps 3c to 7, on the mock or the live backend.

    ``workdir``: the folder (made if missing) for bank_clean.csv, the split, train.csv,
    the predictions and ``state.json`` (the notebook's own folder by default).
    ``region``: the AWS region (default: the AWS configuration; on mock, ap-northeast-1).
    ``backend``: ``"mock"`` or ``"live"`` (default: ``$SAGEMAKER_TUTORIAL_BACKEND``, else
    mock). Mock runs everything on this machine: a local SageMaker server (moto with real
    XGBoost training and hosting) started now and stopped by `close` or `clean_up`.
    ``data_file``: a local bank_clean.csv to use instead of the tutorial's download (on
    mock, without it: ``$BANK_DATA_DIR/bank_clean.csv``, else synthetic data).
    ``allow_cost``: on live, consent to the billed training job and endpoint (or set
    ``SAGEMAKER_TUTORIAL_ALLOW_COST=1``); without it `train` and `deploy` refuse to start.
    """

    def __init__(
        self,
        workdir: str | os.PathLike[str] = ".",
        *,
        region: str | None = None,
        backend: str | None = None,
        data_file: str | os.PathLike[str] | None = None,
        allow_cost: bool = False,
    ) -> None:
        from .aws.backends import backend_kind, open_backend
        from .data.dataset import check_data_file
        from .workdir import check_workdir

        # Judged as the command line judges them, before anything starts.
        self.workdir = check_workdir(Path(workdir))
        self.data_file = Path(data_file) if data_file is not None else None
        if self.data_file is not None:
            check_data_file(self.data_file)
        self.allow_cost = allow_cost
        self._stack = ExitStack()
        # Held open across cells: on mock this is the local server the later steps call.
        self._backend: Backend | None = self._stack.enter_context(
            open_backend(backend_kind(backend), region)
        )
        self.notebook: Notebook | None = None
        self.bucket: BucketOutcome | None = None
        self.model_data: pd.DataFrame | None = None
        self._split: SplitOutcome | None = None
        # This run's record (state.json is written for the next process, never read back
        # for it) and step 5b's predictions, for step 6: the kernel's memory.
        self._state: RunState | None = None
        self._predicted: Predicted | None = None

    # --- the object's life ------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """Where the calls go; an error once the tutorial is closed (its server is gone)."""
        if self._backend is None:
            raise TutorialError(
                "this Tutorial is closed (clean_up or close ran): create a new Tutorial"
            )
        return self._backend

    @property
    def region(self) -> str:
        return self.backend.region

    @property
    def run_id(self) -> str:
        """The id that names and tags everything this run creates (see `clean_up`)."""
        return self.backend.run_id

    def close(self) -> None:
        """Stop the mock backend's local server; AWS resources are left as they are.

        Idempotent. `clean_up` calls it last; call it yourself only to keep what the
        run made (on live, a deployed endpoint keeps billing until deleted).
        """
        self._backend = None
        self._stack.close()

    def __enter__(self) -> Tutorial:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = (
            f"backend={self._backend.kind!r}, region={self._backend.region!r}"
            if self._backend is not None
            else "closed"
        )
        return f"Tutorial({where}, workdir={str(self.workdir)!r})"

    # --- step 3: prepare the data -----------------------------------------------------------

    def setup(
        self, role: str | None = None, xgboost_version: str = settings.DEFAULT_XGBOOST_VERSION
    ) -> Notebook:
        """3c: the region, the XGBoost image for it and the execution role.

        Prints the tutorial's ``Success - the MySageMakerInstance is in the ...`` line.
        The image comes from the SDK's registry for every region (the tutorial's dict
        knew four); ``xgboost_version="latest"`` is the tutorial's legacy 0.72 image.
        The role: ``role``, else ``$SAGEMAKER_ROLE_ARN``, else the notebook instance's
        (on mock, a role made in the local server).
        """
        from .options import SetupOptions
        from .pipeline import setup_step

        self._refuse_if_hosting()
        options = SetupOptions(role=role, xgboost_version=xgboost_version)
        self.notebook = setup_step(self.backend, options, _reporter)
        self._record_if_prepared()
        return self.notebook

    def create_bucket(self, name: str | None = None) -> str:
        """3d: the S3 bucket, created in the run's region, or the reader's own one reused.

        Returns ``bucket_name`` (default ``sagemaker-tutorial-<account>-<region>``). S3's
        LocationConstraint rules are applied, a re-run is not an error, and a name held
        by another account is: the tutorial's cell printed every error and went on.
        """
        from .options import BucketOptions
        from .pipeline import bucket_step

        self._refuse_if_hosting()
        self.bucket = bucket_step(self.backend, BucketOptions(bucket=name), _reporter)
        self._record_if_prepared()
        return self.bucket.name

    def download(self, *, force: bool = False) -> pd.DataFrame:
        """3e: bank_clean.csv into the workdir, verified by its sha1, read as ``model_data``.

        On live: the tutorial's URL (or ``data_file``). On mock: served from this
        machine (``data_file``, ``$BANK_DATA_DIR``, else synthetic data with the
        tutorial's schema). A different file already in the workdir is replaced only
        with ``force=True``. The frame is checked: the tutorial's 61 integer columns
        (and, for the tutorial's own file, its 41,188 rows).
        """
        from .options import DownloadOptions
        from .pipeline import download_step, load_step

        options = DownloadOptions(data_file=self.data_file, force=force)
        downloaded = download_step(self.backend, self.workdir, options, _reporter)
        self.model_data = load_step(downloaded, _reporter)
        return self.model_data

    def split(
        self,
        train_fraction: float = settings.TRAIN_FRACTION,
        seed: int = settings.SPLIT_SEED,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """3f: the tutorial's shuffled 70/30 split, row for row, on any pandas.

        Returns ``(train_data, test_data)`` as DataFrames (the tutorial's ``np.split``
        gives bare arrays on pandas 3), writes both parts to the workdir for the
        later steps and prints ``(28831, 61) (12357, 61)`` for the tutorial's data.
        """
        from .options import SplitOptions
        from .pipeline import split_step

        if self.model_data is None:
            raise InputError("no data loaded: download the data first (download)")
        self._refuse_if_hosting()
        options = SplitOptions(train_fraction=train_fraction, seed=seed)
        self._split = split_step(self.workdir, options, _reporter, frame=self.model_data)
        self._record_if_prepared()
        if self._split.parts is None:  # a split of a frame always has its parts
            raise TutorialError("the split wrote its files but kept no frames")
        return self._split.parts

    def _record_if_prepared(self) -> None:
        """Once 3c, 3d and 3f have run, record them in state.json as `prepare` does; the
        record is this run's from then on, held here for steps 4-7."""
        from .pipeline import Prepared, record_prepared

        if self.notebook is None or self.bucket is None or self._split is None:
            return
        self._state = record_prepared(
            self.backend, self.workdir, Prepared(self.notebook, self.bucket, self._split)
        )

    def _refuse_if_hosting(self) -> None:
        """Recording 3c-3f starts the run's state afresh: not while this run's endpoint is
        recorded there, or `clean_up` would no longer know it (and on live it bills on)."""
        state = self._state
        if state is None:
            return
        hosted = state.endpoint or state.endpoint_config or state.model
        if hosted:
            raise InputError(
                f"this run's endpoint {hosted} is still recorded: run clean_up first, "
                "then start again with a new Tutorial"
            )

    # --- steps 4-6: train, deploy, predict, evaluate ----------------------------------------

    def upload(self, prefix: str = settings.PREFIX, instance_count: int = 1) -> str:
        """4a: train.csv (label first, no header, no index) to the bucket, verified.

        Returns the training channel, ``s3://<bucket>/<prefix>/train``.
        """
        from .options import UploadOptions
        from .pipeline import UPLOAD_FIRST, upload_step

        missing = [
            step
            for step, done in (
                ("setup", self.notebook),
                ("create_bucket", self.bucket),
                ("download and split", self._split),
            )
            if done is None
        ]
        if missing:
            raise InputError(f"cannot upload the training data: run {', '.join(missing)} first")
        options = UploadOptions(prefix=prefix, instance_count=instance_count)
        state = upload_step(self.backend, self.workdir, options, _reporter, self._state)
        return state.require("train_channel", UPLOAD_FIRST)

    def train(self, *, timeout: float = settings.WAIT_SECONDS) -> str:
        """4b-4c: the training job with the tutorial's hyperparameters; waits for the model.

        Returns the model artifact's S3 URI. Billed on live (see ``allow_cost``).
        ``silent`` becomes ``verbosity`` for the 1.x containers, which reject it.
        """
        from .options import TrainOptions
        from .pipeline import TRAIN_FIRST, train_step

        self._require_this_run("train")
        options = TrainOptions(timeout=timeout, consent=self._consent())
        state = train_step(self.backend, self.workdir, options, _reporter, self._state)
        return state.require("model_artifact", TRAIN_FIRST)

    def deploy(self, *, timeout: float = settings.WAIT_SECONDS) -> str:
        """5a: the model, its endpoint config and the endpoint; returns the endpoint's name.

        Billed by the hour on live until `clean_up` deletes it (see ``allow_cost``).
        """
        from .options import DeployOptions
        from .pipeline import deploy_step

        self._require_this_run("deploy")
        options = DeployOptions(timeout=timeout, consent=self._consent())
        state = deploy_step(self.backend, self.workdir, options, _reporter, self._state)
        return state.require("endpoint", "deploy the model first (deploy)")

    def predict(self) -> npt.NDArray[np.float64]:
        """5b: one probability per test row, in the test part's order (``predictions_array``).

        Sent as CSV with the SDK v3 serializer's format, in batches under the 6 MB
        limit, and parsed whole: the tutorial's ``np.fromstring(predictions[1:])``
        dropped the first digit.
        """
        from .options import PredictOptions
        from .pipeline import predict_step

        self._require_this_run("predict")
        self._predicted = predict_step(
            self.backend, self.workdir, PredictOptions(), _reporter, self._state
        )
        return self._predicted.probabilities

    def evaluate(self) -> Evaluation:
        """6: the tutorial's block (overall rate, the 2x2 table of column shares), plus
        precision, recall and AUC; also saved to evaluation.json."""
        from .pipeline import evaluate_step

        self._require_this_run("evaluate")
        return evaluate_step(self.workdir, _reporter, self._state, self._predicted)

    def _consent(self) -> Consent:
        """The consent to billed compute this object was made with, asked for in its words."""
        from .options import Consent

        return Consent(given=self.allow_cost, how="create the Tutorial with allow_cost=True")

    def _require_this_run(self, step: str) -> None:
        """Steps 4-6 work on this object's run: never on names an earlier run left in the
        workdir's state.json (on mock they live in a server that is gone).

        This run's own record is held here; the file is read only before there is one,
        for what an earlier process recorded there."""
        from .state import load_state

        if self._state is not None:
            return
        state = load_state(self.workdir)
        if state is not None and state.run_id != self.backend.run_id:
            raise InputError(
                f"cannot {step}: {self.workdir / settings.STATE_FILE_NAME} records an earlier "
                f"run ({state.run_id}), not this one ({self.backend.run_id}): run setup, "
                "create_bucket, download and split first"
            )

    # --- step 7 -----------------------------------------------------------------------------

    def clean_up(self) -> None:
        """7: delete what the run made, then close. Safe after any failure, and twice.

        Deletes the endpoint, its config and the model, stops a training job still
        running, deletes every object under the prefix and the bucket: everything the
        workdir's state.json records (also a run of an earlier kernel, so that a
        restarted notebook can still stop its endpoint's bill). What this run made
        before state.json recorded it (a bucket, when a step before the split failed)
        is found by the run's tag. A bucket without the project's tag is never emptied.
        """
        if self._backend is None:
            _reporter.say("Nothing to clean up: this Tutorial is already closed")
            return
        with interrupts.taking_down():  # Ctrl-C (the kernel's interrupt) waits for it
            self._clean_up()

    def _clean_up(self) -> None:
        """This run's record, held here; before there is one, the run an earlier process
        recorded in the workdir, and what this run made found by its tag."""
        from .options import CleanupOptions
        from .pipeline import clean_up_recorded_run, cleanup_step
        from .state import load_state

        if self._state is not None:
            clean_up_recorded_run(self.backend, self._state, CleanupOptions(), _reporter)
        else:
            if load_state(self.workdir) is not None:
                cleanup_step(self.backend, self.workdir, CleanupOptions(), _reporter)
            if self.bucket is not None:
                options = CleanupOptions(run_id=self.backend.run_id)
                cleanup_step(self.backend, self.workdir, options, _reporter)
        # Only now: a clean-up that failed half-way (a throttled call on live) leaves the
        # object open, so the same cell can simply be run again.
        self.close()
