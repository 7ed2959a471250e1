"""The project's own local SageMaker: moto, plus the XGBoost training and serving it lacks.

``LocalSageMakerServer`` serves moto's app behind a WSGI layer (``LocalSageMakerApp``)
that runs training jobs for real, answers invocations with the trained model's
predictions and makes moto's Describe* answers look like AWS's. This package is the
only one in the project that imports moto.

    python -m sagemaker_tutorial.local_server [--port N]
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answer_holds import HOLD_ANSWERS_PATH
    from .app import HOLD_PATH, LocalSageMakerApp
    from .server import LocalSageMakerServer, serve_forever

# A library stays quiet unless its user configures logging (no "last resort" stderr).
logging.getLogger(__name__).addHandler(logging.NullHandler())

# Imported when first asked for: the client imports the leaf ``container_versions``
# and must not load moto (and the server's every module) on the way.
_LAZY = {
    "HOLD_ANSWERS_PATH": "answer_holds",
    "HOLD_PATH": "app",
    "LocalSageMakerApp": "app",
    "LocalSageMakerServer": "server",
    "serve_forever": "server",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)


__all__ = [
    "HOLD_ANSWERS_PATH",
    "HOLD_PATH",
    "LocalSageMakerApp",
    "LocalSageMakerServer",
    "serve_forever",
]
