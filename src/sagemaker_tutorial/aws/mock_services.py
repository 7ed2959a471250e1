"""A private moto server for the mock backend, started as a child process.

The mock backend reaches moto exactly as the live backend reaches AWS: over
HTTP, through an endpoint URL. Running moto in its own process keeps this
package free of any moto import, and gives the CLI a real server to talk to on a
machine with no AWS account and no internet.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import TracebackType

from ..errors import TutorialError

_START_TIMEOUT_S = 30.0


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoServerProcess:
    """``python -m moto.server`` on 127.0.0.1 and an ephemeral port, stopped on exit."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.endpoint_url = ""

    def __enter__(self) -> MotoServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        port = _free_loopback_port()
        env = dict(os.environ)
        # Step 2 attaches the AWS-managed AmazonSageMakerFullAccess policy; moto only
        # knows AWS-managed policies when asked to load them.
        env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            raise TutorialError(f"could not start the local moto server: {exc}") from exc
        self.endpoint_url = f"http://127.0.0.1:{port}"
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise TutorialError(
                    "the local moto server exited at start-up; is moto[server] installed?"
                )
            try:
                with urllib.request.urlopen(self.endpoint_url + "/moto-api/", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # it answered: that is all we need to know
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TutorialError(f"the local moto server did not answer within {_START_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None
