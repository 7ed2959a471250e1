"""What the step commands remember between runs: ``<workdir>/state.json``.

The notebook keeps its variables (``bucket_name``, ``xgb``, ``xgb_predictor``) in the
kernel's memory; a command line has no kernel. Each step command records the names
of what it made here, and the next step reads them: `train` the upload's channel,
`deploy` the training job, `predict` the endpoint. A name is never guessed: a step
whose input is neither recorded nor given by a flag says which step to run first.
The file also records the backend and region, so names made in one place are not
looked for in another.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from . import settings
from .data.atomic import atomic_writer
from .errors import InputError, TutorialError


@dataclass
class RunState:
    """The names one run's steps made, in the order the tutorial makes them."""

    run_id: str
    backend: str
    region: str
    bucket: str | None = None
    prefix: str = settings.PREFIX
    image_uri: str | None = None
    role_arn: str | None = None
    train_channel: str | None = None  # s3://<bucket>/<prefix>/train
    instance_count: int = 1
    training_job: str | None = None
    model_artifact: str | None = None
    model: str | None = None
    endpoint_config: str | None = None
    endpoint: str | None = None

    def require(self, name: str, how: str) -> str:
        """The recorded value ``name``, or an error that says how to get it (``how``)."""
        value = getattr(self, name)
        if not value:
            raise InputError(
                f"no {name.replace('_', ' ')} recorded in {settings.STATE_FILE_NAME}: {how}"
            )
        return str(value)


def state_path(workdir: Path) -> Path:
    return workdir / settings.STATE_FILE_NAME


def load_state(workdir: Path) -> RunState | None:
    """The recorded state, or None when no step has recorded anything in ``workdir``."""
    path = state_path(workdir)
    if not path.is_file():
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TutorialError(f"{path} is not readable state ({exc}): remove it or fix it") from None
    known = {field.name for field in fields(RunState)}
    if not isinstance(raw, dict) or not {"run_id", "backend", "region"} <= raw.keys():
        raise TutorialError(f"{path} is not the tutorial's state: remove it or fix it")
    return RunState(**{key: value for key, value in raw.items() if key in known})


def state_for(workdir: Path, backend: str, region: str, run_id: str) -> RunState:
    """The workdir's state for this backend and region; a fresh one if none is recorded.

    A state recorded on another backend or in another region names resources that
    do not exist here: that is an error, not something to overwrite silently.
    """
    state = load_state(workdir)
    if state is None:
        return RunState(run_id=run_id, backend=backend, region=region)
    if (state.backend, state.region) != (backend, region):
        raise InputError(
            f"{state_path(workdir)} records a run on the {state.backend} backend in "
            f"{state.region}, not {backend} in {region}: use --backend {state.backend} "
            f"--region {state.region}, or another --workdir"
        )
    return state


def save_state(workdir: Path, state: RunState) -> None:
    """Record ``state`` atomically: a crash leaves the previous file or the new one."""
    with atomic_writer(state_path(workdir)) as handle:
        handle.write((json.dumps(asdict(state), indent=2) + "\n").encode("utf-8"))
