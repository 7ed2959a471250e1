"""`sagemaker-tutorial`: one command per tutorial step, `prepare` for steps 3c-3f, `run`
for the whole tutorial, and `serve` for the local SageMaker server on its own.

The contract people script against: exit 0 on success, 2 when input is rejected
before any network call, 1 for any other failure, 128 + the signal's number when
stopped by Ctrl-C (130), SIGTERM (143) or SIGHUP (129), cleanly (see interrupts.py);
every error is one line on stderr starting with ``error:``, and the libraries'
logging reaches stderr only with ``--debug`` (with the traceback). The global
options (--backend, --region, --workdir, --debug) are taken before or after the
command: every command's parser is made by ``_add_command``, which attaches them.

Only the standard library is imported at start-up so that ``--help`` is fast;
each command imports what it needs.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, interrupts, settings
from .errors import (
    InputError,
    OutOfBounds,
    TutorialError,
    WriteError,
    check_instance_count,
    check_timeout,
)
from .reporter import Reporter

if TYPE_CHECKING:
    from .aws.backends import Backend
    from .options import (
        BucketOptions,
        Consent,
        DownloadOptions,
        PrepareOptions,
        RunOptions,
        SetupOptions,
        SplitOptions,
        UploadOptions,
    )


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors follow the one-line ``error:`` contract (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _sha1(text: str) -> str:
    from .data.download import checked_sha1

    try:
        return checked_sha1(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _fraction(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None


def _seconds(text: str) -> float:
    """--timeout: `errors.check_timeout`'s rule, told as argparse tells a bad value."""
    try:
        return check_timeout(_fraction(text), shown=text)
    except OutOfBounds as refused:
        raise argparse.ArgumentTypeError(refused.rule) from None


def _count(text: str) -> int:
    """--instance-count: a whole number, within `errors.check_instance_count`'s rule."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    try:
        return check_instance_count(count)
    except OutOfBounds as refused:
        raise argparse.ArgumentTypeError(refused.rule) from None


# A command: (parsed arguments, the backend, or None for a command that needs none).
Handler = Callable[..., None]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sagemaker-tutorial",
        description=(
            "The AWS SageMaker XGBoost bank-marketing tutorial, step by step, done right. "
            "Runs offline against a local SageMaker server (--backend mock, the default) or "
            "against your AWS account (--backend live)."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    _add_global_options(parser, on_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _add_command(
        commands,
        "whoami",
        "step 1: the account, identity and region in use",
        _cmd_whoami,
        uses_workdir=False,
    )

    notebook = _add_command(
        commands,
        "notebook-instance",
        "step 2: the execution role and the notebook instance (--delete: stop and delete it)",
        _cmd_notebook_instance,
        uses_workdir=False,
    )
    name, instance_type = settings.NOTEBOOK_INSTANCE_NAME, settings.NOTEBOOK_INSTANCE_TYPE
    notebook.add_argument("--name", default=name, help=f"default: {name}")
    notebook.add_argument(
        "--instance-type", default=instance_type, help=f"default: {instance_type}"
    )
    notebook.add_argument("--delete", action="store_true", help="stop and delete the instance")
    _add_cost_options(notebook, "a notebook instance (--instance-type)", "the notebook instance")

    setup = _add_command(
        commands,
        "setup",
        "step 3c: region, XGBoost image and execution role (recorded for train and deploy)",
        _cmd_setup,
        continues_run=True,
    )
    _add_setup_options(setup)

    create = _add_command(
        commands,
        "create-bucket",
        "step 3d: create the S3 bucket (idempotent; recorded for upload)",
        _cmd_create_bucket,
        continues_run=True,
        check=_check_bucket_name,
    )
    _add_bucket_option(create)

    delete = _add_command(
        commands,
        "delete-bucket",
        "step 7: empty and delete the S3 bucket",
        _cmd_delete_bucket,
        uses_workdir=False,
        check=_check_bucket_name,
    )
    _add_bucket_option(delete)

    download = _add_command(
        commands,
        "download",
        "step 3e: download and verify bank_clean.csv",
        _cmd_download,
        needs_backend=False,  # no AWS call: only which backend (offline or not) matters
        check=_check_download,
    )
    download.add_argument("--url", help="where to download from (default: the tutorial's URL)")
    download.add_argument("--sha1", type=_sha1, help="expected sha1 (default: the one in the URL)")
    download.add_argument(
        "--out", type=Path, help="where to write (default: <workdir>/bank_clean.csv)"
    )
    download.add_argument(
        "--data-file",
        type=Path,
        help="use this local copy of the data (mock: served by the offline data server)",
    )
    _add_force_option(download)

    split = _add_command(
        commands,
        "split",
        "step 3f: split 70/30 exactly as the tutorial",
        _cmd_split,
        needs_backend=False,
        check=_check_split,
    )
    _add_split_options(split)
    split.add_argument(
        "--input", type=Path, help="data to split (default: <workdir>/bank_clean.csv)"
    )

    preprocess = _add_command(
        commands,
        "preprocess",
        "rebuild bank_clean.csv from the raw UCI bank-additional-full.csv",
        _cmd_preprocess,
        needs_backend=False,
    )
    preprocess.add_argument(
        "--raw", type=Path, required=True, help="the raw UCI file (';'-separated)"
    )
    preprocess.add_argument(
        "--out", type=Path, help="where to write (default: <workdir>/bank_clean.csv)"
    )
    preprocess.add_argument(
        "--force", action="store_true", help="replace a file already there that holds other data"
    )

    prepare = _add_command(
        commands,
        "prepare",
        "steps 3c-3f in one go, as the notebook runs them",
        _cmd_prepare,
        check=_check_prepare,
    )
    _add_setup_options(prepare)
    _add_bucket_option(prepare)
    prepare.add_argument(
        "--data-url", help="where to download the data from (default: the tutorial's URL)"
    )
    prepare.add_argument("--data-sha1", type=_sha1, help="expected sha1 of the data")
    prepare.add_argument("--data-file", type=Path, help="use this local copy of the data")
    _add_force_option(prepare)
    _add_split_options(prepare)

    upload = _add_command(
        commands,
        "upload",
        "step 4a: write train.csv and upload it for training",
        _cmd_upload,
        continues_run=True,
    )
    upload.add_argument("--bucket", help="bucket name (default: the one prepare recorded)")
    _add_training_data_options(upload)

    train = _add_command(
        commands,
        "train",
        "steps 4b-4c: start the training job and wait for the model",
        _cmd_train,
        continues_run=True,
    )
    train.add_argument(
        "--role", help="execution role ARN (default: the one setup/prepare settled on)"
    )
    train.add_argument(
        "--xgboost-version",
        help=(
            "XGBoost container version (default: the image prepare chose, else "
            f"{settings.DEFAULT_XGBOOST_VERSION})"
        ),
    )
    _add_cost_options(train, f"a training job on {settings.INSTANCE_TYPE}", "the training job")

    deploy = _add_command(
        commands,
        "deploy",
        "step 5a: host the trained model on an endpoint",
        _cmd_deploy,
        continues_run=True,
    )
    _add_cost_options(deploy, f"an endpoint on {settings.INSTANCE_TYPE}", "the endpoint")

    predict = _add_command(
        commands,
        "predict",
        "step 5b: predictions for the test part from the endpoint",
        _cmd_predict,
        continues_run=True,
    )
    predict.add_argument("--endpoint", help="endpoint name (default: the one deploy recorded)")

    _add_command(
        commands,
        "evaluate",
        "step 6: the tutorial's evaluation of the predictions (evaluation.json)",
        _cmd_evaluate,
        needs_backend=False,
    )

    _add_command(
        commands,
        "delete-endpoint",
        "step 7: delete the endpoint, its configuration and the model deploy made",
        _cmd_delete_endpoint,
        continues_run=True,
    )

    cleanup = _add_command(
        commands,
        "cleanup",
        "step 7: delete the recorded run's endpoint, objects and bucket; or find leftovers",
        _cmd_cleanup,
        continues_run=True,
    )
    which = cleanup.add_mutually_exclusive_group()
    which.add_argument("--run-id", help="remove what the run with this id left (found by its tag)")
    which.add_argument(
        "--all-runs",
        action="store_true",
        help="list what every run of the project left in the region (removed with --yes)",
    )
    cleanup.add_argument("--yes", action="store_true", help="with --all-runs: remove them")
    _add_older_than_option(cleanup)
    cleanup.add_argument(
        "--keep-bucket", action="store_true", help="empty the bucket's prefix but keep the bucket"
    )

    run = _add_command(
        commands,
        "run",
        "steps 3c-7 in one go: prepare, train, host, predict, evaluate; then the endpoint, its "
        "config, the model and the run's objects are deleted, however the run ends",
        _cmd_run,
        check=_check_run,
    )
    _add_setup_options(run)
    _add_bucket_option(run)
    run.add_argument(
        "--data-url", help="where to download the data from (default: the tutorial's URL)"
    )
    run.add_argument("--data-sha1", type=_sha1, help="expected sha1 of the data")
    run.add_argument("--data-file", type=Path, help="use this local copy of the data")
    _add_force_option(run)
    _add_split_options(run)
    _add_training_data_options(run)
    _add_cost_options(
        run,
        f"a training job and an endpoint on {settings.INSTANCE_TYPE}",
        "the training job, then for the endpoint",
    )

    serve = _add_command(
        commands,
        "serve",
        "serve the local SageMaker (S3, IAM, STS, SageMaker with XGBoost compute) "
        "in the foreground, for the step commands (SAGEMAKER_TUTORIAL_MOCK_ENDPOINT) and for "
        "boto3, the SDK, the AWS CLI or the live backend (AWS_ENDPOINT_URL); Ctrl-C or SIGTERM "
        "stops it, exit 0",
        _cmd_serve,
        needs_backend=False,
        uses_workdir=False,
    )
    serve.add_argument(
        "--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one)"
    )

    from .aws.permissions import COMMANDS, NO_AWS

    permissions = _add_command(
        commands,
        "permissions",
        "print the IAM policy (JSON) a command needs, and what it only tries (default: all)",
        _cmd_permissions,
        needs_backend=False,
        uses_workdir=False,
    )
    permissions.add_argument(
        "of_command",
        metavar="COMMAND",
        nargs="?",
        choices=[*COMMANDS, *NO_AWS],
        help="a command (default: all)",
    )
    permissions.add_argument(
        "--cloudformation",
        action="store_true",
        help="print, instead, the CloudFormation template of the role CI's live run assumes",
    )
    return parser


def _add_command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    handler: Handler,
    *,
    needs_backend: bool = True,
    continues_run: bool = False,
    uses_workdir: bool = True,
    check: Callable[[argparse.Namespace], None] | None = None,
) -> argparse.ArgumentParser:
    """A command's parser, with the global options, running ``handler``.

    ``needs_backend=False``: the command touches no AWS service and runs without
    starting a backend (no server, no credentials). ``continues_run=True``: the
    command works on the run recorded in the workdir, and tags what it makes with
    that run's id (so a clean-up by run id finds all of it). ``uses_workdir``: the
    command writes in --workdir, which is checked first and held by one command at a
    time. ``check``: the command's input judged before any backend starts (exit 2).
    """
    parser = commands.add_parser(name, help=summary, description=summary)
    _add_global_options(parser, on_command=True)
    step = re.match(r"steps? [0-9a-f-]+", summary)  # "step 3e", "steps 3c-7"
    parser.set_defaults(
        step=f"{step[0]} ({name})" if step else name,
        handler=handler,
        needs_backend=needs_backend,
        continues_run=continues_run,
        uses_workdir=uses_workdir,
        check=check,
    )
    return parser


def _add_global_options(parser: argparse.ArgumentParser, *, on_command: bool) -> None:
    """--backend, --region, --workdir and --debug: accepted before or after the command.

    The top-level parser holds the defaults. Each command's copy defaults to SUPPRESS
    (it sets nothing unless given), so a value given after the command wins and one
    given before it is not overwritten by the command's default.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if on_command else value

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument(
        "--backend",
        choices=["mock", "live"],
        default=default(None),
        help=(
            "where AWS calls go (default: $SAGEMAKER_TUTORIAL_BACKEND, else mock: a local "
            "SageMaker started for the command, or the `serve` named by "
            f"${settings.ENV_MOCK_ENDPOINT})"
        ),
    )
    group.add_argument(
        "--region",
        default=default(None),
        help=f"AWS region (default: your AWS configuration; mock: {settings.DEFAULT_MOCK_REGION})",
    )
    group.add_argument(
        "--workdir",
        type=Path,
        default=default(Path(".")),
        help="folder for the data, the split, state.json and the results (default: .)",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="show tracebacks and library logs",
    )


def _add_bucket_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bucket", help="bucket name (default: sagemaker-tutorial-<account>-<region>)"
    )


def _add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="download again even if a verified copy is there, and replace a different file",
    )


def _add_setup_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role", help="execution role ARN (default: $SAGEMAKER_ROLE_ARN, else the notebook's)"
    )
    parser.add_argument(
        "--xgboost-version",
        default=settings.DEFAULT_XGBOOST_VERSION,
        help=(
            f"XGBoost container version (default: {settings.DEFAULT_XGBOOST_VERSION}; "
            "'latest': the tutorial's legacy image)"
        ),
    )


def _add_training_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prefix",
        default=settings.PREFIX,
        help=f"S3 prefix of the tutorial's objects (default: {settings.PREFIX})",
    )
    parser.add_argument(
        "--instance-count",
        type=_count,
        default=1,
        help="training instances; more than 1 shards train.csv, one part each (default: 1)",
    )


def _add_cost_options(parser: argparse.ArgumentParser, starts: str, waits_for: str) -> None:
    """--allow-cost and --timeout, in the words of what this command starts and waits for."""
    parser.add_argument(
        "--allow-cost",
        action="store_true",
        help=(
            f"live backend: accept that this starts {starts}, billed while it runs "
            f"(or set {settings.ENV_ALLOW_COST}=1); mock costs nothing"
        ),
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=settings.WAIT_SECONDS,
        help=f"seconds to wait for {waits_for} (default: {settings.WAIT_SECONDS})",
    )


def _add_older_than_option(parser: argparse.ArgumentParser) -> None:
    from .sweep import parse_age

    parser.add_argument(
        "--older-than",
        metavar="AGE",
        type=parse_age,
        help="with --all-runs or --run-id: only what was made longer ago (12h, 2d; a sweeper)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def _add_split_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--train-fraction",
        type=_fraction,
        default=settings.TRAIN_FRACTION,
        help=f"share of rows for training (default: {settings.TRAIN_FRACTION})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=settings.SPLIT_SEED,
        help=f"shuffle seed (default: {settings.SPLIT_SEED})",
    )


# Every line a command prints goes through this one reporter (see reporter.py).
_reporter = Reporter()


# --- options: the command line's arguments as the steps' typed options --------------------------


def _consent(args: argparse.Namespace) -> Consent:
    from .options import Consent

    return Consent(given=args.allow_cost)


def _setup_options(args: argparse.Namespace) -> SetupOptions:
    from .options import SetupOptions

    return SetupOptions(role=args.role, xgboost_version=args.xgboost_version)


def _bucket_options(args: argparse.Namespace) -> BucketOptions:
    from .options import BucketOptions

    return BucketOptions(bucket=args.bucket)


def _download_options(args: argparse.Namespace) -> DownloadOptions:
    from .options import DownloadOptions

    return DownloadOptions(
        url=args.url, sha1=args.sha1, data_file=args.data_file, out=args.out, force=args.force
    )


def _split_options(args: argparse.Namespace) -> SplitOptions:
    from .options import SplitOptions

    return SplitOptions(
        train_fraction=args.train_fraction, seed=args.seed, input=getattr(args, "input", None)
    )


def _prepare_options(args: argparse.Namespace) -> PrepareOptions:
    """prepare's and run's steps 3c-3f (their data options are named --data-*)."""
    from .options import DownloadOptions, PrepareOptions

    return PrepareOptions(
        setup=_setup_options(args),
        bucket=_bucket_options(args),
        download=DownloadOptions(
            url=args.data_url, sha1=args.data_sha1, data_file=args.data_file, force=args.force
        ),
        split=_split_options(args),
    )


def _upload_options(args: argparse.Namespace) -> UploadOptions:
    from .options import UploadOptions

    return UploadOptions(bucket=args.bucket, prefix=args.prefix, instance_count=args.instance_count)


def _run_options(args: argparse.Namespace) -> RunOptions:
    from .options import RunOptions, UploadOptions

    return RunOptions(
        prepare=_prepare_options(args),
        # The bucket is prepare's (--bucket names the one to create).
        upload=UploadOptions(prefix=args.prefix, instance_count=args.instance_count),
        timeout=args.timeout,
        consent=_consent(args),
    )


# --- checks: a command's input judged before any backend starts (exit 2) -----------------------


def _check_bucket_name(args: argparse.Namespace) -> None:
    from .pipeline import check_bucket

    check_bucket(_bucket_options(args))


def _check_download(args: argparse.Namespace) -> None:
    from .pipeline import check_download

    if args.region is not None:
        # A download needs no region, but a --region the user typed is still checked, as
        # every command checks it: a typo is refused, not silently ignored.
        from .aws.regions import check_region

        check_region(args.region)
    check_download(_download_options(args))


def _check_split(args: argparse.Namespace) -> None:
    from .pipeline import check_split

    check_split(_split_options(args))


def _check_prepare(args: argparse.Namespace) -> None:
    from .pipeline import check_prepare

    check_prepare(_prepare_options(args))


def _check_run(args: argparse.Namespace) -> None:
    from .pipeline import check_run

    check_run(_run_options(args))


# --- commands: each calls its step's one function (pipeline.py) -------------------------------


def _cmd_whoami(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import whoami_step

    whoami_step(backend, _reporter)


def _cmd_notebook_instance(args: argparse.Namespace, backend: Backend) -> None:
    from .options import NotebookInstanceOptions
    from .pipeline import notebook_instance_step

    options = NotebookInstanceOptions(
        name=args.name,
        instance_type=args.instance_type,
        delete=args.delete,
        consent=_consent(args),
        timeout=args.timeout,
    )
    notebook_instance_step(backend, options, _reporter)


def _cmd_setup(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import setup_command

    setup_command(backend, args.workdir, _setup_options(args), _reporter)


def _cmd_create_bucket(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import create_bucket_command

    create_bucket_command(backend, args.workdir, _bucket_options(args), _reporter)


def _cmd_delete_bucket(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import delete_bucket_step

    delete_bucket_step(backend, _bucket_options(args), _reporter)


def _cmd_download(args: argparse.Namespace, backend: None) -> None:
    from .aws.backends import backend_kind
    from .data.data_source import Whereabouts
    from .pipeline import download_command

    # The mock backend's data comes from the offline data server, a plain HTTP server of
    # this process: no local SageMaker, no region, no credentials.
    where = Whereabouts(offline=backend_kind(args.backend) == "mock")
    download_command(where, args.workdir, _download_options(args), _reporter)


def _cmd_split(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import split_command

    split_command(args.workdir, _split_options(args), _reporter)


def _cmd_preprocess(args: argparse.Namespace, backend: Backend) -> None:
    from .options import PreprocessOptions
    from .pipeline import preprocess_step

    options = PreprocessOptions(raw=args.raw, out=args.out, force=args.force)
    preprocess_step(args.workdir, options, _reporter)


def _cmd_prepare(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import prepare, record_prepared

    prepared = prepare(backend, args.workdir, _prepare_options(args), _reporter)
    record_prepared(backend, args.workdir, prepared)


def _cmd_upload(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import upload_step

    upload_step(backend, args.workdir, _upload_options(args), _reporter)


def _cmd_train(args: argparse.Namespace, backend: Backend) -> None:
    from .options import TrainOptions
    from .pipeline import train_step

    options = TrainOptions(
        role=args.role,
        xgboost_version=args.xgboost_version,
        timeout=args.timeout,
        consent=_consent(args),
    )
    train_step(backend, args.workdir, options, _reporter)


def _cmd_deploy(args: argparse.Namespace, backend: Backend) -> None:
    from .options import DeployOptions
    from .pipeline import deploy_step

    options = DeployOptions(timeout=args.timeout, consent=_consent(args))
    deploy_step(backend, args.workdir, options, _reporter)


def _cmd_predict(args: argparse.Namespace, backend: Backend) -> None:
    from .options import PredictOptions
    from .pipeline import predict_step

    predict_step(backend, args.workdir, PredictOptions(endpoint=args.endpoint), _reporter)


def _cmd_evaluate(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import evaluate_step

    evaluate_step(args.workdir, _reporter)


def _cmd_delete_endpoint(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import take_down_step

    take_down_step(backend, args.workdir, _reporter)


def _cmd_cleanup(args: argparse.Namespace, backend: Backend) -> None:
    from .options import CleanupOptions
    from .pipeline import cleanup_step

    options = CleanupOptions(
        run_id=args.run_id,
        all_runs=args.all_runs,
        yes=args.yes,
        keep_bucket=args.keep_bucket,
        older_than=args.older_than,
    )
    cleanup_step(backend, args.workdir, options, _reporter)


def _cmd_run(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import run

    run(backend, args.workdir, _run_options(args), _reporter)


def _cmd_permissions(args: argparse.Namespace, backend: Backend) -> None:
    from .aws.permissions import COMMANDS, policy_json

    if args.cloudformation:
        _print_ci_role_template(args.of_command)
        return
    if args.of_command is not None and args.of_command not in COMMANDS:
        # Still a policy document: `permissions COMMAND > policy.json` must give valid JSON.
        _reporter.note(f"{args.of_command} calls no AWS service: it needs no IAM permissions")
    _reporter.say(policy_json(args.of_command))


def _print_ci_role_template(of_command: str | None) -> None:
    from .aws.ci_role import role_template_json

    if of_command is not None:
        raise InputError("--cloudformation is the role for every command: give no COMMAND")
    _reporter.say(role_template_json().removesuffix("\n"))


def _cmd_serve(args: argparse.Namespace, backend: Backend) -> None:
    from .local_server.server import serve_forever

    def ready(url: str) -> None:
        _reporter.say_all(serve_lines(url))

    serve_forever(args.port, on_ready=ready)
    _reporter.say("Stopped the local SageMaker: everything it held is gone")


def serve_lines(url: str) -> list[str]:
    """What `serve` prints for the shell that is to use it: boto3, the SDK, the AWS CLI and
    --backend live need AWS_ENDPOINT_URL (and, when none are configured, some credentials
    and a region); the step commands on mock need SAGEMAKER_TUTORIAL_MOCK_ENDPOINT."""
    return [
        f"export AWS_ENDPOINT_URL={url}",
        f"export {settings.ENV_MOCK_ENDPOINT}={url} AWS_ACCESS_KEY_ID=local "
        f"AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION={settings.DEFAULT_MOCK_REGION}",
        "# Paste both lines into the shell that runs the step commands or your own boto3, "
        "SDK or AWS CLI code (any key works here). Ctrl-C stops the server.",
    ]


def _run(args: argparse.Namespace) -> None:
    """Judge the input, hold the work folder, start the backend, run the command.

    Everything that can be judged here is, before any backend starts or any request
    is sent. Once the command's work (and its clean-up) is done, nothing a signal does
    can change the outcome: the server stops and the folder is released regardless.
    """
    from .aws.backends import backend_kind, open_backend

    handler: Handler = args.handler
    kind = backend_kind(args.backend)
    if args.uses_workdir:
        from .workdir import check_workdir

        check_workdir(args.workdir)
    if args.check is not None:
        args.check(args)
    with _holding_workdir(args):
        if not args.needs_backend:
            with _finishing():
                handler(args, None)
            return
        run_id = None
        if args.continues_run:
            from .state import load_state

            state = load_state(args.workdir)
            run_id = state.run_id if state is not None else None
        with open_backend(kind, args.region, run_id) as backend, _finishing():
            handler(args, backend)


@contextmanager
def _finishing() -> Iterator[None]:
    """After the block, however it ended, signals change nothing (see interrupts.py)."""
    try:
        yield
    finally:
        interrupts.finished()


def _holding_workdir(args: argparse.Namespace) -> AbstractContextManager[None]:
    """The work folder's lock, for a command that writes there (see workdir.py)."""
    by_tag = args.command == "cleanup" and (args.run_id is not None or args.all_runs)
    if not args.uses_workdir or by_tag:  # a search by tag reads nothing of the folder
        return nullcontext()
    from .workdir import one_command_at_a_time

    return one_command_at_a_time(args.workdir, args.command, _reporter.warn)


def _error_line(exc: BaseException) -> str:
    """One readable line for a failure the project did not anticipate by name."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    from .aws.identity import NO_CREDENTIALS

    if isinstance(exc, NoCredentialsError):
        return f"{NO_CREDENTIALS} (or use --backend mock)"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "?"), error.get("Message", "")
        return f"AWS refused {exc.operation_name}: {code}: {message}".rstrip(": ")
    if isinstance(exc, BotoCoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def _library_logging(debug: bool) -> Iterator[None]:
    """Library logs (SDK config search, urllib3 retries, botocore) and warnings: --debug only.

    Without --debug nothing but the project's own lines reaches the terminal, so a
    failure is exactly one ``error:`` line. Logging is process-wide state and main()
    also runs in-process (the tests), so it is put back as it was afterwards.
    """
    root = logging.getLogger()
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            yield
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        return
    disabled = root.manager.disable
    logging.disable(logging.CRITICAL)
    with warnings.catch_warnings():
        logging.captureWarnings(True)  # a library's warning becomes a (disabled) log record
        try:
            yield
        finally:
            logging.captureWarnings(False)
            logging.disable(disabled)


def _run_reporting_errors(args: argparse.Namespace) -> int:
    try:
        _run(args)
    except TutorialError as exc:
        if args.debug:
            raise
        if isinstance(exc, WriteError):
            exc.in_step(args.step)
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return exc.exit_code
    except BrokenPipeError:
        _stop_writing_stdout()
        return 0
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: {_error_line(exc)}", file=sys.stderr, flush=True)
        return 1
    return 0


def _stop_writing_stdout() -> None:
    """The reader closed our output (`... | head`): that is theirs to do, not a failure.

    Later writes, and the interpreter's flush at exit, go to /dev/null instead of
    raising BrokenPipeError again (the recipe of Python's signal documentation).
    """
    import os

    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (captured in-process): nothing to redirect
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def main(argv: Sequence[str] | None = None, *, process_exits: bool = False) -> int:
    """Run one command; its exit code (see the module docstring).

    Ctrl-C, SIGTERM and SIGHUP stop the run cleanly (servers stopped, temporary files
    removed) with one ``error:`` line and exit code 128 + the signal's number.
    ``process_exits``: the process ends right after (the `sagemaker-tutorial` program),
    so signals stay ignored on the way out instead of getting their old handlers back.
    """
    with interrupts.stop_signals_interrupt(ignore_after=process_exits):
        try:
            args = build_parser().parse_args(argv)
            with _library_logging(args.debug):
                code = _run_reporting_errors(args)
            late = interrupts.unheeded()
            if late is not None and code == 0:  # a failure's report stays one error line
                _reporter.warn(
                    f"{interrupts.signal_name(late)} arrived while {args.command} was taking "
                    "down what it made: that clean-up was finished first, and nothing is left "
                    "to stop"
                )
            return code
        except KeyboardInterrupt as exc:
            print(f"error: {interrupts.describe(exc)}", file=sys.stderr, flush=True)
            return interrupts.exit_code(exc)


# The cyclic garbage collector's pace for the program. At Python's default (a pass
# every 700 new objects, and the older generations every 10 of those) a run walked
# the millions of objects pandas, moto and botocore's parsed models are made of again
# and again: 0.3-0.5 s of a 3 s `run`. What the program leaves in cycles is small;
# a pass every 50,000 objects keeps it as small.
GC_THRESHOLDS = (50_000, 20, 100)


def entry_point() -> NoReturn:
    """The `sagemaker-tutorial` program.

    Once main() has returned, whatever the command made is stopped, removed or released
    (its context managers saw to it, signals included). What would remain is the
    interpreter's teardown, freeing every object of every module one by one: after a
    command that imported the SDK, pandas and moto that took seconds (2.5 s of a 10 s
    `run`). So the output is flushed and the process ends without it.
    """
    import gc
    import os
    from contextlib import suppress

    gc.set_threshold(*GC_THRESHOLDS)
    code = main(process_exits=True)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a reader gone (`| head`), or a stream closed
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry_point()
