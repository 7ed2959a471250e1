"""Write a file so that readers see the old file or the whole new one, never half of it.

A split or a rebuild interrupted half-way (Ctrl-C, a full disk) must not leave a
truncated train_data.csv that the next step would happily upload. Data goes to a
temporary file beside the target and is renamed over it only once complete.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import WriteError

# The errors that mean "this file system will not take the data", not a bug or a
# failing source: they become one line naming the file (see errors.WriteError).
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces `path` only when the block succeeds.

    The temporary file is created with ``open(..., "xb")`` rather than ``mkstemp`` so
    that it gets the usual permissions (umask), not mkstemp's owner-only 0600.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in _CANNOT_WRITE:
            raise WriteError(path, exc.strerror or str(exc)) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
