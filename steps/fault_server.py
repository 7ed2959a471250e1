"""A real HTTP server on 127.0.0.1 that misbehaves on cue, for download tests.

Each path has a script of replies, played in order; the last one repeats. A reply
can be an HTTP status (with Retry-After or Location), a body, or a body cut short
after some bytes (the Content-Length still announces the whole). Every request is
recorded with the time it arrived, so tests can count attempts and measure waits.

Faults come from a real socket, never from patched functions: the downloader under
test cannot tell this server from a flaky CDN.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    """One answer: status, headers, body; ``cut_after`` sends only that many body bytes."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut_after: int | None = None
    content_type: str = "text/csv"
    stall: float = 0.0  # seconds of silence between the headers and the body


def data(body: bytes) -> Reply:
    return Reply(200, body)


def status(code: int, retry_after: str | None = None, body: bytes = b"") -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(code, body or f"status {code}\n".encode(), headers, content_type="text/plain")


def cut_short(body: bytes, after: int) -> Reply:
    return Reply(200, body, cut_after=after)


def stalled(body: bytes, seconds: float) -> Reply:
    return Reply(200, body, stall=seconds)


def html_page() -> Reply:
    page = (
        b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
        b"<body><h1>Please sign in to continue</h1></body></html>\n"
    )
    return Reply(200, page, content_type="text/html; charset=utf-8")


def redirect(location: str, code: int = 302) -> Reply:
    return Reply(code, b"", {"Location": location}, content_type="text/plain")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    at: float  # time.monotonic() when it arrived


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        reply = self.server.owner._next(self.command, urlsplit(self.path).path)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.cut_after is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if reply.stall:
            self.wfile.flush()
            time.sleep(reply.stall)
        body = reply.body if reply.cut_after is None else reply.body[: reply.cut_after]
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if reply.cut_after is not None:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is routine here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FaultServer:
    """``with FaultServer() as server: server.route(path, status(503), data(b"..."))``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        self._server = _Server(self)
        self._thread = threading.Thread(
            # Poll often: stop() waits for the loop's next poll, once per test.
            target=self._server.serve_forever,
            args=(0.005,),
            daemon=True,
        )

    def route(self, path: str, *replies: Reply) -> str:
        """Script the replies for ``path`` (replacing any earlier script); return its URL."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._scripts[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def asked(self, path: str | None = None) -> list[Request]:
        """The requests received (for one path, or all)."""
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def _next(self, method: str, path: str) -> Reply:
        with self._lock:
            self.requests.append(Request(method, path, time.monotonic()))
            script = self._scripts.get(path)
            if not script:
                return status(404)
            return script.pop(0) if len(script) > 1 else script[0]

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
