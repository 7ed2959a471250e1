"""Error answers shaped as AWS shapes them, in the protocol the request speaks.

Every 500 makes botocore retry (up to five times, with backoff) and the user wait for
nothing, so nothing a client sends may end in one: a body that is not JSON is 400
``SerializationException``; a value of the wrong type or out of its range is 400
``ValidationException`` (see validation.py); an error the server did not foresee
while answering a SageMaker call is a 400 ``ValidationException`` too, naming the
exception (logged in full, at DEBUG), since the request is what made it happen.

The protocol decides the body: SageMaker's control plane (``X-Amz-Target``) is
awsJson 1.1 (``__type`` and ``message``), sagemaker-runtime restJson
(``x-amzn-ErrorType`` and ``Message``), S3, IAM and STS XML
(``<ErrorResponse><Error><Code>``, which botocore's rest-xml and query parsers
both read). Whatever moto itself fails on (it raises on some malformed requests) is
answered the same way (``without_5xx``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal
from xml.sax.saxutils import escape

from .answers import Reply, StartResponse, json_error, rest_json_error

log = logging.getLogger(__name__)

Protocol = Literal["json", "rest-json", "xml"]
_INVOCATION = re.compile(r"^/endpoints/[^/]+/invocations$")


def protocol_of(environ: Mapping[str, Any]) -> Protocol:
    """Which protocol a request speaks, from its target header and path."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    if _INVOCATION.match(str(environ.get("PATH_INFO", ""))):
        return "rest-json"
    return "xml"


def aws_error(protocol: Protocol, code: str, message: str, status: int = 400) -> Reply:
    """An error answer: ``code`` and ``message`` where botocore looks for them."""
    if protocol == "json":
        return json_error(code, message, status)
    if protocol == "rest-json":
        return rest_json_error(code, message, status)
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>\n<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        "</ErrorResponse>"
    )
    return Reply(status, body.encode(), {"Content-Type": "application/xml"})


def serialization_error(operation: str) -> Reply:
    """A SageMaker request whose body is not a JSON object."""
    return json_error(
        "SerializationException",
        f"The body of the {operation} request is not a JSON object.",
    )


def validation_error(message: str) -> Reply:
    return json_error("ValidationException", message)


def unforeseen_error(operation: str, exc: BaseException) -> Reply:
    """The answer to a SageMaker call the server failed on: a 400, never a retried 500."""
    return json_error(
        "ValidationException",
        f"The local SageMaker server could not process this {operation} request "
        f"({type(exc).__name__}: {exc}).",
    )


def parse_json_object(body: bytes) -> dict[str, Any] | None:
    """A request body as a JSON object ({} for an empty body), or None if it is not one."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def without_5xx(
    app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]],
    environ: dict[str, Any],
    start_response: StartResponse,
) -> Iterable[bytes]:
    """Call moto's app, turning a crash or a 5xx of its own into a 400 of the request's
    protocol (moto 5.2 raises on some malformed requests: a GET with a JSON target, an
    S3 call with odd headers). Answers below 500 pass unchanged, and unbuffered."""
    failed: list[str] = []

    def checked_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        if status[:1] == "5":
            failed.append(status)
            return lambda data: None
        return start_response(status, headers, *args)

    try:
        body = app(environ, checked_start)
    except Exception as exc:
        log.debug("moto failed on a request", exc_info=True)
        return _not_processed(environ, f"{type(exc).__name__}: {exc}").send(start_response)
    if not failed:
        return body
    close = getattr(body, "close", None)
    if close is not None:
        close()
    return _not_processed(environ, f"moto answered {failed[0]}").send(start_response)


def _not_processed(environ: Mapping[str, Any], why: str) -> Reply:
    protocol = protocol_of(environ)
    code = "InvalidRequest" if protocol == "xml" else "ValidationException"
    return aws_error(
        protocol, code, f"The local SageMaker server could not process this request ({why})."
    )
