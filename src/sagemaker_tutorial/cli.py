"""`sagemaker-tutorial`: one command per tutorial step, and `prepare` for steps 3c-3f.

The contract people script against: exit 0 on success, 2 when input is rejected
before any network call, 1 for any other failure; every error is one line on
stderr starting with ``error:`` (a traceback only with ``--debug``).

Only the standard library is imported at start-up so that ``--help`` is fast;
each command imports what it needs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import settings
from .errors import TutorialError

if TYPE_CHECKING:
    from .aws.backends import Backend


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors follow the one-line ``error:`` contract (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _sha1(text: str) -> str:
    value = text.lower()
    if len(value) != 40 or any(c not in "0123456789abcdef" for c in value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a sha1 (40 hex digits)")
    return value


def _fraction(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sagemaker-tutorial",
        description=(
            "The AWS SageMaker XGBoost bank-marketing tutorial, step by step, done right. "
            "Runs offline against a local moto server (--backend mock, the default) or "
            "against your AWS account (--backend live)."
        ),
    )
    parser.add_argument(
        "--backend",
        choices=["mock", "live"],
        default=None,
        help="where AWS calls go (default: $SAGEMAKER_TUTORIAL_BACKEND, else mock)",
    )
    parser.add_argument(
        "--region", help="AWS region (default: your AWS configuration; mock: ap-northeast-1)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("."),
        help="folder for downloaded and split data (default: .)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and SDK logs")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    setup = commands.add_parser("setup", help="step 3c: region, XGBoost image and execution role")
    _add_setup_options(setup)
    setup.set_defaults(handler=_cmd_setup)

    create = commands.add_parser("create-bucket", help="step 3d: create the S3 bucket (idempotent)")
    create.add_argument(
        "--bucket", help="bucket name (default: sagemaker-tutorial-<account>-<region>)"
    )
    create.set_defaults(handler=_cmd_create_bucket)

    delete = commands.add_parser("delete-bucket", help="step 7: empty and delete the S3 bucket")
    delete.add_argument(
        "--bucket", help="bucket name (default: sagemaker-tutorial-<account>-<region>)"
    )
    delete.set_defaults(handler=_cmd_delete_bucket)

    download = commands.add_parser("download", help="step 3e: download and verify bank_clean.csv")
    download.add_argument("--url", help="where to download from (default: the tutorial's URL)")
    download.add_argument("--sha1", type=_sha1, help="expected sha1 (default: the one in the URL)")
    download.add_argument(
        "--out", type=Path, help="where to write (default: <workdir>/bank_clean.csv)"
    )
    download.add_argument(
        "--force", action="store_true", help="download even if a verified copy exists"
    )
    download.add_argument(
        "--data-file", type=Path, help="mock backend: serve this file instead of the synthetic data"
    )
    download.set_defaults(handler=_cmd_download)

    split = commands.add_parser("split", help="step 3f: split 70/30 exactly as the tutorial")
    _add_split_options(split)
    split.add_argument(
        "--input", type=Path, help="data to split (default: <workdir>/bank_clean.csv)"
    )
    split.set_defaults(handler=_cmd_split)

    preprocess = commands.add_parser(
        "preprocess", help="rebuild bank_clean.csv from the raw UCI bank-additional-full.csv"
    )
    preprocess.add_argument(
        "--raw", type=Path, required=True, help="the raw UCI file (';'-separated)"
    )
    preprocess.add_argument(
        "--out", type=Path, help="where to write (default: <workdir>/bank_clean.csv)"
    )
    preprocess.set_defaults(handler=_cmd_preprocess)

    prepare = commands.add_parser(
        "prepare", help="steps 3c-3f in one go, as the notebook runs them"
    )
    _add_setup_options(prepare)
    prepare.add_argument(
        "--bucket", help="bucket name (default: sagemaker-tutorial-<account>-<region>)"
    )
    prepare.add_argument(
        "--data-url", help="where to download the data from (default: the tutorial's URL)"
    )
    prepare.add_argument("--data-sha1", type=_sha1, help="expected sha1 of the data")
    prepare.add_argument("--data-file", type=Path, help="use this local copy of the data")
    prepare.add_argument(
        "--force", action="store_true", help="download even if a verified copy exists"
    )
    _add_split_options(prepare)
    prepare.set_defaults(handler=_cmd_prepare)
    return parser


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


def _say(line: str) -> None:
    print(line, flush=True)


def _warn(line: str) -> None:
    print(f"warning: {line}", file=sys.stderr, flush=True)


# --- commands ------------------------------------------------------------------------------


def _cmd_setup(args: argparse.Namespace, backend: Backend) -> None:
    from .aws.notebook import prepare_notebook

    for line in prepare_notebook(backend, args.role, args.xgboost_version).report():
        _say(line)


def _cmd_create_bucket(args: argparse.Namespace, backend: Backend) -> None:
    from .data.bucket import create_tutorial_bucket

    outcome = create_tutorial_bucket(backend, args.bucket)
    for line in outcome.report():
        _say(line)
    for difference in outcome.differences:
        _warn(difference)


def _cmd_delete_bucket(args: argparse.Namespace, backend: Backend) -> None:
    from .data.bucket import delete_tutorial_bucket

    _say(delete_tutorial_bucket(backend, args.bucket))


def _cmd_download(args: argparse.Namespace, backend: Backend) -> None:
    from .data.data_source import fetch_data

    out = args.out or args.workdir / settings.DATA_FILE_NAME
    outcome = fetch_data(
        backend, out, url=args.url, sha1=args.sha1, data_file=args.data_file, force=args.force
    )
    _say(outcome.report())


def _cmd_split(args: argparse.Namespace, backend: Backend) -> None:
    from .data.split import split_file

    outcome = split_file(
        args.input or args.workdir / settings.DATA_FILE_NAME,
        args.workdir,
        args.train_fraction,
        args.seed,
    )
    _say(outcome.shapes_line())


def _cmd_preprocess(args: argparse.Namespace, backend: Backend) -> None:
    from .data.preprocess import preprocess_raw

    outcome = preprocess_raw(args.raw, args.out or args.workdir / settings.DATA_FILE_NAME)
    _say(outcome.report())


def _cmd_prepare(args: argparse.Namespace, backend: Backend) -> None:
    from .pipeline import prepare

    prepare(backend, args, say=_say, warn=_warn)


# Commands that touch no AWS service run without starting a backend.
_LOCAL_COMMANDS = {"split", "preprocess"}


def _run(args: argparse.Namespace) -> None:
    from .aws.backends import backend_kind, open_backend

    handler: Callable[[argparse.Namespace, Backend | None], None] = args.handler
    kind = backend_kind(args.backend)
    if args.command in _LOCAL_COMMANDS:
        handler(args, None)
        return
    with open_backend(kind, args.region) as backend:
        handler(args, backend)


def _error_line(exc: BaseException) -> str:
    """One readable line for a failure the project did not anticipate by name."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return (
            "no AWS credentials found: configure a profile or set AWS_ACCESS_KEY_ID "
            "(or use --backend mock)"
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "?"), error.get("Message", "")
        return f"AWS refused {exc.operation_name}: {code}: {message}".rstrip(": ")
    if isinstance(exc, BotoCoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING, format="%(name)s: %(message)s"
    )
    if not args.debug:
        # The SDK logs its config search and telemetry notice at INFO; keep stdout the notebook's.
        logging.getLogger("sagemaker").setLevel(logging.ERROR)
        logging.getLogger("botocore").setLevel(logging.ERROR)
    try:
        _run(args)
    except TutorialError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: {_error_line(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
