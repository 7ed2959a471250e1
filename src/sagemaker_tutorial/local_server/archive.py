"""A model.tar.gz read without trusting it: sizes from the headers, caps before reading.

An archive's declared size is not its size: 2 MB of gzip can hold a 2 GiB member of
zeros (and a tar header can declare any size at all). The serving container extracts
model.tar.gz to disk; this server never extracts, and reads the archive as a stream
through a decompressor that stops at ``MAX_UNPACKED_BYTES``, so no archive can make it
hold more than that, whatever its headers say:

- every member's header is looked at before its data: a member that is not a regular
  file or a directory (a link, a device, a FIFO) is refused, as SageMaker refuses
  archives with links; one whose declared size exceeds ``MAX_MEMBER_BYTES`` is refused
  without a byte of it being read;
- at most ``MAX_MEMBERS`` members, and at most ``MAX_UNPACKED_BYTES`` in all;
- the archive itself (compressed) may be at most ``MAX_ARCHIVE_BYTES``.

SageMaker publishes no cap on a model archive (an endpoint's ML storage volume, up to
512 GB, is its limit); XGBoost models are small (the tutorial's is ~100 KB; 1,000 deep
trees are tens of MB), so the caps are generous for XGBoost and small for a machine
shared with other work. The refusal is worded as SageMaker's endpoint FailureReason:
"Failed to extract model data archive for container "container_1" from URL "s3://...".
Please ensure that the object located at the URL is a valid tar.gz archive." (quoted
from real endpoints in public issues), with the reason this server found.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib

MODEL_MEMBER = "xgboost-model"
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024 + 1024 * 1024  # the members plus their headers
MAX_MEMBERS = 1000


class ArchiveError(Exception):
    """Why a model archive was refused (a sentence, without the URL)."""


class _Capped(io.RawIOBase):
    """A decompressing reader that refuses to produce more than ``limit`` bytes."""

    def __init__(self, data: bytes, limit: int) -> None:
        self._gzip = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        if wanted > self._left:
            if self._left == 0:
                raise ArchiveError(f"it unpacks to more than {MAX_UNPACKED_BYTES} bytes")
            wanted = self._left
        chunk = self._gzip.read(wanted)
        buffer[: len(chunk)] = chunk
        self._left -= len(chunk)
        return len(chunk)


def model_file(data: bytes) -> bytes:
    """The model file of a model.tar.gz: its ``xgboost-model``, else its first file.

    Raises ``ArchiveError`` for anything that is not a tar.gz within the caps.
    """
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"it is {len(data)} bytes, over the {MAX_ARCHIVE_BYTES} accepted")
    chosen: bytes | None = None
    declared = 0
    try:
        stream = io.BufferedReader(_Capped(data, MAX_UNPACKED_BYTES))
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for count, member in enumerate(archive, start=1):
                if count > MAX_MEMBERS:
                    raise ArchiveError(f"it has more than {MAX_MEMBERS} members")
                if member.isdir():
                    continue
                if not member.isreg():
                    raise ArchiveError(f"its member {member.name!r} is not a regular file")
                if member.size > MAX_MEMBER_BYTES:
                    raise ArchiveError(
                        f"its member {member.name!r} declares {member.size} bytes, over the "
                        f"{MAX_MEMBER_BYTES} accepted"
                    )
                declared += member.size
                if declared > MAX_MEMBER_BYTES:
                    raise ArchiveError(
                        f"its members declare more than {MAX_MEMBER_BYTES} bytes in all"
                    )
                is_model = member.name.endswith(MODEL_MEMBER)
                if chosen is None or is_model:
                    handle = archive.extractfile(member)
                    if handle is None:
                        raise ArchiveError(f"its member {member.name!r} cannot be read")
                    chosen = handle.read()
                    if is_model:
                        break
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError(f"it is not a tar.gz archive ({exc})") from None
    if chosen is None:
        raise ArchiveError("it holds no model file")
    return chosen
