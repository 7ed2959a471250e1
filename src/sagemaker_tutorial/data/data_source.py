"""Step 3e: get bank_clean.csv into the work folder, from wherever this run gets it.

- A URL given (``--url`` / ``--data-url``): downloaded from there, on any backend.
- Online (live backend), no URL: the tutorial's own URL on d1.awsstatic.com.
- Offline (mock backend), no URL: a loopback server started for this run serves
  the file given by ``--data-file``, else ``$BANK_DATA_DIR/bank_clean.csv``, else the
  project's synthetic data, at the tutorial's path; it is downloaded from there
  by the same code, so the offline run checks what the online run checks. A
  verified copy of the tutorial's own file already in place is kept, as online.
- Online with ``--data-file``: no network at all; the file is checked and copied in.

Whatever the source, the result is verified against a sha1 when one is known
and lands in place atomically (see download.py); a different file already in place
is replaced only with ``--force``. Each report line says whether the data is the
tutorial's real file, synthetic data or other data (see kind.py).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .. import settings
from ..errors import InputError
from .atomic import atomic_writer
from .dataset import check_data_file
from .download import (
    DEFAULT_POLICY,
    DownloadResult,
    RetryPolicy,
    check_url,
    describe_content,
    download,
    expected_sha1,
    failed_verification,
    sha1_of_file,
)
from .kind import data_kind, would_replace


class Place(Protocol):
    """Where a run is, as far as step 3e cares (a Backend is one): offline or not."""

    @property
    def offline(self) -> bool: ...


@dataclass(frozen=True)
class Whereabouts:
    """A Place without a backend: step 3e calls no AWS service, so `download` starts none."""

    offline: bool


@dataclass(frozen=True)
class DownloadOutcome:
    """Where the data came from and what was checked, for the step's one-line report."""

    path: Path
    sha1: str
    verified: bool
    reused: bool = False
    copied_from: Path | None = None
    served: str | None = None  # offline: what the loopback server served ("" for synthetic data)

    @property
    def is_tutorial_file(self) -> bool:
        """True when the bytes are the tutorial's own bank_clean.csv."""
        return self.sha1 == settings.TUTORIAL_DATA_SHA1

    @property
    def kind(self) -> str:
        """The tutorial's real data, synthetic data or other data, in words (see kind.py)."""
        return data_kind(self.sha1, self.path)

    def report(self) -> str:
        """One line in the notebook's words, saying which data it is.

        ``Success: downloaded bank_clean.csv (sha1 ... verified): the tutorial's real data.``
        """
        name = self.path.name
        if self.verified:
            check = f"sha1 {self.sha1} verified"
        elif self.is_tutorial_file:
            check = f"sha1 {self.sha1}, the tutorial's own"
        elif self.copied_from is not None or self.reused:
            check = f"sha1 {self.sha1}, not verified: no sha1 was given"
        else:
            check = f"sha1 {self.sha1}, not verified: no sha1 was given or found in the URL"
        if self.reused:
            if self.verified or self.is_tutorial_file:
                return (
                    f"Success: reused the verified {name} ({check}): {self.kind}; "
                    "nothing was downloaded."
                )
            return f"Success: using {name} where it is ({check}): {self.kind}."
        if self.copied_from is not None:
            return f"Success: copied {name} from {self.copied_from} ({check}): {self.kind}."
        if self.served is not None:
            where = "the offline data server" + (f" ({self.served})" if self.served else "")
            return f"Success: downloaded {name} ({check}) from {where}: {self.kind}."
        return f"Success: downloaded {name} ({check}): {self.kind}."


def check_data_source(url: str | None, sha1: str | None, data_file: Path | None) -> None:
    """Step 3e's input: a URL (allowed, and its sha1 known) or a file (the tutorial's data)."""
    refuse_two_sources(url, data_file)
    if url is not None:
        check_url(url)
        expected_sha1(url, sha1)
    if data_file is not None:
        check_data_file(data_file)


def refuse_two_sources(url: str | None, data_file: Path | None) -> None:
    """The data comes from one place: a URL or a file, never both."""
    if url is not None and data_file is not None:
        raise InputError("give either a URL or a data file to take the data from, not both")


def _bank_data_dir_file() -> Path | None:
    """``$BANK_DATA_DIR/bank_clean.csv`` when the variable is set and the file is there."""
    folder = os.environ.get(settings.ENV_DATA_DIR)
    if not folder:
        return None
    path = Path(folder) / settings.DATA_FILE_NAME
    return path if path.is_file() else None


def fetch_data(
    backend: Place,
    out: Path,
    *,
    url: str | None,
    sha1: str | None,
    data_file: Path | None,
    force: bool,
    policy: RetryPolicy = DEFAULT_POLICY,
    progress: bool | None = None,
) -> DownloadOutcome:
    """Put verified data at ``out`` (see the module docstring for where it comes from).

    ``policy`` sets retries and backoff (tests shorten them); ``progress`` forces the
    progress bar on or off (default: on a terminal only).
    """
    refuse_two_sources(url, data_file)
    if data_file is not None and not data_file.is_file():
        raise InputError(f"no data file at {data_file}")
    if url is not None:
        check_url(url)
        expected_sha1(url, sha1)  # a malformed sha1 or URL is refused before any server starts
        result = download(url, out, sha1=sha1, force=force, policy=policy, progress=progress)
        return _outcome(result)
    if backend.offline:
        from .offline_data import OfflineDataServer

        if data_file is None and not force and _holds_the_tutorials_file(out, sha1):
            # The file the tutorial's URL names: what the online run would keep too.
            return DownloadOutcome(out, settings.TUTORIAL_DATA_SHA1, True, reused=True)
        source = data_file or _bank_data_dir_file()
        with OfflineDataServer(source) as server:
            result = download(
                server.url, out, sha1=sha1, force=force, policy=policy, progress=progress
            )
        return _outcome(result, served="" if source is None else str(source))
    if data_file is not None:
        return copy_data_file(data_file, out, sha1=sha1, force=force)
    result = download(
        settings.TUTORIAL_DATA_URL, out, sha1=sha1, force=force, policy=policy, progress=progress
    )
    return _outcome(result)


def _holds_the_tutorials_file(out: Path, sha1: str | None) -> bool:
    """True when ``out`` is a verified copy of the tutorial's file and no other is asked for."""
    wanted = sha1.lower() if sha1 else settings.TUTORIAL_DATA_SHA1
    return (
        wanted == settings.TUTORIAL_DATA_SHA1
        and out.is_file()
        and sha1_of_file(out) == settings.TUTORIAL_DATA_SHA1
    )


def _outcome(result: DownloadResult, served: str | None = None) -> DownloadOutcome:
    return DownloadOutcome(
        result.path, result.sha1, result.verified, reused=result.reused, served=served
    )


def copy_data_file(source: Path, out: Path, *, sha1: str | None, force: bool) -> DownloadOutcome:
    """Copy a local data file to ``out`` with no network: checked, and atomically.

    Its sha1 is checked against ``sha1`` when given; without one the file is taken
    as the user's deliberate choice and its sha1 is reported. A different file
    already at ``out`` is replaced only with ``force``.
    """
    expected = sha1.lower() if sha1 else None
    if out.is_file() and out.resolve() == source.resolve():
        actual = sha1_of_file(out)
        _check(out.name, actual, expected, source)
        return DownloadOutcome(out, actual, expected is not None, reused=True)
    if not force and out.is_file():
        existing = sha1_of_file(out)
        planned = expected or sha1_of_file(source)
        if existing != planned:
            raise would_replace(out, existing, planned)
        return DownloadOutcome(out, existing, expected is not None, reused=True)
    with atomic_writer(out) as sink, source.open("rb") as src:
        shutil.copyfileobj(src, sink, 1 << 20)
        sink.flush()
        temp = Path(sink.name)
        actual = sha1_of_file(temp)
        _check(out.name, actual, expected, temp)
        os.fsync(sink.fileno())
    return DownloadOutcome(out, actual, expected is not None, copied_from=source)


def _check(name: str, actual: str, expected: str | None, content: Path) -> None:
    if expected is not None and actual != expected:
        raise failed_verification(
            name, actual, expected, f"the file holds {describe_content(content)}", "written"
        )
