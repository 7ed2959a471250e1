"""No web page can drive `serve`: a real browser (headless Chromium) tries, and fails.

A page on another loopback origin (its own little server) runs what a hostile page
can run: reads with fetch(), "simple" text/plain POSTs that need no preflight (moto's
reset, the hold switch, a SageMaker call), a preflighted call with the AWS headers;
and a DNS-rebinding page, served under an attacker's host name that resolves to
127.0.0.1 (Chromium's --host-resolver-rules), reads the server as its own origin.
Chromium's own Local Network Access checks are turned off, so that only the
server's defences stand between the page and the data.
The page records what it could read; the test then checks, as a boto3 client, that
nothing was read and nothing changed. Run by ``tox -e docs`` (tests/browser/);
skipped without Chromium or Playwright.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest

from sagemaker_tutorial.local_server import LocalSageMakerServer

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REBIND_HOST = "rebind.attacker.example"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--host-resolver-rules=MAP {REBIND_HOST} 127.0.0.1",
    # Chromium's own Local Network Access checks are off: the test is of the server's
    # defences, which must hold in browsers (and versions) without them.
    "--disable-features=BlockInsecurePrivateNetworkRequests,"
    "PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks",
]
SECRET = b"age,campaign\n56,1\n"

pytest.importorskip("playwright.sync_api", reason="needs the docs extra (playwright)")
from playwright.sync_api import sync_playwright  # noqa: E402

# What a hostile page runs; every outcome goes into window.results.
ATTACK = """
async function attempt(name, url, options) {
  try {
    const answer = await fetch(url, options);
    let text = "";
    try { text = await answer.text(); } catch (e) {}
    window.results[name] = {status: answer.status, type: answer.type, text: text};
  } catch (error) {
    window.results[name] = {error: String(error)};
  }
}
async function attack(server, bucket) {
  window.results = {};
  const plain = {"Content-Type": "text/plain"};
  await attempt("list buckets", server + "/", {});
  await attempt("read object", server + "/" + bucket + "/train.csv", {});
  await attempt("reset", server + "/moto-api/reset",
                {method: "POST", mode: "no-cors", headers: plain, body: "{}"});
  await attempt("hold", server + "/local-sagemaker/hold-training",
                {method: "POST", mode: "no-cors", headers: plain, body: '{"hold": true}'});
  await attempt("delete bucket", server + "/" + bucket,
                {method: "DELETE", mode: "no-cors"});
  await attempt("signed-looking call", server + "/", {method: "POST",
                headers: {"Content-Type": "application/x-amz-json-1.1",
                          "X-Amz-Target": "SageMaker.ListModels",
                          "Authorization": "AWS4-HMAC-SHA256 Credential=a/20260101/" +
                            "us-east-1/sagemaker/aws4_request, SignedHeaders=host, " +
                            "Signature=" + "0".repeat(64)},
                body: "{}"});
  return window.results;
}
"""


class _Page(BaseHTTPRequestHandler):
    """The hostile page's own origin: one HTML page carrying the attack script."""

    def do_GET(self) -> None:
        body = f"<!DOCTYPE html><title>a page</title><script>{ATTACK}</script>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[LocalSageMakerServer]:
    with LocalSageMakerServer(port=0, load_managed_policies=False) as running:
        yield running


@pytest.fixture(scope="module")
def page_origin() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def s3(server: LocalSageMakerServer) -> Any:
    client = boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="the-users-data")
    client.put_object(Bucket="the-users-data", Key="train.csv", Body=SECRET)
    return client


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _nothing_changed(server: LocalSageMakerServer, s3: Any) -> None:
    assert s3.get_object(Bucket="the-users-data", Key="train.csv")["Body"].read() == SECRET
    assert server.app.training_jobs.held is False


def _read_nothing(results: dict[str, Any]) -> None:
    for name, outcome in results.items():
        assert "the-users-data" not in outcome.get("text", ""), name
        assert SECRET.decode() not in outcome.get("text", ""), name


def test_a_page_on_another_origin_can_neither_read_nor_change_anything(
    server: LocalSageMakerServer, s3: Any, browser: Any, page_origin: str
) -> None:
    page = browser.new_page()
    page.goto(page_origin + "/")
    results = page.evaluate("([s, b]) => attack(s, b)", [server.endpoint_url, "the-users-data"])
    # Reads and the preflighted call fail in the browser (no CORS grant); the no-cors
    # posts are sent, and refused: their answers are opaque to the page.
    assert "error" in results["list buckets"], results
    assert "error" in results["read object"], results
    assert "error" in results["signed-looking call"], results
    assert results["reset"]["type"] == "opaque", results
    _read_nothing(results)
    _nothing_changed(server, s3)


def test_a_dns_rebinding_page_reads_nothing_as_its_own_origin(
    server: LocalSageMakerServer, s3: Any, browser: Any
) -> None:
    """The page's origin is the server's port under the attacker's name: same-origin
    reads are allowed by the browser, so only the server's Host check stands."""
    port = server.endpoint_url.rsplit(":", 1)[1]
    origin = f"http://{REBIND_HOST}:{port}"
    page = browser.new_page()
    body = f"<!DOCTYPE html><title>rebound</title><script>{ATTACK}</script>"
    # The attacker's own server gave the page (fulfilled here); its fetches then reach
    # 127.0.0.1, the name now resolving there.
    page.route(
        origin + "/attack.html", lambda route: route.fulfill(body=body, content_type="text/html")
    )
    page.goto(origin + "/attack.html")
    results = page.evaluate("([s, b]) => attack(s, b)", [origin, "the-users-data"])
    assert results["list buckets"].get("status") == 403, results
    assert results["read object"]["status"] == 403, results
    assert results["reset"]["status"] == 403, results
    assert results["hold"]["status"] == 403, results
    _read_nothing(results)
    _nothing_changed(server, s3)
