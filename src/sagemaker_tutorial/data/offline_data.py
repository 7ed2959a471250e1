"""The mock backend's stand-in for the tutorial's download server, on 127.0.0.1.

Offline there is no d1.awsstatic.com, yet step 3e should run the very code it runs
online: a real HTTP download, streamed, checked against the sha1 in the URL and
renamed into place. So the mock backend starts this small server on a loopback
port and downloads from it. It answers at the tutorial's own path, with the file
name carrying the served bytes' sha1, exactly as the tutorial's URL does:

- a file given to it (``--data-file``, or ``$BANK_DATA_DIR/bank_clean.csv``): named
  by that file's sha1, which for the real file is the tutorial's own;
- otherwise the project's synthetic data (see synthetic.py), named by its own sha1.

Anything else it is asked for is a 404.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from .. import settings
from ..errors import InputError
from .download import sha1_of_file

# The tutorial's folder on its download server; the file name is the served data's.
DATA_FOLDER = settings.TUTORIAL_DATA_PATH.rsplit("/", 1)[0]


def served_path(sha1: str) -> str:
    """Where data with this sha1 is served: the tutorial's path, with its own sha1 in the name."""
    return f"{DATA_FOLDER}/bank_clean.{sha1}.csv"


class _Handler(BaseHTTPRequestHandler):
    server: _DataHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        data = self.server.data
        if urlsplit(self.path).path != data.path:
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(data.size))
        self.end_headers()
        if not with_body:
            return
        try:
            if data.content is not None:
                self.wfile.write(data.content)
            else:
                assert data.file is not None
                with data.file.open("rb") as handle:
                    shutil.copyfileobj(handle, self.wfile, 1 << 20)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away: nothing to report

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the CLI's output is the notebook's, not an access log."""


class _ServedData:
    """What the server answers with: bytes in memory (synthetic) or a file on disk."""

    def __init__(self, source: Path | None) -> None:
        if source is None:
            from .synthetic import synthetic_csv

            self.content: bytes | None = synthetic_csv()
            self.file: Path | None = None
            self.sha1 = hashlib.sha1(self.content, usedforsecurity=False).hexdigest()
            self.size = len(self.content)
        else:
            if not source.is_file():
                raise InputError(f"no data file at {source}")
            self.content = None
            self.file = source
            self.sha1 = sha1_of_file(source)
            self.size = source.stat().st_size
        self.path = served_path(self.sha1)


class _DataHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, data: _ServedData) -> None:
        self.data = data
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is routine here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class OfflineDataServer:
    """Serve bank_clean.csv (a given file, else synthetic data) on 127.0.0.1 while in use.

    >>> with OfflineDataServer() as server:   # doctest: +SKIP
    ...     download(server.url, Path("bank_clean.csv"))
    """

    def __init__(self, source: Path | None = None) -> None:
        self._source = source
        self._server: _DataHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def sha1(self) -> str:
        return self._running().data.sha1

    @property
    def url(self) -> str:
        """The data's URL: http://127.0.0.1:<port>/tmt/.../bank_clean.<sha1>.csv."""
        server = self._running()
        host, port = server.server_address[:2]
        return f"http://{host!s}:{port}{server.data.path}"

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _DataHTTPServer(_ServedData(self._source))
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.05,),  # poll often: stopping the server should not cost half a second
            name="offline-data-server",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> OfflineDataServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _running(self) -> _DataHTTPServer:
        if self._server is None:
            raise RuntimeError("the offline data server is not running: use it in a with block")
        return self._server
