"""A loopback HTTP server that records every request and answers none usefully.

Pointing a backend at it proves that a command rejected its input before any
network call: if anything was sent, the tripwire saw it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Recorder(BaseHTTPRequestHandler):
    def _record(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _record

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def tripwire() -> AbstractContextManager[tuple[str, list[str]]]:
    """Yield (endpoint URL, list of requests received), serving until the block ends."""
    return serving(_Recorder)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[tuple[str, list[str]]]:
    """Serve ``handler`` on 127.0.0.1 and an ephemeral port; yield (URL, requests list).

    The list is the server's ``requests`` attribute, for handlers that record.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []  # type: ignore[attr-defined]
    # Poll often: shutdown() waits for the loop's next poll (0.5 s by default), per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.005,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
