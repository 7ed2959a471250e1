"""The project's own local SageMaker: moto, plus the XGBoost training and serving it lacks.

``LocalSageMakerServer`` serves moto's app behind a WSGI layer (``LocalSageMakerApp``)
that runs training jobs for real, answers invocations with the trained model's
predictions and makes moto's Describe* answers look like AWS's. This package is the
only one in the project that imports moto.

    python -m sagemaker_tutorial.local_server [--port N]
"""

from __future__ import annotations

import logging

from .answer_holds import HOLD_ANSWERS_PATH
from .app import HOLD_PATH, LocalSageMakerApp
from .server import LocalSageMakerServer, serve_forever

# A library stays quiet unless its user configures logging (no "last resort" stderr).
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "HOLD_ANSWERS_PATH",
    "HOLD_PATH",
    "LocalSageMakerApp",
    "LocalSageMakerServer",
    "serve_forever",
]
