"""A loopback proxy in front of the SageMaker stand-in that fails one kind of call.

Every request is passed on to the session's server and its answer relayed, except
the one the scenario breaks:

- ``"invocations"``: InvokeEndpoint (``POST /endpoints/<name>/invocations``) gets a
  sign-in page, what a reader sees when a proxy or captive portal sits in the way;
- a SageMaker operation name (``"CreateEndpoint"``): answered with AWS's error for
  an account whose quota for the instance type is 0, as new accounts often meet.

The client under test cannot tell it from AWS going wrong.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from .fault_server import html_page
from .tripwire import serving

_INVOCATION = re.compile(r"^/endpoints/[^/]+/invocations$")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def quota_error(operation: str) -> bytes:
    """AWS's answer when the account's quota for ml.m4.xlarge is 0 (JSON protocol)."""
    usage = "training job usage" if operation == "CreateTrainingJob" else "endpoint usage"
    return json.dumps(
        {
            "__type": "ResourceLimitExceeded",
            "Message": f"The account-level service limit 'ml.m4.xlarge for {usage}' is "
            "0 Instances, with current utilization of 0 Instances and a request delta of "
            "1 Instances. Please use AWS Service Quotas to request an increase for this quota.",
        }
    ).encode()


def _proxy_to(upstream: str, fault: str) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)
    failing_target = f"SageMaker.{fault}"

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            invocation = self.command == "POST" and _INVOCATION.match(urlsplit(self.path).path)
            if fault == "invocations" and invocation:
                page = html_page()
                self._send(page.status, {"Content-Type": page.content_type}, page.body)
                return
            if self.headers.get("X-Amz-Target") == failing_target:
                headers = {"Content-Type": "application/x-amz-json-1.1"}
                self._send(400, headers, quota_error(fault))
                return
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                # Addressed to the server itself (it answers no other Host), as a proxy does.
                sent = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                sent["Host"] = str(target.netloc)
                connection.request(self.command, self.path, body, sent)
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
def faulty_proxy(upstream: str, fault: str) -> Iterator[str]:
    """Serve the proxy that breaks ``fault`` on 127.0.0.1 for the block; yield its URL."""
    with serving(_proxy_to(upstream, fault)) as (url, _):
        yield url
