"""The SageMaker SDK is imported with its telemetry off: no host the user did not configure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_RESOLVE_OPT_OUT = """
import boto3
from sagemaker_tutorial.aws import sdk
helper = sdk.session_helper()
from sagemaker.core.common_utils import resolve_value_from_config
from sagemaker.core.config.config_schema import TELEMETRY_OPT_OUT_PATH
session = helper.Session(boto_session=boto3.Session(
    region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing"))
print(resolve_value_from_config(config_path=TELEMETRY_OPT_OUT_PATH, sagemaker_session=session))
"""


def _opt_out_seen(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _RESOLVE_OPT_OUT],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_sdk_sees_telemetry_turned_off(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")}
    env["HOME"] = str(tmp_path)  # no user config of the SDK's either
    assert _opt_out_seen(env) == "True"


def test_an_administrators_own_sdk_config_is_left_in_charge(tmp_path: Path) -> None:
    own = tmp_path / "admin.yaml"
    own.write_text(
        "SchemaVersion: '1.0'\n"
        "SageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: false\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")}
    env.update(HOME=str(tmp_path), SAGEMAKER_ADMIN_CONFIG_OVERRIDE=str(own))
    assert _opt_out_seen(env) == "False"
