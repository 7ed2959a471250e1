"""Where the tutorial's AWS calls go: a moto server (mock) or the user's AWS account (live).

Both backends hand out ordinary boto3 clients, so every step runs the same code
on both. The mock backend also marks the run as *offline*: the data comes from a
local stand-in for the tutorial's download server, and (from step 4 on) the
compute SageMaker would do runs locally too.
"""

from __future__ import annotations

import functools
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .. import settings
from ..errors import InputError, TutorialError
from .regions import resolve_region

if TYPE_CHECKING:
    import boto3

    from ..local_server import LocalSageMakerServer

BackendKind = Literal["mock", "live"]
BACKEND_KINDS: tuple[BackendKind, ...] = ("mock", "live")

# Bounded retries with the SDK's standard mode: throttling and transient faults
# are retried with backoff, a broken request is not retried forever.
MAX_ATTEMPTS = 5
# Credentials that exist only inside the moto server (the kernel exports them, too).
MOCK_KEY_ID = "testing"
MOCK_SECRET = "testing"


def new_run_id() -> str:
    """A short id that names and tags everything one run creates (lower case, S3-safe)."""
    return f"{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


def backend_kind(flag: str | None) -> BackendKind:
    """The backend named by the flag, else by SAGEMAKER_TUTORIAL_BACKEND, else mock."""
    name = flag or os.environ.get(settings.ENV_BACKEND) or "mock"
    for kind in BACKEND_KINDS:
        if name == kind:
            return kind
    raise InputError(f"unknown backend '{name}': choose mock or live")


@dataclass(frozen=True)
class Backend:
    """A configured place to send the tutorial's AWS calls."""

    kind: BackendKind
    region: str
    session: boto3.Session
    endpoint_url: str | None = None
    run_id: str = field(default_factory=new_run_id)
    # One client per service and region: making one costs ~10 ms, and a run asks 15 times.
    # Mock backends on one endpoint share theirs (_mock_clients).
    clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def offline(self) -> bool:
        """True on the mock backend: no internet, no AWS; data and compute are local."""
        return self.kind == "mock"

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for ``service`` with bounded standard-mode retries (made once
        per service and region; boto3's clients are safe to share between threads).

        On the live backend ``endpoint_url`` is None, so boto3 applies the user's
        own configuration (``AWS_ENDPOINT_URL`` included) exactly as it would anywhere.
        """
        key = (service, region or self.region)
        if key not in self.clients:
            self.clients[key] = self._new_client(*key)
        return self.clients[key]

    def _new_client(self, service: str, region: str) -> Any:
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
            connect_timeout=10,
            read_timeout=60,
            user_agent_extra="sagemaker-tutorial",
        )
        return self.session.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=config,
        )

    def account_id(self) -> str:
        """The AWS account the calls are made as."""
        return str(self.client("sts").get_caller_identity()["Account"])

    def tags(self) -> list[dict[str, str]]:
        """The tags every resource of this run carries, so teardown can find it."""
        return [
            {"Key": settings.TAG_PROJECT_KEY, "Value": settings.TAG_PROJECT_VALUE},
            {"Key": settings.TAG_RUN_ID_KEY, "Value": self.run_id},
        ]


def _configured_region() -> str | None:
    import botocore.session

    region = botocore.session.get_session().get_config_variable("region")
    return str(region) if region else None


def mock_backend(
    endpoint_url: str, region: str | None = None, run_id: str | None = None
) -> Backend:
    """A backend on the moto server at ``endpoint_url``, with credentials that exist only there."""
    return _mock_backend(endpoint_url, backend_region("mock", region), run_id)


def backend_region(kind: BackendKind, flag: str | None) -> str:
    """The region a backend of ``kind`` runs in: ``--region``, else the AWS configuration,
    else (mock only) the mock default; checked to be a real region (InputError if not).

    Decided once per run (open_backend), before any server starts, and passed down.
    """
    default = settings.DEFAULT_MOCK_REGION if kind == "mock" else None
    return resolve_region(flag, None if flag else _configured_region(), default)


def _mock_backend(endpoint_url: str, region: str, run_id: str | None) -> Backend:
    """The mock backend in an already resolved ``region``."""
    session = endpoint_session(
        endpoint_url,
        aws_access_key_id=MOCK_KEY_ID,
        aws_secret_access_key=MOCK_SECRET,
        region_name=region,
    )
    return Backend(
        "mock", region, session, endpoint_url, run_id or new_run_id(), _mock_clients(endpoint_url)
    )


@functools.lru_cache(maxsize=8)
def _mock_clients(endpoint_url: str) -> dict[tuple[str, str], Any]:
    """The clients of every mock backend on ``endpoint_url`` (for the last few endpoints).

    A mock backend's clients differ from another's on the same endpoint in nothing (the
    same credentials, which exist only there, and configuration), and a process that
    makes a backend per test (the suite) spent 8 s making the same clients again.
    """
    return {}


def endpoint_session(endpoint_url: str, **session_args: Any) -> boto3.Session:
    """A boto3 Session whose every client goes to ``endpoint_url`` unless told otherwise.

    The SageMaker SDK makes its own clients from the session it is given
    (``session.client("sagemaker", region, config=...)``, never an endpoint), so
    the endpoint has to live in the session for the SDK's calls to reach the
    local server the same way the project's own boto3 calls do.
    """
    import boto3

    class _EndpointSession(boto3.Session):
        def client(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("endpoint_url", endpoint_url)
            return super().client(*args, **kwargs)

    return _EndpointSession(botocore_session=_botocore_session(), **session_args)


def _botocore_session() -> Any:
    """A new botocore session whose service models, once parsed, serve every later one.

    Parsing botocore's JSON (service models, endpoint rules: megabytes) is most of
    what a session's first clients cost, and botocore parses it again for every new
    session; a process that makes many mock backends (the test suite) spent a third
    of its time there. The parsed data is what one session already shares between
    all its clients, so sharing it between sessions changes nothing else.
    """
    import botocore.loaders
    import botocore.session

    session = botocore.session.Session()
    loader = botocore.loaders.create_loader(session.get_config_variable("data_path"))
    loader.file_loader = _parsed_once()
    session.register_component("data_loader", loader)
    return session


@functools.cache
def _parsed_once() -> Any:
    """botocore's JSON file loader, keeping each file it parsed (one per process)."""
    import botocore.loaders

    class ParsedOnce(botocore.loaders.JSONFileLoader):
        def __init__(self) -> None:
            self._parsed: dict[str, Any] = {}

        def load_file(self, file_path: str) -> Any:
            if file_path not in self._parsed:
                self._parsed[file_path] = super().load_file(file_path)
            return self._parsed[file_path]

    return ParsedOnce()


def live_backend(region: str | None = None, run_id: str | None = None) -> Backend:
    """A backend on the standard AWS configuration chain (profile, environment, endpoint)."""
    return _live_backend(backend_region("live", region), run_id)


def _live_backend(region: str, run_id: str | None) -> Backend:
    """The live backend in an already resolved ``region``."""
    import boto3

    session = boto3.Session(region_name=region)
    return Backend("live", region, session, None, run_id or new_run_id())


@contextmanager
def open_backend(
    kind: BackendKind, region: str | None = None, run_id: str | None = None
) -> Iterator[Backend]:
    """The backend for one CLI run; on mock, a private local server lives as long as the run.

    The mock backend uses the server named by SAGEMAKER_TUTORIAL_MOCK_ENDPOINT when
    set (the test suite shares one), and otherwise starts its own: the project's local
    SageMaker server (moto plus real XGBoost training and serving), as a thread of
    this process, so that nothing outlives the run, even when the CLI is killed.
    ``run_id`` continues a recorded run (its resources share one tag); None starts one.
    """
    with ExitStack() as stack:
        if kind == "live":
            yield _live_backend(backend_region(kind, region), run_id)
            return
        endpoint = os.environ.get(settings.ENV_MOCK_ENDPOINT)
        if endpoint:
            check_served_endpoint(endpoint)
        # Resolved before the server starts: a bad region must not cost a server start.
        resolved = backend_region(kind, region)
        if not endpoint:
            endpoint = stack.enter_context(_local_server()).endpoint_url
        yield _mock_backend(endpoint, resolved, run_id)


def check_served_endpoint(url: str) -> None:
    """SAGEMAKER_TUTORIAL_MOCK_ENDPOINT names a server that is there: a URL with a port, and
    something listening on it. Otherwise every call would fail with botocore's words,
    which name neither the variable nor `serve`."""
    import socket
    from urllib.parse import urlsplit

    name = settings.ENV_MOCK_ENDPOINT
    parsed = urlsplit(url)
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port is None:
        raise InputError(
            f"{name}={url} is not a URL like http://127.0.0.1:PORT: set it to the URL "
            "`sagemaker-tutorial serve` prints, or unset it (each command then starts its own "
            "local SageMaker)"
        )
    try:
        socket.create_connection((parsed.hostname, port), timeout=5).close()
    except OSError as exc:
        raise TutorialError(
            f"nothing answers at {name}={url} ({exc.strerror or exc}): start "
            "`sagemaker-tutorial serve` and set it to the URL it prints, or unset it"
        ) from None


def _local_server() -> LocalSageMakerServer:
    """A stopped local SageMaker server on a free loopback port (imported only when needed)."""
    try:
        from ..local_server import LocalSageMakerServer
    except ImportError as exc:  # moto[server] or xgboost missing from the environment
        raise TutorialError(f"the local SageMaker server cannot start: {exc}") from exc
    return LocalSageMakerServer(port=0)
