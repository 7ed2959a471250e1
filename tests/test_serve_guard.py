"""`serve` answers local clients' AWS-shaped requests only: no web page can drive it.

Raw requests over a real socket to the session's server, each shaped as a hostile
page (or a DNS-rebinding one) would send it; the browser's own view of the same
attacks is tests/browser/test_serve_cross_origin.py.
"""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import pytest
from botocore.config import Config
from serve_support import Clients, clients, raw, signed_headers

pytestmark = pytest.mark.moto_only

EVIL = "http://rebind.attacker.example"


@pytest.fixture
def aws(moto_endpoint: str | None) -> Clients:
    assert moto_endpoint is not None
    return clients(moto_endpoint)


def _port(endpoint: str) -> int:
    port = urlsplit(endpoint).port
    assert port is not None
    return port


def _buckets(aws: Clients) -> list[str]:
    return [bucket["Name"] for bucket in aws.s3.list_buckets()["Buckets"]]


@pytest.mark.parametrize("host", ["rebind.attacker.example", "rebind.attacker.example:{port}"])
def test_a_request_for_another_host_is_refused_with_403(aws: Clients, host: str) -> None:
    headers = signed_headers(aws.endpoint, "GET", "/", b"", "s3")
    headers["Host"] = host.format(port=_port(aws.endpoint))
    answer = raw(aws.endpoint, "GET", "/", headers=headers)
    assert answer.status == 403
    assert b"<Code>AccessDenied</Code>" in answer.body
    assert aws.bucket.encode() not in answer.body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_the_server_answers_its_own_address_by_any_local_name(aws: Clients, name: str) -> None:
    headers = signed_headers(aws.endpoint, "GET", "/", b"", "s3")
    headers["Host"] = f"{name}:{_port(aws.endpoint)}"
    answer = raw(aws.endpoint, "GET", "/", headers=headers)
    assert answer.status == 200
    assert aws.bucket.encode() in answer.body


def test_a_preflight_from_another_origin_is_granted_nothing(aws: Clients) -> None:
    answer = raw(
        aws.endpoint,
        "OPTIONS",
        "/",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,x-amz-target",
        },
    )
    assert answer.header("Access-Control-Allow-Origin") is None
    assert answer.header("Access-Control-Allow-Headers") is None
    assert answer.header("Access-Control-Allow-Methods") is None


def test_no_answer_echoes_a_foreign_origin(aws: Clients) -> None:
    body = b"{}"
    headers = signed_headers(
        aws.endpoint,
        "POST",
        "/",
        body,
        "sagemaker",
        {"X-Amz-Target": "SageMaker.ListModels", "Content-Type": "application/x-amz-json-1.1"},
    )
    answer = raw(aws.endpoint, "POST", "/", body, {**headers, "Origin": EVIL})
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") is None


def test_a_bucket_cors_configuration_is_answered_as_s3_answers_it(aws: Clients) -> None:
    allowed = "http://app.example"
    aws.s3.put_bucket_cors(
        Bucket=aws.bucket,
        CORSConfiguration={"CORSRules": [{"AllowedOrigins": [allowed], "AllowedMethods": ["GET"]}]},
    )
    path = f"/{aws.bucket}/data.csv"
    preflight = {"Access-Control-Request-Method": "GET"}
    granted = raw(aws.endpoint, "OPTIONS", path, headers={**preflight, "Origin": allowed})
    refused = raw(aws.endpoint, "OPTIONS", path, headers={**preflight, "Origin": EVIL})
    assert granted.header("Access-Control-Allow-Origin") == allowed
    assert refused.header("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize(
    ("headers", "path"),
    [
        ({"X-Amz-Target": "SageMaker.ListModels", "Content-Type": "application/json"}, "/"),
        ({}, "/"),
        ({"Content-Type": "text/csv"}, "/endpoints/any/invocations"),
    ],
    ids=["sagemaker", "s3", "runtime"],
)
def test_an_unsigned_call_is_missing_authentication_token(
    aws: Clients, headers: dict[str, str], path: str
) -> None:
    method = "GET" if not headers else "POST"
    answer = raw(aws.endpoint, method, path, b"{}" if headers else b"", headers)
    assert answer.status == 403
    if "X-Amz-Target" in headers:
        assert answer.json() == {
            "__type": "MissingAuthenticationToken",
            "message": "Missing Authentication Token",
        }
    elif path == "/":
        assert b"<Code>MissingAuthenticationToken</Code>" in answer.body
    else:
        assert answer.header("x-amzn-ErrorType") == "MissingAuthenticationToken"


@pytest.mark.parametrize(
    ("authorization", "missing"),
    [
        ("garbage", "Unsupported Authorization Type"),
        (
            "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/s3/aws4_request, "
            "SignedHeaders=host, Signature=00",
            "Authorization header requires 'Signature' parameter.",
        ),
        (
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + "0" * 64,
            "Authorization header requires 'Credential' parameter.",
        ),
    ],
    ids=["garbage", "short-signature", "no-credential"],
)
def test_a_malformed_signature_is_incomplete(
    aws: Clients, authorization: str, missing: str
) -> None:
    answer = raw(
        aws.endpoint,
        "GET",
        "/",
        headers={"Authorization": authorization, "X-Amz-Date": "20260101T000000Z"},
    )
    assert answer.status == 403
    assert b"<Code>IncompleteSignature</Code>" in answer.body
    assert missing.encode() in answer.body


def test_a_presigned_url_is_a_signed_request(aws: Clients) -> None:
    aws.s3.put_object(Bucket=aws.bucket, Key="shared.csv", Body=b"1,2\n")
    import boto3

    presigner = boto3.client(
        "s3",
        endpoint_url=aws.endpoint,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4"),
    )
    url = presigner.generate_presigned_url(
        "get_object", Params={"Bucket": aws.bucket, "Key": "shared.csv"}
    )
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.read() == b"1,2\n"


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", "/moto-api/reset", "text/plain"),
        ("POST", "/moto-api/reset", None),
        ("POST", "/moto-api/reset", "application/x-www-form-urlencoded"),
        ("GET", "/moto-api/data.json", None),
        ("POST", "/local-sagemaker/hold-training", "text/plain"),
    ],
)
def test_control_paths_take_only_json_posts(
    aws: Clients, method: str, path: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"hold": True}).encode() if method == "POST" else b""
    answer = raw(aws.endpoint, method, path, body, headers)
    assert answer.status == 403
    assert b"<Code>AccessDenied</Code>" in answer.body
    assert b"Content-Type: application/json" in answer.body
    assert aws.bucket in _buckets(aws)


def test_a_json_post_still_resets_the_server(aws: Clients) -> None:
    answer = raw(aws.endpoint, "POST", "/moto-api/reset", b"", {"Content-Type": "application/json"})
    assert answer.status == 200
    assert aws.bucket not in _buckets(aws)
