"""A loopback proxy in front of the SageMaker stand-in whose endpoints answer a web page.

Every request is passed on to the session's server and its answer relayed, except
InvokeEndpoint (``POST /endpoints/<name>/invocations``), which gets a sign-in page:
what a reader sees when a proxy or a captive portal sits between them and AWS. The
client under test cannot tell it from a real endpoint that went wrong.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from .fault_server import html_page
from .tripwire import serving

_INVOCATION = re.compile(r"^/endpoints/[^/]+/invocations$")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def _proxy_to(upstream: str) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.command == "POST" and _INVOCATION.match(urlsplit(self.path).path):
                page = html_page()
                self._send(page.status, {"Content-Type": page.content_type}, page.body)
                return
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                connection.request(self.command, self.path, body, dict(self.headers))
                reply = connection.getresponse()
                headers = {k: v for k, v in reply.getheaders() if k.lower() not in _HOP_BY_HOP}
                body = reply.read()
                # A HEAD answer has no body but announces the object's length: keep it.
                length = reply.getheader("Content-Length") if self.command == "HEAD" else None
                self._send(reply.status, headers, body, length)
            finally:
                connection.close()

        def _send(
            self, status: int, headers: dict[str, str], body: bytes, length: str | None = None
        ) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", length or str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Proxy


@contextmanager
def faulty_runtime_proxy(upstream: str) -> Iterator[str]:
    """Serve the proxy on 127.0.0.1 for the block; yield its URL."""
    with serving(_proxy_to(upstream)) as (url, _):
        yield url
