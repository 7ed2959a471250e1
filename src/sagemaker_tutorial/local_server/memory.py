"""The server gives back the memory its jobs free (glibc's malloc keeps it otherwise).

A training job allocates big blocks (the CSV's bytes, its matrices, XGBoost's copy)
and frees them when it ends. glibc's malloc serves blocks over a threshold with
their own mmap, returned to the system on free, but it raises that threshold to the
size of every such block freed (up to 32 MB), so the next job's blocks come from
the heap, where freed memory stays, fragmented, and a server's RSS only grows job
after job. Measured on 5 jobs of a 16 MB CSV (bench/bench_serve_memory.py): +77 MB
and rising with the dynamic threshold, +26 MB and flat with a fixed one. So:

- ``configure()`` fixes the threshold at 1 MiB (``mallopt(M_MMAP_THRESHOLD)``, which
  also turns the raising off), once, when the server starts;
- ``release()`` hands back what is free in the heaps (``malloc_trim(0)``) after a job.

Both are no-ops where there is no glibc.
"""

from __future__ import annotations

import ctypes
import functools

_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 1024 * 1024


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def configure() -> None:
    """Serve blocks of 1 MiB and more with their own mmap, returned on free."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def release() -> None:
    """Give the memory freed in malloc's heaps back to the system."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
