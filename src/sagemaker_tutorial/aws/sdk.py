"""The one door to the SageMaker Python SDK v3: telemetry off, imported only when needed.

``import sagemaker.core`` takes seconds, so nothing imports the SDK at start-up,
nor for what a file the SDK ships answers (the image registry: see image_uri.py),
nor for the tutorial's calls (plain boto3 requests: see model/training.py). What is
left is what only the SDK knows: a notebook's execution role, and the notebook;
and before it is imported the SDK is pointed at the project's defaults file,
which turns its telemetry off (the project contacts no host the user did not
configure).
"""

from __future__ import annotations

import os
from importlib import resources as package_files
from types import ModuleType
from typing import cast

_ADMIN_CONFIG_VARIABLE = "SAGEMAKER_ADMIN_CONFIG_OVERRIDE"


def opt_out_of_telemetry() -> None:
    """Point the SDK at the project's defaults file (telemetry off) before it is imported."""
    # An administrator's own override wins; it is their machine's policy.
    if _ADMIN_CONFIG_VARIABLE not in os.environ:
        defaults = package_files.files("sagemaker_tutorial.aws") / "sdk_defaults.yaml"
        os.environ[_ADMIN_CONFIG_VARIABLE] = str(defaults)


def session_helper() -> ModuleType:
    """``sagemaker.core.helper.session_helper``: Session and get_execution_role."""
    opt_out_of_telemetry()
    from sagemaker.core.helper import session_helper as module

    return cast(ModuleType, module)
