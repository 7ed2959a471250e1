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
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from . import settings
from .data.atomic import atomic_writer
from .errors import InputError

# The layout of state.json; a file of another version is refused, never guessed at.
STATE_VERSION = 1


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
    data_file: str | None = None  # step 3e's bank_clean.csv
    train_data: str | None = None  # step 3f's parts
    test_data: str | None = None
    train_channel: str | None = None  # s3://<bucket>/<prefix>/train
    instance_count: int = 1
    training_job: str | None = None
    model_artifact: str | None = None
    model: str | None = None
    endpoint_config: str | None = None
    endpoint: str | None = None
    version: int = STATE_VERSION

    def require(self, name: str, how: str) -> str:
        """The recorded value ``name``, or an error that says how to get it (``how``)."""
        value = getattr(self, name)
        if not value:
            raise InputError(
                f"no {name.replace('_', ' ')} recorded in {settings.STATE_FILE_NAME}: {how}"
            )
        return str(value)


# What each field may hold in the file, and how to say so: the checks `load_state` makes
# before trusting it. Fields not named here hold a string or null.
_REQUIRED = ("run_id", "backend", "region")
_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "whole number": (
        "a whole number",
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    ),
    "text": ("a string", lambda v: isinstance(v, str) and bool(v)),
    "backend": ('"mock" or "live"', lambda v: v in ("mock", "live")),
    "name": ("a string or null", lambda v: v is None or isinstance(v, str)),
}
_FIELD_KINDS = {
    "instance_count": "whole number",
    "version": "whole number",
    "run_id": "text",
    "region": "text",
    "prefix": "text",
    "backend": "backend",
}


def state_path(workdir: Path) -> Path:
    return workdir / settings.STATE_FILE_NAME


def load_state(workdir: Path) -> RunState | None:
    """The recorded state, or None when no step has recorded anything in ``workdir``.

    The file is checked field by field: a name of the wrong type would otherwise reach
    botocore or the SDK and come back as a page of validation errors (or as a
    suggestion to pass ``--region 123``).
    """
    path = state_path(workdir)
    if not path.is_file():
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not readable state ({exc}): {_remedy(None)}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path} is not the tutorial's state (not a JSON object): {_remedy(None)}")
    return RunState(**_checked_fields(path, raw))


def _checked_fields(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    run_id = raw.get("run_id") if isinstance(raw.get("run_id"), str) else None
    version = raw.get("version", STATE_VERSION)
    if version != STATE_VERSION:
        raise InputError(
            f"{path} has version {version!r}, which this sagemaker-tutorial does not read "
            f"(it writes version {STATE_VERSION}): {_remedy(run_id)}"
        )
    for name in _REQUIRED:
        if name not in raw:
            raise InputError(f"{path} has no field '{name}': {_remedy(run_id)}")
    known = {field.name for field in fields(RunState)}
    checked = {key: value for key, value in raw.items() if key in known}
    for name, value in checked.items():
        wanted, holds = _KINDS[_FIELD_KINDS.get(name, "name")]
        if not holds(value):
            raise InputError(
                f"{path}: field '{name}' must be {wanted}, not {json.dumps(value)}: "
                f"{_remedy(run_id)}"
            )
    return checked


def _remedy(run_id: str | None) -> str:
    """What to do with a state file this version cannot trust."""
    cleanup = f"cleanup --run-id {run_id}" if run_id else "cleanup --all-runs"
    return f"remove its run's leftovers with `{cleanup}`, then delete the file"


def state_for(workdir: Path, backend: str, region: str, run_id: str) -> RunState:
    """The workdir's state for this backend and region; a fresh one if none is recorded.

    A state recorded on another backend or in another region names resources that
    do not exist here: that is an error, not something to overwrite silently.
    """
    return matching_state(load_state(workdir), workdir, backend, region, run_id)


def matching_state(
    state: RunState | None, workdir: Path, backend: str, region: str, run_id: str
) -> RunState:
    """`state_for` on a state already read from ``workdir`` (None: nothing recorded there)."""
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


def record_files(workdir: Path, **paths: str) -> None:
    """Note the files a step wrote (``data_file``, ``train_data``...) in the run recorded in
    ``workdir``, so the next step finds them; with no run recorded there is none to note."""
    state = load_state(workdir)
    if state is None:
        return
    for name, path in paths.items():
        setattr(state, name, path)
    save_state(workdir, state)
