"""No request gets a 5xx from `serve`, whatever it holds: a property-based test (Hypothesis).

Requests are generated from botocore's own model of each operation the layer answers
(members present or not, values of the right type or of any JSON type, enums, s3://
and other URIs), plus bodies and headers that are not AWS-shaped at all; each goes
over a real socket to the session's server, and after every run the server must
still answer. Bounded (a few dozen examples per property, no deadline) so the suite
stays fast.
"""

from __future__ import annotations

import json
import string
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from serve_support import (
    Clients,
    clients,
    deploy,
    good_archive,
    raw,
    sagemaker_call,
    signed_headers,
)

hypothesis = pytest.importorskip("hypothesis", reason="needs the test extra (hypothesis)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

pytestmark = pytest.mark.moto_only

# The SageMaker operations the layer answers or amends (app.py), and those it reads.
OPERATIONS = (
    "CreateTrainingJob",
    "DescribeTrainingJob",
    "ListTrainingJobs",
    "StopTrainingJob",
    "CreateModel",
    "DescribeModel",
    "CreateEndpointConfig",
    "DescribeEndpointConfig",
    "CreateEndpoint",
    "DescribeEndpoint",
    "UpdateEndpoint",
    "DeleteEndpoint",
)
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        # The session's server is shared by every example (state between them is fine).
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
_LIKELY_STRINGS = (
    "s3://bucket/prefix",
    "http://x.example/data",
    "arn:aws:iam::123456789012:role/serve-test",
    "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    "AllTraffic",
    "ml.m5.large",
    "",
)
_JSON_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
_HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " /;=-.,*", max_size=40)


@cache
def _model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def _scalar(shape: Shape) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "string":
        enum = getattr(shape, "enum", None) or []
        choices: st.SearchStrategy[Any] = st.sampled_from(_LIKELY_STRINGS) | st.text(max_size=30)
        return st.sampled_from(enum) | choices if enum else choices
    if kind in ("integer", "long"):
        return st.integers(-(2**40), 2**40)
    if kind in ("float", "double"):
        return st.floats()
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.floats(0, 2e9) | st.text(max_size=10)
    return st.text(max_size=20)


def _from_shape(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for ``shape``, now and then of another JSON type altogether."""
    if isinstance(shape, StructureShape):
        required = {
            name: _from_shape(shape.members[name], depth + 1) for name in shape.required_members
        }
        optional = (
            {
                name: _from_shape(member, depth + 1)
                for name, member in shape.members.items()
                if name not in required
            }
            if depth < 3
            else {}
        )
        proper: st.SearchStrategy[Any] = st.fixed_dictionaries(required, optional=optional)
    elif isinstance(shape, ListShape):
        proper = st.lists(_from_shape(shape.member, depth + 1), max_size=2)
    elif isinstance(shape, MapShape):
        proper = st.dictionaries(
            st.text(max_size=8), _from_shape(shape.value, depth + 1), max_size=2
        )
    else:
        proper = _scalar(shape)
    return proper | proper | proper | _JSON_JUNK


def _request(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    shape = _model("sagemaker").operation_model(operation).input_shape
    return _from_shape(shape).filter(lambda value: isinstance(value, dict))


@pytest.fixture
def aws(moto_endpoint: str | None) -> Clients:
    assert moto_endpoint is not None
    return clients(moto_endpoint)


def _still_answers(aws: Clients) -> None:
    assert aws.bucket in [bucket["Name"] for bucket in aws.s3.list_buckets()["Buckets"]]


@BOUNDED
@given(call=st.sampled_from(OPERATIONS).flatmap(lambda op: st.tuples(st.just(op), _request(op))))
def test_requests_shaped_by_the_sagemaker_model_get_no_5xx(
    aws: Clients, call: tuple[str, dict[str, Any]]
) -> None:
    operation, request = call
    answer = sagemaker_call(aws.endpoint, operation, json.dumps(request).encode())
    assert answer.status < 500, (operation, request, answer.body[:500])
    _still_answers(aws)


@BOUNDED
@given(
    body=st.binary(max_size=300) | _JSON_JUNK.map(lambda value: json.dumps(value).encode()),
    target=st.sampled_from([f"SageMaker.{op}" for op in OPERATIONS]) | _HEADER_TEXT,
    content_type=st.sampled_from(["application/x-amz-json-1.1", "text/plain", ""]) | _HEADER_TEXT,
    path=st.sampled_from(["/", "/endpoints/x/invocations", "/moto-api/reset", "/b/k"]),
    signing=st.sampled_from(["signed", "garbage", "none"]),
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "OPTIONS"]),
)
def test_malformed_bodies_and_headers_get_no_5xx(
    aws: Clients,
    body: bytes,
    target: str,
    content_type: str,
    path: str,
    signing: str,
    method: str,
) -> None:
    headers = {"X-Amz-Target": target, "Content-Type": content_type}
    if signing == "signed":
        service = "sagemaker" if target.startswith("SageMaker.") else "s3"
        headers = signed_headers(aws.endpoint, method, path, body, service, headers)
    elif signing == "garbage":
        headers["Authorization"] = "garbage"
    answer = raw(aws.endpoint, method, path, body, headers)
    assert answer.status < 500, (method, path, headers, body[:200], answer.body[:500])
    _still_answers(aws)


@pytest.fixture
def endpoint(aws: Clients) -> str:
    return deploy(aws, good_archive())


@BOUNDED
@given(
    body=st.binary(max_size=200)
    | st.lists(
        st.sampled_from(["1", "0.5", "", "nan", "inf", "-inf", "1e309", "x", " ", "1,2"]),
        max_size=6,
    ).map(lambda fields: ",".join(fields).encode()),
    content_type=st.sampled_from(["text/csv", "text/csv; charset=utf-8", "application/json"])
    | _HEADER_TEXT,
    accept=st.sampled_from(["text/csv", "application/json", "*/*"]) | _HEADER_TEXT,
)
def test_invocations_with_any_payload_get_no_5xx(
    aws: Clients, endpoint: str, body: bytes, content_type: str, accept: str
) -> None:
    path = f"/endpoints/{endpoint}/invocations"
    headers = {"Content-Type": content_type, "Accept": accept}
    signed = signed_headers(aws.endpoint, "POST", path, body, "sagemaker", headers)
    answer = raw(aws.endpoint, "POST", path, body, signed)
    assert answer.status < 500, (body, headers, answer.body[:500])
    _still_answers(aws)
