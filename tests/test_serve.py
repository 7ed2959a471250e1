"""`sagemaker-tutorial serve`: the local SageMaker on its own, for boto3 in another process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import boto3


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}


def test_serve_prints_the_endpoint_to_export_answers_boto3_and_stops_on_sigterm() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_tutorial.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        assert line.startswith("export AWS_ENDPOINT_URL=http://127.0.0.1:"), line
        endpoint = line.split("=", 1)[1]
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(
            Bucket="sagemaker-serve-test",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
        )
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["sagemaker-serve-test"]
        server.send_signal(signal.SIGTERM)
        # Not communicate(): it reads the pipe itself, losing the lines readline() has
        # already buffered when the server wrote them at once.
        server.wait(timeout=30)
        assert server.stderr is not None
        out, err = server.stdout.read(), server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
    # A server's normal end: exit 0 (what systemd and Docker take as a clean stop).
    assert server.returncode == 0
    second, comment, stopped = out.splitlines()
    assert second == (
        f"export SAGEMAKER_TUTORIAL_MOCK_ENDPOINT={endpoint} AWS_ACCESS_KEY_ID=local "
        "AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=ap-northeast-1"
    )
    assert comment.startswith("# Paste both lines into the shell")
    assert (stopped, err) == ("Stopped the local SageMaker: everything it held is gone", "")


def test_output_cut_off_by_its_reader_is_not_an_error() -> None:
    """`sagemaker-tutorial permissions | head`: a reader that stops early is not a failure.

    `true` reads nothing and exits at once, so the CLI always writes into a closed pipe.
    """
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"set -o pipefail; {sys.executable} -m sagemaker_tutorial.cli permissions | true",
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
