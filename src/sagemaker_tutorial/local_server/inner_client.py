"""The layer's own calls to the moto app it wraps: in process, as moto's HTTP clients would.

A training job reads its channel from S3 and writes model.tar.gz back; an invocation
looks up its endpoint, endpoint config and model. All of that lives in moto, and the
layer asks moto for it by calling the wrapped WSGI app directly (werkzeug's test
environ), never through its own socket: no port, no second connection pool, no
deadlock when the server's threads are busy, and it works before the server listens.

Each call names who makes it (an ``Identity``): the caller of the request being
answered, or the creator of the training job being run. moto picks the account from
the ``x-moto-account-id`` header or from the access key in the Authorization header,
and the service and region from the credential scope, so a call made as the job's
creator sees exactly what they see, whatever credentials and region they used.

When moto enforces IAM (``INITIAL_NO_AUTH_ACTION_COUNT``) it checks every call's
signature and policy, the layer's own included, and a job under a notebook's role
may then read and write only what that role may (in AWS the job acts as its
execution role, which in the tutorial is that same role). So a call whose access key
moto knows is signed with the key's secret, looked up in moto; any other call (moto's
default test credentials, which moto checks only when enforcing, and then refuses
anyway) carries a well-formed header with an empty signature.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.iam.access_control import CreateAccessKeyFailure, create_access_key
from moto.iam.models import get_account_id_from
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_CREDENTIAL = re.compile(
    r"Credential=(?P<key>[^/\s,]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/"
)
_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:(?P<region>[^:]*):(?P<account>\d{12}):")
_S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_DEFAULT_KEY = "AKIAIOSFODNN7EXAMPLE"
_DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Identity:
    """Who an in-process call is made as: an access key (and its session), a region,
    maybe an account."""

    region: str = _DEFAULT_REGION
    access_key: str = _DEFAULT_KEY
    account: str | None = None
    session_token: str | None = None

    @classmethod
    def of_request(cls, environ: Mapping[str, Any]) -> Identity:
        """The caller of an incoming request, from its Authorization and account headers."""
        match = _CREDENTIAL.search(str(environ.get("HTTP_AUTHORIZATION", "")))
        account = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
        token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN")
        if match is None:
            return cls(account=account)
        return cls(match["region"], match["key"], account, token)

    def owning(self, arn: str) -> Identity:
        """This caller, acting on a resource: in the ARN's region and account."""
        match = _ARN.match(arn)
        if match is None:
            raise ValueError(f"not an ARN with a region and an account: {arn}")
        return Identity(
            match["region"] or _DEFAULT_REGION,
            self.access_key,
            match["account"],
            self.session_token,
        )

    def credentials(self) -> Credentials | None:
        """The secret moto keeps for this access key (an IAM user's or an assumed
        role's), or None when moto does not know the key."""
        headers = {"X-Amz-Security-Token": self.session_token} if self.session_token else {}
        try:
            key = create_access_key(
                account_id=self.account or get_account_id_from(self.access_key),
                partition="aws",
                access_key_id=self.access_key,
                headers=headers,
            )
        except CreateAccessKeyFailure:
            return None
        return key.create_credentials()

    def unsigned_headers(self, service: str) -> dict[str, str]:
        """Headers that make moto route the call to ``service`` as this identity,
        with an empty signature (enough while moto does not check signatures)."""
        date = time.strftime("%Y%m%d", time.gmtime())
        return {
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={self.access_key}/{date}/{self.region}/"
                f"{service}/aws4_request, SignedHeaders=host, Signature={'0' * 64}"
            ),
        }


@dataclass(frozen=True)
class Answer:
    """A response of the wrapped app, fully read."""

    status: int
    headers: Headers
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> dict[str, Any]:
        data: Any = json.loads(self.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        return data


class S3Error(Exception):
    """An S3 error answer from moto (its code, e.g. NoSuchBucket, and its message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key/prefix`` as (bucket, key/prefix)."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an S3 URI: {uri}")
    return parsed.netloc, parsed.path.lstrip("/")


def _authorization(
    identity: Identity,
    service: str,
    method: str,
    path: str,
    query_string: str,
    body: bytes,
    headers: Mapping[str, str],
) -> dict[str, str]:
    """The Authorization (and date, token, payload hash) headers of a call: signed as
    AWS's SDKs sign, when moto knows the identity's secret."""
    credentials = identity.credentials()
    if credentials is None:
        return identity.unsigned_headers(service)
    url = f"http://localhost{path}" + (f"?{query_string}" if query_string else "")
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(credentials, service, identity.region).add_auth(request)
    return {
        name: value
        for name, value in request.headers.items()
        if name.lower() not in {header.lower() for header in headers}
    }


def run(app: WSGIApp, environ: dict[str, Any]) -> Answer:
    """Call a WSGI app with an environ and read its whole answer."""
    body_iter, status, headers = run_wsgi_app(app, environ, buffered=True)
    try:
        body = b"".join(body_iter)
    finally:
        close = getattr(body_iter, "close", None)
        if close is not None:
            close()
    return Answer(int(str(status).split(" ", 1)[0]), Headers(headers), body)


class InnerClient:
    """S3, SageMaker and STS calls made in process to the wrapped moto app."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def call(
        self,
        method: str,
        path: str,
        identity: Identity,
        service: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        query: Mapping[str, str] | None = None,
    ) -> Answer:
        query_string = urllib.parse.urlencode(dict(query or {}), quote_via=urllib.parse.quote)
        all_headers = {
            **(headers or {}),
            **_authorization(identity, service, method, path, query_string, body, headers or {}),
        }
        if identity.account:
            all_headers["x-moto-account-id"] = identity.account
        builder = EnvironBuilder(
            method=method,
            path=path,
            base_url="http://localhost",
            headers=Headers(all_headers),
            data=body,
            query_string=query_string or None,
        )
        try:
            return run(self._app, builder.get_environ())
        finally:
            builder.close()

    # --- SageMaker and STS ---------------------------------------------------------

    def sagemaker(self, operation: str, payload: Mapping[str, Any], identity: Identity) -> Answer:
        """A SageMaker control-plane call (JSON protocol), e.g. ``DescribeEndpoint``."""
        return self.call(
            "POST",
            "/",
            identity,
            "sagemaker",
            headers={
                "X-Amz-Target": f"SageMaker.{operation}",
                "Content-Type": "application/x-amz-json-1.1",
            },
            body=json.dumps(payload).encode(),
        )

    def account_id(self, identity: Identity) -> str:
        """The account moto puts this identity's resources in (STS GetCallerIdentity)."""
        if identity.account:
            return identity.account
        answer = self.call(
            "POST",
            "/",
            identity,
            "sts",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=b"Action=GetCallerIdentity&Version=2011-06-15",
        )
        root = ElementTree.fromstring(answer.body)
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] == "Account" and element.text:
                return element.text
        raise RuntimeError("moto's GetCallerIdentity answered no account")

    # --- S3 ------------------------------------------------------------------------------

    @staticmethod
    def _object_path(bucket: str, key: str) -> str:
        return f"/{bucket}/{urllib.parse.quote(key, safe='/~')}"

    @staticmethod
    def _raise_for_s3(answer: Answer) -> None:
        if answer.ok:
            return
        code, message = str(answer.status), answer.body.decode("utf-8", "replace")
        try:
            root = ElementTree.fromstring(answer.body)
            code = root.findtext("Code") or code
            message = root.findtext("Message") or message
        except ElementTree.ParseError:
            pass
        raise S3Error(code, message)

    def s3_list(self, bucket: str, prefix: str, identity: Identity) -> list[str]:
        """Every key under ``prefix`` in ``bucket``, in S3's (byte) order."""
        keys: list[str] = []
        token: str | None = None
        while True:
            query = {"list-type": "2", "prefix": prefix}
            if token:
                query["continuation-token"] = token
            answer = self.call("GET", f"/{bucket}", identity, "s3", query=query)
            self._raise_for_s3(answer)
            root = ElementTree.fromstring(answer.body)
            keys.extend(key.text or "" for key in root.iterfind(f"{_S3_NS}Contents/{_S3_NS}Key"))
            token = root.findtext(f"{_S3_NS}NextContinuationToken")
            if root.findtext(f"{_S3_NS}IsTruncated") != "true" or not token:
                break
        return sorted(keys, key=lambda key: key.encode())

    def s3_size(self, bucket: str, key: str, identity: Identity) -> int:
        """An object's size (HeadObject), to refuse an oversized one before reading it."""
        answer = self.call("HEAD", self._object_path(bucket, key), identity, "s3")
        if not answer.ok:
            # A HEAD answer has no body: fetch the error's code and message with a GET.
            self._raise_for_s3(self.call("GET", self._object_path(bucket, key), identity, "s3"))
            self._raise_for_s3(answer)
        return int(answer.headers.get("Content-Length") or 0)

    def s3_get(self, bucket: str, key: str, identity: Identity) -> bytes:
        answer = self.call("GET", self._object_path(bucket, key), identity, "s3")
        self._raise_for_s3(answer)
        return answer.body

    def s3_put(self, bucket: str, key: str, data: bytes, identity: Identity) -> None:
        answer = self.call(
            "PUT",
            self._object_path(bucket, key),
            identity,
            "s3",
            headers={"Content-Type": "application/x-gzip"},
            body=data,
        )
        self._raise_for_s3(answer)
