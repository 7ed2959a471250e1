"""Step 3e's downloader: streamed, verified, atomic and resilient.

The tutorial fetches its data with ``urlretrieve`` and trusts whatever arrives: a
transfer cut short, an HTML error page or a half-written file all flow on into
training. Here a download

- is refused before any connection unless the URL is https (plain http only to
  this machine: 127.0.0.0/8, ::1, localhost), and so is a redirect that leaves https;
- streams in fixed-size chunks to a temporary file beside the target, hashing as it
  goes, so memory stays flat whatever the size;
- is verified against the expected sha1 (given, else the 40 hex digits in the URL's
  file name) and only then renamed into place: a failed or interrupted download
  leaves no partial file and never harms a good file already there;
- is skipped when the target already holds a file with the expected sha1, and never
  replaces a file already there by different data unless forced;
- rides out connection errors, timeouts, 5xx and 429 with exponential backoff and
  a bounded number of attempts, honouring Retry-After; other 4xx fail at once.

HTTP, retries and backoff are urllib3's (already a boto3 dependency); the progress
bar is tqdm's and appears only on a terminal.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import queue
import re
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import InputError, TutorialError
from .atomic import atomic_writer
from .kind import would_replace

if TYPE_CHECKING:
    import urllib3

# Read and write in 1 MiB pieces: large enough for full loopback speed, small
# enough that memory does not grow with the file.
CHUNK_SIZE = 1 << 20
_SHA1_RUN = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{40}(?![0-9a-fA-F])")
_SHA1_SHAPE = re.compile(r"^[0-9a-f]{40}$")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Throttling and server-side faults are worth another try; other 4xx are not.
RETRY_STATUSES = frozenset({429, *range(500, 600)})
_USER_AGENT = "sagemaker-tutorial (step 3e download)"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a download tries before giving up.

    The n-th retry waits ``backoff * 2**(n-1)`` seconds (the first retry is
    immediate, as urllib3 does it), at most ``backoff_max``; a Retry-After header on
    a 429 or 503 replaces that wait, capped at ``retry_after_max``.
    """

    attempts: int = 5
    backoff: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("a download needs at least one attempt")


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True)
class DownloadResult:
    """What a download left at ``path``."""

    url: str
    path: Path
    sha1: str
    expected_sha1: str | None
    size: int
    reused: bool
    attempts: int

    @property
    def verified(self) -> bool:
        return self.expected_sha1 is not None and self.sha1 == self.expected_sha1


# --- URL rules --------------------------------------------------------------------------------


def is_loopback_host(host: str) -> bool:
    """True for this machine: localhost, 127.0.0.0/8 and ::1."""
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """Return ``url`` if it may be downloaded from, else raise InputError (no connection made).

    Only https is accepted, because a plain-http transfer can be altered on the way;
    plain http is allowed to this machine alone, for local servers and tests.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # an impossible port raises here, not at connect time
    except ValueError as exc:
        raise InputError(f"'{url}' is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise InputError(f"'{url}' is not an https URL: only https downloads are allowed")
    if scheme == "http" and not is_loopback_host(host):
        raise InputError(
            f"refusing plain http to {host}: only https URLs are allowed "
            "(plain http only to this machine: localhost, 127.0.0.1, ::1)"
        )
    return url


def url_file_name(url: str) -> str:
    """The file name at the end of the URL's path ('' when it ends in '/')."""
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def sha1_in_url(url: str) -> str | None:
    """The 40-hex-digit part of the URL's file name (the tutorial's URL carries one), if any."""
    name = url_file_name(url)
    found = {match.lower() for match in _SHA1_RUN.findall(name)}
    if len(found) > 1:
        raise InputError(f"the file name '{name}' holds more than one sha1: pass the expected one")
    return found.pop() if found else None


def expected_sha1(url: str, sha1: str | None) -> str | None:
    """The sha1 the download must have: the one given, else the one in the URL, else None."""
    if sha1 is not None:
        return checked_sha1(sha1)
    return sha1_in_url(url)


def checked_sha1(text: str) -> str:
    """``text`` as a sha1 (40 hex digits, lower case), or InputError saying it is not one."""
    value = text.lower()
    if not _SHA1_SHAPE.fullmatch(value):
        raise InputError(f"'{text}' is not a sha1 (40 hex digits)")
    return value


def failed_verification(
    name: str, actual: str, expected: str, content: str, left: str
) -> TutorialError:
    """The error for data whose sha1 is not the one expected: what arrived, and that nothing
    of it was ``left`` (written, kept) under the name."""
    return TutorialError(
        f"{name} failed verification: its sha1 is {actual}, expected {expected} "
        f"({content}); nothing was {left}"
    )


# --- files -------------------------------------------------------------------------------------


def sha1_of_file(path: Path) -> str:
    """The plain sha1 of a file, read in chunks."""
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def describe_content(path: Path) -> str:
    """A few words on what a file holds, for error messages ("an HTML page", "an empty file")."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "a file that cannot be read"
    if not head:
        return "an empty file"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in text
    ):
        return "an HTML page"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "an XML document"
    if text.startswith((b"{", b"[")):
        return "JSON"
    if b"\x00" in head:
        return "binary data"
    return f"{path.stat().st_size:,} bytes of text"


# --- the download ------------------------------------------------------------------------------


class _CutShort(Exception):
    """The body ended before its Content-Length (raised as a urllib3 read error)."""


class _NoBar:
    """The progress bar off the terminal: tqdm would still start its monitor thread."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def reset(self, total: int | None = None) -> None:
        pass

    def update(self, n: int) -> None:
        pass


def _progress_bar(label: str, enabled: bool | None) -> Any:
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(
        desc=label,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
    )


def _retry(policy: RetryPolicy) -> urllib3.Retry:
    import urllib3

    return urllib3.Retry(
        total=policy.attempts - 1,
        other=0,  # e.g. a certificate that does not verify: retrying will not help
        redirect=False,  # redirects are followed here, each one checked against the URL rules
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=policy.backoff,
        backoff_max=policy.backoff_max,
        respect_retry_after_header=True,
        # Typed int by urllib3, compared as a number: a fraction of a second works (tests).
        retry_after_max=policy.retry_after_max,  # type: ignore[arg-type]
        raise_on_status=False,  # the last answer is reported with its status
    )


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _tries(count: int) -> str:
    return "" if count <= 1 else f" (tried {count} times)"


def _attempts(retry: urllib3.Retry) -> int:
    """Attempts made so far, the one that just ended included."""
    return len(retry.history) + 1


def _attempts_when_exhausted(retry: urllib3.Retry, reason: BaseException | None) -> int:
    """Attempts made when urllib3 gave up inside one request (its own retries included)."""
    import urllib3.exceptions as ux

    if isinstance(reason, ux.SSLError) or not isinstance(retry.total, int):
        return _attempts(retry)  # not retried: see ``other=0``
    return len(retry.history) + retry.total + 1


def _reason(error: BaseException | None) -> str:
    """What went wrong on the wire, in words."""
    import urllib3.exceptions as ux

    while isinstance(error, ux.ProtocolError) and error.args and len(error.args) > 1:
        inner = error.args[1]
        if not isinstance(inner, BaseException):
            break
        error = inner
    if isinstance(error, _CutShort):
        return str(error)
    if isinstance(error, ux.NameResolutionError):
        return "the host name does not resolve"
    if isinstance(error, ux.ConnectTimeoutError) and not isinstance(error, ux.NewConnectionError):
        return "connecting timed out"
    if isinstance(error, ux.NewConnectionError):
        cause = error.__cause__ or error.__context__
        why = cause.strerror if isinstance(cause, OSError) and cause.strerror else None
        return f"could not connect ({why or 'connection failed'})"
    if isinstance(error, ux.ReadTimeoutError):
        return "the server stopped sending (read timed out)"
    if isinstance(error, ux.SSLError):
        return f"TLS failed: {error}"
    if isinstance(error, (ConnectionError, ux.ProtocolError)):
        return "the connection broke off"
    return str(error) or type(error).__name__


class _Sha1Behind:
    """The sha1 of the chunks fed to it, computed on another core while the next is read.

    hashlib releases the GIL on large buffers, so hashing in a thread overlaps with
    the socket reads and file writes instead of adding to them. At most ``depth``
    chunks wait, so memory stays bounded.
    """

    def __init__(self, depth: int = 4) -> None:
        self._digest = hashlib.sha1(usedforsecurity=False)
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._room = threading.Semaphore(depth)
        self._thread = threading.Thread(target=self._run, name="sha1", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            self._digest.update(chunk)
            self._room.release()

    def update(self, chunk: bytes) -> None:
        self._room.acquire()
        self._chunks.put(chunk)

    def close(self) -> None:
        if self._thread.is_alive():
            self._chunks.put(None)
            self._thread.join()

    def hexdigest(self) -> str:
        self.close()
        return self._digest.hexdigest()


def _write_body(response: urllib3.BaseHTTPResponse, sink: BinaryIO, bar: Any) -> tuple[str, int]:
    """Stream the body into ``sink`` (from its start), hashing as it goes; (sha1, size)."""
    import urllib3.exceptions as ux

    sink.seek(0)
    sink.truncate()
    length_header = response.headers.get("Content-Length")
    expected = int(length_header) if length_header and length_header.isdigit() else None
    bar.reset(total=expected)
    digest = _Sha1Behind()
    size = 0
    try:
        while chunk := response.read(CHUNK_SIZE):
            sink.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            bar.update(len(chunk))
    except ux.ProtocolError as exc:
        incomplete = next((a for a in exc.args if isinstance(a, ux.IncompleteRead)), None)
        if incomplete is not None:  # counts what arrived before the cut, not only what was kept
            raise _cut_short(incomplete.partial, incomplete.partial + incomplete.expected) from exc
        if expected is not None and size < expected:
            raise _cut_short(size, expected) from exc
        raise
    finally:
        digest.close()  # on any way out: no hashing thread outlives its download
    if expected is not None and size != expected:
        raise _cut_short(size, expected)
    return digest.hexdigest(), size


def _cut_short(size: int, expected: int) -> Exception:
    """A read error urllib3's Retry counts, carrying what the user should be told."""
    import urllib3.exceptions as ux

    why = f"the transfer was cut short: {size:,} of {expected:,} bytes arrived"
    return ux.ProtocolError(why, _CutShort(why))


def _stream_to(
    url: str, sink: BinaryIO, label: str, policy: RetryPolicy, progress: bool | None
) -> tuple[str, int, int]:
    """GET ``url`` into ``sink`` with retries and checked redirects; (sha1, size, attempts).

    ``label`` names the progress bar; errors name the URL that failed (the file it
    names included), never the local file the data was meant for.
    """
    import urllib3
    import urllib3.exceptions as ux

    pool = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=policy.connect_timeout, read=policy.read_timeout),
        headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"},
    )
    retry = _retry(policy)
    current = url
    redirects = 0
    with pool, _progress_bar(label, progress) as bar:
        while True:
            try:
                response = pool.urlopen(
                    "GET",
                    current,
                    redirect=False,
                    retries=retry,
                    preload_content=False,
                    enforce_content_length=True,
                )
            except ux.MaxRetryError as exc:
                tries = _tries(_attempts_when_exhausted(retry, exc.reason))
                raise TutorialError(
                    f"could not download {current}: {_reason(exc.reason)}{tries}"
                ) from None
            except ux.HTTPError as exc:
                raise TutorialError(f"could not download {current}: {_reason(exc)}") from None
            retry = response.retries or retry
            try:
                status = response.status
                location = response.get_redirect_location() if status in _REDIRECTS else None
                if location:
                    response.drain_conn()
                    current = _follow(current, location, redirects := redirects + 1, policy)
                    continue
                if status != 200:
                    raise TutorialError(
                        f"could not download {current}: the server answered "
                        f"{_status_text(status)}{_tries(_attempts(retry))}"
                    )
                try:
                    sha1, size = _write_body(response, sink, bar)
                except (ux.ProtocolError, ux.ReadTimeoutError, ux.SSLError) as exc:
                    try:
                        next_retry = retry.increment("GET", current, error=exc)
                    except ux.MaxRetryError:
                        raise TutorialError(
                            f"could not download {current}: {_reason(exc)}"
                            f"{_tries(_attempts(retry))}"
                        ) from None
                    retry = next_retry
                    retry.sleep()
                    continue
                return sha1, size, _attempts(retry)
            finally:
                response.release_conn()


def _follow(current: str, location: str, hops: int, policy: RetryPolicy) -> str:
    """The URL a redirect points to, if it may be followed (https only, bounded hops)."""
    if hops > policy.max_redirects:
        raise TutorialError(
            f"could not download {current}: more than {policy.max_redirects} redirects"
        )
    target = urljoin(current, location)
    try:
        return check_url(target)
    except InputError as exc:
        raise TutorialError(f"refusing the redirect from {current} to {target}: {exc}") from None


def download(
    url: str,
    out: Path,
    *,
    sha1: str | None = None,
    force: bool = False,
    policy: RetryPolicy = DEFAULT_POLICY,
    progress: bool | None = None,
) -> DownloadResult:
    """Download ``url`` to ``out``, verified and atomically; reuse a verified ``out`` unless forced.

    A file already at ``out`` is never replaced by different data unless ``force``:
    with a known sha1 that is refused before any connection, without one once the
    download shows its data differs (the download is discarded, ``out`` untouched).

    Raises InputError (before any connection) for a refused URL or a malformed sha1,
    and TutorialError for anything that goes wrong after.
    """
    check_url(url)
    expected = expected_sha1(url, sha1)
    existing = sha1_of_file(out) if out.is_file() and not force else None
    if existing is not None and expected is not None:
        if existing != expected:
            raise would_replace(out, existing, expected)
        size = out.stat().st_size
        return DownloadResult(url, out, expected, expected, size, reused=True, attempts=0)
    with atomic_writer(out) as sink:
        actual, size, attempts = _stream_to(url, sink, out.name, policy, progress)
        sink.flush()
        if expected is not None and actual != expected:
            sent = f"the server sent {describe_content(Path(sink.name))}"
            raise failed_verification(out.name, actual, expected, sent, "kept")
        if existing is not None and actual != existing:
            raise would_replace(out, existing, actual)
        os.fsync(sink.fileno())  # durable before it takes the good name
    return DownloadResult(url, out, actual, expected, size, reused=False, attempts=attempts)
