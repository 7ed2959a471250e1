"""Test-session wiring: which backend the features run on, and what each scenario gets.

- ``--backend mock`` (default): one moto server on 127.0.0.1 for the session,
  reset before every test; fake credentials exist only inside it.
- ``--backend live``: the user's AWS configuration, unchanged.
- ``--contract``: the live backend, pointed at a local moto server through the
  standard ``AWS_ENDPOINT_URL`` variable, so the live wiring runs on every change.

Every resource a test creates is named with the session's run id and removed at
teardown through the ``cleanup`` fixture, even when the test fails.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend, live_backend, mock_backend, new_run_id
from sagemaker_tutorial.cli import GC_THRESHOLDS

pytest_plugins = [
    "steps.common",
    "steps.step_1",
    "steps.step_2",
    "steps.step_3c",
    "steps.step_3d",
    "steps.step_3e",
    "steps.step_3f",
    "steps.step_4",
    "steps.step_5",
    "steps.step_6",
    "steps.step_7",
    "steps.notebook_role",
    # Records each scenario's result when --living-docs-results is given (tox -e docs).
    "living_docs.collect",
]

_CONTRACT_REGION = "ap-northeast-1"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sagemaker-tutorial")
    group.addoption(
        "--backend",
        choices=["mock", "live"],
        default=os.environ.get(settings.ENV_BACKEND, "mock"),
        help="where the scenarios' AWS calls go (default: mock, or $SAGEMAKER_TUTORIAL_BACKEND)",
    )
    group.addoption(
        "--contract",
        action="store_true",
        help="run the live backend against a local moto server through AWS_ENDPOINT_URL",
    )
    group.addoption(
        "--japanese",
        action="store_true",
        help="also run the Japanese twins of the features (features/ja/; tox -e docs)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the tests, however pytest was started; garbage is collected at
    the program's pace.

    A shell starts a background job (``cmd &``) with SIGINT ignored, and Python then
    installs no Ctrl-C handler; the processes the tests start would inherit that too.
    The Ctrl-C tests send SIGINT and wait for the clean exit, so under an ignored SIGINT
    they would wait forever: the tests' process takes Python's own handler back (a
    handler, unlike "ignore", is reset to the default in the processes it starts).
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # The tests run the program's commands in this process: at the program's pace of
    # garbage collection (cli.GC_THRESHOLDS), not the default's whole-heap walks.
    gc.set_threshold(*GC_THRESHOLDS)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The Japanese scenarios are collected only when asked for (see steps/test_tutorial_ja.py)."""
    if collection_path.name == "test_tutorial_ja.py" and not config.getoption("--japanese"):
        return True
    return None


def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Gherkin tags become markers with underscores, so `pytest -m step_3c` selects them."""
    marked: Callable[..., Any] = getattr(pytest.mark, tag.replace("-", "_"))(function)
    return marked


def _bank_data_file() -> Path | None:
    data_dir = os.environ.get(settings.ENV_DATA_DIR)
    if not data_dir:
        return None
    path = Path(data_dir) / settings.DATA_FILE_NAME
    return path if path.is_file() else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, visibly, what this run cannot do: real-data scenarios, moto-only ones on AWS."""
    on_real_aws = config.getoption("--backend") == "live" and not config.getoption("--contract")
    no_data = pytest.mark.skip(reason=f"needs the real data: set {settings.ENV_DATA_DIR}")
    no_moto = pytest.mark.skip(reason="drives a moto server directly; not possible on real AWS")
    no_consent = pytest.mark.skip(
        reason=f"starts billed compute: set {settings.ENV_ALLOW_COST}=1 to run it on AWS"
    )
    consent = os.environ.get(settings.ENV_ALLOW_COST) == "1"
    for item in items:
        if "real_data" in item.keywords and _bank_data_file() is None:
            item.add_marker(no_data)
        if "moto_only" in item.keywords and on_real_aws:
            item.add_marker(no_moto)
        if "costly" in item.keywords and on_real_aws and not consent:
            item.add_marker(no_consent)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, called only under `-n`
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `-n 2` (tox -e mock, contract) a module of tests/ stays on one worker, so its
    module-scoped fixtures (real processes, the executed notebook, a `serve` of its own)
    start once; the feature scenarios, each standing alone, are shared out one by one.

    xdist's own loadgroup would do this from a marker, but it reads the marker in a
    worker hook that runs before a conftest's; choosing the scope here is one rule."""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleOrScenario(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.startswith("tests/") else nodeid

    return ModuleOrScenario(config, log)


def pytest_sessionstart(session: pytest.Session) -> None:
    """On a real account, say first who the run is as (step 1), or stop with one message.

    Without credentials or a region every scenario would fail on its own; one clear
    line saying what to configure is what the reader needs instead.
    """
    config = session.config
    if config.getoption("--backend") != "live" or config.getoption("--contract"):
        return
    from sagemaker_tutorial.aws.identity import whoami
    from sagemaker_tutorial.errors import TutorialError

    try:
        identity = whoami(live_backend())
    except TutorialError as exc:
        pytest.exit(f"tox -e live needs an AWS account: {exc}", returncode=2)
    print(f"\nrunning as {identity.arn} in {identity.region}", flush=True)


@pytest.fixture(scope="session")
def backend_kind(pytestconfig: pytest.Config) -> str:
    return (
        "live" if pytestconfig.getoption("--contract") else str(pytestconfig.getoption("--backend"))
    )


@pytest.fixture(scope="session")
def moto_endpoint(pytestconfig: pytest.Config) -> Iterator[str | None]:
    """The session's local SageMaker server (moto plus real XGBoost; mock and contract
    runs); None on real AWS."""
    contract = bool(pytestconfig.getoption("--contract"))
    if pytestconfig.getoption("--backend") == "live" and not contract:
        yield None
        return
    from sagemaker_tutorial.local_server import LocalSageMakerServer

    server = LocalSageMakerServer(port=0)
    server.start()
    endpoint = server.endpoint_url
    with pytest.MonkeyPatch.context() as env:
        if contract:
            # Exactly what a user pointing the live backend at their own server sets.
            env.setenv("AWS_ENDPOINT_URL", endpoint)
            env.setenv("AWS_ACCESS_KEY_ID", "testing")
            env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
            env.setenv("AWS_DEFAULT_REGION", _CONTRACT_REGION)
            for name in ("AWS_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN"):
                env.delenv(name, raising=False)
        try:
            yield endpoint
        finally:
            server.stop()


@pytest.fixture(autouse=True)
def _fresh_moto(moto_endpoint: str | None) -> None:
    """Each test starts from an empty moto (no-op on real AWS)."""
    if moto_endpoint is not None:
        # The server's control paths take only JSON POSTs (no web page can send one).
        request = urllib.request.Request(
            moto_endpoint + "/moto-api/reset",
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass


@pytest.fixture(scope="session")
def run_id() -> str:
    return new_run_id()


@pytest.fixture
def make_backend(
    backend_kind: str, moto_endpoint: str | None, run_id: str
) -> Callable[..., Backend]:
    """Build the session's backend for a region (None: the backend's own default)."""

    def make(region: str | None = None) -> Backend:
        if backend_kind == "mock":
            assert moto_endpoint is not None
            return mock_backend(moto_endpoint, region, run_id)
        return live_backend(region, run_id)

    return make


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    """The backend in its default region; a Given step may replace it with another region's."""
    return make_backend()


class Cleanup:
    """Teardown actions, run last-in first-out even when the test failed."""

    def __init__(self) -> None:
        self._actions: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []

    def add(self, action: Callable[..., Any], *args: Any) -> None:
        self._actions.append((action, args))

    def run(self) -> list[BaseException]:
        errors: list[BaseException] = []
        while self._actions:
            action, args = self._actions.pop()
            try:
                action(*args)
            except Exception as exc:  # keep going: one leak must not hide the others
                errors.append(exc)
        return errors


@pytest.fixture
def cleanup() -> Iterator[Cleanup]:
    actions = Cleanup()
    yield actions
    errors = actions.run()
    if errors:
        pytest.fail(f"teardown left resources behind: {errors!r}")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def bank_data_file() -> Path:
    """The real bank_clean.csv from BANK_DATA_DIR (the test is skipped without it)."""
    path = _bank_data_file()
    if path is None:
        pytest.skip(f"needs the real data: set {settings.ENV_DATA_DIR}")
    return path


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(
    backend_kind: str,
    moto_endpoint: str | None,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., CliResult]:
    """Run `sagemaker-tutorial` in-process on the session's backend, in the test's workdir."""
    from sagemaker_tutorial.cli import main

    if backend_kind == "mock" and moto_endpoint is not None:
        monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--backend", backend_kind, "--workdir", str(workdir), *args]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
