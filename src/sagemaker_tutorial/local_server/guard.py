"""Who may talk to the server: local clients making AWS-shaped requests, nobody else.

A server on loopback is reachable from every web page the user opens. A page cannot
read another origin's answers without CORS, but it can still *send*: "simple"
requests (GET, or POST with a text/plain, form or multipart body, no custom headers)
need no preflight, and a DNS-rebinding page even reaches the server under its own
host name. So every request is checked before anything else sees it:

- ``Host`` must be this server's own address and port (``127.0.0.1``, ``localhost``
  or ``[::1]``, with the port it listens on): a rebinding page's requests carry the
  attacker's host name, and are refused (403, as S3 refuses a wrong endpoint).
- An AWS API call must carry a well-formed SigV4 ``Authorization`` header (algorithm,
  ``Credential=key/date/region/service/aws4_request``, ``SignedHeaders``, a 64-hex
  ``Signature``, and an ``X-Amz-Date`` or ``Date`` header) or a SigV4 presigned query
  (``X-Amz-Algorithm`` ... ``X-Amz-Signature``; not on POST, which a page could send
  without a preflight). Any access key will do and the signature is not verified
  (moto does that only when it enforces IAM), but a page can set neither header: the
  ``Authorization`` header needs a preflight that is never granted. A missing one is
  403 ``MissingAuthenticationToken``, a malformed one 403 ``IncompleteSignature``.
- The control paths (``/moto-api/...``, ``/local-sagemaker/...``) accept only POST with
  ``Content-Type: application/json``, a type a page can send only after a preflight.
- ``OPTIONS`` (a CORS preflight, which carries no credentials) goes to moto's S3, which
  answers it from the bucket's CORS configuration, as S3 does; no other answer carries
  CORS headers (moto's server-wide flask-cors is left out, see app.moto_app).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from .answers import Reply
from .errors import aws_error, protocol_of

CONTROL_PREFIXES = ("/moto-api/", "/local-sagemaker/")
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
_HEX_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")
_CREDENTIAL = re.compile(r"^[^/\s]+/\d{8}/[a-z0-9-]+/[a-z0-9-]+/aws4_request$")
_SIGNED_HEADERS = re.compile(r"^[a-z0-9-]+(;[a-z0-9-]+)*$")
_ALGORITHM = "AWS4-HMAC-SHA256"
_PRESIGNED = ("X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature")


class Refusal(Exception):
    """A request the server will not serve: status, AWS error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def check(environ: Mapping[str, Any]) -> None:
    """Raise ``Refusal`` unless the request may be served (see the module docstring)."""
    _check_host(environ)
    method = str(environ.get("REQUEST_METHOD", "GET"))
    path = str(environ.get("PATH_INFO", ""))
    if path.startswith(CONTROL_PREFIXES):
        _check_control(environ, method)
        return
    if method == "OPTIONS":
        return
    _check_signature(environ, method)


def _check_host(environ: Mapping[str, Any]) -> None:
    host = str(environ.get("HTTP_HOST", "")).strip().lower()
    port = str(environ.get("SERVER_PORT", ""))
    if host not in {f"{name}:{port}" for name in LOCAL_NAMES}:
        raise Refusal(
            403,
            "AccessDenied",
            f"The local SageMaker server answers only requests to its own address "
            f"(http://127.0.0.1:{port}, localhost or [::1]); this one was addressed to "
            f"{host or 'no host'!r}.",
        )


def _check_control(environ: Mapping[str, Any], method: str) -> None:
    media_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
    if method != "POST" or media_type != "application/json":
        raise Refusal(
            403,
            "AccessDenied",
            "The server's control paths accept only POST with Content-Type: application/json.",
        )


def _check_signature(environ: Mapping[str, Any], method: str) -> None:
    authorization = str(environ.get("HTTP_AUTHORIZATION", "")).strip()
    if authorization:
        problems = _header_problems(authorization, environ)
        if problems:
            raise Refusal(
                403, "IncompleteSignature", " ".join([*problems, f"Authorization={authorization}"])
            )
        return
    query = parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
    if "X-Amz-Algorithm" in query or "X-Amz-Signature" in query:
        problems = _presigned_problems(query, method)
        if problems:
            raise Refusal(403, "IncompleteSignature", " ".join(problems))
        return
    raise Refusal(403, "MissingAuthenticationToken", "Missing Authentication Token")


def _header_problems(authorization: str, environ: Mapping[str, Any]) -> list[str]:
    """What a SigV4 Authorization header lacks, in AWS's words (empty if well formed)."""
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != _ALGORITHM:
        return [f"Unsupported Authorization Type (expected {_ALGORITHM})."]
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value.strip()
    problems = []
    if not _CREDENTIAL.match(fields.get("Credential", "")):
        problems.append("Authorization header requires 'Credential' parameter.")
    if not _HEX_SIGNATURE.match(fields.get("Signature", "")):
        problems.append("Authorization header requires 'Signature' parameter.")
    if not _SIGNED_HEADERS.match(fields.get("SignedHeaders", "")):
        problems.append("Authorization header requires 'SignedHeaders' parameter.")
    if not (environ.get("HTTP_X_AMZ_DATE") or environ.get("HTTP_DATE")):
        problems.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    return problems


def _presigned_problems(query: Mapping[str, list[str]], method: str) -> list[str]:
    """What a SigV4 presigned query lacks (empty if well formed)."""
    if method == "POST":
        return ["A presigned URL is not accepted on POST; sign the request's headers."]
    problems = []
    if query.get("X-Amz-Algorithm") != [_ALGORITHM]:
        problems.append(f"X-Amz-Algorithm must be {_ALGORITHM}.")
    for name in _PRESIGNED:
        values = query.get(name, [])
        value = values[0] if len(values) == 1 else ""
        valid = {
            "X-Amz-Credential": _CREDENTIAL.match(value),
            "X-Amz-Signature": _HEX_SIGNATURE.match(value),
            "X-Amz-SignedHeaders": _SIGNED_HEADERS.match(value),
        }.get(name, bool(value))
        if not valid:
            problems.append(f"Query-string authentication requires the {name} parameter.")
    return problems


def refusal_reply(environ: Mapping[str, Any], refusal: Refusal) -> Reply:
    """The refusal as the protocol the request speaks expects it (JSON or XML)."""
    return aws_error(protocol_of(environ), refusal.code, refusal.message, refusal.status)
