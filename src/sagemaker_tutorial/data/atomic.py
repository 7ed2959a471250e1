"""Write a file so that readers see the old file or the whole new one, never half of it.

A split or a rebuild interrupted half-way (Ctrl-C, a full disk) must not leave a
truncated train_data.csv that the next step would happily upload. Data goes to a
temporary file beside the target and is renamed over it only once complete.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces `path` only when the block succeeds.

    The temporary file is created with ``open(..., "xb")`` rather than ``mkstemp`` so
    that it gets the usual permissions (umask), not mkstemp's owner-only 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(tmp, "xb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
