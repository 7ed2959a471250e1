"""The tutorial's steps in the notebook's order and words: one function per step (3c to
7), `prepare` (3c-3f) and `run` (3c through 6, then the endpoint taken down).

These are the tutorial's one sequence: the command line, `Tutorial` (the notebook's
Python API) and the feature files' step definitions all call these functions, with
the typed options of options.py, and every line they print goes through one
`Reporter` (reporter.py). Each step's exit-2 checks (``check_*``) run inside the step,
so whichever door a reader comes in by, a typo is refused in the same words before any
call; the command line also runs them before it starts a backend.

Everything that can be judged locally (bucket name, URL, data file, split fraction
and seed, cost consent) is judged first, so a typo costs neither a bucket nor a
download. Each step records the names it made in ``<workdir>/state.json`` (see
state.py) for the next command. Within one `run` (and one `Tutorial`) the state, the
test part and the predictions live in memory: the files are written for the next
process and never read back by the one that wrote them, so the run cleans up what it
made itself, never what another process recorded there. A step names what it will
create before creating it, so a signal between the two cannot leave a resource nobody
knows of. `run` takes down what it made whatever ends it, and no signal can cut that
clean-up short (see interrupts.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
from .data.data_source import DownloadOutcome, Place, check_data_source, fetch_data
from .data.dataset import BANK_ROWS, load_bank_data
from .data.download import DEFAULT_POLICY, RetryPolicy
from .data.split import (
    LABEL_COLUMNS,
    SplitOutcome,
    check_fraction,
    check_seed,
    split_and_write,
    split_file,
)
from .errors import (
    CostNotAccepted,
    InputError,
    TutorialError,
    WriteError,
    check_instance_count,
    check_timeout,
    cost_accepted_by_environment,
)
from .model.evaluation import Evaluation, evaluate, write_evaluation
from .model.hosting import Deployment, deploy
from .model.prediction import PredictionOutcome, predict, read_predictions, write_predictions
from .model.training import (
    TrainingRequest,
    start_training,
    training_request,
    wait_for_model,
)
from .model.upload import upload_training_file, write_training_file
from .options import (
    BucketOptions,
    CleanupOptions,
    Consent,
    DeployOptions,
    DownloadOptions,
    NotebookInstanceOptions,
    PredictOptions,
    PrepareOptions,
    PreprocessOptions,
    RunOptions,
    SetupOptions,
    SplitOptions,
    TrainOptions,
    UploadOptions,
)
from .reporter import Reporter
from .state import RunState, load_state, matching_state, record_files, save_state

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd


@dataclass(frozen=True)
class Prepared:
    """What steps 3c-3f leave for step 4: the notebook, its bucket and the two parts."""

    notebook: Notebook
    bucket: BucketOutcome
    split: SplitOutcome


@dataclass(frozen=True)
class Predicted:
    """Step 5b's result, held for step 6 in the same process: the test part it predicted
    for, and one probability per row (also saved to ``path`` for the next process)."""

    path: Path
    test: pd.DataFrame
    probabilities: npt.NDArray[np.float64]


# --- input checks: exit 2, before any call ---------------------------------------------------


def check_bucket(options: BucketOptions) -> None:
    if options.bucket is not None:
        validate_bucket_name(options.bucket)


def check_download(options: DownloadOptions) -> None:
    """Step 3e's input: a URL (allowed, and its sha1 known) or a file (the tutorial's data)."""
    check_data_source(options.url, options.sha1, options.data_file)


def check_split(options: SplitOptions) -> None:
    check_fraction(options.train_fraction)
    check_seed(options.seed)


def check_prepare(options: PrepareOptions) -> None:
    """Refuse bad input for steps 3c-3f before any network call (exit 2)."""
    check_bucket(options.bucket)
    check_download(options.download)
    check_split(options.split)


def check_upload(options: UploadOptions) -> None:
    check_instance_count(options.instance_count)
    if options.bucket is not None:
        validate_bucket_name(options.bucket)


def check_run(options: RunOptions) -> None:
    """`run`'s input: prepare's, the upload's and the waits' (exit 2, before any call)."""
    check_prepare(options.prepare)
    check_instance_count(options.upload.instance_count)
    check_timeout(options.timeout)


# What a step that continues the run says when the step before it has not been run.
UPLOAD_FIRST = "upload the training data first (upload)"
TRAIN_FIRST = "train a model first (train)"


def require_cost_consent(backend: Backend, consent: Consent, starts: str) -> None:
    """On the live backend, refuse (exit 2, before any call) to start billed compute unless
    the user said yes (``consent``, or SAGEMAKER_TUTORIAL_ALLOW_COST=1). Mock costs nothing.

    The refusal is written once; only how to say yes is the door's (``consent.how``)."""
    if backend.kind != "live" or consent.given or cost_accepted_by_environment():
        return
    raise CostNotAccepted(starts, consent.how)


def training_cost(instance_count: int) -> str:
    return f"a training job on {instance_count} x {settings.INSTANCE_TYPE}"


HOSTING_COST = f"an endpoint on 1 x {settings.INSTANCE_TYPE}, billed by the hour until deleted"


@contextmanager
def step(name: str) -> Iterator[None]:
    """Name the step in a file-system failure (a full disk says which step it stopped)."""
    try:
        yield
    except WriteError as exc:
        raise exc.in_step(name) from exc.__cause__


# --- the record: state.json ------------------------------------------------------------------


def recorded_state(backend: Backend, workdir: Path) -> RunState:
    """The run recorded in the workdir, for a step command that continues it."""
    return matching_state(
        load_state(workdir), workdir, backend.kind, backend.region, backend.run_id
    )


def new_state(backend: Backend) -> RunState:
    """A fresh record for a run that starts now (setup, prepare, run)."""
    return RunState(run_id=backend.run_id, backend=backend.kind, region=backend.region)


def state_to_record_in(backend: Backend, workdir: Path, reporter: Reporter) -> RunState | None:
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
    reporter.warn(
        f"not recorded in {workdir / settings.STATE_FILE_NAME}: it records run "
        f"{state.run_id} on the {state.backend} backend in {state.region}; use another "
        "--workdir for this one, or clean that run up first (cleanup)"
    )
    return None


def record_prepared(backend: Backend, workdir: Path, prepared: Prepared) -> RunState:
    """Start the workdir's state from what 3c-3f settled: region, image, role, bucket, files."""
    state = new_state(backend)
    record_notebook(state, prepared.notebook)
    state.bucket = prepared.bucket.name
    state.data_file = str(workdir / settings.DATA_FILE_NAME)
    record_split(state, prepared.split)
    save_state(workdir, state)
    return state


def record_notebook(state: RunState, notebook: Notebook) -> None:
    """3c's settled facts, for `train` and `deploy` to use as they are."""
    state.image_uri, state.role_arn = notebook.image_uri, notebook.role_arn


def record_split(state: RunState, split: SplitOutcome) -> None:
    state.train_data, state.test_data = str(split.train_path), str(split.test_path)


# --- steps 1 and 2 ---------------------------------------------------------------------------


def whoami_step(backend: Backend, reporter: Reporter) -> None:
    """Step 1: the account, the identity (a role or not) and the region calls go to."""
    from .aws.identity import whoami

    reporter.say_all(whoami(backend).report())


def notebook_instance_step(
    backend: Backend, options: NotebookInstanceOptions, reporter: Reporter
) -> None:
    """Step 2: the execution role and the notebook instance; or, with ``delete``, its end."""
    if options.delete:
        delete_notebook_instance(backend, options.name, timeout=options.timeout, say=reporter.say)
        return
    require_cost_consent(
        backend,
        options.consent,
        f"a notebook instance on {options.instance_type}, billed by the hour",
    )
    role = ensure_execution_role(backend)
    reporter.say(role.report())
    for problem in role.problems:
        reporter.warn(problem)
    start_notebook_instance(
        backend,
        options.name,
        options.instance_type,
        role.arn,
        timeout=options.timeout,
        say=reporter.say,
    )


# --- steps 3c-3f -----------------------------------------------------------------------------


def setup_step(backend: Backend, options: SetupOptions, reporter: Reporter) -> Notebook:
    """3c: the region, the XGBoost image for it and the execution role."""
    notebook = prepare_notebook(backend, options.role, options.xgboost_version)
    reporter.say_all(notebook.report())
    return notebook


def make_bucket(backend: Backend, options: BucketOptions, reporter: Reporter) -> BucketOutcome:
    """3d: create the bucket (or find the reader's own); its warnings as they happen."""
    check_bucket(options)
    return create_tutorial_bucket(backend, options.bucket, warn=reporter.warn)


def report_bucket(bucket: BucketOutcome, reporter: Reporter) -> None:
    reporter.say_all(bucket.report())
    for difference in bucket.differences:
        reporter.warn(difference)


def bucket_step(backend: Backend, options: BucketOptions, reporter: Reporter) -> BucketOutcome:
    """3d: the bucket, created in the run's region, and what was found or made."""
    bucket = make_bucket(backend, options, reporter)
    report_bucket(bucket, reporter)
    return bucket


def download_step(
    backend: Place,
    workdir: Path,
    options: DownloadOptions,
    reporter: Reporter,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    progress: bool | None = None,
) -> DownloadOutcome:
    """3e: verified data at ``options.out`` (default <workdir>/bank_clean.csv).

    ``policy`` and ``progress``: how often to retry a failing server, and whether to
    draw a progress bar (default: on a terminal), as `fetch_data` takes them."""
    download = _fetch(backend, workdir, options, policy, progress)
    reporter.say(download.report())
    return download


def _fetch(
    backend: Place,
    workdir: Path,
    options: DownloadOptions,
    policy: RetryPolicy = DEFAULT_POLICY,
    progress: bool | None = None,
) -> DownloadOutcome:
    check_download(options)
    with step("step 3e (download)"):
        return fetch_data(
            backend,
            options.out or workdir / settings.DATA_FILE_NAME,
            url=options.url,
            sha1=options.sha1,
            data_file=options.data_file,
            force=options.force,
            policy=policy,
            progress=progress,
        )


def load_step(download: DownloadOutcome, reporter: Reporter) -> pd.DataFrame:
    """3e's last cell: the data just fetched, read as the notebook reads it (``model_data``);
    a file that proves not to be the tutorial's data is removed again, so that it cannot
    block the next run.

    The tutorial's own file must have its 41,188 rows; a file of the reader's
    choosing (--data-file, --data-url) only the tutorial's columns.
    """
    with step("step 3e (download)"):
        try:
            rows = BANK_ROWS if download.is_tutorial_file else None
            frame = load_bank_data(download.path, rows=rows)
        except TutorialError:
            if not download.reused:
                download.path.unlink(missing_ok=True)
            raise
    reporter.say("Success: Data loaded into dataframe.")
    return frame


def split_step(
    workdir: Path,
    options: SplitOptions,
    reporter: Reporter,
    *,
    frame: pd.DataFrame | None = None,
    data_path: Path | None = None,
) -> SplitOutcome:
    """3f: the tutorial's shuffled split, both parts written to the workdir.

    ``frame``: the data already loaded in this process (prepare, `Tutorial`), from the
    file ``data_path`` when given (whose lines the fast path can move as they are);
    else the file ``options.input``, ``data_path`` or <workdir>/bank_clean.csv, in
    that order."""
    split = _split(workdir, options, frame, data_path)
    reporter.say(split.shapes_line())
    return split


def _split(
    workdir: Path, options: SplitOptions, frame: pd.DataFrame | None, data_path: Path | None
) -> SplitOutcome:
    check_split(options)
    with step("step 3f (split)"):
        fraction, seed = options.train_fraction, options.seed
        if frame is not None and data_path is None:
            return split_and_write(frame, workdir, fraction, seed)
        if frame is not None and data_path is not None:
            return split_file(data_path, workdir, fraction, seed, frame=frame)
        source = options.input or data_path or workdir / settings.DATA_FILE_NAME
        return split_file(source, workdir, fraction, seed)


def preprocess_step(workdir: Path, options: PreprocessOptions, reporter: Reporter) -> None:
    """bank_clean.csv rebuilt from the raw UCI file, as the tutorial's authors prepared it."""
    from .data.preprocess import preprocess_raw

    out = options.out or workdir / settings.DATA_FILE_NAME
    reporter.say(preprocess_raw(options.raw, out, force=options.force).report())


def prepare(
    backend: Backend, workdir: Path, options: PrepareOptions, reporter: Reporter
) -> Prepared:
    """Run 3c (setup), 3d (bucket), 3e (download, load), 3f (split), printing as the notebook."""
    check_prepare(options)
    notebook = setup_step(backend, options.setup, reporter)
    bucket = bucket_step(backend, options.bucket, reporter)
    download = download_step(backend, workdir, options.download, reporter)
    frame = load_step(download, reporter)
    split = split_step(workdir, options.split, reporter, frame=frame, data_path=download.path)
    return Prepared(notebook, bucket, split)


# --- 3c-3f as step commands: the step, then its record for the next command ------------------


def setup_command(
    backend: Backend, workdir: Path, options: SetupOptions, reporter: Reporter
) -> Notebook:
    """`setup`: 3c, recorded in the workdir's run for train and deploy."""
    notebook = setup_step(backend, options, reporter)
    state = state_to_record_in(backend, workdir, reporter)
    if state is not None:
        record_notebook(state, notebook)
        save_state(workdir, state)
    return notebook


def create_bucket_command(
    backend: Backend, workdir: Path, options: BucketOptions, reporter: Reporter
) -> BucketOutcome:
    """`create-bucket`: 3d, recorded in the workdir's run for upload."""
    bucket = make_bucket(backend, options, reporter)
    state = state_to_record_in(backend, workdir, reporter)
    if state is not None:
        state.bucket = bucket.name
        save_state(workdir, state)
    report_bucket(bucket, reporter)
    return bucket


def download_command(
    backend: Place, workdir: Path, options: DownloadOptions, reporter: Reporter
) -> DownloadOutcome:
    """`download`: 3e's file, noted in the workdir's run for split."""
    download = _fetch(backend, workdir, options)
    record_files(workdir, data_file=str(options.out or workdir / settings.DATA_FILE_NAME))
    reporter.say(download.report())
    return download


def split_command(workdir: Path, options: SplitOptions, reporter: Reporter) -> SplitOutcome:
    """`split`: 3f on the downloaded file (or ``--input``), the parts noted for upload."""
    state = load_state(workdir)
    downloaded = state.data_file if state is not None and state.data_file else None
    split = _split(workdir, options, None, Path(downloaded) if downloaded else None)
    record_files(workdir, train_data=str(split.train_path), test_data=str(split.test_path))
    reporter.say(split.shapes_line())
    return split


# --- steps 4-6 -------------------------------------------------------------------------------


def upload_step(
    backend: Backend,
    workdir: Path,
    options: UploadOptions,
    reporter: Reporter,
    state: RunState | None = None,
) -> RunState:
    """4a: write train.csv from the split's training part and upload it as the train channel.

    ``state``: the run's own, held in memory by `run` and `Tutorial`; a step command
    reads the workdir's.
    """
    from botocore.exceptions import ClientError

    check_upload(options)
    state = state or recorded_state(backend, workdir)
    bucket = options.bucket or state.require(
        "bucket", "pass --bucket, or run create-bucket or prepare"
    )
    train_data = Path(state.train_data or workdir / settings.TRAIN_FILE_NAME)
    if not train_data.is_file():
        raise InputError(f"no {train_data.name} in {workdir}: split the data first (split)")
    # Recorded before anything is sent: a clean-up must know where the objects go.
    state.bucket, state.prefix = bucket, options.prefix
    state.instance_count = options.instance_count
    save_state(workdir, state)
    with step("step 4a (upload)"):
        training_file = write_training_file(train_data, workdir / settings.TRAIN_CSV_NAME)
    reporter.say(
        f"Wrote {training_file.path.name}: {training_file.rows:,} rows, label first, "
        "no header, no index"
    )
    try:
        uploaded = upload_training_file(
            backend, bucket, options.prefix, training_file.path, options.instance_count
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
        raise TutorialError(
            f"there is no bucket {bucket} on this backend: create it first (create-bucket); "
            "the mock backend's server starts empty for every command unless "
            f"{settings.ENV_MOCK_ENDPOINT} names a running `sagemaker-tutorial serve`"
        ) from None
    reporter.say_all(uploaded.report())
    state.train_channel = uploaded.channel
    save_state(workdir, state)
    return state


def train_step(
    backend: Backend,
    workdir: Path,
    options: TrainOptions,
    reporter: Reporter,
    state: RunState | None = None,
) -> RunState:
    """4b and 4c: show the training request, start the job, wait for its model.

    Billed on live: refused without consent, before any call. The image and role are
    setup's (recorded), unless given here; the job's name is recorded before the job
    is created, so a stop at any moment finds and stops it.
    """
    check_timeout(options.timeout)
    recorded = state or load_state(workdir)
    count = recorded.instance_count if recorded is not None else 1
    require_cost_consent(backend, options.consent, training_cost(count))
    state = state or matching_state(recorded, workdir, backend.kind, backend.region, backend.run_id)
    request = training_request_for(backend, state, options)
    reporter.say(f"Training job {request.job_name}:")
    reporter.say_all(request.report())
    state.training_job, state.model_artifact = request.job_name, None
    save_state(workdir, state)  # recorded before the job exists: a clean-up can find it
    job = start_training(backend, request)
    outcome = wait_for_model(backend, job, options.timeout, reporter.say)
    reporter.say(outcome.report())
    state.model_artifact = outcome.model_artifact
    save_state(workdir, state)
    return state


def training_request_for(
    backend: Backend, state: RunState, options: TrainOptions
) -> TrainingRequest:
    """4b: the request `train_step` sends for the run ``state`` records: setup's image and
    role, unless ``options`` name others (then recorded in ``state`` as the job's)."""
    state.require("train_channel", UPLOAD_FIRST)
    bucket = state.require("bucket", UPLOAD_FIRST)
    if options.xgboost_version is not None or state.image_uri is None:
        state.image_uri = xgboost_image_uri(
            backend.region, options.xgboost_version or settings.DEFAULT_XGBOOST_VERSION
        )
    if options.role is not None or state.role_arn is None:
        state.role_arn = resolve_execution_role(backend, options.role)
    return training_request(
        # The run's id names the job (and so its model and endpoint) for a clean-up to find.
        f"sagemaker-tutorial-{backend.run_id}-{secrets.token_hex(2)}",
        state.image_uri,
        state.role_arn,
        bucket,
        state.prefix,
        state.instance_count,
        backend.tags(),
    )


def deploy_step(
    backend: Backend,
    workdir: Path,
    options: DeployOptions,
    reporter: Reporter,
    state: RunState | None = None,
) -> RunState:
    """5a: host the trained model (billed on live: refused without consent, before any
    call); the names are recorded before anything is created."""
    require_cost_consent(backend, options.consent, HOSTING_COST)
    check_timeout(options.timeout)
    state = state or recorded_state(backend, workdir)
    artifact = state.require("model_artifact", TRAIN_FIRST)
    job = state.require("training_job", TRAIN_FIRST)
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
        timeout=options.timeout,
        say=reporter.say,
    )
    return state


def predict_step(
    backend: Backend,
    workdir: Path,
    options: PredictOptions,
    reporter: Reporter,
    state: RunState | None = None,
) -> Predicted:
    """5b: predictions for every row of the test part, saved to predictions.csv for the
    next process and returned, with the test part, for step 6 in this one."""
    endpoint = options.endpoint
    if endpoint is None:
        state = state or recorded_state(backend, workdir)
        endpoint = state.require("endpoint", "deploy the model first (deploy), or pass --endpoint")
    test = load_bank_data(_test_part(workdir, state), rows=None)
    features = test.drop(columns=list(LABEL_COLUMNS)).to_numpy()
    probabilities, requests = predict(backend, endpoint, features)
    path = workdir / settings.PREDICTIONS_FILE_NAME
    with step("step 5b (predict)"):
        write_predictions(path, probabilities)
    reporter.say(PredictionOutcome(path, len(probabilities), requests).report())
    return Predicted(path, test, probabilities)


def evaluate_step(
    workdir: Path,
    reporter: Reporter,
    state: RunState | None = None,
    predicted: Predicted | None = None,
) -> Evaluation:
    """6: the tutorial's block from the test part's labels and the predictions: those
    step 5b returned in this process, else the ones it saved."""
    if predicted is None:
        test = load_bank_data(_test_part(workdir, state or load_state(workdir)), rows=None)
        probabilities = read_predictions(workdir / settings.PREDICTIONS_FILE_NAME)
    else:
        test, probabilities = predicted.test, predicted.probabilities
    evaluation = evaluate(test["y_yes"].to_numpy(), probabilities)
    reporter.say_all([*evaluation.tutorial_block(), *evaluation.extra_lines()])
    path = workdir / settings.EVALUATION_FILE_NAME
    with step("step 6 (evaluate)"):
        write_evaluation(path, evaluation)
    reporter.say(f"Saved {path.name}")
    return evaluation


def _test_part(workdir: Path, state: RunState | None) -> Path:
    path = Path(state.test_data) if state and state.test_data else workdir / settings.TEST_FILE_NAME
    if not path.is_file():
        raise InputError(f"no {path.name} in {workdir}: split the data first (split)")
    return path


# --- step 7 ----------------------------------------------------------------------------------


def delete_bucket_step(backend: Backend, options: BucketOptions, reporter: Reporter) -> None:
    """Step 7's last cell: empty and delete the bucket (only one this tool made)."""
    from .data.bucket import delete_tutorial_bucket

    check_bucket(options)
    reporter.say(delete_tutorial_bucket(backend, options.bucket))


def take_down_step(backend: Backend, workdir: Path, reporter: Reporter) -> None:
    """Delete the endpoint, endpoint config and model recorded in the workdir's state."""
    state = recorded_state(backend, workdir)
    if not (state.endpoint or state.endpoint_config or state.model):
        reporter.say("Nothing hosted is recorded: no endpoint, endpoint config or model to delete")
        return
    # The names stay recorded, as clean-up leaves them: again, it says what is already gone.
    with interrupts.last_taking_down():
        take_down(backend, state, reporter)


def clean_up_recorded_run(
    backend: Backend, state: RunState, options: CleanupOptions, reporter: Reporter
) -> None:
    """Step 7 for a recorded run: hosting, a job still running, the objects, the bucket.

    The names stay recorded: running it again says what is already gone."""
    with interrupts.last_taking_down():
        clean_up_recorded(backend, state, keep_bucket=options.keep_bucket, reporter=reporter)


def cleanup_step(
    backend: Backend, workdir: Path, options: CleanupOptions, reporter: Reporter
) -> None:
    """Step 7: the recorded run's resources; or, by tag, a crashed run's or every run's
    (``older_than``: only those made longer ago than that, see sweep.py)."""
    run_id, all_runs, older_than = options.run_id, options.all_runs, options.older_than
    if older_than is not None and run_id is None and not all_runs:
        raise InputError("--older-than goes with --all-runs or --run-id (a search by tag)")
    if run_id is None and not all_runs:
        recorded = load_state(workdir)
        if recorded is None:
            raise InputError(
                f"no run is recorded in {workdir / settings.STATE_FILE_NAME}: pass "
                "--run-id ID (a crashed run's leftovers) or --all-runs"
            )
        state = matching_state(recorded, workdir, backend.kind, backend.region, backend.run_id)
        clean_up_recorded_run(backend, state, options, reporter)
        return
    search = find_leftovers(backend, run_id)
    if search.unreadable_buckets:
        reporter.say(
            f"Not checked: {len(search.unreadable_buckets)} bucket(s) in {backend.region} whose "
            "tags this identity may not read (s3:GetBucketTagging: AccessDenied), so whether "
            f"this tool made them is unknown and they are left as they are: "
            f"{', '.join(search.unreadable_buckets)} (a run's own bucket is still cleaned up "
            "by `cleanup` in that run's --workdir)"
        )
    leftovers = search.found
    if older_than is not None:
        leftovers = sweep.older_than(leftovers, older_than, reporter.say)
    if not leftovers:
        which = f"run {run_id}" if run_id else "any run"
        reporter.say(f"Nothing of {which} is left in {backend.region}")
        return
    for item in leftovers:
        reporter.say(f"Found {item.describe()}")
    if all_runs and not options.yes:
        reporter.say(f"Nothing was removed: pass --yes to remove these {len(leftovers)} resources")
        return
    with interrupts.last_taking_down():
        remove_leftovers(backend, leftovers, reporter)


# --- the whole tutorial ----------------------------------------------------------------------


def run(backend: Backend, workdir: Path, options: RunOptions, reporter: Reporter) -> Evaluation:
    """3c through 6 as the notebook runs them; then step 7: the endpoint, its config, the
    model, a job still running and the objects the run wrote are deleted, whether the run
    succeeded, failed or was stopped by a signal at any moment (see interrupts.py).

    The run's state is held here, in memory: the clean-up removes what this run made,
    even when another process rewrote state.json in the meantime.
    """
    check_run(options)
    require_cost_consent(
        backend,
        options.consent,
        f"{training_cost(options.upload.instance_count)}, then {HOSTING_COST}",
    )
    prepared = prepare(backend, workdir, options.prepare, reporter)
    state = record_prepared(backend, workdir, prepared)
    with interrupts.taking_down():
        try:
            with interrupts.interruptible():
                return _train_host_and_judge(backend, workdir, options, state, reporter)
        finally:
            clean_up_after_run(backend, state, reporter)
            interrupts.finished()  # still holding signals: nothing comes between


def _train_host_and_judge(
    backend: Backend, workdir: Path, options: RunOptions, state: RunState, reporter: Reporter
) -> Evaluation:
    """Steps 4-6 of `run`, on the run's own state, the predictions passed on in memory."""
    upload_step(backend, workdir, options.upload, reporter, state)
    train_step(backend, workdir, options.train, reporter, state)
    deploy_step(backend, workdir, options.deploy, reporter, state)
    predicted = predict_step(backend, workdir, PredictOptions(), reporter, state)
    return evaluate_step(workdir, reporter, state, predicted)
