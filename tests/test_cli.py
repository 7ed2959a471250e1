"""The command-line contract people script against: exit codes, one-line errors, fast help."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import mock_backend
from sagemaker_tutorial.aws.execution_role import ROLE_NAME
from sagemaker_tutorial.cli import main


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    env.update(extra)
    return env


def test_help_imports_neither_pandas_nor_boto3_nor_the_sdk() -> None:
    code = (
        "import sys\n"
        "from sagemaker_tutorial.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = ('pandas', 'boto3', 'botocore', 'sagemaker', 'numpy')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_unknown_command_is_one_error_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["make-coffee"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: argument COMMAND: invalid choice: 'make-coffee'")
    assert err.count("\n") == 1


def test_unknown_backend_in_the_environment_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(settings.ENV_BACKEND, "staging")
    assert main(["setup"]) == 2
    assert capsys.readouterr().err == "error: unknown backend 'staging': choose mock or live\n"


def test_live_backend_without_a_region_exits_2_before_any_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--backend", "live", "setup"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no AWS region configured: pass --region")
    assert err.count("\n") == 1


def test_debug_shows_the_traceback_instead_of_one_line() -> None:
    with pytest.raises(Exception, match="unknown region 'xx-nowhere-9'"):
        main(["--debug", "--region", "xx-nowhere-9", "setup"])


def test_setup_on_the_mock_backend_starts_its_own_moto_server() -> None:
    """What `pip install .` then `sagemaker-tutorial setup` does on a machine with no AWS."""
    result = subprocess.run(
        [sys.executable, "-m", "sagemaker_tutorial.cli", "setup"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Success - the MySageMakerInstance is in the ap-northeast-1 region. You will use the "
        "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-xgboost:1.7-1 container "
        "for your SageMaker endpoint."
    )
    assert result.stderr == ""


def test_mock_run_uses_the_moto_server_it_is_given(
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    aws_managed_policies: None,
) -> None:
    """The suite shares one moto server: what `setup` creates there, the test can see."""
    monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    monkeypatch.delenv(settings.ENV_ROLE_ARN, raising=False)
    assert main(["--backend", "mock", "setup"]) == 0
    iam = mock_backend(moto_endpoint).client("iam")
    role = iam.get_role(RoleName=ROLE_NAME)["Role"]
    assert f"Execution role: {role['Arn']}\n" in capsys.readouterr().out


def test_prepare_offline_with_no_aws_and_no_data_ends_with_the_notebook_shapes(
    tmp_path: Path,
) -> None:
    """The README's main job on a bare machine: no AWS config, no BANK_DATA_DIR, no internet."""
    result = subprocess.run(
        [sys.executable, "-m", "sagemaker_tutorial.cli", "--workdir", str(tmp_path), "prepare"],
        capture_output=True,
        text=True,
        env=_clean_env(HOME=str(tmp_path)),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Success - the MySageMakerInstance is in the ap-northeast-1 region.")
    assert "S3 bucket created successfully" in lines
    assert "Success: Data loaded into dataframe." in lines
    assert lines[-1] == "(28831, 61) (12357, 61)"
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "bank_clean.csv",
        "test_data.csv",
        "train_data.csv",
    ]


def test_prepare_refuses_a_bad_fraction_before_starting_anything(
    run_cli: Callable[..., Any],
) -> None:
    result = run_cli("prepare", "--train-fraction", "1.5")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the train fraction must be between 0 and 1")
    assert result.stdout == ""
