"""The tutorial's steps in the notebook's order and words: `prepare` (3c-3f), the step
commands of 4-6, and `run` (3c through 6, then the endpoint taken down).

Everything that can be judged locally (bucket name, URL, split fraction and seed,
cost consent) is judged first, so a typo costs neither a bucket nor a download.
Each step records the names it made in ``<workdir>/state.json`` (see state.py) for
the next one; `run` also takes down what it hosted, whatever ends it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import ClientError

from . import settings, sweep
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
from .data.data_source import fetch_data
from .data.dataset import BANK_ROWS, load_bank_data
from .data.download import check_url, expected_sha1
from .data.split import LABEL_COLUMNS, SplitOutcome, check_fraction, check_seed, split_and_write
from .errors import InputError, TutorialError
from .model.evaluation import Evaluation, evaluate, write_evaluation
from .model.hosting import Deployment, deploy
from .model.prediction import PredictionOutcome, predict, read_predictions, write_predictions
from .model.training import start_training, training_request, wait_for_model
from .model.upload import check_instance_count, upload_training_file, write_training_file
from .state import RunState, load_state, save_state, state_for

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

    bucket = create_tutorial_bucket(backend, args.bucket, warn=warn)
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


# --- steps 4-6 -------------------------------------------------------------------------------


def require_cost_consent(backend: Backend, allow_cost: bool, starts: str) -> None:
    """On the live backend, refuse (exit 2, before any call) to start billed compute unless
    the user said yes: ``--allow-cost`` or SAGEMAKER_TUTORIAL_ALLOW_COST=1. Mock costs nothing."""
    if backend.kind != "live" or allow_cost or os.environ.get(settings.ENV_ALLOW_COST) == "1":
        return
    raise InputError(
        f"this starts billed SageMaker compute in your AWS account: {starts}; "
        f"pass --allow-cost (or set {settings.ENV_ALLOW_COST}=1) to accept the cost"
    )


def recorded_instance_count(workdir: Path) -> int:
    """How many training instances the upload prepared for (1 when nothing is recorded)."""
    state = load_state(workdir)
    return state.instance_count if state is not None else 1


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
    """Start the workdir's state from what 3c-3d settled: region, image, role, bucket."""
    state = RunState(
        run_id=backend.run_id,
        backend=backend.kind,
        region=backend.region,
        bucket=prepared.bucket.name,
        image_uri=prepared.notebook.image_uri,
        role_arn=prepared.notebook.role_arn,
    )
    save_state(workdir, state)
    return state


def upload_step(
    backend: Backend, workdir: Path, bucket: str | None, prefix: str, instance_count: int, say: Say
) -> RunState:
    """4a: write train.csv from the split's training part and upload it as the train channel."""
    check_instance_count(instance_count)
    if bucket is not None:
        validate_bucket_name(bucket)
    state = state_for(workdir, backend.kind, backend.region, backend.run_id)
    bucket = bucket or state.require("bucket", "pass --bucket, or run create-bucket or prepare")
    train_data = workdir / settings.TRAIN_FILE_NAME
    if not train_data.is_file():
        raise InputError(f"no {train_data.name} in {workdir}: split the data first (split)")
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
    state.bucket, state.prefix = bucket, prefix
    state.train_channel, state.instance_count = uploaded.channel, instance_count
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
) -> RunState:
    """4b and 4c: show the training request, start the job, wait for its model."""
    state = state_for(workdir, backend.kind, backend.region, backend.run_id)
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
    job = start_training(backend, request)
    state.training_job, state.model_artifact = request.job_name, None
    save_state(workdir, state)  # recorded before the wait: a clean-up can find it
    outcome = wait_for_model(backend, job, timeout, say)
    say(outcome.report())
    state.model_artifact = outcome.model_artifact
    save_state(workdir, state)
    return state


def deploy_step(backend: Backend, workdir: Path, *, timeout: float, say: Say) -> RunState:
    """5a: host the trained model; the names are recorded before anything is created."""
    state = state_for(workdir, backend.kind, backend.region, backend.run_id)
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


def predict_step(backend: Backend, workdir: Path, endpoint: str | None, say: Say) -> Path:
    """5b: predictions for every row of the test part, saved to predictions.csv."""
    if endpoint is None:
        state = state_for(workdir, backend.kind, backend.region, backend.run_id)
        endpoint = state.require("endpoint", "deploy the model first (deploy), or pass --endpoint")
    test = load_bank_data(_test_part(workdir), rows=None)
    features = test.drop(columns=list(LABEL_COLUMNS)).to_numpy()
    predictions, requests = predict(backend, endpoint, features)
    path = workdir / settings.PREDICTIONS_FILE_NAME
    write_predictions(path, predictions)
    say(PredictionOutcome(path, len(predictions), requests).report())
    return path


def evaluate_step(workdir: Path, say: Say) -> Evaluation:
    """6: the tutorial's block from the test part's labels and the saved predictions."""
    test = load_bank_data(_test_part(workdir), rows=None)
    predictions = read_predictions(workdir / settings.PREDICTIONS_FILE_NAME)
    evaluation = evaluate(test["y_yes"].to_numpy(), predictions)
    for line in [*evaluation.tutorial_block(), *evaluation.extra_lines()]:
        say(line)
    path = workdir / settings.EVALUATION_FILE_NAME
    write_evaluation(path, evaluation)
    say(f"Saved {path.name}")
    return evaluation


def take_down_step(backend: Backend, workdir: Path, say: Say) -> None:
    """Delete the endpoint, endpoint config and model recorded in the workdir's state."""
    state = state_for(workdir, backend.kind, backend.region, backend.run_id)
    if not (state.endpoint or state.endpoint_config or state.model):
        say("Nothing hosted is recorded: no endpoint, endpoint config or model to delete")
        return
    # The names stay recorded, as clean-up leaves them: again, it says what is already gone.
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
        state = state_for(workdir, backend.kind, backend.region, backend.run_id)
        # The names stay recorded: running it again says what is already gone.
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
    remove_leftovers(backend, leftovers, say)


def _test_part(workdir: Path) -> Path:
    path = workdir / settings.TEST_FILE_NAME
    if not path.is_file():
        raise InputError(f"no {path.name} in {workdir}: split the data first (split)")
    return path


def run(backend: Backend, args: argparse.Namespace, say: Say, warn: Say) -> Evaluation:
    """3c through 6 as the notebook runs them; then the endpoint, its config and the model
    are deleted, whether the run succeeded, failed or was interrupted."""
    check_prepare_input(args)
    check_instance_count(args.instance_count)
    require_cost_consent(
        backend, args.allow_cost, f"{training_cost(args.instance_count)}, then {HOSTING_COST}"
    )
    prepared = prepare(backend, args, say, warn)
    record_prepared(backend, args.workdir, prepared)
    try:
        upload_step(backend, args.workdir, None, args.prefix, args.instance_count, say)
        train_step(
            backend,
            args.workdir,
            role=None,
            xgboost_version=None,
            timeout=args.timeout,
            say=say,
        )
        deploy_step(backend, args.workdir, timeout=args.timeout, say=say)
        predict_step(backend, args.workdir, None, say)
        return evaluate_step(args.workdir, say)
    finally:
        state = load_state(args.workdir)
        if state is not None:
            clean_up_after_run(backend, state, say)
