"""What the `serve` tests share: a real `serve` process, raw and signed HTTP, model archives.

Every request here goes over a real socket to a real server on loopback: either the
test session's server (``moto_endpoint``) or a `sagemaker-tutorial serve` process of
the test's own, whose memory the test can read (/proc/<pid>/status).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import local_aws
import numpy as np
import xgboost as xgb
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = local_aws.REGION
ACCOUNT = local_aws.ACCOUNT
ROLE = local_aws.ROLE
IMAGE = local_aws.IMAGE_1_7
CREDENTIALS = Credentials("testing", "testing")
# One attempt: a 500 would otherwise be retried (and waited for) before the test sees it.
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def raw(
    endpoint: str,
    method: str,
    path: str,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """One HTTP request exactly as given (http.client adds Host only if not given)."""
    target = urlsplit(endpoint)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    try:
        sent = dict(headers or {})
        connection.request(method, path, body=body, headers=sent)
        reply = connection.getresponse()
        return Answer(reply.status, dict(reply.getheaders()), reply.read())
    finally:
        connection.close()


def signed_headers(
    endpoint: str,
    method: str,
    path: str,
    body: bytes,
    service: str,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``headers`` plus a real SigV4 signature, as boto3 sends them."""
    request = AWSRequest(method=method, url=endpoint + path, data=body, headers=dict(headers or {}))
    SigV4Auth(CREDENTIALS, service, REGION).add_auth(request)
    return dict(request.headers.items())


def sagemaker_call(endpoint: str, operation: str, body: bytes) -> Answer:
    """A SageMaker control-plane call with this body, signed, over a real socket."""
    headers = {
        "X-Amz-Target": f"SageMaker.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
    }
    signed = signed_headers(endpoint, "POST", "/", body, "sagemaker", headers)
    return raw(endpoint, "POST", "/", body, signed)


# The `serve` tests' clients are local_aws's, without retries.
Clients = local_aws.Aws


def clients(endpoint: str) -> Clients:
    """boto3 clients on the server (one attempt each), and a fresh bucket."""
    return local_aws.connect(endpoint, REGION, NO_RETRIES)


# --- model archives -------------------------------------------------------------------


def tar_gz(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def model_bytes(features: int = 4) -> bytes:
    """A small real XGBoost model (UBJSON), trained here with XGBoost itself."""
    rng = np.random.default_rng(3)
    x = rng.random((100, features))
    y = (x[:, 0] > 0.5).astype(int)
    booster = xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(x, label=y), 5)
    return bytes(booster.save_raw(raw_format="ubj"))


def good_archive(features: int = 4) -> bytes:
    data = model_bytes(features)
    info = tarfile.TarInfo("xgboost-model")
    info.size = len(data)
    return tar_gz([(info, data)])


def zeros_bomb(size: int = 2 * 1024**3) -> bytes:
    """A tar.gz of one member of ``size`` zeros: ~1 KB of gzip per MiB (2 MB for 2 GiB).

    Built as concatenated gzip members (which gzip and tar read as one stream) so that
    making it costs one MiB of compression, not ``size``.
    """
    header = tarfile.TarInfo("xgboost-model")
    header.size = size
    mib = 1024 * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = compressor.compress(b"\0" * mib) + compressor.flush()
    first = zlib.compressobj(9, zlib.DEFLATED, 31)
    start = first.compress(header.tobuf(format=tarfile.GNU_FORMAT)) + first.flush()
    return start + block * (size // mib)


def deploy(aws: Clients, artifact: bytes) -> str:
    """Model, endpoint config and endpoint for this artifact; the endpoint's name."""
    key = f"{aws.name('model')}/model.tar.gz"
    aws.s3.put_object(Bucket=aws.bucket, Key=key, Body=artifact)
    return local_aws.deploy(aws, f"s3://{aws.bucket}/{key}", IMAGE)


# --- a `serve` process of the test's own ----------------------------------------------


@dataclass
class Served:
    """A running `sagemaker-tutorial serve` and its process."""

    endpoint: str
    process: subprocess.Popen[str]

    def status_kb(self, field: str) -> int:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")

    def rss_mb(self) -> float:
        return self.status_kb("VmRSS") / 1024

    def peak_mb(self) -> float:
        return self.status_kb("VmHWM") / 1024


@contextmanager
def serve() -> Iterator[Served]:
    """`sagemaker-tutorial serve --port 0` in its own process, stopped with SIGTERM."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_tutorial.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("export AWS_ENDPOINT_URL="), line
        yield Served(line.split("=", 1)[1].split()[0], process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def wait_for(check: Any, timeout: float = 120) -> Any:
    """Poll ``check()`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
