"""The local SageMaker server: the layer over moto, served by werkzeug on loopback.

It runs as a thread of the process that starts it (the CLI, the test session), so
nothing can be orphaned when that process is killed, and it is quiet: no access log
and no error traceback on stdout or stderr (they go to this module's logger, at
DEBUG, for whoever configures logging).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

from werkzeug.serving import ThreadedWSGIServer

from . import memory
from .app import LocalSageMakerApp

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
_SHUTDOWN_TIMEOUT_S = 5.0
_POLL_INTERVAL_S = 0.05


def _request_handler() -> type[Any]:
    """moto's request handler (it keeps S3 metadata headers intact), made quiet."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):
        def log(self, type: str, message: str, *args: Any) -> None:
            log.debug("%s %s", type, message % args if args else message)

    return QuietRequestHandler


class _QuietServer(ThreadedWSGIServer):
    def log(self, type: str, message: str, *args: Any) -> None:
        log.debug("%s %s", type, message % args if args else message)


class LocalSageMakerServer:
    """moto plus real XGBoost training and serving, on 127.0.0.1 and ``port`` (0: any free).

    Use as a context manager, or ``start()`` / ``stop()``. ``endpoint_url`` is what a
    boto3 client (``endpoint_url=``) or ``AWS_ENDPOINT_URL`` needs.
    """

    def __init__(self, port: int = 0, *, load_managed_policies: bool = True) -> None:
        self._port = port
        self._load_managed_policies = load_managed_policies
        self._server: ThreadedWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._app: LocalSageMakerApp | None = None

    def __enter__(self) -> LocalSageMakerServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the running server."""
        if self._server is None:
            raise RuntimeError("the local SageMaker server is not running; call start() first")
        return f"http://{HOST}:{self._server.server_port}"

    @property
    def app(self) -> LocalSageMakerApp:
        """The WSGI layer being served (for in-process inspection)."""
        if self._app is None:
            raise RuntimeError("the local SageMaker server is not running; call start() first")
        return self._app

    def start(self) -> None:
        """Bind the port and serve in a daemon thread; returns once requests are accepted."""
        if self._server is not None:
            return
        memory.configure()
        self._app = LocalSageMakerApp(load_managed_policies=self._load_managed_policies)
        self._server = _QuietServer(HOST, self._port, self._app, handler=_request_handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            # How long stop() waits for the loop to notice: the default 0.5 s was a
            # sizeable part of every mock command's end.
            kwargs={"poll_interval": _POLL_INTERVAL_S},
            name="local-sagemaker-server",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and stop every training job (waiting a few seconds at most)."""
        server, thread, app = self._server, self._thread, self._app
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(_SHUTDOWN_TIMEOUT_S)
        if app is not None:
            app.shutdown(_SHUTDOWN_TIMEOUT_S)


def serve_forever(
    port: int,
    on_ready: Callable[[str], None],
    signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM),
) -> None:
    """Serve in the foreground until one of ``signals`` arrives, then stop cleanly.

    ``on_ready`` gets the endpoint URL once the server accepts requests (the CLI prints
    it). Must run in the main thread (signal handlers can be set only there); the
    previous handlers are restored on return.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in signals}
    try:
        with LocalSageMakerServer(port) as server:
            on_ready(server.endpoint_url)
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
