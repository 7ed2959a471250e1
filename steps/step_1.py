"""Step definitions for tutorial step 1: who the tutorial runs as.

The sign-in failures come from real places: an AWS configuration with no
credentials or no region (files that hold nothing), and a loopback STS stand-in
that answers as AWS does for expired or unknown keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.pipeline import whoami_step

from .bilingual import given, then, when
from .common import Told, attempt, run_command
from .tripwire import serving

_STS_ERRORS = {
    "ExpiredToken": "The security token included in the request is expired",
    "InvalidClientTokenId": "The security token included in the request is invalid.",
}


def _sts_refusing(code: str) -> type[BaseHTTPRequestHandler]:
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>Sender</Type><Code>{code}</Code><Message>{_STS_ERRORS[code]}</Message>"
        "</Error><RequestId>4d4f7d1a-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    ).encode()

    class Refusing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Refusing


@pytest.fixture
def signed_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An AWS configuration that holds nothing, and no way to find credentials elsewhere."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata lookup


@given("no AWS credentials", "AWS の認証情報がない")
def no_credentials(signed_out: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")


@given("no AWS region", "AWS のリージョンが設定されていない")
def no_region(signed_out: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")


def _refusing_sts(code: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with serving(_sts_refusing(code)) as (url, _):
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        yield


@pytest.fixture
def expired_sts(signed_out: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _refusing_sts("ExpiredToken", monkeypatch)


@pytest.fixture
def rejecting_sts(signed_out: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _refusing_sts("InvalidClientTokenId", monkeypatch)


@given("expired AWS credentials", "AWS の認証情報の期限が切れている")
def expired(expired_sts: None) -> None:
    """STS on loopback answers as AWS does for an expired session token."""


@given("credentials AWS rejects", "AWS が認めない認証情報を使っている")
def rejected(rejecting_sts: None) -> None:
    """STS on loopback answers as AWS does for an access key it does not know."""


@when("I ask who I am", "自分が誰かを尋ねる", target_fixture="told")
def ask(backend: Backend) -> Told:
    told, _ = attempt(lambda reporter: whoami_step(backend, reporter))
    return told


@when(
    "I ask who I am against an AWS account",
    "AWS アカウントに対して自分が誰かを尋ねる",
    target_fixture="told",
)
def ask_live(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Told:
    monkeypatch.delenv(settings.ENV_MOCK_ENDPOINT, raising=False)
    return run_command(["--backend", "live", "--workdir", str(workdir), "whoami"])


@then(
    parsers.parse("I am shown my account, my identity and {region}"),
    parsers.parse("自分のアカウント、ID、リージョン {region} が表示される"),
)
def shown_identity(told: Told, backend: Backend, region: str) -> None:
    assert told.exit_code == 0, told.text
    caller = backend.client("sts").get_caller_identity()
    # What the reader is told, written out here as the spec (a role's session or a role).
    kind = "a role" if re.search(r":(assumed-)?role/", caller["Arn"]) else "not a role"
    assert told.text.splitlines() == [
        f"Account: {caller['Account']}",
        f"Identity: {caller['Arn']} ({kind})",
        f"Region: {region}",
    ]
