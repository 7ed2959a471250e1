"""Answers held back on request: a test's switch to catch a client at an exact call.

A signal that arrives while a client waits for an answer is the hardest moment for
it: the server has done the work (the endpoint exists, the object is stored), but the
client has not heard so. To put a client there on purpose, and not by a lucky sleep,
a test names the operations to hold (``POST /local-sagemaker/hold-answers`` with
``{"operations": ["DeleteEndpoint"]}``): each such call is carried out as usual, and
its answer waits until the operation is released (``{"operations": []}``). The same
path answers which operations have an answer waiting, so the test knows the client
is there. A held answer is sent after at most ``MAX_HOLD_SECONDS`` whatever happens,
so a forgotten hold cannot hang a server.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import parse_qs

HOLD_ANSWERS_PATH = "/local-sagemaker/hold-answers"
MAX_HOLD_SECONDS = 120.0
_SERVICE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/(?P<service>[^/]+)/")
_INVOCATIONS = re.compile(r"^/endpoints/[^/]+/invocations$")


def operation_of(environ: dict[str, Any]) -> str:
    """The API operation a request calls, by AWS's name where the project needs one."""
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target.startswith("SageMaker."):
        return target.split(".", 1)[1]
    method = str(environ.get("REQUEST_METHOD", "GET"))
    path = str(environ.get("PATH_INFO", ""))
    if method == "POST" and _INVOCATIONS.match(path):
        return "InvokeEndpoint"
    scope = _SERVICE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    if scope is None or scope["service"] != "s3":
        return f"{method} {path}"
    query = parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
    has_key = "/" in path.strip("/")
    s3_names = {
        ("PUT", True): "UploadPart" if "uploadId" in query else "PutObject",
        ("PUT", False): "S3 PUT ?" + ",".join(sorted(query)) if query else "CreateBucket",
        ("DELETE", True): "DeleteObject",
        ("DELETE", False): "DeleteBucket",
        ("POST", False): "DeleteObjects" if "delete" in query else "S3 POST",
        ("GET", False): "ListObjectVersions" if "versions" in query else "ListObjects",
    }
    return s3_names.get((method, has_key), f"S3 {method}")


class AnswerHolds:
    """Which operations' answers wait, and which answers are waiting now."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._held: set[str] = set()
        self._waiting: list[str] = []

    def holds(self, operation: str) -> bool:
        return operation in self._held

    def hold(self, operations: list[str]) -> None:
        """Hold exactly these operations' answers from now on (an empty list releases all)."""
        with self._changed:
            self._held = set(operations)
            self._changed.notify_all()

    def wait(self, operation: str) -> None:
        """Wait, with the answer to ``operation`` ready, until the operation is released."""
        with self._changed:
            self._waiting.append(operation)
            self._changed.wait_for(lambda: operation not in self._held, MAX_HOLD_SECONDS)
            self._waiting.remove(operation)

    def report(self) -> dict[str, list[str]]:
        with self._changed:
            return {"operations": sorted(self._held), "waiting": list(self._waiting)}
