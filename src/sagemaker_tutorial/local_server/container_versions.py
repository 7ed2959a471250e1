"""Which XGBoost container an image URI names, and what each container version changed.

The client (step 4b's hyperparameters) and the local server (the container it
imitates) must agree on these facts, so they are decided here once. This module
imports the standard library only: the client imports it without loading the local
server, moto or any heavy library (``local_server/__init__`` imports nothing eagerly).

The facts, from aws/sagemaker-xgboost-container and the SDK's image registry:

- ``.../xgboost:latest`` (also published as ``:1``) is the tutorial's legacy image,
  XGBoost 0.72; ``.../sagemaker-xgboost:<major>.<minor>-<build>[-suffix]`` is that
  version (``:0.90-1-cpu-py3`` is 0.90-1).
- Containers before 1.0 still list the hyperparameter ``silent``; 1.0 and later
  refuse it (its meaning survives as ``verbosity``).
- From 1.2-2 on (the container's #269), a reply is encoded by the request's Accept;
  earlier images always answer text/csv.
"""

from __future__ import annotations

import re

# The tutorial's legacy image (`xgboost:latest`, also tagged `xgboost:1`).
LEGACY_VERSION = "0.72"
# The versions SageMaker publishes (sagemaker-core's image registry), oldest first.
SUPPORTED_VERSIONS: tuple[str, ...] = (
    LEGACY_VERSION,
    "0.90-1",
    "0.90-2",
    "1.0-1",
    "1.2-1",
    "1.2-2",
    "1.3-1",
    "1.5-1",
    "1.7-1",
    "3.0-5",
    "3.2-0",
)
# The first image whose serve.py encodes by Accept (branch 1.2-2 carries #269).
FIRST_ACCEPTING_VERSION = "1.2-2"

_IMAGE = re.compile(r"^(?:[^/]+/)*(?P<repo>[^/:@]+):(?P<tag>[^/:@]+)$")
_VERSION_TAG = re.compile(r"^(?P<version>\d+\.\d+-\d+)(?:-.*)?$")


def container_version(image_uri: str) -> str | None:
    """The XGBoost container version ``image_uri`` names, or None for any other image.

    A well-formed version SageMaker does not (yet) publish is still returned: the
    client can adapt to it; the local server refuses what is not in SUPPORTED_VERSIONS.
    """
    match = _IMAGE.match(image_uri.strip())
    if match is None:
        return None
    if match["repo"] == "xgboost" and match["tag"] in ("latest", "1"):
        return LEGACY_VERSION
    if match["repo"] == "sagemaker-xgboost":
        tag = _VERSION_TAG.match(match["tag"])
        return tag["version"] if tag else None
    return None


def accepts_silent(version: str) -> bool:
    """Whether the container still lists the legacy ``silent`` hyperparameter (before 1.0)."""
    return int(version.split(".")[0]) < 1


def honours_accept(version: str) -> bool:
    """Whether an image of ``version`` (one of SUPPORTED_VERSIONS) encodes by Accept."""
    return SUPPORTED_VERSIONS.index(version) >= SUPPORTED_VERSIONS.index(FIRST_ACCEPTING_VERSION)
