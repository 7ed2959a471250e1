"""HTTP answers the layer writes itself, shaped the way AWS's answers are.

botocore parses them like AWS's: for the JSON protocols the error code comes from
``__type`` or the ``x-amzn-ErrorType`` header and the message from ``message`` /
``Message``; without a code, botocore uses the HTTP status as the code (which is how
AWS's 413 for an oversized invocation reaches users: "An error occurred (413)").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Reply:
    """A complete HTTP answer: status, headers, body."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def send(self, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a WSGI request with this reply."""
        headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
        if not any(name.lower() == "x-amzn-requestid" for name in headers):
            headers["x-amzn-RequestId"] = str(uuid.uuid4())
        headers["Content-Length"] = str(len(self.body))
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Unknown"
        start_response(f"{self.status} {phrase}", list(headers.items()))
        return [self.body]


def json_reply(payload: Mapping[str, Any], status: int = 200) -> Reply:
    """A SageMaker control-plane (awsJson 1.1) answer."""
    return Reply(
        status,
        json.dumps(payload).encode(),
        {"Content-Type": "application/x-amz-json-1.1"},
    )


def json_error(code: str, message: str, status: int = 400) -> Reply:
    """A SageMaker control-plane error, e.g. ``ValidationException``."""
    return Reply(
        status,
        json.dumps({"__type": code, "message": message}).encode(),
        {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code},
    )


def rest_json_error(
    code: str | None, message: str, status: int, extra: Mapping[str, Any] | None = None
) -> Reply:
    """A sagemaker-runtime (restJson) error; ``code`` None leaves botocore the status."""
    headers = {"Content-Type": "application/json"}
    if code:
        headers["x-amzn-ErrorType"] = code
    body: dict[str, Any] = {"message" if code is None else "Message": message, **(extra or {})}
    return Reply(status, json.dumps(body).encode(), headers)
