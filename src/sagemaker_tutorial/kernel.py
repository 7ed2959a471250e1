"""The notebook's first cell: where this kernel's AWS calls go, decided before any is made.

The notebook teaches the tutorial's own boto3 and SageMaker SDK calls, so every later
cell is plain SDK code reading the standard AWS configuration, the same on both
backends. What is not the tutorial's subject happens here, in one visible call:

- mock (default): start the project's local SageMaker (moto plus real XGBoost training
  and hosting) and a loopback stand-in for the tutorial's download server, and point
  this process at them: ``AWS_ENDPOINT_URL``, credentials that exist only in the local
  server, a region (the configured one, else ap-northeast-1), and ``SAGEMAKER_ROLE_ARN``
  set to the execution role step 2 creates there. Both servers are threads of the
  kernel: they stop with it.
- live: change nothing about where calls go (the notebook instance's own role, region
  and AWS); only refuse to go on without consent to the cost of the training job and
  the endpoint.

On both, the SageMaker SDK's telemetry is turned off before the SDK is first imported.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import settings
from .aws.backends import MOCK_KEY_ID, MOCK_SECRET, backend_kind, backend_region, mock_backend
from .aws.sdk import opt_out_of_telemetry
from .errors import CostNotAccepted, InputError, cost_accepted_by_environment

# What the local server accepts as credentials; they exist nowhere else.
_MOCK_CREDENTIALS = {"AWS_ACCESS_KEY_ID": MOCK_KEY_ID, "AWS_SECRET_ACCESS_KEY": MOCK_SECRET}
# The user's own AWS identity must not mix with the local server's credentials.
_REMOVED_ON_MOCK = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


@dataclass
class Kernel:
    """What the first cell settled: the backend, and where step 3e downloads from."""

    backend: str
    region: str | None
    data_url: str
    endpoint_url: str | None = None
    data: str = ""
    _servers: list[Any] = field(default_factory=list, repr=False)

    def report(self) -> str:
        """The lines the first cell prints."""
        if self.backend == "live":
            return (
                "backend: live - your AWS account, with its own region, credentials and role; "
                "the training job and the endpoint are billed until step 7 deletes them\n"
                f"data: the tutorial's file, {self.data_url}"
            )
        return (
            f"backend: mock - the project's local SageMaker at {self.endpoint_url}; "
            f"AWS_ENDPOINT_URL sends this kernel's boto3 and SageMaker SDK calls there "
            f"(local credentials, region {self.region}); nothing leaves this machine\n"
            f"data: {self.data}, served at {self.data_url}"
        )

    def stop(self) -> None:
        """Stop the local servers (the kernel's end does it too)."""
        while self._servers:
            self._servers.pop().stop()


def prepare_kernel(backend: str | None = None) -> Kernel:
    """Prepare this process for the notebook's cells on ``backend`` (else
    ``$SAGEMAKER_TUTORIAL_BACKEND``, else mock); see the module docstring."""
    kind = backend_kind(backend)
    opt_out_of_telemetry()
    if kind == "live":
        if not cost_accepted_by_environment():
            raise CostNotAccepted(
                "the notebook's training job and endpoint (its step 7 deletes them)", None
            )
        return Kernel("live", None, settings.TUTORIAL_DATA_URL)
    return _prepare_mock()


def _prepare_mock() -> Kernel:
    from .aws.execution_role import ensure_execution_role
    from .data.kind import data_kind
    from .data.offline_data import OfflineDataServer

    region = backend_region("mock", None)
    source = _bank_data_file()
    kernel = Kernel("mock", region, "")
    try:
        endpoint = os.environ.get(settings.ENV_MOCK_ENDPOINT)
        if not endpoint:
            from .local_server import LocalSageMakerServer

            server = LocalSageMakerServer(port=0)
            server.start()
            kernel._servers.append(server)
            endpoint = server.endpoint_url
        data_server = OfflineDataServer(source)
        data_server.start()
        kernel._servers.append(data_server)
        role = ensure_execution_role(mock_backend(endpoint, region)).arn
    except BaseException:
        kernel.stop()
        raise
    atexit.register(kernel.stop)

    for name in _REMOVED_ON_MOCK:
        os.environ.pop(name, None)
    os.environ.update(_MOCK_CREDENTIALS)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    os.environ["AWS_DEFAULT_REGION"] = region
    os.environ[settings.ENV_ROLE_ARN] = role
    kernel.endpoint_url = endpoint
    kernel.data_url = data_server.url
    kernel.data = data_kind(data_server.sha1) + (
        f" ({source})"
        if source is not None
        else f" (set {settings.ENV_DATA_DIR} to a folder holding the real bank_clean.csv "
        "to reproduce the published result)"
    )
    return kernel


def _bank_data_file() -> Path | None:
    folder = os.environ.get(settings.ENV_DATA_DIR)
    if not folder:
        return None
    path = Path(folder) / settings.DATA_FILE_NAME
    if not path.is_file():
        raise InputError(f"{settings.ENV_DATA_DIR} is set, but there is no {path}")
    return path
