"""The tutorial's steps in the notebook's order and words: `prepare` (3c-3f), the step
commands of 4-6, and `run` (3c through 6, then the endpoint taken down).

Everything that can be judged locally (bucket name, URL, data file, split fraction
and seed, cost consent) is judged first, so a typo costs neither a bucket nor a
download. Each step records the names it made in ``<workdir>/state.json`` (see
state.py) for the next command; within one `run` the state lives in memory and the
file is only written, so the run cleans up what it made itself, never what another
process recorded there. A step names what it will create before creating it, so a
signal between the two cannot leave a resource nobody knows of. `run` takes down
what it made whatever ends it, and no signal can cut that clean-up short (see
interrupts.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from . import interrupts, settings, sweep
from .aws.backends import Backend
from .aws.execution_role import ensure_execution_role, resolve_execution_role
from .aws.image_uri import xgboost_image_uri
from .aws.notebook import Notebook, prepare_notebook
from .aws.notebook_instance import delete_notebook_instance, start_notebook_instance
from .cleanup import (
    clean_up_after_run,
    clean_up_recorded,
    find_leftovers,
    remove_leftovers,
    take_down,
)
from .data.bucket import BucketOutcome, create_tutorial_bucket
from .data.bucket_names import validate_bucket_name
from .data.data_source import DownloadOutcome, check_data_source, fetch_data
from .data.dataset import BANK_ROWS, load_bank_data
from .data.split import LABEL_COLUMNS, SplitOutcome, check_fraction, check_seed, split_and_write
from .errors import CostNotAccepted, InputError, TutorialError, WriteError
from .model.evaluation import Evaluation, evaluate, write_evaluation
from .model.hosting import Deployment, deploy
from .model.prediction import PredictionOutcome, predict, read_predictions, write_predictions
from .model.training import start_training, training_request, wait_for_model
from .model.upload import check_instance_count, upload_training_file, write_training_file
from .state import RunState, load_state, save_state, state_for

if TYPE_CHECKING:
    import pandas as pd

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
    check_data_source(args.data_url, args.data_sha1, args.data_file)
    check_fraction(args.train_fraction)
    check_seed(args.seed)


def check_run_input(args: argparse.Namespace) -> None:
    """`run`'s input: prepare's, the upload's and the waits' (exit 2, before any call)."""
    check_prepare_input(args)
    check_instance_count(args.instance_count)
    check_timeout(args.timeout)


def check_timeout(timeout: float) -> None:
    if not timeout > 0:
        raise InputError(f"--timeout must be a number of seconds above 0, not {timeout:g}")


@contextmanager
def step(name: str) -> Iterator[None]:
    """Name the step in a file-system failure (a full disk says which step it stopped)."""
    try:
        yield
    except WriteError as exc:
        raise exc.in_step(name) from exc.__cause__


def prepare(backend: Backend, args: argparse.Namespace, say: Say, warn: Say) -> Prepared:
    """Run 3c (setup), 3d (bucket), 3e (download, load), 3f (split), printing as the notebook."""
    check_prepare_input(args)

    notebook = prepare_notebook(backend, args.role, args.xgboost_version)
    for line in notebook.report():
        say(line)

    bucket = create_tutorial_bucket(backend, args.bucket, warn=warn)
    for line in bucket.report():
        say(line)
    for difference in bucket.differences:
        warn(difference)

    data_path = args.workdir / settings.DATA_FILE_NAME
    with step("step 3e (download)"):
        download = fetch_data(
            backend,
            data_path,
            url=args.data_url,
            sha1=args.data_sha1,
            data_file=args.data_file,
            force=args.force,
        )
        say(download.report())
        frame = load_downloaded(download)
    say("Success: Data loaded into dataframe.")

    with step("step 3f (split)"):
        split = split_and_write(frame, args.workdir, args.train_fraction, args.seed)
    say(split.shapes_line())
    return Prepared(notebook, bucket, split)


def load_downloaded(download: DownloadOutcome) -> pd.DataFrame:
    """The data just fetched, read as the notebook reads it; a file that proves not to be
    the tutorial's data is removed again, so that it cannot block the next run.

    The tutorial's own file must have its 41,188 rows; a file of the reader's
    choosing (--data-file, --data-url) only the tutorial's columns.
    """
    try:
        return load_bank_data(download.path, rows=BANK_ROWS if download.is_tutorial_file else None)
    except TutorialError:
        if not download.reused:
            download.path.unlink(missing_ok=True)
        raise


# --- steps 4-6 -------------------------------------------------------------------------------


def require_cost_consent(
    backend: Backend, allow_cost: bool, starts: str, consent: str = "pass --allow-cost"
) -> None:
    """On the live backend, refuse (exit 2, before any call) to start billed compute unless
    the user said yes: ``--allow-cost`` or SAGEMAKER_TUTORIAL_ALLOW_COST=1. Mock costs nothing.
    ``consent`` is how the caller's user says yes (the Python API has a parameter)."""
    if backend.kind != "live" or allow_cost or os.environ.get(settings.ENV_ALLOW_COST) == "1":
        return
    raise CostNotAccepted(starts, consent)


def recorded_instance_count(workdir: Path) -> int:
    """How many training instances the upload prepared for (1 when nothing is recorded)."""
    state = load_state(workdir)
    return state.instance_count if state is not None else 1


def recorded_state(backend: Backend, workdir: Path) -> RunState:
    """The run recorded in the workdir, for a step command that continues it."""
    return state_for(workdir, backend.kind, backend.region, backend.run_id)


def new_state(backend: Backend) -> RunState:
    """A fresh record for a run that starts now (setup, prepare, run)."""
    return RunState(run_id=backend.run_id, backend=backend.kind, region=backend.region)


def state_to_record_in(backend: Backend, workdir: Path, warn: Say) -> RunState | None:
    """Where a step that makes something new (setup, create-bucket) records it: the
    workdir's run on this backend and region, or a new record when there is none.

    A record of another backend or region is not this run's to extend, nor ours to
    overwrite (it may name an endpoint that bills): None, and a warning that says so.
    """
    state = load_state(workdir)
    if state is None:
        return new_state(backend)
    if (state.backend, state.region) == (backend.kind, backend.region):
        return state
    warn(
        f"not recorded in {workdir / settings.STATE_FILE_NAME}: it records run "
        f"{state.run_id} on the {state.backend} backend in {state.region}; use another "
        "--workdir for this one, or clean that run up first (cleanup)"
    )
    return None


def training_cost(instance_count: int) -> str:
    return f"a training job on {instance_count} x {settings.INSTANCE_TYPE}"


HOSTING_COST = f"an endpoint on 1 x {settings.INSTANCE_TYPE}, billed by the hour until deleted"


def notebook_instance_step(
    backend: Backend,
    *,
    name: str,
    instance_type: str,
    delete: bool,
    allow_cost: bool,
    timeout: float,
    say: Say,
    warn: Say,
) -> None:
    """Step 2: the execution role and the notebook instance; or, with ``delete``, its end."""
    if delete:
        delete_notebook_instance(backend, name, timeout=timeout, say=say)
        return
    require_cost_consent(
        backend, allow_cost, f"a notebook instance on {instance_type}, billed by the hour"
    )
    role = ensure_execution_role(backend)
    say(role.report())
    for problem in role.problems:
        warn(problem)
    start_notebook_instance(backend, name, instance_type, role.arn, timeout=timeout, say=say)


def record_prepared(backend: Backend, workdir: Path, prepared: Prepared) -> RunState:
    """Start the workdir's state from what 3c-3f settled: region, image, role, bucket, files."""
    state = new_state(backend)
    record_notebook(state, prepared.notebook)
    state.bucket = prepared.bucket.name
    record_data_file(state, workdir / settings.DATA_FILE_NAME)
    record_split(state, prepared.split)
    save_state(workdir, state)
    return state


def record_notebook(state: RunState, notebook: Notebook) -> None:
    """3c's settled facts, for `train` and `deploy` to use as they are."""
    state.image_uri, state.role_arn = notebook.image_uri, notebook.role_arn


def record_data_file(state: RunState, path: Path) -> None:
    state.data_file = str(path)


def record_split(state: RunState, split: SplitOutcome) -> None:
    state.train_data, state.test_data = str(split.train_path), str(split.test_path)


def upload_step(
    backend: Backend,
    workdir: Path,
    bucket: str | None,
    prefix: str,
    instance_count: int,
    say: Say,
    state: RunState | None = None,
) -> RunState:
    """4a: write train.csv from the split's training part and upload it as the train channel.

    ``state``: the run's own, held by `run`; a step command reads the workdir's.
    """
    check_instance_count(instance_count)
    if bucket is not None:
        validate_bucket_name(bucket)
    state = state or recorded_state(backend, workdir)
    bucket = bucket or state.require("bucket", "pass --bucket, or run create-bucket or prepare")
    train_data = Path(state.train_data or workdir / settings.TRAIN_FILE_NAME)
    if not train_data.is_file():
        raise InputError(f"no {train_data.name} in {workdir}: split the data first (split)")
    # Recorded before anything is sent: a clean-up must know where the objects go.
    state.bucket, state.prefix, state.instance_count = bucket, prefix, instance_count
    save_state(workdir, state)
    with step("step 4a (upload)"):
        training_file = write_training_file(train_data, workdir / settings.TRAIN_CSV_NAME)
    say(
        f"Wrote {training_file.path.name}: {training_file.rows:,} rows, label first, "
        "no header, no index"
    )
    try:
        uploaded = upload_training_file(backend, bucket, prefix, training_file.path, instance_count)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
        raise TutorialError(
            f"there is no bucket {bucket} on this backend: create it first (create-bucket); "
            "the mock backend's server starts empty for every command unless "
            f"{settings.ENV_MOCK_ENDPOINT} names a running `sagemaker-tutorial serve`"
        ) from None
    for line in uploaded.report():
        say(line)
    state.train_channel = uploaded.channel
    save_state(workdir, state)
    return state


def train_step(
    backend: Backend,
    workdir: Path,
    *,
    role: str | None,
    xgboost_version: str | None,
    timeout: float,
    say: Say,
    state: RunState | None = None,
) -> RunState:
    """4b and 4c: show the training request, start the job, wait for its model.

    The image and role are setup's (recorded), unless given here; the job's name is
    recorded before the job is created, so a stop at any moment finds and stops it.
    """
    check_timeout(timeout)
    state = state or recorded_state(backend, workdir)
    state.require("train_channel", "upload the training data first (upload)")
    bucket = state.require("bucket", "upload the training data first (upload)")
    if xgboost_version is not None or state.image_uri is None:
        state.image_uri = xgboost_image_uri(
            backend.region, xgboost_version or settings.DEFAULT_XGBOOST_VERSION
        )
    if role is not None or state.role_arn is None:
        state.role_arn = resolve_execution_role(backend, role)
    request = training_request(
        # The run's id names the job (and so its model and endpoint) for a clean-up to find.
        f"sagemaker-tutorial-{backend.run_id}-{secrets.token_hex(2)}",
        state.image_uri,
        state.role_arn,
        bucket,
        state.prefix,
        state.instance_count,
        backend.tags(),
    )
    say(f"Training job {request.job_name}:")
    for line in request.report():
        say(line)
    state.training_job, state.model_artifact = request.job_name, None
    save_state(workdir, state)  # recorded before the job exists: a clean-up can find it
    job = start_training(backend, request)
    outcome = wait_for_model(backend, job, timeout, say)
    say(outcome.report())
    state.model_artifact = outcome.model_artifact
    save_state(workdir, state)
    return state


def deploy_step(
    backend: Backend, workdir: Path, *, timeout: float, say: Say, state: RunState | None = None
) -> RunState:
    """5a: host the trained model; the names are recorded before anything is created."""
    check_timeout(timeout)
    state = state or recorded_state(backend, workdir)
    artifact = state.require("model_artifact", "train a model first (train)")
    job = state.require("training_job", "train a model first (train)")
    deployment = Deployment.named(job)
    state.model, state.endpoint_config = deployment.model, deployment.endpoint_config
    state.endpoint = deployment.endpoint
    save_state(workdir, state)
    deploy(
        backend,
        deployment,
        image_uri=state.require("image_uri", "run setup or prepare first"),
        role_arn=state.require("role_arn", "run setup or prepare first"),
        model_artifact=artifact,
        timeout=timeout,
        say=say,
    )
    return state


def predict_step(
    backend: Backend,
    workdir: Path,
    endpoint: str | None,
    say: Say,
    state: RunState | None = None,
) -> Path:
    """5b: predictions for every row of the test part, saved to predictions.csv."""
    if endpoint is None:
        state = state or recorded_state(backend, workdir)
        endpoint = state.require("endpoint", "deploy the model first (deploy), or pass --endpoint")
    test = load_bank_data(_test_part(workdir, state), rows=None)
    features = test.drop(columns=list(LABEL_COLUMNS)).to_numpy()
    predictions, requests = predict(backend, endpoint, features)
    path = workdir / settings.PREDICTIONS_FILE_NAME
    with step("step 5b (predict)"):
        write_predictions(path, predictions)
    say(PredictionOutcome(path, len(predictions), requests).report())
    return path


def evaluate_step(workdir: Path, say: Say, state: RunState | None = None) -> Evaluation:
    """6: the tutorial's block from the test part's labels and the saved predictions."""
    test = load_bank_data(_test_part(workdir, state or load_state(workdir)), rows=None)
    predictions = read_predictions(workdir / settings.PREDICTIONS_FILE_NAME)
    evaluation = evaluate(test["y_yes"].to_numpy(), predictions)
    for line in [*evaluation.tutorial_block(), *evaluation.extra_lines()]:
        say(line)
    path = workdir / settings.EVALUATION_FILE_NAME
    with step("step 6 (evaluate)"):
        write_evaluation(path, evaluation)
    say(f"Saved {path.name}")
    return evaluation


def take_down_step(backend: Backend, workdir: Path, say: Say) -> None:
    """Delete the endpoint, endpoint config and model recorded in the workdir's state."""
    state = recorded_state(backend, workdir)
    if not (state.endpoint or state.endpoint_config or state.model):
        say("Nothing hosted is recorded: no endpoint, endpoint config or model to delete")
        return
    # The names stay recorded, as clean-up leaves them: again, it says what is already gone.
    with interrupts.last_taking_down():
        take_down(backend, state, say)


def cleanup_step(
    backend: Backend,
    workdir: Path,
    *,
    run_id: str | None,
    all_runs: bool,
    yes: bool,
    keep_bucket: bool,
    say: Say,
    older_than: dt.timedelta | None = None,
) -> None:
    """Step 7: the recorded run's resources; or, by tag, a crashed run's or every run's
    (``older_than``: only those made longer ago than that, see sweep.py)."""
    if older_than is not None and run_id is None and not all_runs:
        raise InputError("--older-than goes with --all-runs or --run-id (a search by tag)")
    if run_id is None and not all_runs:
        state = load_state(workdir)
        if state is None:
            raise InputError(
                f"no run is recorded in {workdir / settings.STATE_FILE_NAME}: pass "
                "--run-id ID (a crashed run's leftovers) or --all-runs"
            )
        state = recorded_state(backend, workdir)
        # The names stay recorded: running it again says what is already gone.
        with interrupts.last_taking_down():
            clean_up_recorded(backend, state, keep_bucket=keep_bucket, say=say)
        return
    search = find_leftovers(backend, run_id)
    if search.unreadable_buckets:
        say(
            f"Not checked: {len(search.unreadable_buckets)} bucket(s) in {backend.region} whose "
            "tags this identity may not read (s3:GetBucketTagging: AccessDenied), so whether "
            f"this tool made them is unknown and they are left as they are: "
            f"{', '.join(search.unreadable_buckets)} (a run's own bucket is still cleaned up "
            "by `cleanup` in that run's --workdir)"
        )
    leftovers = search.found
    if older_than is not None:
        leftovers = sweep.older_than(leftovers, older_than, say)
    if not leftovers:
        which = f"run {run_id}" if run_id else "any run"
        say(f"Nothing of {which} is left in {backend.region}")
        return
    for item in leftovers:
        say(f"Found {item.describe()}")
    if all_runs and not yes:
        say(f"Nothing was removed: pass --yes to remove these {len(leftovers)} resources")
        return
    with interrupts.last_taking_down():
        remove_leftovers(backend, leftovers, say)


def _test_part(workdir: Path, state: RunState | None) -> Path:
    path = Path(state.test_data) if state and state.test_data else workdir / settings.TEST_FILE_NAME
    if not path.is_file():
        raise InputError(f"no {path.name} in {workdir}: split the data first (split)")
    return path


def run(backend: Backend, args: argparse.Namespace, say: Say, warn: Say) -> Evaluation:
    """3c through 6 as the notebook runs them; then step 7: the endpoint, its config, the
    model, a job still running and the objects the run wrote are deleted, whether the run
    succeeded, failed or was stopped by a signal at any moment (see interrupts.py).

    The run's state is held here, in memory: the clean-up removes what this run made,
    even when another process rewrote state.json in the meantime.
    """
    check_run_input(args)
    require_cost_consent(
        backend, args.allow_cost, f"{training_cost(args.instance_count)}, then {HOSTING_COST}"
    )
    prepared = prepare(backend, args, say, warn)
    state = record_prepared(backend, args.workdir, prepared)
    with interrupts.taking_down():
        try:
            with interrupts.interruptible():
                return _train_host_and_judge(backend, args, state, say)
        finally:
            clean_up_after_run(backend, state, say)
            interrupts.finished()  # still holding signals: nothing comes between


def _train_host_and_judge(
    backend: Backend, args: argparse.Namespace, state: RunState, say: Say
) -> Evaluation:
    """Steps 4-6 of `run`, on the run's own state."""
    workdir = args.workdir
    upload_step(backend, workdir, None, args.prefix, args.instance_count, say, state)
    train_step(
        backend,
        workdir,
        role=None,
        xgboost_version=None,
        timeout=args.timeout,
        say=say,
        state=state,
    )
    deploy_step(backend, workdir, timeout=args.timeout, say=say, state=state)
    predict_step(backend, workdir, None, say, state)
    return evaluate_step(workdir, say, state)
